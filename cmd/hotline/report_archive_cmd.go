// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/hotline-cchc/hotline/reports"
	"github.com/hotline-cchc/hotline/tickets"
)

// reportSubcommands are the archive's commands under "hotline report".
var reportSubcommands = map[string]func(m *Main, ctx context.Context, args []string) error{
	"list": (*Main).reportList,
	"get":  (*Main).reportGet,
}

func archiveFlags(fs *flag.FlagSet, o *reportOpts) {
	fs.BoolVar(&o.issue, "issue", false, "keep the report in the archive under a new number, never to change")
	fs.Int64Var(&o.replaces, "replaces", 0, "with --issue: the number of the issued report this one corrects")
}

// checkIssue refuses --replaces without --issue.
func (o *reportOpts) checkIssue() error {
	switch {
	case o.replaces != 0 && !o.issue:
		return usagef("--replaces goes with --issue: hotline report --issue --replaces %d …", o.replaces)
	case o.replaces < 0:
		return usagef("--replaces takes the number of an issued report (see \"hotline report list\")")
	}
	return nil
}

// issueReport stores r's bytes in the archive under a new number, then
// writes them where o says; the number goes to standard output, or to
// standard error when the report itself does.
func (m *Main) issueReport(ctx context.Context, a *app, r *reports.Report, f reports.Format, o *reportOpts) error {
	ir, body, err := reports.Issue(ctx, a.db, r, f, tickets.ReportSourceCommand, o.replaces, time.Now())
	if err != nil {
		return err
	}
	note := m.Stdout
	if o.out == "" || o.out == "-" {
		note = m.Stderr
		if _, err := m.Stdout.Write(body); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	} else if err := reports.WriteBytes(o.out, body); err != nil {
		return err
	}
	fmt.Fprintf(note, "issued report %d: %s, %s, sha256 %s%s\n", ir.Number, ir.Period, ir.Format, ir.SHA256, replacesNote(ir))
	return nil
}

func replacesNote(ir *tickets.IssuedReport) string {
	if ir.Replaces == 0 {
		return ""
	}
	return fmt.Sprintf(", replaces %d", ir.Replaces)
}

const reportListSynopsis = `hotline report list [--config FILE]
Lists the issued reports: number, period, format, when (local time), source,
SHA-256, and the number each replaces or is replaced by.`

func (m *Main) reportList(ctx context.Context, args []string) error {
	var config string
	fs := newFlagSet("hotline report list", reportListSynopsis, m.Stderr)
	fs.StringVar(&config, "config", "", "config file (default: $HOTLINE_CONFIG, else the embedded default)")
	if pos, err := parseArgs(fs, args); err != nil {
		return handled(err)
	} else if len(pos) > 0 {
		return usagef("report list takes no arguments; usage: %s", reportListSynopsis)
	}
	a, err := m.openApp(ctx, config)
	if err != nil {
		return err
	}
	defer a.Close()
	loc, err := a.cfg.ReportsLocation()
	if err != nil {
		return err
	}
	rs, err := a.db.IssuedReports(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NUMBER\tPERIOD\tFORMAT\tISSUED\tSOURCE\tSHA256\tREPLACES\tREPLACED BY")
	for _, r := range rs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Number, r.Period, r.Format,
			r.IssuedAt.In(loc).Format("02/01/2006 15:04:05"), r.Source, r.SHA256, numberOrDash(r.Replaces), numberOrDash(r.ReplacedBy))
	}
	return tw.Flush()
}

func numberOrDash(n int64) string {
	if n == 0 {
		return "-"
	}
	return strconv.FormatInt(n, 10)
}

const reportGetSynopsis = `hotline report get NUMBER --out FILE [--config FILE]
Writes the bytes of issued report NUMBER to FILE ("-": standard output,
not for xlsx), after checking them against the SHA-256 recorded when it was
issued.`

func (m *Main) reportGet(ctx context.Context, args []string) error {
	var config, out string
	fs := newFlagSet("hotline report get", reportGetSynopsis, m.Stderr)
	fs.StringVar(&config, "config", "", "config file (default: $HOTLINE_CONFIG, else the embedded default)")
	fs.StringVar(&out, "out", "", `output file; "-": standard output`)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return handled(err)
	}
	if len(pos) != 1 || out == "" {
		return usagef("usage: %s", reportGetSynopsis)
	}
	n, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || n < 1 {
		return usagef("%q is not a report number; \"hotline report list\" shows them", pos[0])
	}
	a, err := m.openApp(ctx, config)
	if err != nil {
		return err
	}
	defer a.Close()
	ir, body, err := a.db.IssuedReport(ctx, n)
	if err != nil {
		return err
	}
	if out == "-" {
		if reports.Format(ir.Format).Binary() {
			return usagef("report %d is %s: give --out report%s", n, ir.Format, reports.Format(ir.Format).Ext())
		}
		_, err := m.Stdout.Write(body)
		return err
	}
	if err := reports.WriteBytes(out, body); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "report %d (%s, %s) written to %s, sha256 %s\n", n, ir.Period, ir.Format, out, ir.SHA256)
	return nil
}
