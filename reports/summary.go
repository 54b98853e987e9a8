// SPDX-License-Identifier: Apache-2.0

package reports

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// summary writes the report's paragraph in the style of the province's own:
// "Trong tháng 10/2026, tổng đài đã tiếp nhận 178 cuộc gọi đến. Trong đó
// nhiều nhất là gọi đến nhánh số 4 (…) với 35 cuộc; tiếp đến là …".
func summary(r *Report) string {
	lead := "Trong " + r.Period.Label()
	if !r.Period.IsMonth() {
		lead = upperFirst(r.Period.Label())
	}
	var b strings.Builder
	b.WriteString(callsSentence(lead, r.Calls))
	if s := chatsSentence(r.Channels); s != "" {
		b.WriteString(" " + s)
	}
	b.WriteString(" " + ticketsSentence(r))
	for _, s := range []string{satisfactionSentence(r.Satisfaction), callbackSentence(r.Callbacks)} {
		if s != "" {
			b.WriteString(" " + s)
		}
	}
	b.WriteString(" " + changeSentence(r))
	return b.String()
}

func callsSentence(lead string, c Calls) string {
	if c.Total == 0 {
		return lead + ", tổng đài chưa tiếp nhận cuộc gọi nào."
	}
	s := fmt.Sprintf("%s, tổng đài đã tiếp nhận %s cuộc gọi đến.", lead, num(c.Total))
	var top []BranchRow
	for _, br := range c.Branches {
		if br.N > 0 && len(top) < 3 {
			top = append(top, br)
		}
	}
	branch := func(br BranchRow) string {
		return fmt.Sprintf("nhánh số %d (%s, do %s làm đầu mối) với %s cuộc", br.Key, lowerFirst(br.Name), br.Department, num(br.N))
	}
	switch len(top) {
	case 0:
		return s + " Chưa cuộc gọi nào chọn nhánh phản ánh."
	case 1:
		return s + " Trong đó nhiều nhất là gọi đến " + branch(top[0]) + "."
	case 2:
		return s + " Trong đó nhiều nhất là gọi đến " + branch(top[0]) + "; tiếp đến là " + branch(top[1]) + "."
	}
	return s + " Trong đó nhiều nhất là gọi đến " + branch(top[0]) + "; tiếp đến là " + branch(top[1]) + " và " + branch(top[2]) + "."
}

// chatsSentence says how many citizens wrote to the chat bots and how many
// conversations they started; "" if none wrote.
func chatsSentence(chs []ChannelRow) string {
	var chats, convs int
	var parts []string
	for _, ch := range chs {
		chats += ch.Chats
		convs += ch.Conversations
		if ch.Chats > 0 {
			parts = append(parts, fmt.Sprintf("%s: %s người, %s cuộc", ch.Name, num(ch.Chats), num(ch.Conversations)))
		}
	}
	if chats == 0 {
		return ""
	}
	return fmt.Sprintf("Chatbot đã trò chuyện với %s người dân qua %s cuộc trò chuyện (%s).", num(chats), num(convs), strings.Join(parts, "; "))
}

func ticketsSentence(r *Report) string {
	t := totalsOfReport(r)
	var b strings.Builder
	if t.received == 0 {
		b.WriteString("Không có phiếu phản ánh, kiến nghị mới.")
	} else {
		var parts []string
		for _, ch := range r.Channels {
			if ch.Tickets > 0 {
				parts = append(parts, fmt.Sprintf("%s: %s", ch.Name, num(ch.Tickets)))
			}
		}
		fmt.Fprintf(&b, "Hệ thống đã tiếp nhận %s phiếu phản ánh, kiến nghị (%s).", num(t.received), strings.Join(parts, "; "))
	}
	if t.resolved == 0 {
		b.WriteString(" Chưa có phiếu nào được giải quyết trong kỳ")
	} else {
		fmt.Fprintf(&b, " Trong kỳ, các cơ quan đầu mối đã giải quyết %s phiếu (kể cả phiếu tiếp nhận trước kỳ), trong đó %s phiếu đúng hạn (%s)",
			num(t.resolved), num(t.onTime), percent(t.onTime, t.resolved))
	}
	if t.reopened > 0 {
		fmt.Fprintf(&b, "; có %s lượt mở lại phiếu đã giải quyết", num(t.reopened))
	}
	b.WriteString(openClause(r.Departments, t))
	return b.String()
}

