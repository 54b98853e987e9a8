// SPDX-License-Identifier: Apache-2.0

package tickets_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

// A past ticket keeps its dates: its deadline counts from its receipt, its
// history is at its own dates, and a closed one is resolved then closed.
func TestPrepareImport(t *testing.T) {
	svc, clock := ticketstest.Service(t)
	loc := ticketstest.Location(t)
	received := time.Date(2026, 3, 2, 10, 0, 0, 0, loc)
	resolved := received.AddDate(0, 0, 3)
	it, err := svc.PrepareImport(tickets.PastTicket{Branch: 4, Channel: tickets.ChannelPhone, Text: "Hồ sơ trễ hẹn",
		Status: tickets.StatusClosed, ReceivedAt: received, ResolvedAt: resolved}, "cli:tester", "Nhập từ sổ")
	if err != nil {
		t.Fatal(err)
	}
	tk := it.Ticket
	b, _ := svc.Menu.Branch(4)
	if !tk.CreatedAt.Equal(received) || !tk.ResolvedAt.Equal(resolved) || !tk.UpdatedAt.Equal(resolved) ||
		!tk.Deadline.Equal(svc.Calendar.Deadline(received, b.DeadlineDays).UTC()) || tk.Status != tickets.StatusClosed ||
		!strings.HasPrefix(tk.Source, "import:") {
		t.Errorf("ticket = %+v", tk)
	}
	var steps []string
	for _, h := range it.History {
		steps = append(steps, string(h.FromStatus)+">"+string(h.ToStatus)+"@"+h.At.In(loc).Format("02/01"))
	}
	if got, want := strings.Join(steps, " "), ">in_progress@02/03 in_progress>resolved@05/03 resolved>closed@05/03"; got != want {
		t.Errorf("history = %s, want %s", got, want)
	}
	if err := svc.Store.CreateTicket(context.Background(), tk, it.History[0]); err != nil {
		t.Fatal(err)
	}
	open, err := svc.PrepareImport(tickets.PastTicket{Branch: 9, Channel: tickets.ChannelWeb, Text: "Thái độ", ReceivedAt: received}, "", "")
	if err != nil || open.Ticket.Status != tickets.StatusNew || !open.Ticket.Overdue(clock.Now()) || len(open.History) != 1 {
		t.Errorf("open past ticket = %+v, %v; want new and overdue at once", open, err)
	}
	for _, tc := range []struct {
		name string
		p    tickets.PastTicket
		want string
	}{
		{"ErrNoReceipt", tickets.PastTicket{Branch: 4, Channel: tickets.ChannelWeb, Text: "x"}, "date received is missing"},
		{"ErrFuture", tickets.PastTicket{Branch: 4, Channel: tickets.ChannelWeb, Text: "x", ReceivedAt: clock.Now().Add(time.Hour)}, "in the future"},
		{"ErrResolvedFirst", tickets.PastTicket{Branch: 4, Channel: tickets.ChannelWeb, Text: "x", ReceivedAt: received, ResolvedAt: received.Add(-time.Hour)}, "before the date received"},
		{"ErrDepartment", tickets.PastTicket{Branch: 4, Department: "so-x", Channel: tickets.ChannelWeb, Text: "x", ReceivedAt: received}, "so-x"},
		{"ErrNoText", tickets.PastTicket{Branch: 4, Channel: tickets.ChannelWeb, ReceivedAt: received}, "needs a text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := svc.PrepareImport(tc.p, "", ""); tickets.ErrorCode(err) != tickets.EINVALID || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want EINVALID with %q", err, tc.want)
			}
		})
	}
}
