// SPDX-License-Identifier: Apache-2.0

package tickets_test

import (
	"context"
	"testing"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

// A change limited to a department applies only to that department's
// tickets, and a refused one leaves the ticket as it was.
func TestMoveWithin(t *testing.T) {
	ctx := context.Background()
	svc, _ := ticketstest.Service(t)
	tk, err := svc.Open(ctx, tickets.NewTicket{Branch: 1, Channel: tickets.ChannelWeb, Text: "x", Actor: "t"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		within string
		want   string
	}{
		{"ErrOtherDepartment", "so-tu-phap", tickets.ENOTFOUND},
		{"OKOwnDepartment", "so-noi-vu", ""},
		{"OKUnlimited", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := svc.Move(ctx, tk.Code, tickets.Change{Action: tickets.ActionAnswer, Note: "Đã nhận", Actor: "t", Within: tt.within})
			if got := tickets.ErrorCode(err); got != tt.want {
				t.Errorf("Move: code %q, want %q (%v)", got, tt.want, err)
			}
		})
	}
	hs, err := svc.Store.History(ctx, tk.Code)
	if err != nil || len(hs) != 3 {
		t.Errorf("history has %d entries, want 3 (create and two answers): %v", len(hs), err)
	}
}
