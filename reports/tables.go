// SPDX-License-Identifier: Apache-2.0

package reports

import (
	"fmt"
	"strconv"
	"time"
)

// Table is one table of a report as every format shows it: a sheet in XLSX,
// a section in CSV, a table in text and HTML. Cells are text; a cell that is
// a whole number is written as a number where the format has numbers.
type Table struct {
	Name   string // short, for a sheet: at most 31 characters
	Title  string
	Header []string
	Rows   [][]string
	// Numeric marks the columns aligned right in text.
	Numeric []bool
}

// Tables returns the report's tables in the order every format shows them.
func (r *Report) Tables() []Table {
	ts := []Table{
		r.changeTable(), r.branchTable(), r.outcomeTable(), r.hourTable(), r.weekdayTable(),
		r.channelTable(), r.departmentTable(),
	}
	ts = append(ts, r.satisfactionTables()...)
	ts = append(ts, r.callbackTable())
	return append(ts, r.overdueTable(), r.dayTable())
}

func itoa(n int) string { return strconv.Itoa(n) }

func numeric(cols ...bool) []bool { return cols }

func (r *Report) changeTable() Table {
	t := Table{Name: "Tổng quan", Title: "Tổng quan và so sánh với " + r.previousLabel(),
		Header:  []string{"Chỉ tiêu", "Kỳ này", "Kỳ trước", "Thay đổi", "Tỷ lệ thay đổi"},
		Numeric: numeric(false, true, true, true, true)}
	for _, c := range r.Changes {
		d := c.Current - c.Previous
		sign := ""
		if d > 0 {
			sign = "+"
		}
		rate := "—"
		if c.Previous > 0 {
			rate = sign + percent(d, c.Previous)
		}
		t.Rows = append(t.Rows, []string{c.Name, itoa(c.Current), itoa(c.Previous), sign + itoa(d), rate})
	}
	return t
}

func (r *Report) branchTable() Table {
	t := Table{Name: "Cuộc gọi theo nhánh", Title: "Cuộc gọi theo nhánh",
		Header:  []string{"Hạng", "Nhánh", "Tên nhánh", "Cơ quan đầu mối", "Số cuộc gọi", "Tỷ lệ"},
		Numeric: numeric(true, true, false, false, true, true)}
	for i, b := range r.Calls.Branches {
		t.Rows = append(t.Rows, []string{itoa(i + 1), itoa(b.Key), b.Name, b.Department, itoa(b.N), percent(b.N, r.Calls.Total)})
	}
	t.Rows = append(t.Rows,
		[]string{"", "", "Không chọn nhánh", "—", itoa(r.Calls.NoBranch), percent(r.Calls.NoBranch, r.Calls.Total)},
		[]string{"", "", "Tổng cộng", "", itoa(r.Calls.Total), percent(r.Calls.Total, r.Calls.Total)})
	return t
}

func (r *Report) outcomeTable() Table {
	t := Table{Name: "Cuộc gọi theo kết quả", Title: "Cuộc gọi theo kết quả",
		Header: []string{"Kết quả", "Số cuộc gọi", "Tỷ lệ"}, Numeric: numeric(false, true, true)}
	for _, o := range r.Calls.Outcomes {
		t.Rows = append(t.Rows, []string{o.Name, itoa(o.N), percent(o.N, r.Calls.Total)})
	}
	return t
}

func (r *Report) hourTable() Table {
	t := Table{Name: "Cuộc gọi theo giờ", Title: "Cuộc gọi theo giờ trong ngày",
		Header: []string{"Giờ", "Số cuộc gọi", "Tỷ lệ"}, Numeric: numeric(false, true, true)}
	for h, n := range r.Calls.Hours {
		t.Rows = append(t.Rows, []string{fmt.Sprintf("%02d:00–%02d:59", h, h), itoa(n), percent(n, r.Calls.Total)})
	}
	return t
}

func (r *Report) weekdayTable() Table {
	t := Table{Name: "Cuộc gọi theo thứ", Title: "Cuộc gọi theo thứ trong tuần",
		Header: []string{"Thứ", "Số cuộc gọi", "Tỷ lệ"}, Numeric: numeric(false, true, true)}
	for i, n := range r.Calls.Weekdays {
		t.Rows = append(t.Rows, []string{weekdayNames[i], itoa(n), percent(n, r.Calls.Total)})
	}
	return t
}

