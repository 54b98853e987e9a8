// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/hotline-cchc/hotline/tickets"
)

func caseTypeFlags(fs *flag.FlagSet, o *ticketOpts) {
	fs.StringVar(&o.caseType, "type", "", "the case type's id (required; see hotline config print, [[case_types]])")
	fs.StringVar(&o.note, "reason", "", "why (required)")
}

func extendFlags(fs *flag.FlagSet, o *ticketOpts) {
	fs.StringVar(&o.until, "until", "", "the new deadline day, YYYY-MM-DD (required)")
	fs.StringVar(&o.note, "reason", "", "why, told to the citizen (required)")
}

// ticketCaseType gives a ticket another case type; its deadline is
// recomputed from its receipt.
func (m *Main) ticketCaseType(ctx context.Context, a *app, o *ticketOpts) error {
	if o.caseType == "" || o.note == "" {
		return usagef("tickets case-type needs --type and --reason; case types: %s", caseTypeIDs(a.menu))
	}
	t, err := a.svc.SetCaseType(ctx, o.code, tickets.CaseTypeChange{CaseType: o.caseType, Reason: o.note, Actor: o.actor})
	if err != nil {
		return err
	}
	return m.printTicket(a, t, nil, o.json)
}

// ticketExtend extends a ticket's deadline; the citizen is told on the
// ticket's chat, through the outbox.
func (m *Main) ticketExtend(ctx context.Context, a *app, o *ticketOpts) error {
	if o.until == "" || o.note == "" {
		return usagef("tickets extend needs --until and --reason")
	}
	until, err := tickets.ParseDate(o.until)
	if err != nil {
		return usagef("--until: %s", tickets.ErrorMessage(err))
	}
	t, err := a.svc.Extend(ctx, o.code, tickets.Extension{Until: until, Reason: o.note, Actor: o.actor})
	if err != nil {
		return err
	}
	if !o.json && t.Channel.Chat() && t.Contact != "" {
		fmt.Fprintf(m.Stdout, "Thông báo gia hạn đã được xếp hàng gửi tới công dân qua %s.\n\n", t.Channel)
	}
	return m.printTicket(a, t, nil, o.json)
}

// caseTypeIDs lists the case types as "id (name)".
func caseTypeIDs(menu *tickets.Menu) string {
	s := ""
	for i, ct := range menu.CaseTypes() {
		if i > 0 {
			s += ", "
		}
		s += ct.ID + " (" + ct.Name + ")"
	}
	return s
}
