// SPDX-License-Identifier: Apache-2.0

package reports_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/reports"
	"github.com/hotline-cchc/hotline/tickets"
)

// seedCalls are the seed article's figures: 178 calls in almost two months,
// 35 to branch 4, 18 to branch 9 and 11 to branch 1; the other branches and
// "no branch" share the rest.
var seedCalls = []struct{ branch, n int }{{4, 35}, {9, 18}, {1, 11}, {2, 10}, {3, 9}, {5, 8}, {6, 7}, {7, 6}, {8, 5}, {0, 69}}

// noBranchOutcomes are what calls that chose no branch did, in turn.
var noBranchOutcomes = []tickets.Outcome{tickets.OutcomeOperator, tickets.OutcomeStatusCheck,
	tickets.OutcomeAbandonedMenu, tickets.OutcomeAfterHours, tickets.OutcomeFailed}

// TestSeedReport reproduces the seed's report: 178 calls from 07/09/2026 to
// 31/10/2026, the first and last at the period's very edges, and one call
// just outside each edge that must not count.
func TestSeedReport(t *testing.T) {
	f := newFixture(t)
	first := f.at(t, "2026-09-07 00:00:00.000")
	var hours [24]int
	var weekdays [7]int
	outcomes := map[tickets.Outcome]int{}
	var callers []string
	i := 0
	for _, bc := range seedCalls {
		for range bc.n {
			start := first.AddDate(0, 0, i%55).Add(time.Duration(6+i*7%14)*time.Hour + time.Duration(i*13%60)*time.Minute)
			switch i {
			case 0:
				start = first
			case 177:
				start = f.at(t, "2026-10-31 23:59:59.999")
			}
			o := tickets.OutcomeTicket
			switch {
			case bc.branch == 0:
				o = noBranchOutcomes[i%len(noBranchOutcomes)]
			case i%3 == 0:
				o = tickets.OutcomeAbandonedRec
			}
			caller := fmt.Sprintf("0939%06d", 15599+i)
			callers = append(callers, caller)
			f.call(t, start.Format("2006-01-02 15:04:05.000"), bc.branch, o, caller)
			hours[start.Hour()]++
			weekdays[(int(start.Weekday())+6)%7]++
			outcomes[o]++
			i++
		}
	}
	f.call(t, "2026-09-06 23:59:59.999", 4, tickets.OutcomeTicket, "0912345678")
	f.call(t, "2026-11-01 00:00:00.000", 4, tickets.OutcomeTicket, "0912345679")

	p, err := reports.Days(tickets.Date{Year: 2026, Month: 9, Day: 7}, tickets.Date{Year: 2026, Month: 10, Day: 31}, f.loc)
	if err != nil {
		t.Fatal(err)
	}
	r := f.build(t, p, f.at(t, "2026-11-22 08:00:00.000"))
	out := rendered(t, r)

	wantSummary := "Từ ngày 07/09/2026 đến ngày 31/10/2026, tổng đài đã tiếp nhận 178 cuộc gọi đến. " +
		"Trong đó nhiều nhất là gọi đến nhánh số 4 (cải cách thủ tục hành chính, do Văn phòng UBND tỉnh làm đầu mối) với 35 cuộc; " +
		"tiếp đến là nhánh số 9 (tinh thần, thái độ của công chức, viên chức, do Sở Nội vụ làm đầu mối) với 18 cuộc " +
		"và nhánh số 1 (công tác chỉ đạo, điều hành CCHC, do Sở Nội vụ làm đầu mối) với 11 cuộc."
	if !strings.HasPrefix(r.Summary, wantSummary) {
		t.Errorf("summary:\n%s\nwant it to start with:\n%s", r.Summary, wantSummary)
	}
	wantRest := " Không có phiếu phản ánh, kiến nghị mới. Chưa có phiếu nào được giải quyết trong kỳ; không còn phiếu tồn đọng. " +
		"So với kỳ trước (từ ngày 14/07/2026 đến ngày 06/09/2026), số cuộc gọi tăng 177 cuộc (17700,0%) và số phiếu tiếp nhận không đổi."
	if got := strings.TrimPrefix(r.Summary, wantSummary); got != wantRest {
		t.Errorf("summary ends:\n%s\nwant:\n%s", got, wantRest)
	}
	for f, data := range out {
		text := string(data)
		if f == reports.FormatXLSX {
			text = xlsxText(t, data)
		}
		if f == reports.FormatText {
			text = strings.ReplaceAll(text, "\n", " ")
		}
		if f == reports.FormatCSV {
			text = strings.ReplaceAll(text, `""`, `"`)
		}
		if !strings.Contains(text, wantSummary) {
			t.Errorf("%s report lacks the summary", f)
		}
	}

	checkTable(t, r, out, "Cuộc gọi theo nhánh", [][]string{
		{"Hạng", "Nhánh", "Tên nhánh", "Cơ quan đầu mối", "Số cuộc gọi", "Tỷ lệ"},
		{"1", "4", "Cải cách thủ tục hành chính", "Văn phòng UBND tỉnh", "35", "19,7%"},
		{"2", "9", "Tinh thần, thái độ của công chức, viên chức", "Sở Nội vụ", "18", "10,1%"},
		{"3", "1", "Công tác chỉ đạo, điều hành CCHC", "Sở Nội vụ", "11", "6,2%"},
		{"4", "2", "Cải cách thể chế", "Sở Tư pháp", "10", "5,6%"},
		{"5", "3", "Cải cách tổ chức bộ máy hành chính", "Sở Nội vụ", "9", "5,1%"},
		{"6", "5", "Xây dựng đội ngũ cán bộ, công chức, viên chức", "Sở Nội vụ", "8", "4,5%"},
		{"7", "6", "Cải cách tài chính công", "Sở Tài chính", "7", "3,9%"},
		{"8", "7", "Chính quyền điện tử, dịch vụ công trực tuyến", "Sở Thông tin và Truyền thông", "6", "3,4%"},
		{"9", "8", "Trung tâm Phục vụ hành chính công (một cửa)", "Văn phòng UBND tỉnh", "5", "2,8%"},
		{"", "", "Không chọn nhánh", "—", "69", "38,8%"},
		{"", "", "Tổng cộng", "", "178", "100,0%"},
	})
	// Outcomes, hours and weekdays as the generator counted them in Go.
	wantOutcomes := [][]string{{"Kết quả", "Số cuộc gọi", "Tỷ lệ"}}
	for _, o := range r.Calls.Outcomes {
		wantOutcomes = append(wantOutcomes, []string{o.Name, itoa(outcomes[o.Outcome]), pct(outcomes[o.Outcome], 178)})
	}
	if got, want := len(r.Calls.Outcomes), 7; got != want {
		t.Errorf("%d outcomes listed, want %d (no active call)", got, want)
	}
	checkTable(t, r, out, "Cuộc gọi theo kết quả", wantOutcomes)
	wantHours := [][]string{{"Giờ", "Số cuộc gọi", "Tỷ lệ"}}
	for h, n := range hours {
		wantHours = append(wantHours, []string{fmt.Sprintf("%02d:00–%02d:59", h, h), itoa(n), pct(n, 178)})
	}
	checkTable(t, r, out, "Cuộc gọi theo giờ", wantHours)
	wantDays := [][]string{{"Thứ", "Số cuộc gọi", "Tỷ lệ"}}
	for d, n := range weekdays {
		wantDays = append(wantDays, []string{[]string{"Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"}[d], itoa(n), pct(n, 178)})
	}
	checkTable(t, r, out, "Cuộc gọi theo thứ", wantDays)
	if got, want := len(r.Days), 55; got != want {
		t.Errorf("%d days, want %d", got, want)
	}
	checkNoContacts(t, out, callers...)
	for f, data := range out {
		name := "seed" + f.Ext()
		if f == reports.FormatXLSX {
			data, name = []byte(xlsxText(t, data)), "seed.xlsx.txt"
		}
		golden(t, name, data)
	}
}

