// SPDX-License-Identifier: Apache-2.0

package chatbot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/chatbot"
	"github.com/hotline-cchc/hotline/tickets"
)

const expiredNote = "Phản ánh bạn soạn dở trước đây đã bị hủy vì quá lâu chưa hoàn tất."

// A draft left for DraftTTL (7 days by default) is discarded when the
// citizen writes again: they are told, and see the menu again, or the answer
// to their command; before the TTL the conversation goes on.
func TestDraftExpires(t *testing.T) {
	for _, tt := range []struct {
		name    string
		confirm bool          // leave the draft at its confirmation, not its description
		after   time.Duration // since the draft last changed
		prune   bool          // the bot's prune ran before the citizen wrote
		act     func(h *harness) (chatbot.Result, []chatbot.Reply)
		note    bool
		want    string // in the replies
		state   string
	}{
		{"OKBeforeTTL", false, chatbot.DefaultDraftTTL - time.Millisecond, false, sayer("thêm chi tiết"), false, "Đã bổ sung", "contact"},
		{"OKExpiredMessage", false, chatbot.DefaultDraftTTL, false, sayer("thêm chi tiết"), true, "Vui lòng chọn lĩnh vực", "branch"},
		{"OKExpiredStart", false, 30 * 24 * time.Hour, false, sayer("/start"), true, "Vui lòng chọn lĩnh vực", "branch"},
		{"OKExpiredHelp", false, chatbot.DefaultDraftTTL, false, sayer("/help"), true, "/status", "idle"},
		{"OKExpiredPressOpensNothing", true, chatbot.DefaultDraftTTL, false, presser("ok"), true, "Vui lòng chọn lĩnh vực", "branch"},
		{"OKPruned", false, chatbot.DefaultDraftTTL + time.Hour, true, sayer("thêm chi tiết"), true, "Vui lòng chọn lĩnh vực", "branch"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.say("/start")
			h.press("b:2")
			h.say("Nội dung cũ bị bỏ dở")
			if tt.confirm {
				h.say("Bỏ qua")
			}
			h.clock.T = h.clock.T.Add(tt.after)
			if tt.prune {
				if _, err := h.db.ExpireConversations(context.Background(), tickets.ChannelTelegram, h.clock.T.Add(-chatbot.DefaultDraftTTL),
					h.clock.T, "expired", "idle"); err != nil {
					t.Fatal(err)
				}
				if _, draft, _, _ := h.db.Conversation(context.Background(), tickets.ChannelTelegram, h.chat); len(draft) != 0 {
					t.Errorf("the pruned draft is still stored: %s", draft)
				}
			}
			res, rs := tt.act(h)
			got := texts(rs)
			if strings.Contains(got, expiredNote) != tt.note || !strings.Contains(got, tt.want) {
				t.Errorf("replies:\n%s\nwant %q, the note: %v", got, tt.want, tt.note)
			}
			if codeRe.MatchString(got) {
				t.Error("an expired draft opened a ticket")
			}
			if tt.confirm && res.CallbackText != "Nút này đã hết hiệu lực." {
				t.Errorf("press answer = %q, want the stale notice", res.CallbackText)
			}
			state, draft, _, _ := h.db.Conversation(context.Background(), tickets.ChannelTelegram, h.chat)
			if state != tt.state {
				t.Errorf("state = %q, want %q", state, tt.state)
			}
			if tt.note && strings.Contains(string(draft), "Nội dung cũ") {
				t.Errorf("the discarded text is still in the draft: %s", draft)
			}
		})
	}
}

func sayer(text string) func(h *harness) (chatbot.Result, []chatbot.Reply) {
	return func(h *harness) (chatbot.Result, []chatbot.Reply) { return chatbot.Result{}, h.say(text) }
}

func presser(data string) func(h *harness) (chatbot.Result, []chatbot.Reply) {
	return func(h *harness) (chatbot.Result, []chatbot.Reply) { return h.press(data) }
}

// A configured DraftTTL replaces the default, and an expired draft counts
// as a new conversation.
func TestDraftTTLConfigured(t *testing.T) {
	h := newHarness(t)
	h.bot.DraftTTL = time.Hour
	h.say("/start")
	h.clock.T = h.clock.T.Add(time.Hour)
	if got := texts(h.say("xin chào")); !strings.Contains(got, expiredNote) {
		t.Errorf("replies after an hour:\n%s\nwant the note", got)
	}
	if got := h.chatCounts(); len(got) != 1 || got[0].Conversations != 2 {
		t.Errorf("chat counts = %+v, want 2 conversations", got)
	}
}
