// SPDX-License-Identifier: Apache-2.0

package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

func TestOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "hotline.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := db.SchemaVersion(), 14; got != want {
		t.Errorf("SchemaVersion = %d, want %d", got, want)
	}
	db.Close()

	t.Run("OKReopen", func(t *testing.T) {
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		defer db.Close()
		if ok, err := db.IntegrityCheck(ctx); err != nil || ok != "ok" {
			t.Errorf("IntegrityCheck = %q, %v", ok, err)
		}
	})
	t.Run("ErrNewerSchema", func(t *testing.T) {
		raw, err := sql.Open("sqlite3", path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec("PRAGMA user_version = 99"); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		if _, err := sqlite.Open(ctx, path); err == nil || !strings.Contains(err.Error(), "upgrade hotline") {
			t.Fatalf("Open of a newer schema: %v, want a refusal", err)
		}
	})
}

func TestTicketsFilterAndPages(t *testing.T) {
	ctx := context.Background()
	svc, _ := ticketstest.Service(t)
	counts := map[int]int{1: 0, 4: 0, 9: 0}
	for i := range 130 {
		branch := []int{1, 4, 9}[i%3]
		tk, err := svc.Open(ctx, tickets.NewTicket{Branch: branch, Channel: tickets.ChannelPhone, Text: "phản ánh"})
		if err != nil {
			t.Fatal(err)
		}
		counts[branch]++
		if i%5 == 0 { // every fifth ticket is taken up, so it leaves "new"
			if _, err := svc.Move(ctx, tk.Code, tickets.Change{Action: tickets.ActionAssign, Department: tk.Department}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, tt := range []struct {
		name string
		f    tickets.Filter
		want int
	}{
		{"All", tickets.Filter{}, 130},
		{"Department", tickets.Filter{Department: "so-noi-vu"}, counts[1] + counts[9]},
		{"Branch", tickets.Filter{Branch: 4}, counts[4]},
		{"New", tickets.Filter{Statuses: []tickets.Status{tickets.StatusNew}}, 104},
		{"OpenQueue", tickets.Filter{Department: "van-phong-ubnd-tinh", Statuses: tickets.OpenStatuses}, counts[4]},
		{"Assigned", tickets.Filter{Statuses: []tickets.Status{tickets.StatusAssigned}}, 26},
		{"Channel", tickets.Filter{Channel: tickets.ChannelTelegram}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			seen := map[tickets.Code]bool{}
			last := int64(1 << 62)
			f := tt.f
			f.Limit = 20
			for pages := 0; ; pages++ {
				p, err := svc.Store.Tickets(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, tk := range p.Tickets {
					if seen[tk.Code] || tk.ID >= last {
						t.Fatalf("page %d: %s repeated or out of order", pages, tk.Code)
					}
					seen[tk.Code], last = true, tk.ID
				}
				if p.Next == 0 {
					break
				}
				f.After = p.Next
			}
			if len(seen) != tt.want {
				t.Errorf("listed %d tickets, want %d", len(seen), tt.want)
			}
		})
	}
	t.Run("ErrBadStatus", func(t *testing.T) {
		_, err := svc.Store.Tickets(ctx, tickets.Filter{Statuses: []tickets.Status{"x' OR 1=1 --"}})
		if tickets.ErrorCode(err) != tickets.EINVALID {
			t.Fatalf("error = %v, want EINVALID", err)
		}
	})
}

// Creations from many goroutines share commits; every one must get its own
// code and history row, and a failing change must not take others down.
func TestConcurrentWrites(t *testing.T) {
	ctx := context.Background()
	svc, _ := ticketstest.Service(t)
	const writers, each = 8, 100
	codes := make(chan tickets.Code, writers*each)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				tk, err := svc.Open(ctx, tickets.NewTicket{Branch: 4, Channel: tickets.ChannelTelegram, Text: "x", Contact: "1"})
				if err != nil {
					t.Error(err)
					return
				}
				codes <- tk.Code
				// Odd writers try an illegal change, which must fail alone.
				if _, err := svc.Move(ctx, tk.Code, tickets.Change{Action: tickets.ActionStart}); w%2 == 1 && tickets.ErrorCode(err) != tickets.ECONFLICT {
					t.Errorf("illegal start: %v", err)
				}
			}
		}()
	}
	wg.Wait()
	close(codes)
	seen := map[tickets.Code]bool{}
	for c := range codes {
		if seen[c] {
			t.Fatalf("code %s handed out twice", c)
		}
		seen[c] = true
		if hs, err := svc.Store.History(ctx, c); err != nil || len(hs) != 1 {
			t.Fatalf("History(%s) = %d entries, %v", c, len(hs), err)
		}
	}
	if len(seen) != writers*each {
		t.Fatalf("%d codes, want %d", len(seen), writers*each)
	}
}

