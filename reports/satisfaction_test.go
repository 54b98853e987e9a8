// SPDX-License-Identifier: Apache-2.0

package reports_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/reports"
	"github.com/hotline-cchc/hotline/tickets"
)

// rate stores a rating of t at the local time at.
func (f *fixture) rate(tb testing.TB, t *tickets.Ticket, r tickets.Rating, at string) {
	tb.Helper()
	sv := &tickets.Survey{Rating: r, Channel: t.Channel, At: f.at(tb, at)}
	if err := f.db.RateTicket(context.Background(), t.Code, sv, func(*tickets.Ticket) error { return nil }); err != nil {
		tb.Fatal(err)
	}
}

// September's tickets rated 5 (Văn phòng UBND tỉnh, branch 4), 2 and 4
// (Sở Nội vụ, branches 9 and 1) in September, and 3 in October: 2 of 3
// satisfied, short of the 80 % target; 3 ratings for 4 resolutions.
func TestSatisfactionReport(t *testing.T) {
	f := newFixture(t)
	tk := septemberTickets(t, f)
	f.rate(t, tk["T1"], 5, "2026-09-05 10:00:00.000")
	f.rate(t, tk["T6"], 2, "2026-09-09 10:00:00.000")
	f.rate(t, tk["T8"], 4, "2026-09-30 23:59:59.999")
	f.rate(t, tk["T2"], 3, "2026-10-01 00:00:00.000")
	r := f.build(t, reports.Month(2026, time.September, f.loc), f.at(t, "2026-11-22 08:00:00.000"))
	out := rendered(t, r)
	levels := []string{"Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng", "Rất không hài lòng", "Tỷ lệ hài lòng"}
	checkTable(t, r, out, "Hài lòng theo cơ quan", [][]string{
		append(append([]string{"Cơ quan đầu mối", "Lượt đánh giá"}, levels...), "Tỷ lệ phản hồi"),
		{"Sở Nội vụ", "2", "0", "1", "0", "1", "0", "50,0%", "100,0%"},
		{"Sở Tư pháp", "0", "0", "0", "0", "0", "0", "—", "—"},
		{"Văn phòng UBND tỉnh", "1", "1", "0", "0", "0", "0", "100,0%", "50,0%"},
		{"Sở Tài chính", "0", "0", "0", "0", "0", "0", "—", "—"},
		{"Sở Thông tin và Truyền thông", "0", "0", "0", "0", "0", "0", "—", "—"},
		{"Tổng cộng", "3", "1", "1", "0", "1", "0", "66,7%", "75,0%"},
	})
	branches := tablesIn(t, out, r.Tables()[8])
	for f, rows := range branches {
		if want := []string{"9. Tinh thần, thái độ của công chức, viên chức", "1", "0", "0", "0", "1", "0", "0,0%", "100,0%"}; !containsRow(rows, want) {
			t.Errorf("%s: the branch table lacks %v: %v", f, want, rows)
		}
	}
	want := "Có 3 lượt người dân đánh giá kết quả giải quyết (tỷ lệ phản hồi 75,0% số phiếu đã giải quyết); " +
		"tỷ lệ hài lòng (hài lòng và rất hài lòng) là 66,7%, chưa đạt mục tiêu 80%; 1 lượt không hài lòng được chuyển lãnh đạo cơ quan xem xét."
	if !strings.Contains(r.Summary, want) {
		t.Errorf("summary:\n%s\nwant it to contain:\n%s", r.Summary, want)
	}
	if html := string(out[reports.FormatHTML]); !strings.Contains(html, `class="r2"><title>Sở Nội vụ – Không hài lòng: 1</title>`) {
		t.Errorf("the HTML chart lacks Sở Nội vụ's unsatisfied rating")
	}

	b := &reports.Builder{Source: f.db, Menu: f.svc.Menu, Now: func() time.Time { return f.at(t, "2026-11-22 08:00:00.000") }, Target: 0.6}
	r, err := b.Build(context.Background(), reports.Month(2026, time.September, f.loc))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Summary, "là 66,7%, đạt mục tiêu 60%") {
		t.Errorf("with a 60 %% target the summary is:\n%s", r.Summary)
	}
}

func containsRow(rows [][]string, want []string) bool {
	for _, r := range rows {
		if strings.Join(r, "|") == strings.Join(want, "|") {
			return true
		}
	}
	return false
}
