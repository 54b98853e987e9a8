// SPDX-License-Identifier: Apache-2.0

package ivr_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/hotline-cchc/hotline/ivr"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

// spyStore is the real store, with every call record written kept in order
// and ticket look-ups counted.
type spyStore struct {
	tickets.Store
	mu      sync.Mutex
	writes  []tickets.Call
	lookups int
}

func (s *spyStore) CreateCall(ctx context.Context, c *tickets.Call) error {
	err := s.Store.CreateCall(ctx, c)
	s.keep(*c)
	return err
}

func (s *spyStore) UpdateCall(ctx context.Context, c *tickets.Call) error {
	err := s.Store.UpdateCall(ctx, c)
	s.keep(*c)
	return err
}

func (s *spyStore) Ticket(ctx context.Context, code tickets.Code) (*tickets.Ticket, error) {
	s.mu.Lock()
	s.lookups++
	s.mu.Unlock()
	return s.Store.Ticket(ctx, code)
}

func (s *spyStore) keep(c tickets.Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writes = append(s.writes, c)
}

// outcomes returns the outcome of each write, in order.
func (s *spyStore) outcomes() []tickets.Outcome {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []tickets.Outcome
	for _, c := range s.writes {
		out = append(out, c.Outcome)
	}
	return out
}

type rig struct {
	svc   *tickets.Service
	store *spyStore
	clock *ticketstest.Clock
	cfg   ivr.Config
}

func newRig(t *testing.T) *rig {
	t.Helper()
	svc, clock := ticketstest.Service(t)
	r := &rig{svc: svc, store: &spyStore{Store: svc.Store}, clock: clock}
	r.cfg = ivr.Config{Menu: svc.Menu, Calendar: svc.Calendar, Operator: "PJSIP/operator", Now: clock.Now}
	return r
}

func (r *rig) run(t *testing.T, p *phone) tickets.Call {
	t.Helper()
	f := ivr.New(r.cfg, r.svc, r.store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	c := f.Handle(context.Background(), p)
	select {
	case <-p.Done():
	default:
		t.Errorf("the call is still up when Handle returns:\n%s", p.log())
	}
	return c
}

// menu is the main menu of ticketstest.Menu.
// The status check and the operator come first.
func menu(operator bool) []string {
	out := []string{"menu-status"}
	if operator {
		out = append(out, "menu-operator")
	}
	out = append(out, "menu-intro")
	for _, k := range []string{"1", "2", "4", "9"} {
		out = append(out, "digit-"+k, "branch-"+k)
	}
	return out
}

func seq(parts ...any) []string {
	var out []string
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			out = append(out, p)
		case []string:
			out = append(out, p...)
		}
	}
	return out
}

func codePrompts(c tickets.Code) []string {
	var out []string
	for _, d := range c {
		out = append(out, "digit-"+string(d))
	}
	return out
}

func checkPlayed(t *testing.T, p *phone, want []string) {
	t.Helper()
	if got := p.played(); !slices.Equal(got, want) {
		t.Errorf("played\n %v\nwant\n %v\nlog:\n%s", got, want, p.log())
	}
}

func TestLeaveMessage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t)
		start := time.Now()
		// The caller presses 4 during the second branch: the menu stops there.
		p := newPhone(step{at: 5500 * time.Millisecond, do: "4"})
		c := r.run(t, p)
		if c.Outcome != tickets.OutcomeTicket || c.Branch != 4 || c.TicketCode == "" || c.EndedAt.IsZero() {
			t.Fatalf("call = %+v\n%s", c, p.log())
		}
		tk, err := r.svc.Store.Ticket(context.Background(), c.TicketCode)
		if err != nil {
			t.Fatal(err)
		}
		if tk.Channel != tickets.ChannelPhone || tk.Branch != 4 || tk.Department != "van-phong-ubnd-tinh" ||
			tk.Contact != "0939015599" || !strings.HasPrefix(tk.Recording, "hotline-") || !strings.HasSuffix(tk.Recording, "-test-1") ||
			tk.Deadline.IsZero() || tk.Status != tickets.StatusNew {
			t.Errorf("ticket = %+v", tk)
		}
		code := codePrompts(c.TicketCode)
		checkPlayed(t, p, seq("greeting", menu(true)[:5], "chosen", "branch-4", "record-notice", "record-invite",
			"ticket-code", code, "repeat", code, "goodbye"))
		// 5.5 s of menu, 4 s of notice and invitation, 12 s of message and
		// 5 of silence, 21 prompts of code and goodbye.
		if got, want := time.Since(start), 47500*time.Millisecond; got != want {
			t.Errorf("the call lasted %s, want %s", got, want)
		}
		if got, want := r.store.outcomes(), []tickets.Outcome{"active", "active", "ticket", "ticket"}; !slices.Equal(got, want) {
			t.Errorf("call writes = %v, want %v", got, want)
		}
	})
}