func (r *Report) channelTable() Table {
	t := Table{Name: "Phiếu theo kênh", Title: "Phiếu phản ánh, kiến nghị và trò chuyện theo kênh",
		Header:  []string{"Kênh", "Số phiếu", "Tỷ lệ", "Người dân nhắn tin", "Cuộc trò chuyện"},
		Numeric: numeric(false, true, true, true, true)}
	var total ChannelRow
	for _, c := range r.Channels {
		total.Tickets += c.Tickets
		total.Chats += c.Chats
		total.Conversations += c.Conversations
	}
	for _, c := range r.Channels {
		chats, convs := itoa(c.Chats), itoa(c.Conversations)
		if !c.Channel.Chat() && c.Chats == 0 && c.Conversations == 0 {
			chats, convs = "—", "—" // a channel without a bot
		}
		t.Rows = append(t.Rows, []string{c.Name, itoa(c.Tickets), percent(c.Tickets, total.Tickets), chats, convs})
	}
	t.Rows = append(t.Rows, []string{"Tổng cộng", itoa(total.Tickets), percent(total.Tickets, total.Tickets),
		itoa(total.Chats), itoa(total.Conversations)})
	return t
}

func (r *Report) departmentTable() Table {
	t := Table{Name: "Phiếu theo cơ quan", Title: "Phiếu theo cơ quan đầu mối",
		Header: []string{"Cơ quan đầu mối", "Tiếp nhận", "Đã giải quyết", "Đúng hạn", "Trễ hạn",
			"Tỷ lệ đúng hạn", "Mở lại", "Còn tồn cuối kỳ", "Tồn quá hạn", "Tổng quá hạn",
			"Thời gian giải quyết (trung vị)", "Thời gian giải quyết (90%)"},
		Numeric: numeric(false, true, true, true, true, true, true, true, true, true, true, true)}
	for _, d := range r.Departments {
		median, p90 := "—", "—"
		if d.Resolved > 0 {
			median, p90 = duration(d.Median), duration(d.P90)
		}
		t.Rows = append(t.Rows, []string{d.Name, itoa(d.Received), itoa(d.Resolved), itoa(d.OnTime), itoa(d.Late),
			percent(d.OnTime, d.Resolved), itoa(d.Reopened), itoa(d.Open), itoa(d.OpenOverdue), itoa(d.Overdue), median, p90})
	}
	return t
}

func (r *Report) overdueTable() Table {
	t := Table{Name: "Phiếu quá hạn", Title: "Danh sách phiếu quá hạn",
		Header:  []string{"Mã phiếu", "Nhánh", "Cơ quan đầu mối", "Kênh", "Ngày tiếp nhận", "Hạn giải quyết", "Ngày giải quyết", "Số ngày quá hạn", "Trạng thái cuối kỳ"},
		Numeric: numeric(false, true, false, false, false, false, false, true, false)}
	loc := r.Period.Loc
	date := func(tm time.Time) string {
		if tm.IsZero() {
			return "chưa giải quyết"
		}
		return tm.In(loc).Format("02/01/2006")
	}
	for _, o := range r.Overdue {
		t.Rows = append(t.Rows, []string{string(o.Code), itoa(o.Branch), o.Department, o.Channel,
			date(o.Created), date(o.Deadline), date(o.Resolved), itoa(o.DaysLate), o.Status})
	}
	return t
}

func (r *Report) dayTable() Table {
	t := Table{Name: "Theo ngày", Title: "Cuộc gọi và phiếu theo ngày",
		Header: []string{"Ngày", "Thứ", "Cuộc gọi", "Phiếu tiếp nhận"}, Numeric: numeric(false, false, true, true)}
	for _, d := range r.Days {
		t.Rows = append(t.Rows, []string{dmy(d.Day), weekdayNames[(weekday(d.Day)+6)%7], itoa(d.Calls), itoa(d.Tickets)})
	}
	return t
}
