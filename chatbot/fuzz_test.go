// SPDX-License-Identifier: Apache-2.0

package chatbot_test

import (
	"context"
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/hotline-cchc/hotline/chatbot"
	"github.com/hotline-cchc/hotline/tickets"
)

// FuzzHandle throws arbitrary updates at a conversation in every state: the
// bot must neither fail nor panic, and everything it sends must be valid
// text within Telegram's limit once split.
func FuzzHandle(f *testing.F) {
	for _, s := range []string{"/start", "b:4", "ok", "Bỏ qua", "/status 123456789", "😀", "<b>x</b>", "", "t:482913075", "/cancel@bot x"} {
		f.Add(s, s, uint8(0))
	}
	f.Add("482 913 075", "anon", uint8(3))
	h := newHarness(f)
	f.Fuzz(func(t *testing.T, text, data string, flags uint8) {
		h.t = t
		u := chatbot.Update{Text: text, Chat: "42", Private: flags&1 == 0, Edited: flags&2 != 0, Unsupported: flags&4 != 0}
		if flags&8 != 0 {
			u.Callback = &chatbot.Callback{ID: "x", Data: data, Message: chatbot.ID(strconv.Itoa(int(flags)))}
		}
		if flags&16 != 0 {
			u.Attachment = &tickets.Attachment{Kind: tickets.AttachDocument, FileID: data}
		}
		if flags&32 != 0 {
			u.Chat = "-100"
		}
		h.nextID++
		u.ID = strconv.FormatInt(h.nextID, 10)
		if _, err := h.bot.Handle(context.Background(), u); err != nil {
			t.Fatalf("Handle: %v", err)
		}
		if _, err := h.bot.DeliverOutbox(context.Background(), h.send); err != nil {
			t.Fatalf("DeliverOutbox: %v", err)
		}
		for _, chat := range []string{"42", "-100"} {
			for _, r := range h.send.take(chat) {
				if !utf8.ValidString(r.Text) || r.Text == "" {
					t.Errorf("sent %q", r.Text)
				}
			}
		}
	})
}
