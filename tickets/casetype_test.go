// SPDX-License-Identifier: Apache-2.0

package tickets_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

// lawTypes are the default case types of default.toml.
var lawTypes = []tickets.CaseType{
	{ID: "phan-anh", Name: "Phản ánh, kiến nghị", ForwardDays: 5, Source: "Nghị định 20/2008/NĐ-CP"},
	{ID: "khieu-nai", Name: "Khiếu nại", LimitDays: 30, CalendarDays: true, Extensions: []int{15}, Source: "Luật Khiếu nại 2011, Điều 28"},
	{ID: "to-cao", Name: "Tố cáo", LimitDays: 30, CalendarDays: true, Extensions: []int{30, 30}, Source: "Luật Tố cáo 2018, Điều 30"},
}

// lawService is ticketstest.Service with the law's case types: branch 1
// feedback (10 working days), 2 complaints, 9 denunciations.
func lawService(tb testing.TB) *tickets.Service {
	tb.Helper()
	m, err := tickets.NewMenu([]tickets.Branch{
		{Key: 1, Name: "Công tác chỉ đạo, điều hành CCHC", Department: "so-noi-vu"},
		{Key: 2, Name: "Cải cách thể chế", Department: "so-tu-phap", CaseType: "khieu-nai"},
		{Key: 9, Name: "Tinh thần, thái độ của công chức, viên chức", Department: "so-noi-vu", CaseType: "to-cao"},
	}, []tickets.Department{{ID: "so-noi-vu", Name: "Sở Nội vụ"}, {ID: "so-tu-phap", Name: "Sở Tư pháp"}})
	if err == nil {
		m, err = m.WithCaseTypes(lawTypes)
	}
	if err != nil {
		tb.Fatal(err)
	}
	svc, _ := ticketstest.Service(tb)
	svc.Menu = m
	return svc
}

func day(y int, m time.Month, d int) tickets.Date { return tickets.Date{Year: y, Month: m, Day: d} }

func TestCalendarDeadline(t *testing.T) {
	cal := ticketstest.Calendar(t)
	loc := ticketstest.Location(t)
	for _, tt := range []struct {
		name     string
		received time.Time
		days     int
		want     tickets.Date
	}{
		{"OKWeekday", time.Date(2026, 11, 2, 9, 0, 0, 0, loc), 30, day(2026, 12, 2)},
		{"OKSaturdayEndsMonday", time.Date(2026, 11, 2, 9, 0, 0, 0, loc), 5, day(2026, 11, 9)},
		{"OKTetEndsAfterTet", time.Date(2027, 1, 10, 9, 0, 0, 0, loc), 30, day(2027, 2, 15)},
		{"OKLateEveningIsItsDay", time.Date(2026, 11, 2, 23, 59, 0, 0, loc), 1, day(2026, 11, 3)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := cal.CalendarDeadline(tt.received, tt.days)
			if tickets.DateOf(got) != tt.want || got.Hour() != 23 || got.Second() != 59 {
				t.Errorf("CalendarDeadline = %v, want the end of %v", got, tt.want)
			}
		})
	}
}

func TestOpenTakesTheCaseTypesLimit(t *testing.T) {
	ctx := context.Background()
	svc := lawService(t)
	for _, tt := range []struct {
		branch   int
		caseType string
		due      tickets.Date
	}{
		{1, "phan-anh", day(2026, 11, 16)}, // 10 working days from Monday 2/11
		{2, "khieu-nai", day(2026, 12, 2)}, // 30 days
		{9, "to-cao", day(2026, 12, 2)},
	} {
		tk, err := svc.Open(ctx, tickets.NewTicket{Branch: tt.branch, Channel: tickets.ChannelWeb, Text: "x"})
		if err != nil {
			t.Fatal(err)
		}
		stored, err := svc.Store.Ticket(ctx, tk.Code)
		if err != nil {
			t.Fatal(err)
		}
		if stored.CaseType != tt.caseType || tickets.DateOf(stored.Deadline.In(svc.Calendar.Location())) != tt.due {
			t.Errorf("branch %d: case type %q due %v, want %q due %v", tt.branch, stored.CaseType, stored.Deadline, tt.caseType, tt.due)
		}
	}
}