func TestCalls(t *testing.T) {
	ctx := context.Background()
	svc, clock := ticketstest.Service(t)
	db := svc.Store
	c := &tickets.Call{ChannelID: "1763797166.42", Caller: "0939015599", StartedAt: clock.T}
	if err := db.CreateCall(ctx, c); err != nil || c.ID == 0 || c.Outcome != tickets.OutcomeActive {
		t.Fatalf("CreateCall: %v (id %d, outcome %q)", err, c.ID, c.Outcome)
	}
	tk, err := svc.Open(ctx, tickets.NewTicket{Branch: 4, Channel: tickets.ChannelPhone, Recording: "r1", Contact: c.Caller})
	if err != nil {
		t.Fatal(err)
	}
	c.Branch, c.TicketCode, c.Outcome, c.EndedAt = 4, tk.Code, tickets.OutcomeTicket, clock.T.Add(time.Minute)
	if err := db.UpdateCall(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateCall(ctx, &tickets.Call{ChannelID: "2", StartedAt: clock.T, Outcome: tickets.OutcomeAbandonedMenu}); err != nil {
		t.Fatal(err)
	}
	got, err := db.CountCalls(ctx)
	if err != nil || got[tickets.OutcomeTicket] != 1 || got[tickets.OutcomeAbandonedMenu] != 1 {
		t.Fatalf("CountCalls = %v, %v", got, err)
	}
	t.Run("ErrUnknownCall", func(t *testing.T) {
		if err := db.UpdateCall(ctx, &tickets.Call{ID: 999, Outcome: tickets.OutcomeTicket}); tickets.ErrorCode(err) != tickets.ENOTFOUND {
			t.Fatalf("UpdateCall(999) = %v, want ENOTFOUND", err)
		}
	})
	t.Run("ErrUnknownTicket", func(t *testing.T) {
		bad := &tickets.Call{ChannelID: "3", StartedAt: clock.T, TicketCode: tickets.NewCode()}
		if err := db.CreateCall(ctx, bad); err == nil {
			t.Fatal("a call may not name a ticket that does not exist")
		}
	})
}

func TestCloseStaleCalls(t *testing.T) {
	ctx := context.Background()
	db := ticketstest.Open(t)
	start := time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC)
	stale := &tickets.Call{ChannelID: "old", StartedAt: start}
	done := &tickets.Call{ChannelID: "done", StartedAt: start, EndedAt: start.Add(time.Minute), Outcome: tickets.OutcomeTicket}
	fresh := &tickets.Call{ChannelID: "new", StartedAt: start.Add(time.Hour)}
	for _, c := range []*tickets.Call{stale, done, fresh} {
		if err := db.CreateCall(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	n, err := db.CloseStaleCalls(ctx, start.Add(time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("CloseStaleCalls = %d, %v; want 1", n, err)
	}
	got, err := db.CountCalls(ctx)
	if err != nil || got[tickets.OutcomeFault] != 1 || got[tickets.OutcomeTicket] != 1 || got[tickets.OutcomeActive] != 1 {
		t.Errorf("calls by outcome after the sweep = %v", got)
	}
}

func TestCountTickets(t *testing.T) {
	ctx := context.Background()
	svc, _ := ticketstest.Service(t)
	for _, b := range []int{1, 9, 4} {
		if _, err := svc.Open(ctx, tickets.NewTicket{Branch: b, Channel: tickets.ChannelWeb, Text: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := svc.Store.CountTickets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []tickets.Count{{Department: "so-noi-vu", Status: tickets.StatusNew, N: 2}, {Department: "van-phong-ubnd-tinh", Status: tickets.StatusNew, N: 1}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("CountTickets = %v, want %v", got, want)
	}
}

func TestClosedStoreRefusesWrites(t *testing.T) {
	db := ticketstest.Open(t)
	db.Close()
	err := db.CreateCall(context.Background(), &tickets.Call{ChannelID: "1", StartedAt: time.Now()})
	if err == nil {
		t.Fatal("a closed store accepted a write")
	}
}