func TestMenuRetries(t *testing.T) {
	for _, tc := range []struct {
		name    string
		script  []step
		want    []string
		outcome tickets.Outcome
	}{
		{name: "SilentCallerOperatorThenGoodbye", outcome: tickets.OutcomeNoInput,
			want: seq("greeting", menu(true), "no-input", menu(true), "operator-wait", "operator-busy", menu(false),
				"no-input", menu(false), "no-input", "goodbye")},
		{name: "WrongKeysGoodbye", script: []step{{at: 2 * time.Second, do: "5"}, {at: 4 * time.Second, do: "5"}, {at: 6 * time.Second, do: "5"}},
			outcome: tickets.OutcomeFailed},
		{name: "InvalidKeyThenBranch", script: []step{{at: 2 * time.Second, do: "5"}, {at: 4 * time.Second, do: "#"}, {at: 18 * time.Second, do: "2"}},
			outcome: tickets.OutcomeTicket},
		{name: "KeyAfterMenuInTime", script: []step{{at: 22 * time.Second, do: "9"}}, outcome: tickets.OutcomeTicket},
		{name: "OperatorKeyWithoutOperator", script: []step{{at: 2 * time.Second, do: "0"}, {at: 3 * time.Second, do: "hangup"}},
			outcome: tickets.OutcomeAbandonedMenu},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t)
				if tc.name == "OperatorKeyWithoutOperator" {
					r.cfg.Operator = ""
				}
				p := newPhone(tc.script...)
				c := r.run(t, p)
				if c.Outcome != tc.outcome {
					t.Errorf("outcome = %s, want %s\n%s", c.Outcome, tc.outcome, p.log())
				}
				if tc.want != nil {
					checkPlayed(t, p, tc.want)
				}
				if tc.name == "InvalidKeyThenBranch" {
					checkPlayed(t, p, seq("greeting", "menu-status", "menu-operator", "invalid-key", "menu-status", "menu-operator", "invalid-key", menu(true),
						"chosen", "branch-2", "record-notice", "record-invite", "ticket-code", codePrompts(c.TicketCode), "repeat", codePrompts(c.TicketCode), "goodbye"))
				}
			})
		})
	}
}

func TestAfterHours(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t)
		r.clock.T = time.Date(2026, time.November, 2, 20, 0, 0, 0, ticketstest.Location(t))
		p := newPhone(step{at: 24500 * time.Millisecond, do: "hangup"})
		c := r.run(t, p)
		if c.Outcome != tickets.OutcomeAfterHours {
			t.Errorf("outcome = %s\n%s", c.Outcome, p.log())
		}
		checkPlayed(t, p, seq("greeting", "after-hours", menu(false), "no-input", menu(false)[:7]))
	})
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t)
		r.clock.T = time.Date(2027, time.February, 8, 9, 0, 0, 0, ticketstest.Location(t)) // Tết
		p := newPhone(step{at: 3 * time.Second, do: "1"})
		if c := r.run(t, p); c.Outcome != tickets.OutcomeTicket || c.Branch != 1 {
			t.Errorf("call = %+v\n%s", c, p.log())
		}
	})
}

func TestOperator(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t)
		p := newPhone(step{at: 2 * time.Second, do: "0"})
		p.operatorAfter = 10 * time.Second
		c := r.run(t, p)
		if c.Outcome != tickets.OutcomeOperator {
			t.Errorf("outcome = %s\n%s", c.Outcome, p.log())
		}
		checkPlayed(t, p, seq("greeting", "menu-status", "menu-operator", "operator-wait"))
		if !strings.Contains(p.log(), "dial PJSIP/operator") {
			t.Errorf("no dial:\n%s", p.log())
		}
	})
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t)
		// Nobody answers within 30 s: the caller is offered to leave a message.
		p := newPhone(step{at: 2 * time.Second, do: "0"}, step{at: 36500 * time.Millisecond, do: "4"})
		c := r.run(t, p)
		if c.Outcome != tickets.OutcomeTicket || c.Branch != 4 {
			t.Errorf("call = %+v\n%s", c, p.log())
		}
		if !strings.Contains(p.log(), "33s no answer") {
			t.Errorf("the operator rang for other than 30 s:\n%s", p.log())
		}
		checkPlayed(t, p, seq("greeting", "menu-status", "menu-operator", "operator-wait", "operator-busy", "menu-status", "menu-intro", "digit-1",
			"chosen", "branch-4", "record-notice", "record-invite", "ticket-code", codePrompts(c.TicketCode), "repeat", codePrompts(c.TicketCode), "goodbye"))
	})
}

