// SPDX-License-Identifier: Apache-2.0

package sqlite_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

// HistoryPage walks a history in pages, oldest first, each entry once, and
// entries appended during the walk come at its end.
func TestHistoryPage(t *testing.T) {
	ctx := context.Background()
	svc, _ := ticketstest.Service(t)
	tk, err := svc.Open(ctx, tickets.NewTicket{Branch: 1, Channel: tickets.ChannelOperator, Text: "Hồ sơ trễ hẹn", Actor: "lan"})
	if err != nil {
		t.Fatal(err)
	}
	answer := func(k int) {
		t.Helper()
		if _, err := svc.Move(ctx, tk.Code, tickets.Change{Action: tickets.ActionAnswer, Actor: "lan", Note: fmt.Sprint(k)}); err != nil {
			t.Fatal(err)
		}
	}
	for k := 1; k <= 24; k++ {
		answer(k)
	}
	db := svc.Store.(*sqlite.DB)
	var notes []string
	var after int64
	for page := 0; ; page++ {
		hs, next, err := db.HistoryPage(ctx, tk.Code, after, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(hs) > 10 {
			t.Fatalf("page of %d entries, want at most 10", len(hs))
		}
		for _, h := range hs {
			notes = append(notes, h.Note)
		}
		if page == 0 {
			answer(25) // appended while the pages are read
		}
		if after = next; next == 0 {
			break
		}
	}
	if len(notes) != 26 || notes[0] != "" || notes[1] != "1" || notes[25] != "25" {
		t.Errorf("history read in pages: %q", notes)
	}
	if hs, next, err := db.HistoryPage(ctx, tickets.Code("000000000"), 0, 10); err != nil || len(hs) != 0 || next != 0 {
		t.Errorf("unknown ticket: %v, %d, %v; want nothing", hs, next, err)
	}
	if _, _, err := db.HistoryPage(ctx, tk.Code, 0, 0); tickets.ErrorCode(err) != tickets.EINVALID {
		t.Errorf("limit 0: %v, want EINVALID", err)
	}
}
