// SPDX-License-Identifier: Apache-2.0

package console_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

// answered takes, starts and answers the ticket code as focal, and records
// the answer's delivery as d; after a crash while sending it, if crash.
func (e *env) answered(tb testing.TB, code tickets.Code, d tickets.Delivery, crash bool) {
	tb.Helper()
	ctx := context.Background()
	for _, a := range []string{"take", "start", "answer"} {
		if res := e.do(tb, "focal", "POST", "/tickets/"+string(code)+"/"+a, url.Values{"note": {"Mời anh bổ sung hồ sơ."}}); res.StatusCode != 303 {
			tb.Fatalf("%s: %d", a, res.StatusCode)
		}
	}
	out, err := e.db.ListOutbox(ctx, sqlite.OutboxFilter{Ticket: code})
	if err != nil || len(out) != 1 || out[0].Kind != tickets.NoticeAnswer {
		tb.Fatalf("outbox of the ticket = %+v, %v", out, err)
	}
	if _, err := e.db.StartSending(ctx, out[0].ID, e.clock.T); err != nil {
		tb.Fatal(err)
	}
	if crash {
		if _, err := e.db.RecoverSending(ctx, tickets.ChannelTelegram, e.clock.T); err != nil {
			tb.Fatal(err)
		}
		if _, err := e.db.StartSending(ctx, out[0].ID, e.clock.T); err != nil {
			tb.Fatal(err)
		}
	}
	d.At = e.clock.T
	if err := e.db.Delivered(ctx, out[0].ID, d); err != nil {
		tb.Fatal(err)
	}
}

const (
	undelivered   = "Chưa gửi được trả lời — hãy liên hệ công dân"
	blockedReason = "Công dân đã chặn hoặc rời cuộc trò chuyện với bot."
	twice         = "Trả lời có thể đã đến công dân hai lần"
)

// An answer the citizen's chat refused shows on the ticket's page, in the
// queue and in the API, with its reason; one that may have arrived twice
// shows on the page and in the API only.
func TestDeliveryProblemsShown(t *testing.T) {
	e := newEnv(t)
	blocked, dup, fine := e.open(t, 1), e.open(t, 1), e.open(t, 1)
	e.answered(t, blocked, tickets.Delivery{State: tickets.StateFailed, Blocked: true, Class: tickets.ClassBlocked, Error: "Forbidden: bot was blocked by the user"}, false)
	e.answered(t, dup, tickets.Delivery{State: tickets.StateSent, PartsSent: 1}, true)
	e.answered(t, fine, tickets.Delivery{State: tickets.StateSent, PartsSent: 1}, false)
	page := func(user string, code tickets.Code) string {
		return body(t, e.do(t, user, "GET", "/tickets/"+string(code), nil))
	}
	for _, user := range []string{"focal", "manager"} {
		if b := page(user, blocked); !strings.Contains(b, undelivered) || !strings.Contains(b, blockedReason) {
			t.Errorf("%s's page of the blocked answer lacks the title or the reason\n%s", user, b)
		}
	}
	if b := page("focal", dup); !strings.Contains(b, twice) || strings.Contains(b, undelivered) {
		t.Errorf("the re-sent answer's page: want %q only\n%s", twice, b)
	}
	if b := page("focal", fine); strings.Contains(b, undelivered) || strings.Contains(b, twice) {
		t.Errorf("a delivered answer's page shows a problem\n%s", b)
	}
	q := body(t, e.do(t, "focal", "GET", "/", nil))
	if strings.Count(q, undelivered) != 1 || strings.Count(q, blockedReason) != 1 || strings.Contains(q, twice) {
		t.Errorf("queue: want one undelivered answer with its reason, no uncertain one\n%s", q)
	}
	var l struct {
		Tickets []struct {
			Code     tickets.Code
			Delivery *struct{ State, Class, Title, Reason, At string }
		}
	}
	if err := json.NewDecoder(e.do(t, "focal", "GET", "/api/v1/tickets", nil).Body).Decode(&l); err != nil {
		t.Fatal(err)
	}
	got := map[tickets.Code]string{}
	for _, tk := range l.Tickets {
		if d := tk.Delivery; d != nil {
			got[tk.Code] = d.State + "|" + d.Class + "|" + d.Title + "|" + d.Reason
		}
	}
	want := map[tickets.Code]string{blocked: "failed|blocked|" + undelivered + "|" + blockedReason,
		dup: "sent||" + twice + "|Máy chủ dừng đột ngột khi đang gửi; hệ thống đã gửi lại một lần."}
	if len(got) != len(want) || got[blocked] != want[blocked] || got[dup] != want[dup] {
		t.Errorf("API list deliveries = %q, want %q", got, want)
	}
	b := body(t, e.do(t, "focal", "GET", "/api/v1/tickets/"+string(blocked), nil))
	if !strings.Contains(b, `"reason": "`+blockedReason+`"`) {
		t.Errorf("API ticket lacks the reason:\n%s", b)
	}
}