// typeCode is a script that presses * and types code then #.
func typeCode(code string) []step {
	return []step{{at: 2 * time.Second, do: "*"}, {at: 4 * time.Second, do: code + "#"}}
}

func TestStatus(t *testing.T) {
	for _, tc := range []struct {
		name    string
		actions []tickets.Action
		want    func(tk *tickets.Ticket) []string
	}{
		{name: "Received", want: func(*tickets.Ticket) []string { return []string{"status-received"} }},
		{name: "Handling", actions: []tickets.Action{tickets.ActionAssign, tickets.ActionStart},
			want: func(*tickets.Ticket) []string { return []string{"status-handling", "dept-so-tu-phap"} }},
		{name: "Resolved", actions: []tickets.Action{tickets.ActionAssign, tickets.ActionStart, tickets.ActionResolve},
			want: func(*tickets.Ticket) []string {
				return []string{"status-resolved", "date-day", "digit-2", "date-month", "num-11", "date-year", "digit-2", "num-thousand", "digit-0", "num-hundred", "num-26"}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t)
				ctx := context.Background()
				tk, err := r.svc.Open(ctx, tickets.NewTicket{Branch: 2, Channel: tickets.ChannelWeb, Text: "Hồ sơ chậm"})
				if err != nil {
					t.Fatal(err)
				}
				for _, a := range tc.actions {
					if tk, err = r.svc.Move(ctx, tk.Code, tickets.Change{Action: a, Department: "so-tu-phap"}); err != nil {
						t.Fatal(err)
					}
				}
				p := newPhone(typeCode(string(tk.Code))...)
				c := r.run(t, p)
				if c.Outcome != tickets.OutcomeStatusCheck || c.TicketCode != tk.Code {
					t.Errorf("call = %+v: want the status check of %s", c, tk.Code)
				}
				if w := r.store.writes; len(w) == 0 || w[len(w)-1].TicketCode != tk.Code {
					t.Errorf("stored calls = %+v", w)
				}
				checkPlayed(t, p, seq("greeting", "menu-status", "menu-operator", "code-enter", tc.want(tk), "goodbye"))
			})
		})
	}
}

func TestStatusBadCodes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t)
		good := string(tickets.NewCode())
		mistyped := good[:8] + string('0'+(good[8]-'0'+1)%10)
		p := newPhone(step{at: 2 * time.Second, do: "*"}, step{at: 4 * time.Second, do: mistyped + "#"},
			step{at: 8 * time.Second, do: good + "#"}, step{at: 12 * time.Second, do: "12"})
		c := r.run(t, p)
		if c.Outcome != tickets.OutcomeStatusCheck {
			t.Errorf("outcome = %s", c.Outcome)
		}
		// The mistyped code is rejected before any look-up; the unknown
		// one is looked up; "12" then a pause is no code either.
		checkPlayed(t, p, seq("greeting", "menu-status", "menu-operator", "code-enter", "code-invalid", "code-enter",
			"status-unknown", "code-enter", "code-invalid", "goodbye"))
		if r.store.lookups != 1 {
			t.Errorf("%d look-ups, want 1", r.store.lookups)
		}
	})
}

// Whenever the caller hangs up, the call is stored with its outcome, and a
// message being recorded is kept.
func TestHangupAtEachStep(t *testing.T) {
	for _, tc := range []struct {
		name    string
		script  []step
		talk    time.Duration
		outcome tickets.Outcome
		ticket  bool
	}{
		{name: "DuringGreeting", script: []step{{at: 500 * time.Millisecond, do: "hangup"}}, outcome: tickets.OutcomeAbandonedMenu},
		{name: "WaitingForKey", script: []step{{at: 20 * time.Second, do: "hangup"}}, outcome: tickets.OutcomeAbandonedMenu},
		{name: "DuringInvitation", script: []step{{at: 2 * time.Second, do: "4"}, {at: 3 * time.Second, do: "hangup"}}, outcome: tickets.OutcomeAbandonedRec},
		{name: "WhileRecording", script: []step{{at: 2 * time.Second, do: "4"}, {at: 10 * time.Second, do: "hangup"}}, outcome: tickets.OutcomeTicket, ticket: true},
		{name: "DuringCode", script: []step{{at: 2 * time.Second, do: "4"}, {at: 24 * time.Second, do: "hangup"}}, outcome: tickets.OutcomeTicket, ticket: true},
		{name: "SilentSecondTry", script: []step{{at: 2 * time.Second, do: "4"}, {at: 20 * time.Second, do: "hangup"}}, talk: -1, outcome: tickets.OutcomeAbandonedRec},
		{name: "WaitingForOperator", script: []step{{at: 2 * time.Second, do: "0"}, {at: 10 * time.Second, do: "hangup"}}, outcome: tickets.OutcomeAbandonedMenu},
		{name: "TypingCode", script: []step{{at: 2 * time.Second, do: "*"}, {at: 4 * time.Second, do: "123"}, {at: 5 * time.Second, do: "hangup"}}, outcome: tickets.OutcomeStatusCheck},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t)
				p := newPhone(tc.script...)
				if tc.talk < 0 {
					p.talk = 0
				}
				c := r.run(t, p)
				if c.Outcome != tc.outcome || (c.TicketCode != "") != tc.ticket || c.EndedAt.IsZero() || c.ID == 0 {
					t.Errorf("call = %+v, want outcome %s, ticket %v\n%s", c, tc.outcome, tc.ticket, p.log())
				}
				counts, err := r.svc.Store.CountCalls(context.Background())
				if err != nil || counts[tc.outcome] != 1 || len(counts) != 1 {
					t.Errorf("stored calls = %v (%v)", counts, err)
				}
				if tc.ticket {
					tk, err := r.svc.Store.Ticket(context.Background(), c.TicketCode)
					if err != nil || tk.Recording == "" {
						t.Errorf("ticket = %+v (%v)", tk, err)
					}
				}
			})
		})
	}
}

