// SPDX-License-Identifier: Apache-2.0

package chatbot

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"
)

// limiter keeps a channel's rate limits for every sender of the outbox:
// sliding windows on the whole channel and per chat, and a pause of the
// whole channel when it answers 429. A reply (priority 0) books the first
// free moment and waits for it; bulk messages only take a moment that is
// free now, so that they never stand in front of a reply that comes later.
//
// The windows run on the real clock; the pause on the outbox's clock, the
// one its messages' retry times are on.
type limiter struct {
	lim   Limits
	clock func() time.Time

	mu      sync.Mutex
	channel window
	chats   map[string]*window
	until   time.Time // paused until then
}

// window is a sliding window: the times of the last n sends, in order.
type window struct {
	Window
	times []time.Time
}

// next returns the first moment from now when one more send fits.
func (w *window) next(now time.Time) time.Time {
	if w.N <= 0 || len(w.times) < w.N {
		return now
	}
	return later(now, w.times[len(w.times)-w.N].Add(w.Per))
}

func (w *window) take(t time.Time) {
	if w.N <= 0 {
		return
	}
	i, _ := slices.BinarySearchFunc(w.times, t, func(a, b time.Time) int { return a.Compare(b) })
	w.times = slices.Insert(w.times, i, t)
	if len(w.times) > w.N {
		w.times = w.times[len(w.times)-w.N:]
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func newLimiter(l Limits, clock func() time.Time) *limiter {
	return &limiter{lim: l, clock: clock, channel: window{Window: l.Channel}, chats: map[string]*window{}}
}

// maxChats bounds the chats whose windows are kept; older ones are forgotten
// once their windows are over.
const maxChats = 10000

func (l *limiter) chat(id string, now time.Time) *window {
	if w, ok := l.chats[id]; ok {
		return w
	}
	if len(l.chats) >= maxChats {
		for k, w := range l.chats {
			if len(w.times) == 0 || now.Sub(w.times[len(w.times)-1]) > w.Per {
				delete(l.chats, k)
			}
		}
	}
	w := &window{}
	if l.lim.Chat != nil {
		w.Window = l.lim.Chat(id)
	}
	l.chats[id] = w
	return w
}

// errPaused is wait's answer while the channel is paused: the message is
// left queued, and the worker freed, until the pause ends.
var errPaused = errors.New("the channel is paused")

// wait blocks until a message to chat of priority prio may be sent, and
// books that moment; it returns ctx's error if ctx ends first, and
// errPaused if the channel is paused.
func (l *limiter) wait(ctx context.Context, chat string, prio int) error {
	for {
		if l.paused() > 0 {
			return errPaused
		}
		l.mu.Lock()
		now := time.Now()
		w := l.chat(chat, now)
		t := later(w.next(now), l.channel.next(now))
		booked := !t.After(now) || prio == 0
		if booked {
			w.take(t)
			l.channel.take(t)
		}
		l.mu.Unlock()
		if !t.After(now) {
			return nil
		}
		if err := sleep(ctx, t.Sub(now)); err != nil {
			return err
		}
		if booked {
			return nil
		}
	}
}

// pause stops the whole channel for d (a 429's retry_after).
func (l *limiter) pause(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.until = later(l.until, l.clock().Add(d))
}

// paused returns how long the channel stays paused; 0 if it is not.
func (l *limiter) paused() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return max(0, l.until.Sub(l.clock()))
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
