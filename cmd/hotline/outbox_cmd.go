// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

const outboxSynopsis = `hotline outbox list [--state S] [--ticket CODE] [--limit N]
       hotline outbox retry ID|--failed
Both take --config FILE. States: queued, sending, sent, failed, expired.`

// runOutbox lists the outbox or queues failed and expired messages again.
// It writes through SQLite's own locking, beside a running server, which
// sends a message queued again at its next poll.
func (m *Main) runOutbox(ctx context.Context, args []string) error {
	if len(args) == 0 || (args[0] != "list" && args[0] != "retry") {
		return usagef("usage: %s", outboxSynopsis)
	}
	sub := args[0]
	fs := newFlagSet("hotline outbox "+sub, outboxSynopsis, m.Stderr)
	cfg := fs.String("config", "", "config file")
	state := fs.String("state", "", "only messages in this state")
	ticket := fs.String("ticket", "", "only messages about this ticket")
	limit := fs.Int("limit", 100, "messages to list, newest first")
	failed := fs.Bool("failed", false, "retry every failed and expired message")
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return handled(err)
	}
	var id int64
	switch {
	case sub == "list" && len(pos) == 0:
	case sub == "retry" && len(pos) == 0 && *failed:
	case sub == "retry" && len(pos) == 1 && !*failed:
		if id, err = strconv.ParseInt(pos[0], 10, 64); err != nil || id <= 0 {
			return usagef("%q is not an outbox id (a number from \"hotline outbox list\")", pos[0])
		}
	default:
		return usagef("usage: %s", outboxSynopsis)
	}
	a, err := m.openApp(ctx, *cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	if sub == "retry" {
		n, err := a.db.RetryOutbox(ctx, id, time.Now().UTC())
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "queued again: %d message(s); a running server sends them within a second\n", n)
		return nil
	}
	f := sqlite.OutboxFilter{Limit: *limit}
	if *state != "" {
		if f.State, err = tickets.ParseDeliveryState(*state); err != nil {
			return usagef("--state: %s", tickets.ErrorMessage(err))
		}
	}
	if *ticket != "" {
		if f.Ticket, err = tickets.ParseCode(*ticket); err != nil {
			return usagef("--ticket: %s", tickets.ErrorMessage(err))
		}
	}
	return m.printOutbox(ctx, a, f)
}

func (m *Main) printOutbox(ctx context.Context, a *app, f sqlite.OutboxFilter) error {
	out, err := a.db.ListOutbox(ctx, f)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tSTATE\tCHANNEL\tKIND\tTICKET\tRECIPIENT\tQUEUED\tATTEMPTS\tUNCERTAIN\tERROR")
	for _, o := range out {
		uncertain := ""
		if o.Uncertain {
			uncertain = "yes"
		}
		reason := o.Error
		if o.Class != "" {
			reason = o.Class + ": " + o.Error
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", o.ID, o.State, o.Channel, o.Kind, o.Ticket,
			tickets.MaskContact(o.Recipient.ID), o.CreatedAt.In(a.cal.Location()).Format("02/01/2006 15:04:05"),
			o.Attempts, uncertain, reason)
	}
	return w.Flush()
}
