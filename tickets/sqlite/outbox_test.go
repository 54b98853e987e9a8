// SPDX-License-Identifier: Apache-2.0

package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

func reply(chat, body string) tickets.Notice {
	return tickets.Notice{Recipient: tickets.Recipient{Channel: tg, ID: chat}, Kind: tickets.NoticeReply, Body: body}
}

func bodies(out []tickets.Outgoing) map[string]tickets.Outgoing {
	m := map[string]tickets.Outgoing{}
	for _, o := range out {
		m[o.Body] = o
	}
	return m
}

// The outbox's states: each recipient's first pending message only, replies
// first; sending is committed and counted; a message left sending is queued
// again, uncertain; 429 counts nothing; a block fails the chat's queue.
func TestOutboxStates(t *testing.T) {
	ctx := context.Background()
	db := ticketstest.Open(t)
	at := time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC)
	notice := tickets.Notice{Recipient: tickets.Recipient{Channel: tg, ID: "d"}, Kind: tickets.NoticeNewTicket, Body: "d1"}
	if err := db.QueueNotices(ctx, at, []tickets.Notice{notice}); err != nil {
		t.Fatal(err)
	}
	_, err := db.CommitChat(ctx, &tickets.ChatCommit{Channel: tg, UpdateID: "1", Chat: "a", KeepState: true, At: at,
		Replies: []tickets.Notice{reply("a", "a1"), reply("a", "a2"), reply("b", "b1"), reply("c", "c1"), reply("c", "c2")}})
	if err != nil {
		t.Fatal(err)
	}
	next, err := db.NextOutbox(ctx, tg, at, 10, []string{"b"})
	if err != nil {
		t.Fatal(err)
	}
	if len(next) != 3 || next[0].Body != "a1" || next[1].Body != "c1" || next[2].Body != "d1" {
		t.Fatalf("NextOutbox = %+v, want a1 c1 (replies first) then d1, b skipped", next)
	}
	id := bodies(next)
	if ok, err := db.StartSending(ctx, id["a1"].ID, at); !ok || err != nil {
		t.Fatalf("StartSending = %v, %v", ok, err)
	}
	if ok, _ := db.StartSending(ctx, id["a1"].ID, at); ok {
		t.Error("StartSending twice succeeded")
	}
	if next, _ := db.NextOutbox(ctx, tg, at, 10, nil); len(next) != 3 || bodies(next)["a2"].ID != 0 {
		t.Errorf("a2 due while a1 is sending: %+v", next)
	}
	if n, err := db.RecoverSending(ctx, tg, at); n != 1 || err != nil {
		t.Fatalf("RecoverSending = %d, %v", n, err)
	}
	a1 := bodies(must(db.NextOutbox(ctx, tg, at, 10, nil)))["a1"]
	if !a1.Uncertain || a1.Attempts != 1 || a1.State != tickets.StateQueued {
		t.Errorf("recovered a1 = %+v, want queued, uncertain, 1 attempt", a1)
	}
	db.StartSending(ctx, a1.ID, at)
	later := at.Add(time.Minute)
	must0(t, db.Delivered(ctx, a1.ID, tickets.Delivery{State: tickets.StateQueued, Retry: later, Uncount: true,
		Class: tickets.ClassRateLimit, Error: "429", At: at}))
	db.StartSending(ctx, id["c1"].ID, at)
	must0(t, db.Delivered(ctx, id["c1"].ID, tickets.Delivery{State: tickets.StateFailed, Blocked: true, Class: tickets.ClassBlocked, Error: "403", At: at}))
	if next, _ := db.NextOutbox(ctx, tg, at, 10, nil); len(next) != 2 {
		t.Errorf("due now: %+v, want b1 and d1", next)
	}
	a1 = bodies(must(db.NextOutbox(ctx, tg, later, 10, nil)))["a1"]
	if a1.Attempts != 1 || a1.Class != tickets.ClassRateLimit {
		t.Errorf("after a 429: %+v, want the attempt not counted", a1)
	}
	failed, _ := db.ListOutbox(ctx, sqlite.OutboxFilter{State: tickets.StateFailed})
	if len(failed) != 2 || failed[0].Body != "" || failed[0].Class != tickets.ClassBlocked {
		t.Errorf("failed = %+v, want c1 and c2 blocked, bodies cleared", failed)
	}
	// Sent: a reply is deleted; a notice stays, sent.
	db.StartSending(ctx, id["d1"].ID, at)
	must0(t, db.Delivered(ctx, id["d1"].ID, tickets.Delivery{State: tickets.StateSent, PartsSent: 1, At: at}))
	if sent, _ := db.ListOutbox(ctx, sqlite.OutboxFilter{State: tickets.StateSent}); len(sent) != 1 || sent[0].Body != "d1" {
		t.Errorf("sent = %+v", sent)
	}
	// A key is queued once.
	report := tickets.Notice{Recipient: tickets.Recipient{Channel: tg, ID: "-5"}, Kind: tickets.NoticeReport, Body: "{}", Key: "report:2026-10:-5"}
	must0(t, db.QueueNotices(ctx, at, []tickets.Notice{report}))
	must0(t, db.QueueNotices(ctx, later, []tickets.Notice{report}))
	if got, _ := db.ListOutbox(ctx, sqlite.OutboxFilter{}); len(got) != 7 {
		t.Errorf("outbox has %d messages after queueing a report twice, want 7", len(got))
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func must0(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// An answer that failed or expired shows on its ticket until a later one is
// sent; retry queues it again.
func TestDeliveryProblems(t *testing.T) {
	ctx := context.Background()
	svc, clock := ticketstest.Service(t)
	db := svc.Store.(*sqlite.DB)
	tk, err := svc.Open(ctx, tickets.NewTicket{Branch: 1, Channel: tg, Text: "x", Contact: "42"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Move(ctx, tk.Code, tickets.Change{Action: tickets.ActionAnswer, Note: "trả lời"}); err != nil {
		t.Fatal(err)
	}
	out, _ := db.ListOutbox(ctx, sqlite.OutboxFilter{Ticket: tk.Code})
	if len(out) != 1 || out[0].Kind != tickets.NoticeAnswer {
		t.Fatalf("outbox of the ticket = %+v", out)
	}
	db.StartSending(ctx, out[0].ID, clock.Now())
	must0(t, db.Delivered(ctx, out[0].ID, tickets.Delivery{State: tickets.StateExpired, Class: tickets.ClassExpired, Error: "502", At: clock.Now()}))
	ps, err := db.DeliveryProblems(ctx, tk.Code)
	if p, ok := ps[tk.Code]; err != nil || !ok || p.State != tickets.StateExpired || p.Title() != "Chưa gửi được trả lời — hãy liên hệ công dân" || p.Reason() == "" {
		t.Fatalf("DeliveryProblems = %+v, %v", ps, err)
	}
	if n, err := db.RetryOutbox(ctx, 0, clock.Now()); n != 1 || err != nil {
		t.Fatalf("RetryOutbox = %d, %v", n, err)
	}
	if ps, _ := db.DeliveryProblems(ctx); len(ps) != 0 {
		t.Errorf("problems after a retry: %+v", ps)
	}
	if _, err := db.RetryOutbox(ctx, out[0].ID, clock.Now()); tickets.ErrorCode(err) != tickets.ENOTFOUND {
		t.Errorf("retry of a queued message: %v, want ENOTFOUND", err)
	}
	// A crash while sending it: sent again at start, and the ticket says it
	// may have arrived twice.
	db.StartSending(ctx, out[0].ID, clock.Now())
	db.RecoverSending(ctx, tg, clock.Now())
	db.StartSending(ctx, out[0].ID, clock.Now())
	must0(t, db.Delivered(ctx, out[0].ID, tickets.Delivery{State: tickets.StateSent, PartsSent: 1, At: clock.Now()}))
	ps, _ = db.DeliveryProblems(ctx, tk.Code)
	if p := ps[tk.Code]; !p.Uncertain || p.Failed() || p.Title() != "Trả lời có thể đã đến công dân hai lần" {
		t.Errorf("after an uncertain re-send: %+v", ps)
	}
}