func TestExtend(t *testing.T) {
	ctx := context.Background()
	svc := lawService(t)
	open := func(branch int) tickets.Code {
		tk, err := svc.Open(ctx, tickets.NewTicket{Branch: branch, Channel: tickets.ChannelTelegram, Text: "x", Contact: "4242"})
		if err != nil {
			t.Fatal(err)
		}
		return tk.Code
	}
	complaint, denunciation, feedback := open(2), open(9), open(1)
	for _, tt := range []struct {
		name  string
		code  tickets.Code
		until tickets.Date
		want  string // error code; "" for success
		msg   string // a fragment of the message
	}{
		{"ErrComplaintPast45Days", complaint, day(2026, 12, 18), tickets.EINVALID, "chỉ được đến hết ngày 17/12/2026"},
		{"ErrNotLater", complaint, day(2026, 12, 2), tickets.EINVALID, "phải sau hạn hiện tại 02/12/2026"},
		{"OKComplaint45Days", complaint, day(2026, 12, 17), "", ""},
		{"ErrComplaintOnce", complaint, day(2026, 12, 18), tickets.ECONFLICT, "Luật Khiếu nại 2011"},
		{"OKDenunciationFirst", denunciation, day(2027, 1, 1), "", ""},
		{"ErrDenunciationPast90Days", denunciation, day(2027, 2, 2), tickets.EINVALID, "01/02/2027"}, // day 90 is a Sunday
		{"OKDenunciationSecond", denunciation, day(2027, 2, 1), "", ""},
		{"ErrDenunciationThird", denunciation, day(2027, 2, 3), tickets.ECONFLICT, "2 lần"},
		{"ErrFeedbackNone", feedback, day(2026, 11, 20), tickets.ECONFLICT, "không được gia hạn"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := svc.Extend(ctx, tt.code, tickets.Extension{Until: tt.until, Reason: "Vụ việc phức tạp", Actor: "lan"})
			if tt.want != "" {
				if tickets.ErrorCode(err) != tt.want || !strings.Contains(tickets.ErrorMessage(err), tt.msg) {
					t.Fatalf("Extend = %v, want %s containing %q", err, tt.want, tt.msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tickets.DateOf(got.Deadline.In(svc.Calendar.Location())) != tt.until {
				t.Errorf("deadline = %v, want the end of %v", got.Deadline, tt.until)
			}
		})
	}
	if _, err := svc.Extend(ctx, complaint, tickets.Extension{Until: day(2026, 12, 10), Reason: " "}); tickets.ErrorCode(err) != tickets.EINVALID {
		t.Errorf("Extend without a reason = %v, want EINVALID", err)
	}
	hs, err := svc.Store.History(ctx, denunciation)
	if err != nil {
		t.Fatal(err)
	}
	last := hs[len(hs)-1]
	if last.Action != tickets.ActionExtend || last.ToStatus != tickets.StatusNew || !strings.Contains(last.Note, "Gia hạn lần 2 đến 01/02/2027 (hạn cũ 01/01/2027). Lý do: Vụ việc phức tạp") {
		t.Errorf("last history entry = %+v", last)
	}
	out, err := svc.Store.(*sqlite.DB).Outbox(ctx, tickets.ChannelTelegram, time.Now().Add(time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	var extended int
	for _, o := range out {
		if o.Kind == tickets.NoticeExtended && o.Recipient.ID == "4242" {
			extended++
		}
	}
	if extended != 3 {
		t.Errorf("%d extension notices for the citizen, want 3 (one per extension): %+v", extended, out)
	}
}

func TestSetCaseType(t *testing.T) {
	ctx := context.Background()
	svc := lawService(t)
	tk, err := svc.Open(ctx, tickets.NewTicket{Branch: 2, Channel: tickets.ChannelWeb, Text: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Extend(ctx, tk.Code, tickets.Extension{Until: day(2026, 12, 10), Reason: "Phức tạp"}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, caseType, reason, want string
	}{
		{"ErrNoReason", "to-cao", "", tickets.EINVALID},
		{"ErrUnknown", "kien-nghi-moi", "x", tickets.ENOTFOUND},
		{"ErrSame", "khieu-nai", "x", tickets.ECONFLICT},
		{"OK", "phan-anh", "Nội dung là kiến nghị, không phải khiếu nại", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := svc.SetCaseType(ctx, tk.Code, tickets.CaseTypeChange{CaseType: tt.caseType, Reason: tt.reason, Actor: "lan"})
			if tickets.ErrorCode(err) != tt.want {
				t.Fatalf("SetCaseType = %v, want %q", err, tt.want)
			}
			if tt.want != "" {
				return
			}
			if got.CaseType != "phan-anh" || got.Extensions != 0 || tickets.DateOf(got.Deadline.In(svc.Calendar.Location())) != day(2026, 11, 16) {
				t.Errorf("ticket = %+v, want feedback due 16/11/2026 with no extension", got)
			}
			hs, _ := svc.Store.History(ctx, tk.Code)
			last := hs[len(hs)-1]
			if last.Action != tickets.ActionCaseType || !strings.Contains(last.Note, "Khiếu nại → Phản ánh, kiến nghị; hạn giải quyết 16/11/2026 (10 ngày làm việc)") {
				t.Errorf("history = %+v", last)
			}
		})
	}
	if _, err := svc.Move(ctx, tk.Code, tickets.Change{Action: tickets.ActionAssign, Department: "so-tu-phap"}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []tickets.Action{tickets.ActionStart, tickets.ActionResolve} {
		if _, err := svc.Move(ctx, tk.Code, tickets.Change{Action: a}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.SetCaseType(ctx, tk.Code, tickets.CaseTypeChange{CaseType: "to-cao", Reason: "x"}); tickets.ErrorCode(err) != tickets.ECONFLICT {
		t.Errorf("SetCaseType on a resolved ticket = %v, want ECONFLICT", err)
	}
}

// A ticket stored before case types has none: it cannot be extended until
// one is chosen, and keeps its deadline till then.
func TestTicketWithoutCaseType(t *testing.T) {
	ctx := context.Background()
	svc := lawService(t)
	old := *svc
	old.Menu = ticketstest.Menu(t)
	tk, err := old.Open(ctx, tickets.NewTicket{Branch: 1, Channel: tickets.ChannelWeb, Text: "x"})
	if err != nil || tk.CaseType != "" {
		t.Fatalf("Open without case types = %+v, %v", tk, err)
	}
	_, err = svc.Extend(ctx, tk.Code, tickets.Extension{Until: day(2026, 11, 20), Reason: "x"})
	if tickets.ErrorCode(err) != tickets.ECONFLICT || !strings.Contains(tickets.ErrorMessage(err), "chưa có loại vụ việc") {
		t.Errorf("Extend = %v, want ECONFLICT asking for a case type", err)
	}
	got, err := svc.SetCaseType(ctx, tk.Code, tickets.CaseTypeChange{CaseType: "khieu-nai", Reason: "Khiếu nại"})
	if err != nil || got.CaseType != "khieu-nai" {
		t.Fatalf("SetCaseType = %+v, %v", got, err)
	}
	hs, _ := svc.Store.History(ctx, tk.Code)
	if note := hs[len(hs)-1].Note; !strings.HasPrefix(note, "Loại vụ việc: chưa phân loại → Khiếu nại") {
		t.Errorf("history note %q", note)
	}
}
