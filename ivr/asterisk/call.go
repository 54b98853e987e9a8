// SPDX-License-Identifier: Apache-2.0

package asterisk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/CyCoreSystems/ari/v5"

	"github.com/hotline-cchc/hotline/ivr"
)

// operatorArg is the Stasis argument of an operator leg.
const operatorArg = "hotline-operator"

// Guards against events that never come.
const (
	playGuard   = 2 * time.Minute  // a playback of an unknown scheme never finishes
	recordSlack = 10 * time.Second // a muted caller's recording never ends by itself
	endGuard    = 5 * time.Second  // waiting for RecordingFinished after a hangup or a stop
)

var errTimeout = errors.New("timeout")

// call is one caller's channel. Events are queued by the dispatcher without
// blocking; the call's goroutine takes them in order.
type call struct {
	cl     *Client
	id     string
	key    *ari.Key
	caller string

	mu         sync.Mutex
	queue      []any // ari.Event or resync
	signal     chan struct{}
	done       chan struct{}
	once       sync.Once
	vanished   atomic.Bool // gone without a hangup: Asterisk restarted or the call was lost
	hangupSeen atomic.Bool // a hangup event of the channel arrived

	digits []string   // owned by the call's goroutine
	saved  *ivr.State // the state found on the channel when the call was taken over
}

func newCall(cl *Client, id, caller string) *call {
	return &call{cl: cl, id: id, key: ari.NewKey(ari.ChannelKey, id), caller: caller,
		signal: make(chan struct{}, 1), done: make(chan struct{})}
}

// push queues an event; a hangup of the caller's channel also closes Done
// at once, whatever the call's goroutine is doing.
func (c *call) push(ev any) {
	switch e := ev.(type) {
	case *ari.ChannelHangupRequest:
		c.hungUpBy(e.Channel.ID)
	case *ari.StasisEnd:
		c.hungUpBy(e.Channel.ID)
	case *ari.ChannelDestroyed:
		c.hungUpBy(e.Channel.ID)
	}
	c.mu.Lock()
	c.queue = append(c.queue, ev)
	c.mu.Unlock()
	select {
	case c.signal <- struct{}{}:
	default:
	}
}

func (c *call) gone() { c.once.Do(func() { close(c.done) }) }

// hungUpBy ends the call on a hangup event of its channel id.
func (c *call) hungUpBy(id string) {
	if id == c.id {
		c.hangupSeen.Store(true)
		c.gone()
	}
}

// lostGrace is how long a request answered "Channel not found" waits for
// the hangup event that a caller's hangup sends (it may trail the answer)
// before the call is taken as lost: a channel gone without one vanished
// with an Asterisk restart.
const lostGrace = time.Second

// chanErr maps a failed request on the caller's channel as channelErr
// does, telling a caller's hangup from a channel that vanished.
func (c *call) chanErr(err error) error {
	err = channelErr(err)
	if !errors.Is(err, ivr.ErrHangup) {
		return err
	}
	t := time.NewTimer(lostGrace)
	defer t.Stop()
	select {
	case <-c.done:
	case <-t.C:
	}
	if !c.hangupSeen.Load() {
		c.lose()
	}
	return c.errAfter(err)
}

// lose ends a call whose channel vanished without a hangup.
func (c *call) lose() {
	c.vanished.Store(true)
	c.gone()
}

// errAfter marks a hang-up error as a lost call when the channel vanished.
func (c *call) errAfter(err error) error {
	if c.vanished.Load() && errors.Is(err, ivr.ErrHangup) && !errors.Is(err, ivr.ErrLost) {
		return fmt.Errorf("%w: %w", ivr.ErrLost, err)
	}
	return err
}

func (c *call) hungUp() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

func (c *call) ID() string            { return c.id }
func (c *call) CallerID() string      { return c.caller }
func (c *call) Done() <-chan struct{} { return c.done }

// pop takes the next queued event, if any.
func (c *call) pop() (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.queue) == 0 {
		return nil, false
	}
	ev := c.queue[0]
	c.queue[0] = nil
	c.queue = c.queue[1:]
	return ev, true
}

