// SPDX-License-Identifier: Apache-2.0

package chatbot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"
	"unicode/utf16"

	"github.com/hotline-cchc/hotline/tickets"
)

// Sender delivers replies on one channel; the adapter implements it.
type Sender interface {
	// Send delivers r to chat, giving up when ctx ends. It returns an error
	// wrapping ErrBlocked if the recipient blocked the bot, ErrRejected if
	// the channel refuses the message for good, a *RetryError if the channel
	// asks to wait, ErrUnavailable for a server error, context's error for a
	// timeout, and any other error for a failure to reach the channel.
	Send(ctx context.Context, chat string, r Reply) error
	// MaxText is the longest text of one message, in UTF-16 code units.
	MaxText() int
}

// Limited is a Sender with rate limits, which the outbox keeps.
type Limited interface {
	Limits() Limits
}

// Limits are a channel's rate limits: at most Channel.N messages in any
// Channel.Per on the whole channel, and Chat(id)'s to one chat.
type Limits struct {
	Channel Window
	Chat    func(chat string) Window
}

// Window allows at most N sends in any period of length Per; N = 0: no limit.
type Window struct {
	N   int
	Per time.Duration
}

// Delivery errors a Sender returns.
var (
	ErrBlocked  = errors.New("the recipient blocked the bot")
	ErrRejected = errors.New("the channel rejected the message")
	// ErrUnreachable: the channel can no longer reach the recipient and
	// there is no other way (Zalo after 7 days, no phone number); it fails
	// the message as ErrRejected does, with its own class.
	ErrUnreachable = errors.New("the channel can no longer reach the recipient")
	ErrUnavailable = errors.New("the channel answered with a server error")
)

// RetryError asks to try again after a wait (Telegram's 429 with retry_after).
type RetryError struct {
	After time.Duration
	Err   error
}

func (e *RetryError) Error() string { return fmt.Sprintf("retry after %v: %v", e.After, e.Err) }
func (e *RetryError) Unwrap() error { return e.Err }

// ErrorClass returns the class of a Sender's error, one of tickets' Class…
// names: rate_limit, blocked, rejected, timeout, server or connection.
func ErrorClass(err error) string {
	var re *RetryError
	var ne net.Error
	switch {
	case errors.As(err, &re):
		return tickets.ClassRateLimit
	case errors.Is(err, ErrBlocked):
		return tickets.ClassBlocked
	case errors.Is(err, ErrUnreachable):
		return tickets.ClassUnreachable
	case errors.Is(err, ErrRejected):
		return tickets.ClassRejected
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		return tickets.ClassTimeout
	case errors.Is(err, ErrUnavailable):
		return tickets.ClassServer
	}
	return tickets.ClassConnection
}

// Outbox defaults.
const (
	DefaultSendTimeout  = 15 * time.Second
	DefaultGiveUpAfter  = 7 * 24 * time.Hour
	defaultWorkers      = 128
	maxBackoff          = 10 * time.Minute
	defaultOutboxPoll   = time.Second
	warnEvery           = 10 // a warning at an item's first transient failure and every 10th
	recordRetryInterval = time.Second
	// keepHandled is how long handled update keys are kept: Telegram keeps
	// an unconfirmed update for 24 hours, so a repeat never comes later.
	keepHandled = 7 * 24 * time.Hour
	pruneEvery  = time.Hour
)

// RunOutbox delivers the channel's outbox through s until ctx ends: at once
// when Handle queued replies (Wake) or a send ends, else every OutboxPoll.
// Messages found sending at start — a run that crashed after handing them to
// the channel — are queued again once, counted uncertain. Each recipient gets
// its messages in order; recipients are served in parallel, replies first.
// When ctx ends it starts nothing more and waits for the sends in flight to
// end and be recorded, so a graceful stop never sends twice. It returns
// ctx's error.
func (b *Bot) RunOutbox(ctx context.Context, s Sender) error {
	b.init()
	if n, err := b.Store.RecoverSending(ctx, b.Channel, b.now()); err != nil {
		b.Log.Error("chatbot: outbox: recover messages left sending", "err", err)
	} else if n > 0 {
		b.Stats.uncertain.Add(n)
		b.Log.Warn("chatbot: outbox: messages left sending by the last run are sent again; each may arrive twice", "count", n)
	}
	d := b.deliverer(s)
	defer d.wg.Wait()
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
		_, wait, err := d.dispatch(ctx)
		if err != nil && ctx.Err() == nil {
			b.Log.Error("chatbot: outbox", "err", err)
		}
		if now := b.now(); now.Sub(pruned) >= pruneEvery {
			pruned = now
			b.prune(ctx, now)
		}
		if wait <= 0 || wait > poll {
			wait = poll
		}
		t.Reset(wait)
	}
}

