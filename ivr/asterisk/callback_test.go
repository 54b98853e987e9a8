// SPDX-License-Identifier: Apache-2.0

package asterisk_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/ivr"
	"github.com/hotline-cchc/hotline/ivr/aritest"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

// callees answers call-backs in turn as script says; the last one repeats.
type callees struct {
	mu     sync.Mutex
	script []aritest.Callee
	n      int
}

func (c *callees) next(string) (aritest.Callee, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := c.script[min(c.n, len(c.script)-1)]
	c.n++
	return k, true
}

// callbackRig is the fake, the real client, a resolved phone ticket queued
// for a call-back, and the runner on a clock the test moves.
type callbackRig struct {
	*rig
	clock *ticketstest.Clock
	cb    *ivr.Callbacks
	code  tickets.Code
	db    *sqlite.DB
}

func newCallbackRig(t *testing.T, contact, endpoint string, script ...aritest.Callee) *callbackRig {
	t.Helper()
	clock := &ticketstest.Clock{T: time.Date(2026, time.November, 2, 9, 0, 0, 0, ticketstest.Location(t))}
	ks := &callees{script: script}
	var cfg *ivr.Config
	r := newRig(t, setup{fake: aritest.Options{Callees: ks.next}, flow: func(c *ivr.Config) {
		c.Now = clock.Now
		cfg = c
	}})
	svc := r.svc
	svc.PhoneCallback = true
	cfg.Surveys = svc
	flow := ivr.New(*cfg, svc, svc.Store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	tk, err := svc.Open(ctx, tickets.NewTicket{Branch: 4, Channel: tickets.ChannelPhone, Text: "Hồ sơ trễ hẹn", Contact: contact})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []tickets.Change{{Action: tickets.ActionAssign, Department: tk.Department}, {Action: tickets.ActionStart},
		{Action: tickets.ActionResolve, Note: "Đã trả kết quả."}} {
		if _, err := svc.Move(ctx, tk.Code, c); err != nil {
			t.Fatal(err)
		}
	}
	db := svc.Store.(*sqlite.DB)
	cb := &ivr.Callbacks{Flow: flow, Store: db, Phone: r.client, Endpoint: endpoint, CallerID: "02363822222",
		Ring: 30 * time.Second, Log: slog.New(slog.NewTextHandler(testLog(t), nil))}
	return &callbackRig{rig: r, clock: clock, cb: cb, code: tk.Code, db: db}
}

// at moves the clock to the local time hh:mm on Monday 2 November 2026 and
// runs the due call-backs.
func (r *callbackRig) at(t *testing.T, hhmm string) int {
	t.Helper()
	d, _ := time.ParseInLocation("2006-01-02 15:04", "2026-11-02 "+hhmm, ticketstest.Location(t))
	r.clock.T = d
	n, err := r.cb.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (r *callbackRig) outcomes(t *testing.T) []string {
	t.Helper()
	as, err := r.db.CallbackAttempts(context.Background(), r.code)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range as {
		out = append(out, string(a.Outcome))
	}
	return out
}

// No answer, then busy two hours later, then (after lunch) the citizen
// picks up, hears the greeting, the code and the answer, and presses 5.
func TestCallbackRetriesThenAnswered(t *testing.T) {
	r := newCallbackRig(t, "+84 939 015 599", "PJSIP/{number}@trunk",
		aritest.Callee{Cause: 19}, aritest.Callee{Cause: 17}, aritest.Callee{Keys: []string{"5"}, Pause: 3 * time.Second})
	if n := r.at(t, "09:00"); n != 1 {
		t.Fatalf("first run handled %d", n)
	}
	if n := r.at(t, "10:59"); n != 0 {
		t.Fatalf("a call-back was tried again before the interval: %v", r.outcomes(t))
	}
	r.at(t, "11:00")
	if n := r.at(t, "13:20"); n != 0 { // 13:00 is lunch: the retry waits for 13:30
		t.Fatalf("a call-back was placed at lunch: %v", r.outcomes(t))
	}
	r.at(t, "13:30")
	if got, want := r.outcomes(t), []string{"no_answer", "busy", "answered"}; !slices.Equal(got, want) {
		t.Fatalf("attempts = %v, want %v", got, want)
	}
	calls := r.fake.Originated()
	if len(calls) != 3 || calls[0].Dialstring() != "0939015599@trunk" || calls[2].Number() != "02363822222" {
		t.Fatalf("originated %d calls, first to %q", len(calls), calls[0].Dialstring())
	}
	want := sounds("callback-greeting", "ticket-code", digits(r.code), "survey-ask", "survey-thanks", "goodbye")
	if got := calls[2].Played(); !slices.Equal(got, want) {
		t.Errorf("played %v\nwant %v", got, want)
	}
	if sv, err := r.svc.Survey(context.Background(), r.code); err != nil || sv.Rating != 5 || sv.Channel != tickets.ChannelPhone {
		t.Errorf("survey = %+v, %v", sv, err)
	}
	if n := r.at(t, "16:00"); n != 0 {
		t.Errorf("an answered call-back was placed again")
	}
}

// Three unanswered calls fail the notice, and the ticket shows it.
func TestCallbackGivesUp(t *testing.T) {
	r := newCallbackRig(t, "0939015599", "PJSIP/{number}@trunk", aritest.Callee{Cause: 21})
	for _, at := range []string{"07:00", "09:00", "13:30", "16:00"} {
		r.at(t, at)
	}
	if got, want := r.outcomes(t), []string{"rejected", "rejected", "rejected"}; !slices.Equal(got, want) {
		t.Fatalf("attempts = %v, want %v", got, want)
	}
	ps, err := r.db.DeliveryProblems(context.Background(), r.code)
	if p, ok := ps[r.code]; err != nil || !ok || p.Class != tickets.ClassNoAnswer || !p.Failed() {
		t.Errorf("delivery problem = %+v, %v", ps, err)
	}
}

// A number that is not Vietnamese is never dialled; an originate Asterisk
// refuses is recorded and tried again.
func TestCallbackBadInput(t *testing.T) {
	t.Run("NotVietnamese", func(t *testing.T) {
		r := newCallbackRig(t, "+1 202 555 0100", "PJSIP/{number}@trunk", aritest.Callee{})
		r.at(t, "09:00")
		ps, _ := r.db.DeliveryProblems(context.Background(), r.code)
		if p := ps[r.code]; p.Class != tickets.ClassInvalidNumber || len(r.fake.Originated()) != 0 || len(r.outcomes(t)) != 0 {
			t.Errorf("problem %+v, %d calls", p, len(r.fake.Originated()))
		}
	})
	t.Run("Refused", func(t *testing.T) {
		r := newCallbackRig(t, "0939015599", "Fax/{number}", aritest.Callee{})
		r.at(t, "09:00")
		if got := r.outcomes(t); !slices.Equal(got, []string{"failed"}) {
			t.Fatalf("attempts = %v", got)
		}
		if n := r.at(t, "11:00"); n != 1 {
			t.Errorf("the refused call-back was not tried again")
		}
	})
}

// An attempt a stopped run left calling is closed as interrupted and its
// notice waits for the interval: it is not dialled again at once.
func TestCallbackRecovery(t *testing.T) {
	r := newCallbackRig(t, "0939015599", "PJSIP/{number}@trunk", aritest.Callee{Keys: []string{"4"}})
	ctx := context.Background()
	out, err := r.db.NextOutbox(ctx, tickets.ChannelPhone, r.clock.T, 1, nil)
	if err != nil || len(out) != 1 {
		t.Fatalf("outbox %v, %v", out, err)
	}
	if _, ok, err := r.db.StartCallback(ctx, out[0].ID, r.clock.T); err != nil || !ok {
		t.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- r.cb.Run(rctx) }()
	for i := 0; !slices.Equal(r.outcomes(t), []string{"interrupted"}); i++ {
		if i > 1000 {
			t.Fatalf("attempts = %v", r.outcomes(t))
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	if n := r.at(t, "09:30"); n != 0 {
		t.Fatalf("the interrupted call-back was dialled again at once")
	}
	r.at(t, "11:00")
	if got := r.outcomes(t); !slices.Equal(got, []string{"interrupted", "answered"}) {
		t.Errorf("attempts = %v", got)
	}
}

// A ticket answered and resolved again before its call-back gets one call:
// the answered call speaks the latest answer and covers the later notice.
func TestCallbackCoversLaterNotices(t *testing.T) {
	r := newCallbackRig(t, "0939015599", "PJSIP/{number}@trunk", aritest.Callee{Keys: []string{"4"}, Pause: 3 * time.Second})
	ctx := context.Background()
	for _, c := range []tickets.Change{{Action: tickets.ActionReopen, Note: "Công dân bổ sung"}, {Action: tickets.ActionResolve, Note: "Đã trả kết quả lần hai."}} {
		if _, err := r.svc.Move(ctx, r.code, c); err != nil {
			t.Fatal(err)
		}
	}
	r.at(t, "09:00")
	if n := r.at(t, "13:30"); n != 0 || len(r.fake.Originated()) != 1 {
		t.Errorf("%d call-backs placed for one ticket, want 1", len(r.fake.Originated()))
	}
}
