// SPDX-License-Identifier: Apache-2.0

package chatbot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// deliverer sends the outbox through one Sender: each recipient one message
// at a time, in order, recipients in parallel up to Workers.
type deliverer struct {
	b   *Bot
	s   Sender
	lim *limiter
	wg  sync.WaitGroup

	mu   sync.Mutex
	busy map[string]bool // recipients with a message being delivered
	err  error           // the first error of a delivery, for DeliverOutbox
}

// deliverer returns the Bot's deliverer for s, made at the first call.
func (b *Bot) deliverer(s Sender) *deliverer {
	b.dmu.Lock()
	defer b.dmu.Unlock()
	if b.d == nil || b.d.s != s {
		var l Limits
		if ls, ok := s.(Limited); ok {
			l = ls.Limits()
		}
		b.d = &deliverer{b: b, s: s, lim: newLimiter(l, b.now), busy: map[string]bool{}}
	}
	return b.d
}

// dispatch starts delivering the messages due now whose recipients are not
// busy, as many as there are free workers. It returns how many it started,
// and how long the channel is paused (a 429) if it is.
func (d *deliverer) dispatch(ctx context.Context) (int, time.Duration, error) {
	if ctx.Err() != nil {
		return 0, 0, nil
	}
	if wait := d.lim.paused(); wait > 0 {
		return 0, wait, nil
	}
	d.mu.Lock()
	free := d.b.workers() - len(d.busy)
	skip := make([]string, 0, len(d.busy))
	for r := range d.busy {
		skip = append(skip, r)
	}
	d.mu.Unlock()
	if free <= 0 {
		return 0, 0, nil
	}
	out, err := d.b.Store.NextOutbox(ctx, d.b.Channel, d.b.now(), free, skip)
	if err != nil {
		return 0, 0, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, o := range out {
		d.busy[o.Recipient.ID] = true
		d.wg.Go(func() {
			defer d.done(o.Recipient.ID)
			if err := d.deliver(ctx, o); err != nil {
				d.fail(err)
			}
		})
	}
	return len(out), 0, d.takeErr()
}

// done frees recipient's worker. The outbox is read again once a quarter
// of the workers are free (or all are): reading it for every freed worker
// costs a query per message in a drain. Handle's Wake reads it at once.
func (d *deliverer) done(recipient string) {
	d.mu.Lock()
	delete(d.busy, recipient)
	free := d.b.workers() - len(d.busy)
	d.mu.Unlock()
	if free >= max(1, d.b.workers()/4) || free == d.b.workers() {
		d.b.Wake()
	}
}

func (d *deliverer) fail(err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err == nil {
		d.err = err
	}
}

// takeErr returns and forgets the first error of the deliveries; d.mu is held.
func (d *deliverer) takeErr() error {
	err := d.err
	d.err = nil
	return err
}

// deliver sends one message, the parts not yet sent, and records the
// outcome. The message is marked sending in a committed write before the
// channel is called; once called, the send is finished and recorded even if
// ctx ends (bounded by SendTimeout), so that a stop never leaves a message
// delivered but not recorded. It returns an error only for a store failure.
func (d *deliverer) deliver(ctx context.Context, o tickets.Outgoing) error {
	parts, err := d.b.render(ctx, o, d.s.MaxText())
	if err != nil {
		if tickets.ErrorCode(err) == tickets.EINTERNAL {
			return err
		}
		d.b.Log.Error("chatbot: outbox: message cannot be sent; failed", "outbox_id", o.ID, "kind", o.Kind, "err", err)
		return d.record(ctx, o, tickets.Delivery{State: tickets.StateFailed, PartsSent: o.PartsSent,
			Error: err.Error(), Class: tickets.ClassMalformed, At: d.b.now()})
	}
	if err := d.lim.wait(ctx, o.Recipient.ID, o.Kind.Priority()); err != nil {
		return nil // paused, or shutting down, before the send: it stays queued
	}
	if ok, err := d.b.Store.StartSending(context.WithoutCancel(ctx), o.ID, d.b.now()); err != nil || !ok {
		return err
	}
	send, cancel := context.WithTimeout(context.WithoutCancel(ctx), d.b.sendTimeout())
	defer cancel()
	sent := o.PartsSent
	var sendErr error
	for sent < len(parts) {
		if sendErr = d.s.Send(send, o.Recipient.ID, parts[sent]); sendErr != nil {
			break
		}
		sent++
		if ctx.Err() != nil {
			break // shutting down between parts: the rest waits for the next start
		}
	}
	return d.record(ctx, o, d.outcome(o, sent, len(parts), sendErr))
}

// outcome turns the end of an attempt into the Delivery to record.
func (d *deliverer) outcome(o tickets.Outgoing, sent, parts int, err error) tickets.Delivery {
	b := d.b
	del := tickets.Delivery{PartsSent: sent, At: b.now()}
	attempt := o.Attempts + 1
	if err == nil {
		if sent == parts {
			del.State = tickets.StateSent
			b.Stats.sent.Add(1)
		} else {
			del.State, del.Retry, del.Uncount = tickets.StateQueued, del.At, true
		}
		return del
	}
	del.Error, del.Class = err.Error(), ErrorClass(err)
	defer func() {
		if del.State == tickets.StateQueued {
			b.Stats.retry(del.Class)
		}
	}()
	var re *RetryError
	switch {
	case errors.As(err, &re):
		d.lim.pause(re.After)
		del.State, del.Retry, del.Uncount = tickets.StateQueued, del.At.Add(re.After), true
		b.Log.Warn("chatbot: outbox: the channel asks to wait; sending paused", "retry_after", re.After)
	case del.Class == tickets.ClassBlocked:
		del.State, del.Blocked = tickets.StateFailed, true
		b.Stats.failed.Add(1)
		b.Log.Warn("chatbot: outbox: recipient blocked the bot; message failed", "outbox_id", o.ID, "chat", tickets.MaskContact(o.Recipient.ID))
	case del.Class == tickets.ClassRejected || del.Class == tickets.ClassUnreachable:
		del.State = tickets.StateFailed
		b.Stats.failed.Add(1)
		b.Log.Warn("chatbot: outbox: the channel rejected the message; failed", "outbox_id", o.ID, "kind", o.Kind, "err", err)
	case del.At.Sub(o.CreatedAt) >= b.giveUpAfter():
		del.State, del.Class = tickets.StateExpired, tickets.ClassExpired
		del.Error = fmt.Sprintf("not delivered within %v: %v", b.giveUpAfter(), err)
		b.Stats.expired.Add(1)
		b.Log.Error("chatbot: outbox: message expired", "outbox_id", o.ID, "kind", o.Kind, "attempts", attempt, "err", err)
	default:
		del.State = tickets.StateQueued
		del.Retry = del.At.Add(min(maxBackoff, time.Second<<min(attempt-1, 20)))
		if attempt == 1 || attempt%warnEvery == 0 {
			b.Log.Warn("chatbot: outbox: send failed; retrying", "outbox_id", o.ID, "kind", o.Kind,
				"attempts", attempt, "class", del.Class, "retry_at", del.Retry, "err", err)
		}
	}
	return del
}

// record stores the outcome of an attempt. A failed record is retried as a
// record — never by sending again — until it succeeds or, once shutting
// down, a few times; a message left sending is sent once more at the next
// start, counted uncertain.
func (d *deliverer) record(ctx context.Context, o tickets.Outgoing, del tickets.Delivery) error {
	for i := 1; ; i++ {
		err := d.b.Store.Delivered(context.WithoutCancel(ctx), o.ID, del)
		if err == nil {
			return nil
		}
		d.b.Log.Error("chatbot: outbox: record delivery; retrying the record, not the send", "outbox_id", o.ID, "err", err)
		if ctx.Err() != nil && i >= 3 {
			return err
		}
		time.Sleep(min(time.Duration(i)*recordRetryInterval, 30*time.Second))
	}
}
