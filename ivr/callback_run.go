// SPDX-License-Identifier: Apache-2.0

package ivr

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// CallbackStore is the phone's outbox and the attempts' record;
// tickets/sqlite satisfies it.
type CallbackStore interface {
	// NextOutbox returns up to limit notices of channel due at now.
	NextOutbox(ctx context.Context, channel tickets.Channel, now time.Time, limit int, skip []string) ([]tickets.Outgoing, error)
	// StartCallback marks notice id sending and records a new attempt, in
	// one committed write; false if the notice is no longer queued.
	StartCallback(ctx context.Context, id int64, at time.Time) (attempt int64, ok bool, err error)
	// EndCallback records how attempt ended.
	EndCallback(ctx context.Context, attempt int64, o tickets.CallbackOutcome, cause int, at time.Time) error
	// Delivered records the notice's outcome.
	Delivered(ctx context.Context, id int64, d tickets.Delivery) error
	// CoveredCallbacks marks sent the ticket's other phone notices queued
	// before at, which the answered call-back of notice id covered.
	CoveredCallbacks(ctx context.Context, id int64, at time.Time) (int64, error)
	// RecoverCallbacks closes attempts left calling as interrupted and
	// queues their notices for retry.
	RecoverCallbacks(ctx context.Context, at, retry time.Time) (int64, error)
	Ticket(ctx context.Context, code tickets.Code) (*tickets.Ticket, error)
}

// Callbacks calls citizens back with their ticket's answer: it takes the
// phone channel's outbox notices (queued by Service with PhoneCallback on)
// in business hours, dials Endpoint with the number, and on pick-up runs
// Flow.CallBack. An unanswered call is tried again Interval later, in
// business hours, up to Attempts calls; then the notice fails, visibly on
// the ticket. Every attempt is recorded before the number is dialled.
type Callbacks struct {
	Flow  *Flow
	Store CallbackStore
	Phone Originator
	// Endpoint is the dial string with {number}, e.g. PJSIP/{number}@trunk.
	Endpoint string
	CallerID string
	Attempts int           // calls per notice; 3 if 0
	Interval time.Duration // between calls; 2 h if 0
	Ring     time.Duration // how long a call rings; 45 s if 0
	Poll     time.Duration // how often the outbox is read; 2 s if 0
	Log      *slog.Logger
}

// Defaults of Callbacks' zero fields.
const (
	DefaultCallbackAttempts = 3
	DefaultCallbackInterval = 2 * time.Hour
	DefaultCallbackRing     = 45 * time.Second
	callbackPoll            = 2 * time.Second
)

func (cb *Callbacks) now() time.Time { return cb.Flow.cfg.Now().UTC().Truncate(time.Millisecond) }

// Run recovers the attempts a stopped run left calling, then calls back
// until ctx ends. It returns only ctx's end.
func (cb *Callbacks) Run(ctx context.Context) error {
	now := cb.now()
	if n, err := cb.Store.RecoverCallbacks(ctx, now, cb.retryAt(now)); err != nil {
		cb.Log.Error("call-back: recover interrupted calls", "err", err)
	} else if n > 0 {
		cb.Log.Warn("call-back: calls interrupted by the last stop are tried again later, not at once", "count", n)
	}
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		if _, err := cb.RunOnce(ctx); err != nil && ctx.Err() == nil {
			cb.Log.Error("call-back", "err", err)
		}
		t.Reset(or(cb.Poll, callbackPoll))
	}
}

// RunOnce places the call-backs due now, one after the other, if the
// hotline is in business hours, and returns how many notices it handled.
func (cb *Callbacks) RunOnce(ctx context.Context) (int, error) {
	now := cb.now()
	if !cb.Flow.cfg.Calendar.Open(now) {
		return 0, nil
	}
	due, err := cb.Store.NextOutbox(ctx, tickets.ChannelPhone, now, 4, nil)
	if err != nil {
		return 0, err
	}
	for i, o := range due {
		if err := cb.call(ctx, o); err != nil {
			return i, err
		}
	}
	return len(due), nil
}

// retryAt is the first moment in business hours an Interval after t.
func (cb *Callbacks) retryAt(t time.Time) time.Time {
	next, ok := cb.Flow.cfg.Calendar.NextOpen(t.Add(or(cb.Interval, DefaultCallbackInterval)))
	if !ok {
		return t.Add(or(cb.Interval, DefaultCallbackInterval))
	}
	return next.UTC()
}

