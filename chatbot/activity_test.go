// SPDX-License-Identifier: Apache-2.0

package chatbot_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/chatbot"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

// chatCounts returns the chat statistics of 02/11/2026, the harness's day.
func (h *harness) chatCounts() []tickets.ChatCount {
	h.t.Helper()
	loc := ticketstest.Location(h.t)
	from := time.Date(2026, time.November, 2, 0, 0, 0, 0, loc)
	s, err := h.db.PeriodStats(context.Background(), tickets.StatsQuery{From: from, To: from.AddDate(0, 0, 1), Loc: loc})
	if err != nil {
		h.t.Fatal(err)
	}
	return s.Chats
}

// Each citizen's update is counted with its conversation; a conversation
// starts with the first message after the last one ended, or with /start in
// the middle of a draft, never twice for "hello" then /start.
func TestChatActivity(t *testing.T) {
	for _, tt := range []struct {
		name          string
		run           func(h *harness)
		conversations int
	}{
		{"OKStartOnce", func(h *harness) { h.say("/start") }, 1},
		{"OKHelloThenStart", func(h *harness) { h.say("xin chào"); h.say("/start"); h.press("b:2") }, 1},
		{"OKStatusLookUps", func(h *harness) { h.say("/status 123"); h.say("/help") }, 1},
		{"OKRestartMidDraft", func(h *harness) { h.say("/start"); h.press("b:2"); h.say("/start") }, 2},
		{"OKAfterCancel", func(h *harness) { h.say("/start"); h.press("b:2"); h.say("/cancel"); h.say("cảm ơn") }, 2},
		{"OKAfterTicket", func(h *harness) { h.fileTicket(2, "Nội dung phản ánh", false); h.say("/start") }, 2},
		{"OKAfterAnonymousTicket", func(h *harness) { h.fileTicket(2, "Nội dung phản ánh", true); h.say("cảm ơn") }, 2},
		{"OKStalePressStartsNothing", func(h *harness) { h.press("ok") }, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			tt.run(h)
			want := []tickets.ChatCount{{Channel: tickets.ChannelTelegram, Chats: 1, Conversations: tt.conversations}}
			if got := h.chatCounts(); !slices.Equal(got, want) {
				t.Errorf("chat counts = %+v, want %+v", got, want)
			}
		})
	}
}

// Two citizens count as two chats; a department group and a repeated update
// count nothing.
func TestChatActivityChats(t *testing.T) {
	h := newHarness(t)
	h.handle(chatbot.Update{ID: "7", Text: "/start"})
	h.handle(chatbot.Update{ID: "7", Text: "/start"})
	h.handle(chatbot.Update{Chat: "43", Private: true, User: "43", Text: "/start"})
	h.handle(chatbot.Update{Chat: "-100", User: "9", Text: "/start"})
	want := []tickets.ChatCount{{Channel: tickets.ChannelTelegram, Chats: 2, Conversations: 2}}
	if got := h.chatCounts(); !slices.Equal(got, want) {
		t.Errorf("chat counts = %+v, want %+v", got, want)
	}
}
