// SPDX-License-Identifier: Apache-2.0

package ivr

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// storeTimeout bounds the writes made after the caller is gone or the
// server is shutting down.
const storeTimeout = 10 * time.Second

// Flow answers calls. It is safe for concurrent use: Handle runs once per
// call, each in the call's own goroutine, and shares nothing between calls.
type Flow struct {
	cfg   Config
	svc   Service
	store Store
	log   *slog.Logger
}

// New returns a flow over svc and store; zero fields of cfg take their
// defaults. cfg.Menu and cfg.Calendar are required.
func New(cfg Config, svc Service, store Store, log *slog.Logger) *Flow {
	return &Flow{cfg: cfg.withDefaults(), svc: svc, store: store, log: log}
}

// stage is where a call stands, to tell its outcome when the caller hangs up.
type stage int

const (
	stageMenu stage = iota
	stageMessage
	stageOperator
	stageStatus
)

// session is one call's state, owned by the call's goroutine.
type session struct {
	f          *Flow
	c          Call
	log        *slog.Logger
	rec        tickets.Call
	afterHours bool
	offered    bool // a caller who pressed nothing was offered the operator or a message
	retried    bool // the caller went back to the menu after two recordings without speech
	stage      stage
}

// Handle runs one call from answer to hangup and returns its record as
// stored. Whatever happens — the caller hangs up at any step, a request
// fails, ctx ends — the call is written to the store with its outcome.
func (f *Flow) Handle(ctx context.Context, c Call) tickets.Call {
	s := &session{f: f, c: c, log: f.log.With("channel", c.ID(), "caller", tickets.MaskContact(c.CallerID()))}
	var err error
	if r, ok := c.(Resumable); ok {
		if st, ok := r.Resumed(); ok {
			err = s.resume(ctx, r, st)
			s.finish(ctx, err)
			return s.rec
		}
	}
	err = s.run(ctx)
	s.finish(ctx, err)
	return s.rec
}

func (s *session) run(ctx context.Context) error {
	now := s.f.cfg.Now()
	s.rec = tickets.Call{ChannelID: s.c.ID(), Caller: s.c.CallerID(), StartedAt: now, Outcome: tickets.OutcomeActive}
	if err := s.c.Answer(ctx); err != nil {
		return err
	}
	if err := s.f.store.CreateCall(ctx, &s.rec); err != nil {
		s.log.Error("store call", "err", err)
	}
	s.save(ctx, "")
	s.afterHours = !s.f.cfg.Calendar.Open(now)
	intro := []string{PromptGreeting}
	if s.afterHours {
		intro = append(intro, PromptAfterHours)
	}
	return s.menu(ctx, intro, s.operatorOpen())
}

func (s *session) menuPrompts(operator bool) []string { return MenuPrompts(s.f.cfg.Menu, operator) }

// menu offers the menu and follows the key chosen. A wrong key is allowed
// Attempts-1 times; a caller who presses nothing hears the menu
// NoInputMenus times, then is put through to the operator (in hours) or
// offered to leave a message.
func (s *session) menu(ctx context.Context, intro []string, operator bool) error {
	s.stage = stageMenu
	prompts := intro
	for wrong, silent := 0, 0; ; {
		key, err := s.c.Play(ctx, append(prompts, s.menuPrompts(operator)...), true)
		if err == nil && key == "" {
			key, err = s.c.ReadDigit(ctx, s.f.cfg.DigitTimeout)
		}
		if err != nil {
			return err
		}
		switch {
		case key == "":
			if silent++; silent >= s.f.cfg.NoInputMenus {
				return s.noInput(ctx, operator)
			}
			prompts = []string{PromptNoInput}
			continue
		case key == "0" && operator:
			return s.operator(ctx)
		case key == "*":
			return s.status(ctx)
		case key >= "1" && key <= "9":
			n, _ := strconv.Atoi(key)
			if b, err := s.f.cfg.Menu.Branch(n); err == nil {
				return s.message(ctx, b, false)
			}
		}
		if wrong++; wrong >= s.f.cfg.Attempts {
			s.rec.Outcome = tickets.OutcomeFailed
			return s.goodbye(ctx, PromptInvalidKey)
		}
		prompts = []string{PromptInvalidKey}
	}
}