// call places one call-back for notice o and records its outcome.
func (cb *Callbacks) call(ctx context.Context, o tickets.Outgoing) error {
	log := cb.Log.With("ticket", o.Ticket, "number", tickets.MaskContact(o.Recipient.ID))
	number, ok := tickets.VietnameseNumber(o.Recipient.ID)
	if !ok {
		log.Warn("call-back: the contact is no Vietnamese phone number; not calling")
		return cb.Store.Delivered(ctx, o.ID, tickets.Delivery{State: tickets.StateFailed, Class: tickets.ClassInvalidNumber,
			Error: "the contact is no Vietnamese phone number", At: cb.now()})
	}
	if o.Attempts >= or(cb.Attempts, DefaultCallbackAttempts) {
		return cb.giveUp(ctx, o, log)
	}
	started := cb.now()
	attempt, ok, err := cb.Store.StartCallback(ctx, o.ID, started)
	if err != nil || !ok {
		return err
	}
	outcome, cause := cb.dial(ctx, strings.ReplaceAll(cb.Endpoint, "{number}", number), o, log)
	if err := cb.Store.EndCallback(context.WithoutCancel(ctx), attempt, outcome, cause, cb.now()); err != nil {
		return err
	}
	log.Info("call-back attempt", "attempt", o.Attempts+1, "outcome", outcome, "cause", cause)
	switch {
	case outcome == tickets.CallbackAnswered:
		return cb.answered(context.WithoutCancel(ctx), o, started)
	case o.Attempts+1 >= or(cb.Attempts, DefaultCallbackAttempts):
		o.Attempts++
		return cb.giveUp(context.WithoutCancel(ctx), o, log)
	}
	now := cb.now()
	return cb.Store.Delivered(context.WithoutCancel(ctx), o.ID, tickets.Delivery{State: tickets.StateQueued,
		Retry: cb.retryAt(now), Error: outcome.Vietnamese(), Class: string(outcome), At: now})
}

// answered records notice o sent and the ticket's other call-backs queued
// before the call started covered: the citizen heard the latest answer.
func (cb *Callbacks) answered(ctx context.Context, o tickets.Outgoing, started time.Time) error {
	if err := cb.Store.Delivered(ctx, o.ID, tickets.Delivery{State: tickets.StateSent, At: cb.now()}); err != nil {
		return err
	}
	n, err := cb.Store.CoveredCallbacks(ctx, o.ID, started)
	if n > 0 {
		cb.Log.Info("call-back: the answered call covered the ticket's later notices", "ticket", o.Ticket, "count", n)
	}
	return err
}

// giveUp fails notice o after its last unanswered call.
func (cb *Callbacks) giveUp(ctx context.Context, o tickets.Outgoing, log *slog.Logger) error {
	log.Warn("call-back: no answer after every attempt; the ticket shows it", "attempts", o.Attempts)
	return cb.Store.Delivered(ctx, o.ID, tickets.Delivery{State: tickets.StateFailed, Class: tickets.ClassNoAnswer,
		Error: "no answer after every call-back attempt", At: cb.now()})
}

// dial calls endpoint and, if the citizen picks up, speaks to them.
func (cb *Callbacks) dial(ctx context.Context, endpoint string, o tickets.Outgoing, log *slog.Logger) (tickets.CallbackOutcome, int) {
	c, release, err := cb.Phone.Originate(ctx, endpoint, cb.CallerID, or(cb.Ring, DefaultCallbackRing))
	var na *NotAnswered
	switch {
	case errors.As(err, &na):
		return tickets.OutcomeOfCause(na.Cause), na.Cause
	case err != nil:
		log.Error("call-back: the call could not be placed", "err", err)
		return tickets.CallbackFailed, 0
	}
	defer release()
	t, err := cb.Store.Ticket(ctx, o.Ticket)
	if err != nil {
		log.Error("call-back: read the ticket", "err", err)
		c.Hangup(context.WithoutCancel(ctx))
		return tickets.CallbackFailed, 0
	}
	if err := cb.Flow.CallBack(ctx, c, t); err != nil && !errors.Is(err, ErrHangup) {
		log.Error("call-back: the call failed", "err", err)
	}
	return tickets.CallbackAnswered, 0
}
