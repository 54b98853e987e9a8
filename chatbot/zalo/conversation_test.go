// SPDX-License-Identifier: Apache-2.0

package zalo_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
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

// An event Zalo delivers again after the inbox forgot it gets the same
// update keys (its msg_id and part) and is not handled a second time; and a
// new event is handled even when the inbox, emptied, gives it the row id an
// event handled before had.
func TestRedeliveryAfterInboxForgot(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, "refresh-0")
	start := r.now
	post := func(msgID string) int {
		t.Helper()
		body := event("user_send_text", "u1", "oa", msgID, r.now.UnixMilli())
		if got := r.post(t, body, r.fake.Sign(body, tsOf(body))); got != http.StatusOK {
			t.Fatalf("status %d", got)
		}
		if _, err := r.ad.HandleInbox(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := r.ad.Bot().DeliverOutbox(ctx, r.ad); err != nil {
			t.Fatal(err)
		}
		return len(r.fake.SentTo("u1"))
	}
	forget := func(before time.Time, want int64) {
		t.Helper()
		if n, err := r.db.ForgetEvents(ctx, before); err != nil || n != want {
			t.Fatalf("ForgetEvents = %d, %v; want %d", n, err, want)
		}
	}
	r.fake.Text("u1", "xin chào") // the fake's citizen: it takes messages for u1 from now on
	r.step(t, 1)
	greeted := len(r.fake.SentTo("u1"))
	first := post("m1")
	r.now = start.Add(2 * time.Hour)
	second := post("m2")
	if greeted == 0 || first == greeted || second == first {
		t.Fatalf("answers: %d, %d, %d; want each event answered", greeted, first, second)
	}
	forget(start.Add(time.Hour), 2)
	again := post("m1")
	if again != second {
		t.Errorf("m1 delivered again after the inbox forgot it was answered again (%d answers, want %d)", again, second)
	}
	forget(r.now.Add(time.Hour), 2)
	if n := post("m3"); n == again {
		t.Error("a new event in an emptied inbox was taken for one handled before")
	}
}
