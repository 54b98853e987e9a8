// SPDX-License-Identifier: Apache-2.0

package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

// The work queue and the overdue counts of /metrics tell an overdue ticket
// as tickets.DueEnd does: not in the deadline's last second, from the next
// midnight.
func TestOverdueFromTheNextMidnight(t *testing.T) {
	ctx := context.Background()
	svc, clock := ticketstest.Service(t)
	db := svc.Store.(*sqlite.DB)
	var due time.Time
	for range 2 {
		tk, err := svc.Open(ctx, tickets.NewTicket{Branch: 1, Channel: tickets.ChannelWeb, Text: "x", Actor: "t"})
		if err != nil {
			t.Fatal(err)
		}
		if due.IsZero() {
			due = tk.Deadline
		}
		clock.T = clock.T.AddDate(0, 0, 1)
	}
	for _, tt := range []struct {
		name    string
		now     time.Time
		group   int
		overdue int
	}{
		{"OnTimeLastSecond", due.Add(500 * time.Millisecond), tickets.QueueNew, 0},
		{"OverdueAtMidnight", tickets.DueEnd(due), tickets.QueueOverdue, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := db.Queue(ctx, tickets.QueueFilter{Now: tt.now, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if p.Next.Group != tt.group {
				t.Errorf("the first ticket's queue group = %d, want %d", p.Next.Group, tt.group)
			}
			n, err := db.CountOverdue(ctx, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			if n["so-noi-vu"] != tt.overdue {
				t.Errorf("CountOverdue = %v, want %d for so-noi-vu", n, tt.overdue)
			}
		})
	}
}
