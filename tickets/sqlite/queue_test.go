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

func TestQueue(t *testing.T) {
	ctx := context.Background()
	svc, clock := ticketstest.Service(t)
	db := svc.Store.(*sqlite.DB)
	open := func(branch int) tickets.Code {
		tk, err := svc.Open(ctx, tickets.NewTicket{Branch: branch, Channel: tickets.ChannelWeb, Text: "x", Actor: "t"})
		if err != nil {
			t.Fatal(err)
		}
		clock.T = clock.T.Add(time.Hour)
		return tk.Code
	}
	move := func(code tickets.Code, as ...tickets.Action) {
		for _, a := range as {
			if _, err := svc.Move(ctx, code, tickets.Change{Action: a, Department: "so-noi-vu", Actor: "t"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Oldest first: the first two are overdue by the time we look.
	overdueNew := open(1)
	overdueWorked := open(1)
	move(overdueWorked, tickets.ActionAssign, tickets.ActionStart)
	clock.T = clock.T.AddDate(0, 0, 20)
	inProgress := open(1)
	move(inProgress, tickets.ActionAssign, tickets.ActionStart)
	assigned := open(9)
	move(assigned, tickets.ActionAssign)
	fresh := open(1)
	resolved := open(1)
	move(resolved, tickets.ActionAssign, tickets.ActionStart, tickets.ActionResolve)
	other := open(2)
	now := clock.T.AddDate(0, 0, 3)

	tests := []struct {
		name string
		f    tickets.QueueFilter
		want []tickets.Code
	}{
		{"OKDepartment", tickets.QueueFilter{Department: "so-noi-vu"},
			[]tickets.Code{overdueNew, overdueWorked, assigned, fresh, inProgress}},
		{"OKEveryone", tickets.QueueFilter{},
			[]tickets.Code{overdueNew, overdueWorked, assigned, fresh, other, inProgress}},
		{"OKNewOnly", tickets.QueueFilter{NewOnly: true}, []tickets.Code{overdueNew, fresh, other}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, size := range []int{1, 2, 50} {
				f := tt.f
				f.Now, f.Limit = now, size
				var got []tickets.Code
				for pages := 0; pages < 10; pages++ {
					p, err := db.Queue(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					for _, tk := range p.Tickets {
						got = append(got, tk.Code)
					}
					if p.Next.IsZero() {
						break
					}
					// The cursor survives a round trip through a URL.
					if f.After, err = tickets.ParseQueueCursor(p.Next.String()); err != nil {
						t.Fatal(err)
					}
				}
				if len(got) != len(tt.want) {
					t.Fatalf("page size %d: got %v, want %v", size, got, tt.want)
				}
				for i := range got {
					if got[i] != tt.want[i] {
						t.Fatalf("page size %d: got %v, want %v", size, got, tt.want)
					}
				}
			}
		})
	}
	if _, err := tickets.ParseQueueCursor("9.1.1"); tickets.ErrorCode(err) != tickets.EINVALID {
		t.Errorf("bad cursor: %v", err)
	}
}
