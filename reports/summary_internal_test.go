// SPDX-License-Identifier: Apache-2.0

package reports

import (
	"strings"
	"testing"
)

// The open-tickets clause must read naturally whatever the figures.
func TestTicketsSentenceOpenClause(t *testing.T) {
	for _, tt := range []struct {
		name string
		rows []DepartmentRow
		want string
	}{
		{"NoneOpen", []DepartmentRow{{Received: 2, Resolved: 2, OnTime: 2}}, "không còn phiếu tồn đọng."},
		{"OpenNoneOverdue", []DepartmentRow{{Received: 6, Open: 6}}, "còn 6 phiếu đang xử lý, chưa phiếu nào quá hạn."},
		{"OpenSomeOverdue", []DepartmentRow{{Received: 3, Open: 3, OpenOverdue: 2}}, "còn 3 phiếu đang xử lý, trong đó 2 phiếu quá hạn chưa giải quyết."},
		// The department named counts part of the 25 open overdue tickets,
		// not its late resolutions too.
		{"MostOpenOverdue", []DepartmentRow{
			{Name: "Sở Nội vụ", Resolved: 9, OnTime: 2, Late: 7, Open: 20, OpenOverdue: 12, Overdue: 19},
			{Name: "Sở Tư pháp", Open: 39, OpenOverdue: 13, Overdue: 13},
		}, "còn 59 phiếu đang xử lý, trong đó 25 phiếu quá hạn chưa giải quyết; nhiều nhất là Sở Tư pháp: 13 phiếu."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := ticketsSentence(&Report{Departments: tt.rows})
			if !strings.HasSuffix(got, tt.want) {
				t.Errorf("ticketsSentence = %q, want it to end with %q", got, tt.want)
			}
			if strings.Contains(got, " 0 phiếu") {
				t.Errorf("ticketsSentence = %q: says 0 instead of words", got)
			}
		})
	}
}
