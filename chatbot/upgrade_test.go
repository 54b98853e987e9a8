// SPDX-License-Identifier: Apache-2.0

package chatbot_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/hotline-cchc/hotline/tickets"
)

// A draft stored before update ids were strings ("id": a number, and no key,
// as drafts older still have none) loads after the upgrade, and its ticket's
// source key is the one the old code used: a draft whose ticket was opened
// just before a crash (the update not recorded as handled) is not filed a
// second time when the citizen presses the button again after the upgrade.
func TestOldDraftFiledOnce(t *testing.T) {
	for _, tt := range []struct{ name, id string }{
		{"OKNumberID", `123`},
		{"OKStringID", `"123"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			ctx := context.Background()
			draft := `{"id":` + tt.id + `,"branch":4,"text":"Hồ sơ cấp phép xây dựng bị trễ hẹn."}`
			_, err := h.db.CommitChat(ctx, &tickets.ChatCommit{Channel: tickets.ChannelTelegram, UpdateID: "123", Chat: h.chat,
				State: "confirm", Draft: []byte(draft), At: h.clock.Now()})
			if err != nil {
				t.Fatal(err)
			}
			// What the old code opened: source "telegram:draft:" and the hash
			// of "telegram:<chat>:<update id>".
			sum := sha256.Sum256([]byte("telegram:" + h.chat + ":123"))
			filed, err := h.svc.Open(ctx, tickets.NewTicket{Branch: 4, Channel: tickets.ChannelTelegram, Text: "Hồ sơ cấp phép xây dựng bị trễ hẹn.",
				Contact: h.chat, Actor: "telegram", Source: "telegram:draft:" + hex.EncodeToString(sum[:16])})
			if err != nil {
				t.Fatal(err)
			}
			res, rs := h.press("ok")
			if res.CallbackText == "Nút này đã hết hiệu lực." {
				t.Fatalf("the stored draft did not load: %+v", rs)
			}
			m := codeRe.FindStringSubmatch(texts(rs))
			if m == nil {
				t.Fatalf("press answered %q; want the ticket's code", texts(rs))
			}
			if code, _ := tickets.ParseCode(m[1]); code != filed.Code {
				t.Errorf("press filed %s; want the ticket filed before, %s", code, filed.Code)
			}
		})
	}
}

// A reply queued before message ids were strings ("edit": a number) is
// still delivered after the upgrade, as an edit of that message.
func TestOldQueuedEdit(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	_, err := h.db.CommitChat(ctx, &tickets.ChatCommit{Channel: tickets.ChannelTelegram, UpdateID: "9", Chat: h.chat, KeepState: true, At: h.clock.Now(),
		Replies: []tickets.Notice{{Recipient: tickets.Recipient{Channel: tickets.ChannelTelegram, ID: h.chat}, Kind: tickets.NoticeReply,
			Body: `{"text":"Lĩnh vực đã chọn: 4","edit":7}`}}})
	if err != nil {
		t.Fatal(err)
	}
	h.flush()
	if rs := h.send.take(h.chat); len(rs) != 1 || rs[0].Edit != "7" || rs[0].Text != "Lĩnh vực đã chọn: 4" {
		t.Fatalf("sent %+v; want the edit of message 7", rs)
	}
}