// openClause says how many tickets were open at the end and, of those, how
// many were overdue and which department held the most of them: every number
// counts part of the set the number before it counts.
func openClause(ds []DepartmentRow, t reportTotals) string {
	switch {
	case t.open == 0:
		return "; không còn phiếu tồn đọng."
	case t.openOverdue == 0:
		return fmt.Sprintf("; còn %s phiếu đang xử lý, chưa phiếu nào quá hạn.", num(t.open))
	}
	s := fmt.Sprintf("; còn %s phiếu đang xử lý, trong đó %s phiếu quá hạn chưa giải quyết", num(t.open), num(t.openOverdue))
	if worst := mostOpenOverdue(ds); worst != nil && len(ds) > 1 {
		s += fmt.Sprintf("; nhiều nhất là %s: %s phiếu", worst.Name, num(worst.OpenOverdue))
	}
	return s + "."
}

type reportTotals struct{ received, resolved, onTime, reopened, open, openOverdue int }

func totalsOfReport(r *Report) reportTotals {
	var t reportTotals
	for _, d := range r.Departments {
		t.received += d.Received
		t.resolved += d.Resolved
		t.onTime += d.OnTime
		t.reopened += d.Reopened
		t.open += d.Open
		t.openOverdue += d.OpenOverdue
	}
	return t
}

// mostOpenOverdue returns the department with the most tickets open and
// overdue at the end, the first in menu order on a tie; nil if none is.
func mostOpenOverdue(ds []DepartmentRow) *DepartmentRow {
	var worst *DepartmentRow
	for i := range ds {
		if ds[i].OpenOverdue > 0 && (worst == nil || ds[i].OpenOverdue > worst.OpenOverdue) {
			worst = &ds[i]
		}
	}
	return worst
}

func changeSentence(r *Report) string {
	calls, received := r.Changes[0], r.Changes[1]
	return fmt.Sprintf("So với %s, số cuộc gọi %s và số phiếu tiếp nhận %s.", r.previousLabel(), trend(calls, "cuộc"), trend(received, "phiếu"))
}

// previousLabel names the previous period after "so với": "tháng 9/2026",
// "cùng kỳ 01–03/11" or "kỳ trước (từ ngày … đến ngày …)".
func (r *Report) previousLabel() string {
	if r.Previous.IsMonth() || r.Previous.sameSpan {
		return r.Previous.Label()
	}
	return "kỳ trước (" + r.Previous.Label() + ")"
}

// trend says how a figure moved: "tăng 12 cuộc (7,3%)", "giảm 3 phiếu
// (2,0%)" or "không đổi".
func trend(c Change, unit string) string {
	d := c.Current - c.Previous
	switch {
	case d == 0:
		return "không đổi"
	case c.Previous == 0:
		return fmt.Sprintf("tăng %s %s", num(d), unit)
	case d > 0:
		return fmt.Sprintf("tăng %s %s (%s)", num(d), unit, percent(d, c.Previous))
	}
	return fmt.Sprintf("giảm %s %s (%s)", num(-d), unit, percent(-d, c.Previous))
}

// num writes n with Vietnamese thousands separators: 55.123.
func num(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// percent writes part/whole with one decimal and a decimal comma: "19,7%";
// "—" if whole is 0.
func percent(part, whole int) string {
	if whole == 0 {
		return "—"
	}
	return strings.Replace(strconv.FormatFloat(float64(part)*100/float64(whole), 'f', 1, 64), ".", ",", 1) + "%"
}

// duration writes d for a reader: "3 ngày 4 giờ", "5 giờ 12 phút", "12 phút"
// or "dưới 1 phút".
func duration(d time.Duration) string {
	mins := int(d / time.Minute)
	days, hours, minutes := mins/(24*60), mins/60%24, mins%60
	switch {
	case days > 0:
		return fmt.Sprintf("%d ngày %d giờ", days, hours)
	case hours > 0:
		return fmt.Sprintf("%d giờ %d phút", hours, minutes)
	case minutes > 0:
		return fmt.Sprintf("%d phút", minutes)
	}
	return "dưới 1 phút"
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