// noInput follows a caller who pressed nothing: the operator in hours,
// else a message on the fallback branch; offered once a call, and not to a
// caller who already left two recordings without a message.
func (s *session) noInput(ctx context.Context, operator bool) error {
	if s.offered || s.retried {
		s.rec.Outcome = tickets.OutcomeNoInput
		return s.goodbye(ctx, PromptNoInput)
	}
	s.offered = true
	if operator {
		return s.operator(ctx)
	}
	b, err := s.f.cfg.Menu.Branch(s.f.cfg.FallbackBranch)
	if err != nil {
		s.rec.Outcome = tickets.OutcomeNoInput
		return s.goodbye(ctx, PromptNoInput)
	}
	return s.message(ctx, b, true)
}

// operator calls the operators; if none answers in time the caller is
// offered to leave a message instead.
func (s *session) operator(ctx context.Context) error {
	s.stage = stageOperator
	s.offered = true
	if _, err := s.c.Play(ctx, []string{PromptOperatorWait}, false); err != nil {
		return err
	}
	answered, err := s.c.Dial(ctx, s.f.cfg.Operator, s.f.cfg.OperatorTimeout)
	if answered {
		s.rec.Outcome = tickets.OutcomeOperator
		if err != nil {
			return err
		}
		return s.c.Hangup(ctx)
	}
	if errors.Is(err, ErrHangup) || ctx.Err() != nil {
		return err
	}
	if err != nil {
		s.log.Error("dial operator", "err", err)
	}
	return s.menu(ctx, []string{PromptOperatorBusy}, false)
}

// operatorOpen reports whether the operator may be offered now.
func (s *session) operatorOpen() bool { return s.f.cfg.Operator != "" && !s.afterHours }

// goodbye plays prompts, then goodbye, and hangs up.
func (s *session) goodbye(ctx context.Context, prompts ...string) error {
	if _, err := s.c.Play(ctx, append(prompts, PromptGoodbye), false); err != nil {
		return err
	}
	return s.c.Hangup(ctx)
}

// update stores the call's progress; a failure is logged, the call goes on.
func (s *session) update(ctx context.Context) {
	if s.rec.ID == 0 {
		return
	}
	uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	if err := s.f.store.UpdateCall(uctx, &s.rec); err != nil {
		s.log.Error("store call", "err", err)
	}
}

// finish decides the outcome of a call that ended without one, hangs up if
// the call failed, and stores the end of the call.
func (s *session) finish(ctx context.Context, err error) {
	if errors.Is(err, ErrLost) {
		s.log.Warn("call lost: Asterisk restarted or was unreachable", "err", err)
		if s.rec.Outcome == tickets.OutcomeActive {
			s.rec.Outcome = tickets.OutcomeFault
		}
	}
	if err != nil && !errors.Is(err, ErrHangup) {
		s.log.Error("call failed", "err", err)
		if s.rec.Outcome == tickets.OutcomeActive {
			s.rec.Outcome = tickets.OutcomeFault
		}
		hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
		if herr := s.c.Hangup(hctx); herr != nil && !errors.Is(herr, ErrHangup) {
			s.log.Warn("hang up", "err", herr)
		}
		cancel()
	}
	if s.rec.Outcome == tickets.OutcomeActive {
		s.rec.Outcome = s.abandoned()
	}
	s.rec.EndedAt = s.f.cfg.Now()
	if s.rec.ID == 0 && s.rec.ChannelID != "" && !s.rec.StartedAt.IsZero() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
		if cerr := s.f.store.CreateCall(cctx, &s.rec); cerr != nil {
			s.log.Error("store call", "err", cerr)
		}
		cancel()
	} else {
		s.update(ctx)
	}
	s.log.Info("call ended", "outcome", s.rec.Outcome, "branch", s.rec.Branch, "ticket", s.rec.TicketCode,
		"seconds", s.rec.EndedAt.Sub(s.rec.StartedAt).Round(time.Second).Seconds())
}

// abandoned is the outcome of a call the caller left before it ended.
func (s *session) abandoned() tickets.Outcome {
	switch {
	case s.stage == stageMessage:
		return tickets.OutcomeAbandonedRec
	case s.afterHours:
		return tickets.OutcomeAfterHours
	default:
		return tickets.OutcomeAbandonedMenu
	}
}
