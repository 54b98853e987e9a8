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

func TestServiceOpen(t *testing.T) {
	ctx := context.Background()
	svc, _ := ticketstest.Service(t)
	for _, tt := range []struct {
		name string
		in   tickets.NewTicket
		want string // error fragment; "" for success
	}{
		{"OK", tickets.NewTicket{Branch: 4, Channel: tickets.ChannelPhone, Text: "Hồ sơ bị trễ hẹn", Contact: "0939015599"}, ""},
		{"OKRecordingOnly", tickets.NewTicket{Branch: 1, Channel: tickets.ChannelPhone, Recording: "call-1"}, ""},
		{"ErrUnknownBranch", tickets.NewTicket{Branch: 7, Channel: tickets.ChannelPhone, Text: "x"}, "no branch 7"},
		{"ErrUnknownChannel", tickets.NewTicket{Branch: 4, Channel: "fax", Text: "x"}, "unknown channel"},
		{"ErrEmpty", tickets.NewTicket{Branch: 4, Channel: tickets.ChannelWeb, Text: "   "}, "needs a text"},
		{"ErrTooLong", tickets.NewTicket{Branch: 4, Channel: tickets.ChannelWeb, Text: strings.Repeat("ạ", tickets.MaxTextLen+1)}, "at most"},
		{"ErrBadUTF8", tickets.NewTicket{Branch: 4, Channel: tickets.ChannelWeb, Text: "\xff"}, "UTF-8"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := svc.Open(ctx, tt.in)
			if tt.want != "" {
				if tickets.ErrorCode(err) != tickets.EINVALID || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("Open error = %v, want EINVALID containing %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			stored, err := svc.Store.Ticket(ctx, got.Code)
			if err != nil {
				t.Fatalf("Ticket(%s): %v", got.Code, err)
			}
			if stored.Status != tickets.StatusNew || stored.Branch != tt.in.Branch || stored.ID != got.ID {
				t.Errorf("stored ticket = %+v", stored)
			}
		})
	}
}

func TestServiceOpenRoutesAndSetsDeadline(t *testing.T) {
	ctx := context.Background()
	svc, _ := ticketstest.Service(t)
	tk, err := svc.Open(ctx, tickets.NewTicket{Branch: 4, Channel: tickets.ChannelTelegram, Text: "Thủ tục cấp phép quá lâu", Contact: "12345", Actor: "telegram"})
	if err != nil {
		t.Fatal(err)
	}
	// Received Monday 2 November 2026; branch 4 has 5 working days.
	if got, want := tk.Department, "van-phong-ubnd-tinh"; got != want {
		t.Errorf("Department = %q, want %q", got, want)
	}
	if got, want := svc.Calendar.FormatDate(tk.Deadline), "09/11/2026"; got != want {
		t.Errorf("Deadline = %s, want %s", got, want)
	}
	hs, err := svc.Store.History(ctx, tk.Code)
	if err != nil || len(hs) != 1 || hs[0].Action != tickets.ActionCreate || hs[0].Actor != "telegram" {
		t.Fatalf("History = %+v, %v", hs, err)
	}
}

func TestServiceOpenAnonymousStoresNoContact(t *testing.T) {
	ctx := context.Background()
	svc, _ := ticketstest.Service(t)
	tk, err := svc.Open(ctx, tickets.NewTicket{Branch: 9, Channel: tickets.ChannelPhone, Text: "Cán bộ gây khó dễ", Contact: "0939015599", Anonymous: true})
	if err != nil {
		t.Fatal(err)
	}
	stored, err := svc.Store.Ticket(ctx, tk.Code)
	if err != nil {
		t.Fatal(err)
	}
	if !stored.Anonymous || stored.Contact != "" {
		t.Errorf("anonymous ticket stored contact %q (anonymous=%v)", stored.Contact, stored.Anonymous)
	}
}

func TestServiceNormalizes(t *testing.T) {
	ctx := context.Background()
	svc, _ := ticketstest.Service(t)
	svc.Normalize = strings.ToUpper
	tk, err := svc.Open(ctx, tickets.NewTicket{Branch: 1, Channel: tickets.ChannelWeb, Text: "  abc  "})
	if err != nil || tk.Text != "ABC" {
		t.Fatalf("Open = %q, %v; want trimmed, normalised text", tk.Text, err)
	}
}

func TestServiceLifecycle(t *testing.T) {
	ctx := context.Background()
	svc, clock := ticketstest.Service(t)
	tk, err := svc.Open(ctx, tickets.NewTicket{Branch: 1, Channel: tickets.ChannelOperator, Text: "Góp ý"})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		change tickets.Change
		status tickets.Status
		dept   string
		code   string // expected error code; "" for success
	}{
		{tickets.Change{Action: tickets.ActionStart}, "", "", tickets.ECONFLICT},
		{tickets.Change{Action: tickets.ActionAssign, Department: "so-noi-vu"}, tickets.StatusAssigned, "so-noi-vu", ""},
		{tickets.Change{Action: tickets.ActionAssign, Department: "so-noi-vu"}, "", "", tickets.ECONFLICT},
		{tickets.Change{Action: tickets.ActionAssign, Department: "so-tu-phap"}, "", "", tickets.EINVALID},
		{tickets.Change{Action: tickets.ActionAssign, Department: "so-khong-co", Note: "x"}, "", "", tickets.ENOTFOUND},
		{tickets.Change{Action: tickets.ActionAssign, Department: "so-tu-phap", Note: "thuộc lĩnh vực tư pháp"}, tickets.StatusAssigned, "so-tu-phap", ""},
		{tickets.Change{Action: tickets.ActionStart}, tickets.StatusInProgress, "so-tu-phap", ""},
		{tickets.Change{Action: tickets.ActionClose}, "", "", tickets.ECONFLICT},
		{tickets.Change{Action: tickets.ActionResolve, Note: "Đã trả lời công dân"}, tickets.StatusResolved, "so-tu-phap", ""},
		{tickets.Change{Action: tickets.ActionReopen}, "", "", tickets.EINVALID},
		{tickets.Change{Action: tickets.ActionReopen, Note: "Công dân chưa đồng ý"}, tickets.StatusInProgress, "so-tu-phap", ""},
		{tickets.Change{Action: tickets.ActionResolve}, tickets.StatusResolved, "so-tu-phap", ""},
		{tickets.Change{Action: tickets.ActionClose}, tickets.StatusClosed, "so-tu-phap", ""},
		{tickets.Change{Action: tickets.ActionReopen, Note: "x"}, "", "", tickets.ECONFLICT},
	}
	applied := 1 // the create entry
	for i, s := range steps {
		clock.T = clock.T.Add(time.Hour)
		s.change.Actor = "can-bo-a"
		got, err := svc.Move(ctx, tk.Code, s.change)
		if code := tickets.ErrorCode(err); code != s.code {
			t.Fatalf("step %d (%s): error %v, want code %q", i, s.change.Action, err, s.code)
		}
		if s.code != "" {
			continue
		}
		applied++
		if got.Status != s.status || got.Department != s.dept || !got.UpdatedAt.Equal(clock.T) {
			t.Fatalf("step %d (%s): ticket %s/%s at %v, want %s/%s", i, s.change.Action, got.Status, got.Department, got.UpdatedAt, s.status, s.dept)
		}
	}
	hs, err := svc.Store.History(ctx, tk.Code)
	if err != nil || len(hs) != applied {
		t.Fatalf("History: %d entries, %v; want %d (failed changes leave none)", len(hs), err, applied)
	}
	re := hs[2] // the reassignment
	if re.FromDepartment != "so-noi-vu" || re.ToDepartment != "so-tu-phap" || re.Note != "thuộc lĩnh vực tư pháp" {
		t.Errorf("reassignment entry = %+v", re)
	}
	stored, _ := svc.Store.Ticket(ctx, tk.Code)
	if stored.ResolvedAt.IsZero() {
		t.Error("ResolvedAt not kept after closing")
	}
}

func TestServiceMoveUnknownTicket(t *testing.T) {
	svc, _ := ticketstest.Service(t)
	_, err := svc.Move(context.Background(), tickets.NewCode(), tickets.Change{Action: tickets.ActionStart})
	if tickets.ErrorCode(err) != tickets.ENOTFOUND {
		t.Fatalf("Move on an unknown code: %v, want ENOTFOUND", err)
	}
}
