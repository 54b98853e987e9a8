// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/datalock"
	"github.com/hotline-cchc/hotline/tickets"
)

// registerOpts are import's options for a register file.
type registerOpts struct {
	file, sheet, encoding string
	dryRun, partial       bool
}

// registerFlags names the register options given, for refusing them
// without a file.
func registerFlags(o *ticketOpts) []string {
	var set []string
	if o.dryRun {
		set = append(set, "--dry-run")
	}
	if o.partial {
		set = append(set, "--partial")
	}
	if o.sheet != "" {
		set = append(set, "--sheet")
	}
	if o.encoding != "" {
		set = append(set, "--encoding")
	}
	return set
}

// registerCheck is a register read and checked: the tickets ready to store
// and, in the same order, their rows; and a result for each bad row.
type registerCheck struct {
	good  []tickets.ImportedTicket
	lines []int
	bad   []importResult
	rows  int
}

// importRegister imports a register (CSV or XLSX) with its own dates: every
// row is read and checked first, each bad one reported with its line; then
// all are stored in one transaction, or none if any row is bad (unless
// --partial, which stores the good ones). --dry-run stops after the check.
// One JSON result per row goes to standard output, a summary to standard
// error.
func (m *Main) importRegister(ctx context.Context, a *app, o *ticketOpts) error {
	reg, err := readRegister(o.file, o.sheet, o.encoding)
	if err != nil {
		return err
	}
	layout, err := findHeader(reg.rows)
	if err != nil {
		return fmt.Errorf("%s: %w", o.file, err)
	}
	rc, err := m.checkRegister(ctx, a, o, reg, layout)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(m.Stdout)
	for _, r := range rc.bad {
		enc.Encode(r)
	}
	if len(layout.ignored) > 0 {
		fmt.Fprintf(m.Stderr, "columns not read: %s\n", strings.Join(layout.ignored, ", "))
	}
	switch {
	case o.dryRun:
		fmt.Fprintf(m.Stderr, "dry run: %d rows, %d good, %d bad; nothing imported\n", rc.rows, len(rc.good), len(rc.bad))
		return badRows(len(rc.bad), "")
	case len(rc.bad) > 0 && !o.partial:
		return badRows(len(rc.bad), fmt.Sprintf(" of %d: nothing imported; correct them, or import the %d good rows with --partial", rc.rows, len(rc.good)))
	}
	skipped, err := m.saveRegister(ctx, a, rc.good)
	if err != nil {
		return err
	}
	for i, it := range rc.good {
		enc.Encode(importResult{Line: rc.lines[i], Code: it.Ticket.Code.String()})
	}
	fmt.Fprintf(m.Stderr, "imported %d tickets from %s (%d of them were imported before and left as they were)\n",
		len(rc.good)-skipped, o.file, skipped)
	return badRows(len(rc.bad), " were not imported")
}

// importBatch is how many tickets a transaction saves while serve runs:
// a fraction of a second, so that serve's own writes never wait long.
const importBatch = 1000

// saveRegister stores the tickets: in one transaction when it can hold the
// data folder, else, serve running, in batches of importBatch, an
// interrupted run then being completed by the same import again (the rows
// saved are skipped). Once begun, the save finishes even on SIGINT.
func (m *Main) saveRegister(ctx context.Context, a *app, ts []tickets.ImportedTicket) (skipped int, err error) {
	batch := 0
	lock, err := datalock.Acquire(a.cfg.Data)
	switch {
	case errors.Is(err, datalock.ErrLocked):
		batch = importBatch
		fmt.Fprintf(m.Stderr, "hotline serve is running: saving in batches of %d tickets so that it is not held up; "+
			"if this is interrupted, run the same import again to complete it\n", importBatch)
	case err != nil:
		return 0, err
	default:
		defer lock.Release()
	}
	bar := m.progress("saving", len(ts))
	defer bar.finish()
	return a.db.ImportTickets(context.WithoutCancel(ctx), ts, batch, bar.set)
}

// badRows is the error of a run with n bad rows; nil if there are none.
func badRows(n int, what string) error {
	if n == 0 {
		return nil
	}
	return tickets.Errorf(tickets.EINVALID, "%d bad rows%s (listed on standard output with their lines)", n, what)
}

// checkRegister reads the rows under the header into past tickets and
// prepares each for the store.
func (m *Main) checkRegister(ctx context.Context, a *app, o *ticketOpts, reg *register, l registerLayout) (*registerCheck, error) {
	rr := &registerReader{cols: l.cols, names: newMenuNames(a.menu), loc: a.cal.Location(), channel: tickets.Channel(o.channel),
		date1904: reg.date1904}
	rows := reg.rows
	note := "Nhập từ sổ theo dõi " + filepath.Base(o.file)
	seen := map[string]int{}
	rc := &registerCheck{}
	bar := m.progress("checking", len(rows)-l.data)
	for i, r := range rows[l.data:] {
		bar.set(i + 1)
		if r.empty() || (i == 0 && numbersRow(r)) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rc.rows++
		p, err := rr.pastTicket(r)
		var it *tickets.ImportedTicket
		if err == nil {
			// Alike rows get their own keys, so each is imported once.
			key := fmt.Sprint(p.ReceivedAt.Unix(), "\x00", p.Text, "\x00", p.Contact, "\x00", p.Branch)
			p.Occurrence = seen[key]
			seen[key]++
			it, err = a.svc.PrepareImport(p, o.actor, fmt.Sprintf("%s, dòng %d", note, r.line))
		}
		if err != nil {
			rc.bad = append(rc.bad, importResult{Line: r.line, Error: userMessage(err)})
			continue
		}
		rc.good, rc.lines = append(rc.good, *it), append(rc.lines, r.line)
	}
	bar.finish()
	return rc, nil
}
