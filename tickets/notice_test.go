// SPDX-License-Identifier: Apache-2.0

package tickets_test

import (
	"context"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

// pending returns the pending outbox of channel, as kind→recipient pairs.
func pending(t *testing.T, svc *tickets.Service, ch tickets.Channel) []tickets.Outgoing {
	t.Helper()
	out, err := svc.Store.(*sqlite.DB).Outbox(context.Background(), ch, time.Now().Add(time.Hour), 100)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestServiceAnswer(t *testing.T) {
	ctx := context.Background()
	svc, _ := ticketstest.Service(t)
	tk, err := svc.Open(ctx, tickets.NewTicket{Branch: 4, Channel: tickets.ChannelTelegram, Text: "Hồ sơ trễ hẹn", Contact: "4242"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		c    tickets.Change
		code string
	}{
		{"ErrNoText", tickets.Change{Action: tickets.ActionAnswer, Note: "  "}, tickets.EINVALID},
		{"OKNew", tickets.Change{Action: tickets.ActionAnswer, Note: "Chúng tôi đang kiểm tra."}, ""},
		{"OKInProgress", tickets.Change{Action: tickets.ActionAnswer, Note: "Hồ sơ đã được chuyển."}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := svc.Move(ctx, tk.Code, tt.c)
			if code := tickets.ErrorCode(err); code != tt.code {
				t.Fatalf("Move = %v, want code %q", err, tt.code)
			}
			if err == nil && got.Status != tickets.StatusNew {
				t.Errorf("status after answer = %s, want it unchanged (new)", got.Status)
			}
		})
	}
	out := pending(t, svc, tickets.ChannelTelegram)
	if len(out) != 2 || out[0].Kind != tickets.NoticeAnswer || out[0].Recipient.ID != "4242" ||
		out[0].Body != "Chúng tôi đang kiểm tra." || out[0].Ticket != tk.Code {
		t.Fatalf("outbox = %+v, want two answers to chat 4242", out)
	}
	hs, _ := svc.Store.History(ctx, tk.Code)
	if last := hs[len(hs)-1]; last.Action != tickets.ActionAnswer || last.Note != "Hồ sơ đã được chuyển." || last.FromStatus != last.ToStatus {
		t.Errorf("last history entry = %+v", last)
	}
}

func TestServiceAnswerClosedTicket(t *testing.T) {
	ctx := context.Background()
	svc, _ := ticketstest.Service(t)
	tk, _ := svc.Open(ctx, tickets.NewTicket{Branch: 1, Channel: tickets.ChannelTelegram, Text: "x", Contact: "1"})
	for _, a := range []tickets.Action{tickets.ActionAssign, tickets.ActionStart, tickets.ActionResolve} {
		if _, err := svc.Move(ctx, tk.Code, tickets.Change{Action: a, Department: "so-noi-vu"}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := svc.Move(ctx, tk.Code, tickets.Change{Action: tickets.ActionAnswer, Note: "muộn"})
	if tickets.ErrorCode(err) != tickets.ECONFLICT {
		t.Fatalf("answering a resolved ticket: %v, want ECONFLICT", err)
	}
}

func TestServiceNotices(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name  string
		in    tickets.NewTicket
		kinds []tickets.NoticeKind // telegram outbox after create, answer, assign elsewhere, start, resolve
	}{
		{"OKTelegramCitizen", tickets.NewTicket{Branch: 1, Channel: tickets.ChannelTelegram, Text: "x", Contact: "77"},
			[]tickets.NoticeKind{tickets.NoticeNewTicket, tickets.NoticeAnswer, tickets.NoticeNewTicket, tickets.NoticeResolved}},
		{"OKAnonymousGetsNone", tickets.NewTicket{Branch: 1, Channel: tickets.ChannelTelegram, Text: "x", Contact: "77", Anonymous: true},
			[]tickets.NoticeKind{tickets.NoticeNewTicket, tickets.NoticeNewTicket}},
		{"OKPhoneGetsNone", tickets.NewTicket{Branch: 1, Channel: tickets.ChannelPhone, Text: "x", Contact: "0939015599"},
			[]tickets.NoticeKind{tickets.NoticeNewTicket, tickets.NoticeNewTicket}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			svc, _ := ticketstest.Service(t)
			svc.DepartmentChats = map[string][]tickets.Recipient{
				"so-noi-vu":  {{Channel: tickets.ChannelTelegram, ID: "-100"}},
				"so-tu-phap": {{Channel: tickets.ChannelTelegram, ID: "-200"}},
			}
			tk, err := svc.Open(ctx, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []tickets.Change{
				{Action: tickets.ActionAnswer, Note: "Đang xem xét"},
				{Action: tickets.ActionAssign, Department: "so-tu-phap", Note: "đúng thẩm quyền"},
				{Action: tickets.ActionStart},
				{Action: tickets.ActionResolve, Note: "Đã giải quyết"},
			} {
				if _, err := svc.Move(ctx, tk.Code, c); err != nil {
					t.Fatalf("%s: %v", c.Action, err)
				}
			}
			out := pending(t, svc, tickets.ChannelTelegram)
			if len(out) != len(tt.kinds) {
				t.Fatalf("outbox = %+v, want kinds %v", out, tt.kinds)
			}
			for i, o := range out {
				if o.Kind != tt.kinds[i] {
					t.Errorf("outbox[%d] = %s, want %s", i, o.Kind, tt.kinds[i])
				}
			}
			if out[0].Recipient.ID != "-100" || out[len(out)-1].Kind == tickets.NoticeNewTicket && out[len(out)-1].Recipient.ID != "-200" {
				t.Errorf("department notices go to %+v", out)
			}
		})
	}
}

func TestServiceOpenSourceIsIdempotent(t *testing.T) {
	ctx := context.Background()
	svc, _ := ticketstest.Service(t)
	svc.DepartmentChats = map[string][]tickets.Recipient{"so-noi-vu": {{Channel: tickets.ChannelTelegram, ID: "-1"}}}
	n := tickets.NewTicket{Branch: 1, Channel: tickets.ChannelTelegram, Text: "Một lần thôi", Contact: "5", Source: "telegram:5:99"}
	first, err := svc.Open(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	n.Text = "lần hai"
	again, err := svc.Open(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	if again.Code != first.Code || again.Text != "Một lần thôi" {
		t.Errorf("second Open = %s %q, want the first ticket %s", again.Code, again.Text, first.Code)
	}
	if p, _ := svc.Store.Tickets(ctx, tickets.Filter{}); len(p.Tickets) != 1 {
		t.Errorf("%d tickets stored, want 1", len(p.Tickets))
	}
	if out := pending(t, svc, tickets.ChannelTelegram); len(out) != 1 {
		t.Errorf("%d notices queued, want 1", len(out))
	}
}
