// SPDX-License-Identifier: Apache-2.0

package zalo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// fileTicket runs a conversation for user, sharing phone unless it is "",
// and returns the ticket's code.
func (r *rig) fileTicket(t *testing.T, user, phone string) tickets.Code {
	t.Helper()
	n := len(r.fake.Deliveries())
	next := func() { n++; r.step(t, n) }
	r.fake.Text(user, "xin chào")
	next()
	r.fake.Tap(user, "#hl:b:4")
	next()
	r.fake.Text(user, "Hồ sơ bị trả lại ba lần")
	next()
	if phone != "" {
		r.fake.SubmitInfo(user, "A", phone)
	} else {
		r.fake.Tap(user, "Bỏ qua")
	}
	next()
	r.fake.Tap(user, "#hl:ok")
	next()
	sent := r.fake.SentTo(user)
	last := sent[len(sent)-1].Text
	i := strings.Index(last, "Mã phiếu: ")
	code, err := tickets.ParseCode(last[i+len("Mã phiếu: ") : i+len("Mã phiếu: ")+11])
	if i < 0 || err != nil {
		t.Fatalf("no code in %q", last)
	}
	return code
}

// An answer within 48 hours is a free reply; from 48 hours to 7 days a
// billed reply, counted; after 7 days the template to the shared phone,
// once per outbox item; with no phone it fails, shown on the ticket.
func TestAnswerWindows(t *testing.T) {
	ctx := context.Background()
	r := newRigTemplates(t)
	svc := r.ad.Bot().Tickets.(*tickets.Service)
	withPhone := r.fileTicket(t, "u1", "84912345678")
	noPhone := r.fileTicket(t, "u2", "")
	answer := func(code tickets.Code, text string) {
		t.Helper()
		if _, err := svc.Move(ctx, code, tickets.Change{Action: tickets.ActionAnswer, Note: text, Actor: "fp"}); err != nil {
			t.Fatal(err)
		}
		r.ad.Bot().DeliverOutbox(ctx, r.ad)
	}
	base := r.now
	r.now = base.Add(time.Hour)
	answer(withPhone, "trả lời một")
	r.now = base.Add(72 * time.Hour)
	answer(withPhone, "trả lời hai")
	if got := r.ad.Stats().Billed.Load(); got != 1 {
		t.Errorf("billed = %d, want 1", got)
	}
	texts := ""
	for _, s := range r.fake.SentTo("u1") {
		texts += s.Text
	}
	if !strings.Contains(texts, "trả lời một") || !strings.Contains(texts, "trả lời hai") {
		t.Errorf("replies lack the answers: %s", texts)
	}
	r.now = base.Add(8 * 24 * time.Hour)
	answer(withPhone, "trả lời ba")
	answer(noPhone, "trả lời bốn")
	ts := r.fake.Templates()
	if len(ts) != 1 || ts[0].Phone != "84912345678" || ts[0].Data["noi_dung"] != "trả lời ba" || ts[0].Data["ma_phieu"] != string(withPhone) {
		t.Fatalf("templates = %+v", ts)
	}
	ps, err := r.db.DeliveryProblems(ctx, noPhone)
	if p, ok := ps[noPhone]; err != nil || !ok || !p.Failed() || p.Class != tickets.ClassUnreachable || !strings.Contains(p.Reason(), "số điện thoại") {
		t.Fatalf("DeliveryProblems = %+v, %v", ps, err)
	}
	if ps, _ := r.db.DeliveryProblems(ctx, withPhone); len(ps) != 0 {
		t.Errorf("the answer sent as a template is a problem: %+v", ps)
	}
}