// pct is percent as the reports write it, computed independently.
func pct(part, whole int) string {
	return strings.Replace(fmt.Sprintf("%.1f%%", float64(part)*100/float64(whole)), ".", ",", 1)
}

// Names from the configuration are text, never markup, in the HTML report.
func TestHTMLEscapesNames(t *testing.T) {
	f := newFixture(t)
	m, err := tickets.NewMenu([]tickets.Branch{{Key: 1, Name: `Nhánh <script>alert("x")</script>`, Department: "d"}},
		[]tickets.Department{{ID: "d", Name: "Sở <Nội> vụ & Tư pháp"}})
	if err != nil {
		t.Fatal(err)
	}
	f.svc.Menu = m
	f.ticket(t, "2026-10-05 09:00:00.000", 1, tickets.ChannelWeb, "", "")
	f.call(t, "2026-10-05 09:00:00.000", 1, tickets.OutcomeTicket, "")
	page := string(rendered(t, f.build(t, reports.Month(2026, time.October, f.loc), f.at(t, "2026-11-02 00:00:00.000")))[reports.FormatHTML])
	for _, bad := range []string{"<script>", "<Nội>"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page contains %q unescaped", bad)
		}
	}
	if !strings.Contains(page, "Sở &lt;Nội&gt; vụ &amp; Tư pháp") {
		t.Error("the page lacks the escaped department name")
	}
}
