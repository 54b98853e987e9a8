// SPDX-License-Identifier: Apache-2.0

package reports_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/reports"
	"github.com/hotline-cchc/hotline/tickets"
)

// septemberTickets opens tickets around September 2026 whose figures are
// worked out by hand below: the National Day break (29/08–02/09) pushes
// deadlines, tickets sit on both sides of local midnight at the months'
// edges, one is resolved only after the period, and Sở Tư pháp, Sở Tài
// chính and Sở Thông tin và Truyền thông have none.
func septemberTickets(t *testing.T, f *fixture) map[string]*tickets.Ticket {
	t.Helper()
	return map[string]*tickets.Ticket{
		// Branch 4 has 5 working days. Due Fri 04/09 thanks to the break
		// (Tue 01/09 without it): resolved on time.
		"T1": f.ticket(t, "2026-08-25 10:00:00.000", 4, tickets.ChannelPhone, "0901000001", "2026-09-03 10:00:00.000"),
		// Received on a holiday at midnight: due Wed 09/09, resolved late.
		"T2": f.ticket(t, "2026-09-01 00:00:00.000", 4, tickets.ChannelTelegram, "0901000002", "2026-09-10 09:00:00.000"),
		// The last millisecond of September, and the first of October.
		"T3": f.ticket(t, "2026-09-30 23:59:59.999", 4, tickets.ChannelWeb, "0901000003", ""),
		"T4": f.ticket(t, "2026-10-01 00:00:00.000", 4, tickets.ChannelPhone, "0901000004", ""),
		// The last millisecond of August; 10 working days from 03/09: due 16/09, never resolved.
		"T5": f.ticket(t, "2026-08-31 23:59:59.999", 1, tickets.ChannelOperator, "0901000005", ""),
		"T6": f.ticket(t, "2026-09-07 08:00:00.000", 9, tickets.ChannelZalo, "0901000006", "2026-09-08 08:00:00.000"),
		// Due Mon 28/09, resolved in October: open and overdue at the end of September.
		"T7": f.ticket(t, "2026-09-14 09:00:00.000", 9, tickets.ChannelPhone, "0901000007", "2026-10-02 09:00:00.000"),
		"T8": f.ticket(t, "2026-09-15 10:00:00.000", 1, tickets.ChannelTelegram, "0901000008", "2026-09-15 13:30:00.000"),
	}
}

var departmentHeader = []string{"Cơ quan đầu mối", "Tiếp nhận", "Đã giải quyết", "Đúng hạn", "Trễ hạn",
	"Tỷ lệ đúng hạn", "Mở lại", "Còn tồn cuối kỳ", "Tồn quá hạn", "Tổng quá hạn",
	"Thời gian giải quyết (trung vị)", "Thời gian giải quyết (90%)"}

var overdueHeader = []string{"Mã phiếu", "Nhánh", "Cơ quan đầu mối", "Kênh", "Ngày tiếp nhận", "Hạn giải quyết",
	"Ngày giải quyết", "Số ngày quá hạn", "Trạng thái cuối kỳ"}

