// SPDX-License-Identifier: Apache-2.0

package tickets_test

import (
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// The deadline is the whole deadline day: a ticket is overdue only from the
// next local midnight, not in the deadline's last second.
func TestOverdueWholeDeadlineDay(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	cal := tickets.NewCalendar(loc, nil, [7][]tickets.Span{})
	// Received Friday 04/09/2026 with one working day: due Monday 07/09.
	tk := &tickets.Ticket{Status: tickets.StatusInProgress,
		Deadline: cal.Deadline(time.Date(2026, 9, 4, 10, 0, 0, 0, loc), 1).UTC()}
	for _, tt := range []struct {
		name string
		at   time.Time
		want bool
	}{
		{"OnTimeLastSecond", time.Date(2026, 9, 7, 23, 59, 59, 500_000_000, loc), false},
		{"OnTimeLastMillisecond", time.Date(2026, 9, 7, 23, 59, 59, 999_000_000, loc), false},
		{"OverdueAtMidnight", time.Date(2026, 9, 8, 0, 0, 0, 0, loc), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tk.Overdue(tt.at); got != tt.want {
				t.Errorf("Overdue(%s) = %v, want %v", tt.at, got, tt.want)
			}
			if got, want := tickets.DueEnd(tk.Deadline), time.Date(2026, 9, 8, 0, 0, 0, 0, loc); !got.Equal(want) {
				t.Errorf("DueEnd = %s, want %s", got, want)
			}
		})
	}
}