func (b *Bot) prune(ctx context.Context, now time.Time) {
	if _, err := b.Store.ForgetHandled(ctx, b.Channel, now.Add(-keepHandled)); err != nil && ctx.Err() == nil {
		b.Log.Error("chatbot: forget handled updates", "err", err)
	}
	n, err := b.Store.ExpireConversations(ctx, b.Channel, now.Add(-b.draftTTL()), now, stateExpired, stateIdle, stateComment)
	if err != nil && ctx.Err() == nil {
		b.Log.Error("chatbot: expire conversations", "err", err)
	} else if n > 0 {
		b.Log.Info("chatbot: expired conversations", "count", n)
	}
}

// DeliverOutbox sends every message due now, recipient by recipient in
// order, and waits for the sends to end; it returns how many it tried.
func (b *Bot) DeliverOutbox(ctx context.Context, s Sender) (int, error) {
	b.init()
	d := b.deliverer(s)
	total := 0
	for {
		n, _, err := d.dispatch(ctx)
		d.wg.Wait()
		total += n
		if n == 0 || err != nil {
			return total, err
		}
	}
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
	switch o.Kind {
	case tickets.NoticeReport:
		return reportParts(o)
	case tickets.NoticeMail: // rendered when queued; the mail Sender reads it
		return []Reply{{Text: o.Body}}, nil
	case tickets.NoticeReminder:
		return split(Reply{Text: o.Body}, max), nil
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
		if err := b.offerSurvey(ctx, t, &r); err != nil {
			return nil, err
		}
	case tickets.NoticeExtended:
		r.Text = b.extendedNotice(t, o.Body)
	case tickets.NoticeNewTicket:
		r = b.departmentNotice(t)
	case tickets.NoticeReceived:
		r.Text = b.created(t)
	default:
		return nil, tickets.Errorf(tickets.EINVALID, "outbox %d: unknown kind %q", o.ID, o.Kind)
	}
	parts := split(r, max)
	ref := &NoticeRef{OutboxID: o.ID, Kind: o.Kind, Ticket: o.Ticket, Body: o.Body}
	for i := range parts {
		parts[i].Notice = ref
	}
	return parts, nil
}

// maxDocument bounds a report file sent as a document.
const maxDocument = 50 << 20

// reportParts reads the report file of o; EINVALID if it cannot.
func reportParts(o tickets.Outgoing) ([]Reply, error) {
	var rn tickets.ReportNotice
	if err := json.Unmarshal([]byte(o.Body), &rn); err != nil || rn.File == "" {
		return nil, tickets.Errorf(tickets.EINVALID, "outbox %d: unreadable report notice", o.ID)
	}
	data, err := os.ReadFile(rn.File)
	if err != nil {
		return nil, tickets.Errorf(tickets.EINVALID, "outbox %d: report file: %v", o.ID, err)
	}
	if len(data) > maxDocument {
		return nil, tickets.Errorf(tickets.EINVALID, "outbox %d: report %s is larger than 50 MB", o.ID, filepath.Base(rn.File))
	}
	return []Reply{{Text: rn.Caption, Document: &Document{Name: filepath.Base(rn.File), Data: data}}}, nil
}

// split cuts r's text into messages of at most max UTF-16 code units, at a
// line break or a space when there is one in the second half of a part. The
// buttons and keyboards go with the last part; an edit is cut, not split.
func split(r Reply, max int) []Reply {
	u := utf16.Encode([]rune(r.Text))
	if max <= 0 || len(u) <= max {
		return []Reply{r}
	}
	if r.Edit != "" {
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