// A recording without enough speech is no message: the caller is asked once
// more, then goes back to the menu; each empty recording is deleted.
func TestNoSpeech(t *testing.T) {
	for _, tc := range []struct {
		name        string
		talk        time.Duration
		silentTries int
		operator    string
		script      []step
		outcome     tickets.Outcome
		want        []string
		never       string // a prompt the caller must not hear
	}{
		{name: "SpeaksOnSecondTry", talk: 5 * time.Second, silentTries: 1, operator: "PJSIP/operator",
			script: []step{{at: 2 * time.Second, do: "4"}}, outcome: tickets.OutcomeTicket,
			want: seq("greeting", "menu-status", "menu-operator", "chosen", "branch-4", "record-notice", "record-invite", "no-speech", "ticket-code")},
		{name: "TooShort", talk: 1500 * time.Millisecond, operator: "PJSIP/operator",
			script: []step{{at: 2 * time.Second, do: "4"}, {at: 40 * time.Second, do: "hangup"}}, outcome: tickets.OutcomeAbandonedMenu,
			want: seq("greeting", "menu-status", "menu-operator", "chosen", "branch-4", "record-notice", "record-invite", "no-speech", "no-message", "menu-status")},
		{name: "EmptyMessagesThenSilentGoodbye", script: []step{{at: 2 * time.Second, do: "4"}}, outcome: tickets.OutcomeNoInput,
			want: seq("greeting", "menu-status", "menu-intro", "chosen", "branch-4", "record-notice", "record-invite", "no-speech",
				"no-message", menu(false), "no-input", menu(false), "no-input", "goodbye"), never: "no-input-offer"},
		{name: "SilentCallerOfferedMessage", silentTries: 2,
			outcome: tickets.OutcomeNoInput,
			want:    seq("greeting", menu(false), "no-input", menu(false), "no-input-offer", "record-notice", "record-invite", "no-speech", "no-message", "goodbye")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t)
				r.cfg.Operator = tc.operator
				p := newPhone(tc.script...)
				p.talk, p.silentTries = tc.talk, tc.silentTries
				c := r.run(t, p)
				if c.Outcome != tc.outcome {
					t.Errorf("outcome = %s, want %s\n%s", c.Outcome, tc.outcome, p.log())
				}
				if got := p.played(); len(got) < len(tc.want) || !slices.Equal(got[:len(tc.want)], tc.want) {
					t.Errorf("played\n %v\nwant first\n %v", got, tc.want)
				}
				if tc.never != "" && slices.Contains(p.played(), tc.never) {
					t.Errorf("played %s: %v", tc.never, p.played())
				}
				if tc.outcome != tickets.OutcomeTicket && !strings.Contains(p.log(), "discard hotline-") {
					t.Errorf("the empty recording was not deleted:\n%s", p.log())
				}
			})
		})
	}
}

// Years and numbers are read as numbers, not digit by digit.
func TestNumberPrompts(t *testing.T) {
	for n, want := range map[int]string{
		7:    "digit-7",
		26:   "num-26",
		2026: "digit-2 num-thousand digit-0 num-hundred num-26",
		2005: "digit-2 num-thousand digit-0 num-hundred num-odd digit-5",
		2000: "digit-2 num-thousand",
		2041: "digit-2 num-thousand digit-0 num-hundred digit-4 num-tens num-unit-1",
		2055: "digit-2 num-thousand digit-0 num-hundred digit-5 num-tens num-unit-5",
		2150: "digit-2 num-thousand digit-1 num-hundred digit-5 num-tens",
	} {
		if got := strings.Join(ivr.NumberPrompts(n), " "); got != want {
			t.Errorf("%d: %s, want %s", n, got, want)
		}
	}
}
