// SPDX-License-Identifier: Apache-2.0

package chatbot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/chatbot"
	"github.com/hotline-cchc/hotline/tickets"
)

// transcriptText writes a transcript one line per message: "C:" for the
// citizen, "B:" for the bot, an attachment as [kind name].
func transcriptText(ls []tickets.ChatLine) string {
	var b strings.Builder
	for _, l := range ls {
		who := "C: "
		if l.FromBot {
			who = "B: "
		}
		b.WriteString(who)
		if l.Kind != "" {
			b.WriteString("[" + string(l.Kind) + " " + l.Name + "] ")
		}
		b.WriteString(l.Text + "\n")
	}
	return b.String()
}

// The conversation that opened a ticket is stored with it, in order: the
// citizen's messages, attachments by kind and name, the buttons pressed and
// the bot's replies. The shared phone number is masked in a named ticket's
// transcript and gone from an anonymous one's.
func TestTranscript(t *testing.T) {
	const phone = "0939876543"
	for _, tt := range []struct {
		name string
		anon bool
		want string // how the phone shows in the summary
	}{
		{"OKNamed", false, tickets.MaskContact(phone)},
		{"OKAnonymous", true, "[số điện thoại đã ẩn]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			code := h.fileTicket(9, "Cán bộ một cửa đòi tiền bồi dưỡng", tt.anon,
				chatbot.Update{Attachment: &tickets.Attachment{Kind: tickets.AttachDocument, FileID: "D1", Name: "biên-nhận.pdf"}},
				chatbot.Update{Attachment: &tickets.Attachment{Kind: tickets.AttachContact, Value: phone}})
			ls, err := h.db.Transcript(context.Background(), code)
			if err != nil {
				t.Fatal(err)
			}
			got := transcriptText(ls)
			if strings.Contains(got, phone) {
				t.Errorf("the transcript holds the phone number:\n%s", got)
			}
			order := []string{"C: /start", "B: Xin chào!", "C: Bấm nút «", "B: Lĩnh vực đã chọn:",
				"C: Cán bộ một cửa đòi tiền bồi dưỡng", "B: Đã ghi nhận nội dung.",
				"C: [document biên-nhận.pdf]", "B: Đã nhận tệp đính kèm.", "C: [contact ]", "B: Cảm ơn bạn.",
				tt.want, "Mã phiếu: " + code.Grouped()}
			at := 0
			for _, w := range order {
				i := strings.Index(got[at:], w)
				if i < 0 {
					t.Fatalf("the transcript lacks %q after offset %d:\n%s", w, at, got)
				}
				at += i + len(w)
			}
			for i := 1; i < len(ls); i++ {
				if ls[i].At.Before(ls[i-1].At) {
					t.Errorf("line %d is older than the one before it", i)
				}
			}
		})
	}
}

// A cancelled draft leaves no transcript behind, and the next ticket's
// transcript starts at its own /start.
func TestTranscriptStartsWithDraft(t *testing.T) {
	h := newHarness(t)
	h.say("/start")
	h.say("/cancel")
	h.say("mã gì đó")
	code := h.fileTicket(4, "Hồ sơ trễ hẹn ba tuần", false)
	ls, err := h.db.Transcript(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) == 0 || ls[0].Text != "/start" || ls[0].FromBot {
		t.Fatalf("transcript starts with %+v, want the citizen's /start", ls)
	}
	if got := transcriptText(ls); strings.Contains(got, "/cancel") || strings.Contains(got, "mã gì đó") {
		t.Errorf("the transcript holds the cancelled draft:\n%s", got)
	}
}
