// SPDX-License-Identifier: Apache-2.0

package reports

import (
	"fmt"

	"github.com/hotline-cchc/hotline/tickets"
)

// CallbackRow is the call-back attempts of the period that ended one way.
type CallbackRow struct {
	Outcome tickets.CallbackOutcome
	Name    string
	N       int
}

// callbackOrder lists the outcomes as the table shows them.
var callbackOrder = []tickets.CallbackOutcome{tickets.CallbackAnswered, tickets.CallbackNoAnswer, tickets.CallbackBusy,
	tickets.CallbackRejected, tickets.CallbackFailed, tickets.CallbackInterrupted}

func callbacks(s *tickets.PeriodStats) []CallbackRow {
	by := map[tickets.CallbackOutcome]int{}
	for _, c := range s.Callbacks {
		by[c.Outcome] += c.N
	}
	var rows []CallbackRow
	for _, o := range callbackOrder {
		rows = append(rows, CallbackRow{Outcome: o, Name: o.Vietnamese(), N: by[o]})
		delete(by, o)
	}
	for o, n := range by { // "calling": attempts still under way at the end
		rows = append(rows, CallbackRow{Outcome: o, Name: o.Vietnamese(), N: n})
	}
	return rows
}

func callbackTotal(rows []CallbackRow) (total, answered int) {
	for _, r := range rows {
		total += r.N
		if r.Outcome == tickets.CallbackAnswered {
			answered += r.N
		}
	}
	return total, answered
}

// callbackSentence says how many call-backs were placed and answered; ""
// if none was.
func callbackSentence(rows []CallbackRow) string {
	total, answered := callbackTotal(rows)
	if total == 0 {
		return ""
	}
	return fmt.Sprintf("Hệ thống đã gọi lại công dân %s lần để trả lời phản ánh qua điện thoại, trong đó %s lần công dân nghe máy (%s).",
		num(total), num(answered), percent(answered, total))
}

func (r *Report) callbackTable() Table {
	t := Table{Name: "Gọi lại công dân", Title: "Gọi lại công dân để trả lời, theo kết quả",
		Header: []string{"Kết quả", "Số lần gọi", "Tỷ lệ"}, Numeric: numeric(false, true, true)}
	total, _ := callbackTotal(r.Callbacks)
	for _, c := range r.Callbacks {
		t.Rows = append(t.Rows, []string{c.Name, itoa(c.N), percent(c.N, total)})
	}
	t.Rows = append(t.Rows, []string{"Tổng cộng", itoa(total), percent(total, total)})
	return t
}
