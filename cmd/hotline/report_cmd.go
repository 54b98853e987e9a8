// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"path/filepath"
	"strings"
	"time"

	"github.com/hotline-cchc/hotline/reports"
	"github.com/hotline-cchc/hotline/tickets"
)

const reportSynopsis = `hotline report [--month YYYY-MM | --from YYYY-MM-DD --to YYYY-MM-DD] [--format text|csv|xlsx|html] [--out FILE] [--issue [--replaces N]] [--config FILE]
       hotline report list [--config FILE]
       hotline report get NUMBER --out FILE [--config FILE]
The period defaults to the last complete month; --from and --to are days
included. The format defaults to the --out file's extension, else text.
Without --out (or with --out -) the report goes to standard output, except
xlsx, which needs a file. --issue also keeps the report's bytes in the
archive under a new number (--replaces N: as the correction of number N);
"list" shows the archive and "get" writes an issued report's bytes back.`

// reportOpts are the options of "hotline report".
type reportOpts struct {
	config, month, from, to, format, out string
	issue                                bool
	replaces                             int64
}

// runReport writes the report of a period, by default the last complete
// month in the reports' time zone.
func (m *Main) runReport(ctx context.Context, args []string) error {
	if len(args) > 0 {
		if sub, ok := reportSubcommands[args[0]]; ok {
			return sub(m, ctx, args[1:])
		}
	}
	var o reportOpts
	fs := newFlagSet("hotline report", reportSynopsis, m.Stderr)
	fs.StringVar(&o.config, "config", "", "config file (default: $HOTLINE_CONFIG, else the embedded default)")
	fs.StringVar(&o.month, "month", "", "calendar month, YYYY-MM (default: the last complete month)")
	fs.StringVar(&o.from, "from", "", "first day, YYYY-MM-DD (with --to)")
	fs.StringVar(&o.to, "to", "", "last day, YYYY-MM-DD, included (with --from)")
	fs.StringVar(&o.format, "format", "", "text, csv, xlsx or html (default: from --out's extension, else text)")
	fs.StringVar(&o.out, "out", "", `output file; "-" or none: standard output`)
	archiveFlags(fs, &o)
	if pos, err := parseArgs(fs, args); err != nil {
		return handled(err)
	} else if len(pos) > 0 {
		return usagef("report takes no arguments; usage: %s", reportSynopsis)
	}
	format, err := o.checkFormat()
	if err == nil {
		err = o.checkIssue()
	}
	if err != nil {
		return err
	}
	a, err := m.openApp(ctx, o.config)
	if err != nil {
		return err
	}
	defer a.Close()
	loc, err := a.cfg.ReportsLocation()
	if err != nil {
		return err
	}
	p, err := o.period(loc, time.Now())
	if err != nil {
		return err
	}
	r, err := (&reports.Builder{Source: a.db, Menu: a.menu, Target: a.cfg.Survey.Target}).Build(ctx, p)
	if err != nil {
		return err
	}
	if o.issue {
		return m.issueReport(ctx, a, r, format, &o)
	}
	if o.out == "" || o.out == "-" {
		return r.Write(m.Stdout, format)
	}
	return reports.WriteFile(o.out, r, format)
}

// checkFormat returns the format asked for or implied by --out's extension.
func (o *reportOpts) checkFormat() (reports.Format, error) {
	name := o.format
	if name == "" {
		name = "text"
		ext := filepath.Ext(o.out)
		if o.out != "" && o.out != "-" && ext != "" {
			name = ""
			var exts []string
			for _, f := range reports.Formats {
				exts = append(exts, f.Ext())
				if strings.EqualFold(ext, f.Ext()) {
					name = string(f)
				}
			}
			if name == "" {
				return "", usagef("--out %s: a report cannot be written as %s; use one of %s, or give --format", o.out, ext, strings.Join(exts, ", "))
			}
		}
	}
	f, err := reports.ParseFormat(name)
	if err != nil {
		return "", usagef("%s", tickets.ErrorMessage(err))
	}
	if f.Binary() && (o.out == "" || o.out == "-") {
		return "", usagef("the %s format needs a file: add --out report%s", f, f.Ext())
	}
	return f, nil
}

// period returns the period the options name, in loc.
func (o *reportOpts) period(loc *time.Location, now time.Time) (reports.Period, error) {
	switch {
	case o.month != "" && (o.from != "" || o.to != ""):
		return reports.Period{}, usagef("give either --month or --from and --to, not both")
	case o.month != "":
		p, err := reports.ParseMonth(o.month, loc)
		if err != nil {
			return reports.Period{}, usagef("--month: %s", tickets.ErrorMessage(err))
		}
		return p, nil
	case o.from != "" || o.to != "":
		if o.from == "" || o.to == "" {
			return reports.Period{}, usagef("--from and --to go together")
		}
		first, err := tickets.ParseDate(o.from)
		if err != nil {
			return reports.Period{}, usagef("--from: %s", tickets.ErrorMessage(err))
		}
		last, err := tickets.ParseDate(o.to)
		if err != nil {
			return reports.Period{}, usagef("--to: %s", tickets.ErrorMessage(err))
		}
		p, err := reports.Days(first, last, loc)
		if err != nil {
			return reports.Period{}, usagef("%s", tickets.ErrorMessage(err))
		}
		return p, nil
	}
	return (&reports.Monthly{Loc: loc, Now: func() time.Time { return now }}).LastMonth(), nil
}
