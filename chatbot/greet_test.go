// SPDX-License-Identifier: Apache-2.0

package chatbot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/tickets"
)

// A channel without /start (Zalo) greets a chat's first message with the
// menu; a code as the first message is still looked up; later idle messages
// get the usual hint.
func TestGreetFirst(t *testing.T) {
	t.Run("FirstMessageGreets", func(t *testing.T) {
		h := newHarness(t)
		h.bot.GreetFirst = true
		rs := h.say("xin chào")
		if len(rs) != 1 || len(rs[0].Buttons) == 0 {
			t.Fatalf("replies = %+v, want the greeting with the menu", rs)
		}
		mustContain(t, rs, "Xin chào!")
		if _, rs := h.press("b:4"); len(rs) == 0 {
			t.Fatal("the menu shown by a first message does not take a branch")
		}
	})
	t.Run("CodeLookedUp", func(t *testing.T) {
		h := newHarness(t)
		h.bot.GreetFirst = true
		mustContain(t, h.say("123 456 789"), "Mã phiếu không hợp lệ")
	})
	t.Run("OffByDefault", func(t *testing.T) {
		h := newHarness(t)
		mustContain(t, h.say("xin chào"), "Gõ /start")
	})
}

// Every part of an outbox notice names it, so that an adapter can deliver
// it otherwise (a template message).
func TestNoticeRef(t *testing.T) {
	h := newHarness(t)
	code := h.fileTicket(4, "Thủ tục cấp phép chậm", false)
	h.send.take(h.chat)
	h.send.max = 100
	long := ""
	for len(long) < 300 {
		long += "Trả lời dài cho công dân. "
	}
	ctx := context.Background()
	if _, err := h.svc.Move(ctx, code, tickets.Change{Action: tickets.ActionAnswer, Note: long, Actor: "fp"}); err != nil {
		t.Fatal(err)
	}
	h.flush()
	rs := h.send.take(h.chat)
	if len(rs) < 2 {
		t.Fatalf("answer in %d parts, want it split", len(rs))
	}
	for i, r := range rs {
		if r.Notice == nil || r.Notice.Kind != tickets.NoticeAnswer || r.Notice.Ticket != code || r.Notice.Body != strings.TrimSpace(long) || r.Notice.OutboxID == 0 {
			t.Errorf("part %d: Notice = %+v", i, r.Notice)
		}
	}
}

// A channel without notices on button presses (Zalo) says the notice of a
// press that gets no reply, such as a stale button.
func TestSayNotices(t *testing.T) {
	h := newHarness(t)
	h.bot.SayNotices = true
	h.say("/start")
	h.press("b:4")
	_, rs := h.press("b:5") // the menu's button, pressed again
	if len(rs) != 1 || rs[0].Text != "Nút này đã hết hiệu lực." {
		t.Fatalf("replies = %+v", rs)
	}
	h.bot.SayNotices = false
	if _, rs := h.press("b:5"); len(rs) != 0 {
		t.Fatalf("without SayNotices: replies = %+v", rs)
	}
}
