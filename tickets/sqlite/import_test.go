// SPDX-License-Identifier: Apache-2.0

package sqlite_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

func pastTickets(t *testing.T, svc *tickets.Service, texts ...string) []tickets.ImportedTicket {
	t.Helper()
	var its []tickets.ImportedTicket
	for i, text := range texts {
		it, err := svc.PrepareImport(tickets.PastTicket{Branch: 4, Channel: tickets.ChannelPhone, Text: text,
			ReceivedAt: time.Date(2026, 3, 2, 10, i, 0, 0, time.UTC)}, "cli:tester", "")
		if err != nil {
			t.Fatal(err)
		}
		its = append(its, *it)
	}
	return its
}

// An import is one transaction: a ticket the store refuses leaves none of
// the others; tickets imported before are skipped and keep their codes.
func TestImportTickets(t *testing.T) {
	svc, _ := ticketstest.Service(t)
	ctx := context.Background()
	its := pastTickets(t, svc, "một", "hai", "ba")
	its[2].Ticket.Branch = 0 // refused by the schema
	store := svc.Store.(tickets.ImportStore)
	var progressed int
	if _, err := store.ImportTickets(ctx, its, 0, nil); err == nil {
		t.Fatal("an import with a bad ticket succeeded")
	}
	page, err := svc.Store.Tickets(ctx, tickets.Filter{})
	if err != nil || len(page.Tickets) != 0 {
		t.Fatalf("after a failed import: %d tickets, %v", len(page.Tickets), err)
	}
	its = pastTickets(t, svc, "một", "hai")
	if skipped, err := store.ImportTickets(ctx, its, 0, func(n int) { progressed = n }); err != nil || skipped != 0 || progressed != 2 {
		t.Fatalf("import: skipped %d, progress %d, %v", skipped, progressed, err)
	}
	first := its[0].Ticket.Code
	again := pastTickets(t, svc, "một", "hai", "ba")
	if skipped, err := store.ImportTickets(ctx, again, 2, nil); err != nil || skipped != 2 || again[0].Ticket.Code != first {
		t.Fatalf("again: skipped %d, code %s (first %s), %v", skipped, again[0].Ticket.Code, first, err)
	}
	page, err = svc.Store.Tickets(ctx, tickets.Filter{})
	if err != nil || len(page.Tickets) != 3 {
		t.Errorf("after importing again: %d tickets, %v; want 3", len(page.Tickets), err)
	}
	t.Run("ErrInALaterBatch", func(t *testing.T) {
		its := pastTickets(t, svc, "bốn", "năm", "sáu")
		its[2].Ticket.Branch = 0
		_, err := store.ImportTickets(ctx, its, 2, nil)
		if err == nil || !strings.Contains(err.Error(), "the 2 tickets before were saved") {
			t.Errorf("err = %v", err)
		}
	})
	hs, err := svc.Store.History(ctx, first)
	if err != nil || len(hs) != 1 || !hs[0].At.Equal(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("history = %+v, %v", hs, err)
	}
}