// await takes events until match accepts one, timeout passes (errTimeout;
// none if timeout <= 0), ctx ends, or the caller hangs up (ErrHangup).
// DTMF digits are queued on the way. With afterHangup, events still queued
// or arriving until StasisEnd are taken after the hangup too.
func (c *call) await(ctx context.Context, timeout time.Duration, afterHangup bool, match func(any) bool) (any, error) {
	var expire <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(c.cl.scaled(timeout))
		defer t.Stop()
		expire = t.C
	}
	done := c.done
	for {
		for {
			ev, ok := c.pop()
			if !ok {
				break
			}
			if d, ok := ev.(*ari.ChannelDtmfReceived); ok && d.Channel.ID == c.id {
				c.digits = append(c.digits, d.Digit)
			}
			if match(ev) {
				return ev, nil
			}
			if e, ok := ev.(*ari.StasisEnd); ok && e.Channel.ID == c.id && afterHangup {
				return nil, c.errAfter(ivr.ErrHangup)
			}
		}
		if done != nil && c.hungUp() {
			if !afterHangup {
				return nil, c.errAfter(ivr.ErrHangup)
			}
			done = nil
		}
		select {
		case <-c.signal:
		case <-done:
		case <-expire:
			return nil, errTimeout
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func (c *call) popDigit() (string, bool) {
	if len(c.digits) == 0 {
		return "", false
	}
	d := c.digits[0]
	c.digits = c.digits[1:]
	return d, true
}

func (c *call) Answer(ctx context.Context) error {
	if err := c.cl.rest(ctx, func() error { return c.cl.ari.Channel().Answer(c.key) }); err != nil {
		return c.chanErr(err)
	}
	if c.cl.opts.Language == "" {
		return nil
	}
	return c.chanErr(c.cl.rest(ctx, func() error {
		return c.cl.ari.Channel().SetVariable(c.key, "CHANNEL(language)", c.cl.opts.Language)
	}))
}

func (c *call) Play(ctx context.Context, prompts []string, bargeIn bool) (string, error) {
	for _, p := range prompts {
		if bargeIn {
			if d, ok := c.popDigit(); ok {
				return d, nil
			}
		}
		if c.hungUp() {
			return "", c.errAfter(ivr.ErrHangup)
		}
		media := "sound:" + c.cl.opts.SoundPrefix + p
		if ivr.IsMedia(p) {
			media = "sound:" + p
		}
		d, err := c.play(ctx, media, bargeIn)
		if err != nil || d != "" {
			return d, err
		}
	}
	return "", nil
}

// play plays one media and waits for its end or, with bargeIn, a digit,
// which stops it.
func (c *call) play(ctx context.Context, media string, bargeIn bool) (string, error) {
	id := newID("pb")
	err := c.cl.rest(ctx, func() error { _, err := c.cl.ari.Channel().Play(c.key, id, media); return err })
	if err != nil {
		return "", c.chanErr(err)
	}
	for {
		ev, err := c.await(ctx, playGuard, false, func(ev any) bool {
			switch e := ev.(type) {
			case *ari.PlaybackFinished:
				return e.Playback.ID == id
			case *ari.ChannelDtmfReceived:
				return bargeIn
			case resync:
				return true
			}
			return false
		})
		switch {
		case errors.Is(err, errTimeout):
			c.cl.log.Warn("ari: a playback never finished; stopping it", "channel", c.id, "media", media)
			return "", c.stopPlayback(ctx, id)
		case err != nil:
			return "", err
		}
		switch e := ev.(type) {
		case *ari.PlaybackFinished:
			if e.Playback.State == "failed" && !c.hungUp() {
				c.cl.log.Error("ari: a prompt failed to play: the caller heard silence (is it installed? hotline sounds check --ari)",
					"channel", c.id, "media", media)
			}
			return "", nil
		case resync:
			if !c.exists(ctx, func() error { _, err := c.cl.ari.Playback().Data(ari.NewKey(ari.PlaybackKey, id)); return err }) {
				return "", nil
			}
			continue
		}
		d, _ := c.popDigit()
		return d, c.stopPlayback(ctx, id)
	}
}

// exists reports whether get finds its object; on other errors it
// assumes it does.
func (c *call) exists(ctx context.Context, get func() error) bool {
	return statusOf(c.cl.rest(ctx, get)) != http.StatusNotFound
}

func (c *call) stopPlayback(ctx context.Context, id string) error {
	err := c.cl.rest(ctx, func() error { return c.cl.ari.Playback().Stop(ari.NewKey(ari.PlaybackKey, id)) })
	if err = ignore404(err); err != nil && c.hungUp() {
		return ivr.ErrHangup
	}
	return err
}

func (c *call) ReadDigit(ctx context.Context, timeout time.Duration) (string, error) {
	if d, ok := c.popDigit(); ok {
		return d, nil
	}
	_, err := c.await(ctx, timeout, false, func(ev any) bool {
		_, ok := ev.(*ari.ChannelDtmfReceived)
		return ok
	})
	if errors.Is(err, errTimeout) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	d, _ := c.popDigit()
	return d, nil
}

func (c *call) Hangup(ctx context.Context) error {
	err := c.cl.rest(ctx, func() error { return c.cl.ari.Channel().Hangup(c.key, "normal") })
	return ignore404(err)
}