func TestTicketsReport(t *testing.T) {
	f := newFixture(t)
	tk := septemberTickets(t, f)
	deadlines := map[string]string{"T1": "04/09/2026", "T2": "09/09/2026", "T5": "16/09/2026", "T7": "28/09/2026"}
	for name, want := range deadlines {
		if got := tk[name].Deadline.In(f.loc).Format("02/01/2006 15:04:05"); got != want+" 23:59:59" {
			t.Fatalf("%s deadline = %s, want %s 23:59:59", name, got, want)
		}
	}
	var contacts []string
	for _, x := range tk {
		contacts = append(contacts, x.Contact)
	}
	now := f.at(t, "2026-11-22 08:00:00.000")
	// In September two citizens write to the Telegram bot (one of them on
	// two days, starting two conversations) and one to Zalo with the same
	// chat id; August has one Telegram chat and October another.
	chats := []string{"5551230001", "5551230002", "5551230003", "5551230004"}
	f.chat(t, tickets.ChannelTelegram, chats[0], "2026-09-01", true)
	f.chat(t, tickets.ChannelTelegram, chats[0], "2026-09-01", false)
	f.chat(t, tickets.ChannelTelegram, chats[0], "2026-09-15", true)
	f.chat(t, tickets.ChannelTelegram, chats[1], "2026-09-30", true)
	f.chat(t, tickets.ChannelZalo, chats[0], "2026-09-10", true)
	f.chat(t, tickets.ChannelTelegram, chats[2], "2026-08-31", true)
	f.chat(t, tickets.ChannelTelegram, chats[3], "2026-10-01", true)
	contacts = append(contacts, chats...)

	t.Run("September", func(t *testing.T) {
		r := f.build(t, reports.Month(2026, time.September, f.loc), now)
		out := rendered(t, r)
		checkTable(t, r, out, "Phiếu theo cơ quan", [][]string{
			departmentHeader,
			{"Sở Nội vụ", "3", "2", "2", "0", "100,0%", "0", "2", "2", "2", "3 giờ 30 phút", "1 ngày 0 giờ"},
			{"Sở Tư pháp", "0", "0", "0", "0", "—", "0", "0", "0", "0", "—", "—"},
			{"Văn phòng UBND tỉnh", "2", "2", "1", "1", "50,0%", "0", "1", "0", "1", "9 ngày 0 giờ", "9 ngày 9 giờ"},
			{"Sở Tài chính", "0", "0", "0", "0", "—", "0", "0", "0", "0", "—", "—"},
			{"Sở Thông tin và Truyền thông", "0", "0", "0", "0", "—", "0", "0", "0", "0", "—", "—"},
		})
		checkTable(t, r, out, "Phiếu theo kênh", [][]string{
			{"Kênh", "Số phiếu", "Tỷ lệ", "Người dân nhắn tin", "Cuộc trò chuyện"},
			{"Điện thoại", "1", "20,0%", "—", "—"},
			{"Telegram", "2", "40,0%", "2", "3"},
			{"Zalo", "1", "20,0%", "1", "1"},
			{"Trang web", "1", "20,0%", "—", "—"},
			{"Tổng đài viên nhập", "0", "0,0%", "—", "—"},
			{"Tổng cộng", "5", "100,0%", "3", "4"},
		})
		checkTable(t, r, out, "Phiếu quá hạn", [][]string{
			overdueHeader,
			{string(tk["T5"].Code), "1", "Sở Nội vụ", "Tổng đài viên nhập", "31/08/2026", "16/09/2026", "chưa giải quyết", "14", "Mới tiếp nhận"},
			{string(tk["T7"].Code), "9", "Sở Nội vụ", "Điện thoại", "14/09/2026", "28/09/2026", "chưa giải quyết", "2", "Đang xử lý"},
			{string(tk["T2"].Code), "4", "Văn phòng UBND tỉnh", "Telegram", "01/09/2026", "09/09/2026", "10/09/2026", "1", "Đã giải quyết"},
		})
		checkTable(t, r, out, "Tổng quan", [][]string{
			{"Chỉ tiêu", "Kỳ này", "Kỳ trước", "Thay đổi", "Tỷ lệ thay đổi"},
			{"Cuộc gọi đến", "0", "0", "0", "—"},
			{"Phiếu tiếp nhận", "5", "2", "+3", "+150,0%"},
			{"Phiếu đã giải quyết", "4", "0", "+4", "—"},
			{"Giải quyết đúng hạn", "3", "0", "+3", "—"},
			{"Phiếu mở lại", "0", "0", "0", "—"},
			{"Phiếu quá hạn", "3", "0", "+3", "—"},
			{"Phiếu còn tồn cuối kỳ", "3", "2", "+1", "+50,0%"},
			{"Người dân nhắn tin qua chatbot", "3", "1", "+2", "+200,0%"},
			{"Cuộc trò chuyện qua chatbot", "4", "1", "+3", "+300,0%"},
		})
		want := "Trong tháng 9/2026, tổng đài chưa tiếp nhận cuộc gọi nào. " +
			"Chatbot đã trò chuyện với 3 người dân qua 4 cuộc trò chuyện (Telegram: 2 người, 3 cuộc; Zalo: 1 người, 1 cuộc). " +
			"Hệ thống đã tiếp nhận 5 phiếu phản ánh, kiến nghị (Điện thoại: 1; Telegram: 2; Zalo: 1; Trang web: 1). " +
			"Trong kỳ, các cơ quan đầu mối đã giải quyết 4 phiếu (kể cả phiếu tiếp nhận trước kỳ), trong đó 3 phiếu đúng hạn (75,0%); còn 3 phiếu đang xử lý, trong đó 2 phiếu quá hạn chưa giải quyết; nhiều nhất là Sở Nội vụ: 2 phiếu. " +
			"Chưa có người dân nào đánh giá mức độ hài lòng trong kỳ. " +
			"So với tháng 8/2026, số cuộc gọi không đổi và số phiếu tiếp nhận tăng 3 phiếu (150,0%)."
		if r.Summary != want {
			t.Errorf("summary:\n%s\nwant:\n%s", r.Summary, want)
		}
		checkNoContacts(t, out, contacts...)
		for f, data := range out {
			name := "september" + f.Ext()
			if f == reports.FormatXLSX {
				data, name = []byte(xlsxText(t, data)), "september.xlsx.txt"
			}
			// Codes are random: the golden files name the tickets instead.
			for tn, x := range tk {
				data = []byte(strings.ReplaceAll(string(data), string(x.Code), "<"+tn+">"))
			}
			golden(t, name, data)
		}
	})

	t.Run("October", func(t *testing.T) {
		r := f.build(t, reports.Month(2026, time.October, f.loc), now)
		out := rendered(t, r)
		checkTable(t, r, out, "Phiếu theo cơ quan", [][]string{
			departmentHeader,
			{"Sở Nội vụ", "0", "1", "0", "1", "0,0%", "0", "1", "1", "2", "18 ngày 0 giờ", "18 ngày 0 giờ"},
			{"Sở Tư pháp", "0", "0", "0", "0", "—", "0", "0", "0", "0", "—", "—"},
			{"Văn phòng UBND tỉnh", "1", "0", "0", "0", "—", "0", "2", "2", "2", "—", "—"},
			{"Sở Tài chính", "0", "0", "0", "0", "—", "0", "0", "0", "0", "—", "—"},
			{"Sở Thông tin và Truyền thông", "0", "0", "0", "0", "—", "0", "0", "0", "0", "—", "—"},
		})
		// T7 was resolved in October, 4 days after its deadline.
		checkTable(t, r, out, "Phiếu quá hạn", [][]string{
			overdueHeader,
			{string(tk["T5"].Code), "1", "Sở Nội vụ", "Tổng đài viên nhập", "31/08/2026", "16/09/2026", "chưa giải quyết", "45", "Mới tiếp nhận"},
			{string(tk["T7"].Code), "9", "Sở Nội vụ", "Điện thoại", "14/09/2026", "28/09/2026", "02/10/2026", "4", "Đã giải quyết"},
			{string(tk["T3"].Code), "4", "Văn phòng UBND tỉnh", "Trang web", "30/09/2026", "07/10/2026", "chưa giải quyết", "24", "Mới tiếp nhận"},
			{string(tk["T4"].Code), "4", "Văn phòng UBND tỉnh", "Điện thoại", "01/10/2026", "08/10/2026", "chưa giải quyết", "23", "Mới tiếp nhận"},
		})
	})

	t.Run("CurrentMonthAsOfNow", func(t *testing.T) {
		// On 05/10 at noon, T3 (due 07/10) and T4 (due 08/10) are not overdue yet.
		r := f.build(t, reports.Month(2026, time.October, f.loc), f.at(t, "2026-10-05 12:00:00.000"))
		if !strings.Contains(r.Heading()[1], "12:00 ngày 05/10/2026") {
			t.Errorf("heading %q does not say the figures stop at 12:00 on 05/10/2026", r.Heading()[1])
		}
		var vp reports.DepartmentRow
		for _, d := range r.Departments {
			if d.ID == "van-phong-ubnd-tinh" {
				vp = d
			}
		}
		if vp.Open != 2 || vp.OpenOverdue != 0 || vp.Received != 1 {
			t.Errorf("Văn phòng UBND tỉnh on 05/10 = %+v, want 1 received, 2 open, none overdue", vp)
		}
		// Compared with 01/09 to 05/09 12:00 (T2 received), not all of
		// September (5 received).
		if want := "So với cùng kỳ 01–05/09, số cuộc gọi không đổi và số phiếu tiếp nhận không đổi."; !strings.HasSuffix(r.Summary, want) {
			t.Errorf("summary %q does not end with %q", r.Summary, want)
		}
		if got := r.Tables()[0].Title; got != "Tổng quan và so sánh với cùng kỳ 01–05/09" {
			t.Errorf("overview title %q", got)
		}
	})
}
