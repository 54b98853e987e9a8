// SPDX-License-Identifier: Apache-2.0

package chatbot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"
	"unicode/utf16"

	"github.com/hotline-cchc/hotline/tickets"
)

// Sender delivers replies on one channel; the adapter implements it.
type Sender interface {
	// Send delivers r to chat. It returns an error wrapping ErrBlocked if the
	// recipient blocked the bot, ErrRejected if the channel refuses the
	// message for good, a *RetryError if the channel asks to wait, and any
	// other error for a failure worth retrying later.
	Send(ctx context.Context, chat string, r Reply) error
	// MaxText is the longest text of one message, in UTF-16 code units.
	MaxText() int
}

// Delivery errors a Sender returns.
var (
	ErrBlocked  = errors.New("the recipient blocked the bot")
	ErrRejected = errors.New("the channel rejected the message")
)

// RetryError asks to try again after a wait (Telegram's 429 with retry_after).
type RetryError struct {
	After time.Duration
	Err   error
}

func (e *RetryError) Error() string { return fmt.Sprintf("retry after %v: %v", e.After, e.Err) }
func (e *RetryError) Unwrap() error { return e.Err }

// Outbox limits.
const (
	outboxBatch       = 256
	outboxWorkers     = 16
	maxAttempts       = 12 // transient failures before a message is given up
	maxBackoff        = 10 * time.Minute
	defaultOutboxPoll = time.Second
	// keepHandled is how long handled update ids are kept: Telegram keeps
	// an unconfirmed update for 24 hours, so a repeat never comes later.
	keepHandled = 7 * 24 * time.Hour
	pruneEvery  = time.Hour
)

// RunOutbox delivers the channel's outbox through s until ctx ends: at once
// when Handle queued replies (Wake), else every OutboxPoll. Each recipient
// gets its messages in order; recipients are served in parallel. It returns
// ctx's error.
func (b *Bot) RunOutbox(ctx context.Context, s Sender) error {
	b.init()
	poll := b.OutboxPoll
	if poll <= 0 {
		poll = defaultOutboxPoll
	}
	t := time.NewTimer(0)
	defer t.Stop()
	var pruned time.Time
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-b.wake:
		case <-t.C:
		}
		for {
			n, err := b.DeliverOutbox(ctx, s)
			if err != nil && ctx.Err() == nil {
				b.Log.Error("chatbot: outbox", "err", err)
			}
			if err != nil || n < outboxBatch {
				break
			}
		}
		if now := b.now(); now.Sub(pruned) >= pruneEvery {
			pruned = now
			if _, err := b.Store.ForgetHandled(ctx, b.Channel, now.Add(-keepHandled)); err != nil && ctx.Err() == nil {
				b.Log.Error("chatbot: forget handled updates", "err", err)
			}
			n, err := b.Store.ExpireConversations(ctx, b.Channel, now.Add(-b.draftTTL()), now, stateExpired, stateIdle)
			if err != nil && ctx.Err() == nil {
				b.Log.Error("chatbot: expire conversations", "err", err)
			} else if n > 0 {
				b.Log.Info("chatbot: expired conversations", "count", n)
			}
		}
		t.Reset(poll)
	}
}

// DeliverOutbox makes one pass over the messages due now and returns how
// many it tried. Passes run one at a time.
func (b *Bot) DeliverOutbox(ctx context.Context, s Sender) (int, error) {
	b.init()
	b.pass.Lock()
	defer b.pass.Unlock()
	out, err := b.Store.Outbox(ctx, b.Channel, b.now(), outboxBatch)
	if err != nil {
		return 0, err
	}
	var order []string
	byChat := map[string][]tickets.Outgoing{}
	for _, o := range out {
		if _, ok := byChat[o.Recipient.ID]; !ok {
			order = append(order, o.Recipient.ID)
		}
		byChat[o.Recipient.ID] = append(byChat[o.Recipient.ID], o)
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, outboxWorkers)
	errc := make(chan error, 1)
	for _, chat := range order {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			for _, o := range byChat[chat] {
				sent, err := b.deliver(ctx, s, o)
				if err != nil {
					select {
					case errc <- err:
					default:
					}
				}
				if !sent {
					return // the rest waits, in order
				}
			}
		})
	}
	wg.Wait()
	select {
	case err = <-errc:
	default:
	}
	return len(out), err
}

