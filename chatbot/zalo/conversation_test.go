// SPDX-License-Identifier: Apache-2.0

package zalo_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/hotline-cchc/hotline/tickets"
)

// step delivers what the fake sent to the webhook, handles it and delivers
// the outbox.
func (r *rig) step(t *testing.T, deliveries int) {
	t.Helper()
	ctx := context.Background()
	if _, err := r.fake.WaitDeliveries(ctx, deliveries); err != nil {
		t.Fatal(err)
	}
	if _, err := r.ad.HandleInbox(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := r.ad.Bot().DeliverOutbox(ctx, r.ad); err != nil {
		t.Fatal(err)
	}
}

// A file a citizen attaches is kept with the ticket as its link and
// downloads through the adapter; an answer of 4,000 decomposed characters
// reaches them in parts of at most 2,000 characters after NFC.
func TestAttachmentAndLongAnswer(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, "refresh-0")
	svc := r.ad.Bot().Tickets.(*tickets.Service)
	url := r.fake.AddFile("don.pdf", []byte("%PDF-1.4 đơn"))
	r.fake.Text("u1", "xin chào")
	r.step(t, 1)
	r.fake.Tap("u1", "#hl:b:4")
	r.step(t, 2)
	r.fake.Attach("u1", "file", url, "don.pdf", "Hồ sơ bị trả lại")
	r.step(t, 3)
	r.fake.Tap("u1", "Bỏ qua")
	r.step(t, 4)
	r.fake.Tap("u1", "#hl:ok")
	r.step(t, 5)
	sent := r.fake.SentTo("u1")
	last := sent[len(sent)-1].Text
	i := strings.Index(last, "Mã phiếu: ")
	if i < 0 {
		t.Fatalf("no code in %q", last)
	}
	code, err := tickets.ParseCode(last[i+len("Mã phiếu: ") : i+len("Mã phiếu: ")+11])
	if err != nil {
		t.Fatal(err)
	}
	as, _ := r.db.Attachments(ctx, code)
	if len(as) != 1 || as[0].Kind != tickets.AttachDocument || as[0].FileID != url || as[0].Name != "don.pdf" {
		t.Fatalf("attachments = %+v", as)
	}
	if b, err := r.ad.Download(ctx, as[0].FileID); err != nil || string(b) != "%PDF-1.4 đơn" {
		t.Fatalf("Download = %q, %v", b, err)
	}
	long := strings.Repeat(norm.NFD.String("Hồ sơ đã được giải quyết. "), 150)[:3990]
	if _, err := svc.Move(ctx, code, tickets.Change{Action: tickets.ActionAnswer, Note: long, Actor: "fp"}); err != nil {
		t.Fatal(err)
	}
	before := len(r.fake.SentTo("u1"))
	if _, err := r.ad.Bot().DeliverOutbox(ctx, r.ad); err != nil {
		t.Fatal(err)
	}
	parts := r.fake.SentTo("u1")[before:]
	if len(parts) < 2 {
		t.Fatalf("answer in %d parts", len(parts))
	}
	for _, p := range parts {
		if n := utf8.RuneCountInString(p.Text); n > 2000 || !norm.NFC.IsNormalString(p.Text) {
			t.Errorf("part of %d characters, NFC %v", n, norm.NFC.IsNormalString(p.Text))
		}
	}
}

// A store that cannot write answers 503, so that Zalo delivers the event again.
func TestWebhookStoreDown(t *testing.T) {
	r := newRig(t, "refresh-0")
	body := event("user_send_text", "u1", "oa", "m1", r.now.UnixMilli())
	r.db.Close()
	if got := r.post(t, body, r.fake.Sign(body, tsOf(body))); got != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", got)
	}
}