// deliver sends one message, the parts not yet sent, and records the
// outcome; it reports whether the message is now sent.
func (b *Bot) deliver(ctx context.Context, s Sender, o tickets.Outgoing) (bool, error) {
	parts, err := b.render(ctx, o, s.MaxText())
	if err != nil {
		if tickets.ErrorCode(err) == tickets.EINTERNAL {
			return false, err
		}
		parts = nil // nothing to say any more: a vanished ticket
	}
	d := tickets.Delivery{PartsSent: o.PartsSent}
	var sendErr error
	for d.PartsSent < len(parts) && ctx.Err() == nil {
		if sendErr = s.Send(ctx, o.Recipient.ID, parts[d.PartsSent]); sendErr != nil {
			break
		}
		d.PartsSent++
	}
	d.At = b.now()
	switch {
	case sendErr == nil && d.PartsSent < len(parts): // shutting down between parts
		if d.PartsSent == o.PartsSent {
			return false, nil
		}
		d.Retry, d.Error = d.At, "interrupted"
	case sendErr != nil && ctx.Err() != nil: // shutting down mid-send: try again later
		d.Retry, d.Error = d.At, "interrupted"
	default:
		b.outcome(&d, o, sendErr)
	}
	if err := b.Store.Delivered(context.WithoutCancel(ctx), o.ID, d); err != nil {
		return false, err
	}
	return d.Sent, nil
}

// outcome fills d from the error of the last send.
func (b *Bot) outcome(d *tickets.Delivery, o tickets.Outgoing, err error) {
	var re *RetryError
	switch {
	case err == nil:
		d.Sent = true
		return
	case errors.As(err, &re):
		d.Retry = d.At.Add(re.After)
	case errors.Is(err, ErrBlocked):
		d.Blocked = true
		b.Log.Info("chatbot: recipient blocked the bot", "chat", tickets.MaskContact(o.Recipient.ID))
	case errors.Is(err, ErrRejected) || o.Attempts+1 >= maxAttempts:
		d.Failed = true
		b.Log.Warn("chatbot: message given up", "outbox_id", o.ID, "kind", o.Kind, "err", err)
	default:
		d.Retry = d.At.Add(min(maxBackoff, time.Second<<min(o.Attempts, 20)))
	}
	d.Error = err.Error()
}

// render turns an outbox message into the replies to send, split to the
// channel's length.
func (b *Bot) render(ctx context.Context, o tickets.Outgoing, max int) ([]Reply, error) {
	var r Reply
	if o.Kind == tickets.NoticeReply {
		if err := json.Unmarshal([]byte(o.Body), &r); err != nil {
			return nil, tickets.Errorf(tickets.EINVALID, "outbox %d: unreadable reply", o.ID)
		}
		return split(r, max), nil
	}
	t, err := b.Store.Ticket(ctx, o.Ticket)
	if err != nil {
		return nil, err
	}
	switch o.Kind {
	case tickets.NoticeAnswer:
		r.Text = b.answerNotice(t, o.Body)
	case tickets.NoticeResolved:
		r.Text = b.resolvedNotice(t, o.Body)
	case tickets.NoticeNewTicket:
		r = b.departmentNotice(t)
	default:
		return nil, tickets.Errorf(tickets.EINVALID, "outbox %d: unknown kind %q", o.ID, o.Kind)
	}
	return split(r, max), nil
}

// split cuts r's text into messages of at most max UTF-16 code units, at a
// line break or a space when there is one in the second half of a part. The
// buttons and keyboards go with the last part; an edit is cut, not split.
func split(r Reply, max int) []Reply {
	u := utf16.Encode([]rune(r.Text))
	if max <= 0 || len(u) <= max {
		return []Reply{r}
	}
	if r.Edit != 0 {
		r.Text = string(utf16.Decode(cut(u, max-1))) + "…"
		return []Reply{r}
	}
	var parts []Reply
	for len(u) > max {
		n := breakAt(u, max)
		parts = append(parts, Reply{Text: string(utf16.Decode(u[:n]))})
		u = u[n:]
	}
	r.Text = string(utf16.Decode(u))
	return append(parts, r)
}

// breakAt returns where to end a part of at most max code units of u.
func breakAt(u []uint16, max int) int {
	for _, sep := range []uint16{'\n', ' '} {
		for i := max; i > max/2; i-- {
			if u[i-1] == sep {
				return i
			}
		}
	}
	return len(cut(u, max))
}

// cut returns at most n code units of u, not splitting a surrogate pair.
func cut(u []uint16, n int) []uint16 {
	if n < len(u) && utf16.IsSurrogate(rune(u[n-1])) && u[n-1] < 0xdc00 {
		n--
	}
	return u[:min(n, len(u))]
}
