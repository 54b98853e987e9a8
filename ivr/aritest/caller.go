// SPDX-License-Identifier: Apache-2.0

package aritest

import (
	"time"
)

// Caller scripts a citizen calling the hotline.
type Caller struct {
	Number string // caller id; empty: withheld
	// Keys are groups of digits pressed in order, each once a prompt has
	// played and the line is then quiet for Pause (no prompt, no ringing,
	// no bridge) or, while the
	// caller is being recorded, once it has said its piece.
	Keys []string
	Say  time.Duration // how long the caller talks when recorded
	// SayAfter is how long the caller stays silent after the beep before
	// talking.
	SayAfter time.Duration
	// SilentTries is how many messages (recordings with a beep) the caller
	// lets pass in silence before talking.
	SilentTries int
	Mute        bool          // sends no audio at all: recordings never end by themselves
	Pause       time.Duration // quiet before pressing keys; default 1.5 s
	// HangupAfter hangs up this long after the call starts; 0: never, the
	// application hangs up.
	HangupAfter time.Duration
	// HangupFrom, if set, counts HangupAfter from the first event of the
	// call's log named so: "record", or "play:sound:hotline/goodbye".
	HangupFrom string
	// At presses digits at given times after the call starts, whatever is
	// playing: barge-in.
	At []Timed
}

// Timed is digits pressed at a time after the call starts.
type Timed struct {
	At     time.Duration
	Digits string
	From   string // counts At from this event of the call's log, as HangupFrom
}

// Call is a call placed into the fake.
type Call struct{ c *channel }

// Call places a call from caller into the Stasis application app, as the
// dialplan's Stasis(app) does: StasisStart with the channel Up.
func (s *Server) Call(app string, caller Caller) *Call {
	c := s.newChannel(s.nextID("hotline"), app, caller.Number, false)
	c.mu.Lock()
	c.stasis, c.say, c.mute = true, caller.Say, caller.Mute
	c.sayAfter, c.silentTries = caller.SayAfter, caller.SilentTries
	c.mu.Unlock()
	c.event("StasisStart", map[string]any{"args": []string{}})
	s.callsWG.Add(1)
	go func() {
		defer s.callsWG.Done()
		c.script(caller)
	}()
	return &Call{c: c}
}

// ID returns the channel's id.
func (k *Call) ID() string { return k.c.id }

// Done is closed once the channel is gone.
func (k *Call) Done() <-chan struct{} { return k.c.gone }

// Hangup hangs the call up from the caller's side.
func (k *Call) Hangup() {
	k.c.note("caller-hangup", "")
	k.c.hangup(16, false)
}

// Log returns what happened on the call, in order.
func (k *Call) Log() []Entry {
	k.c.mu.Lock()
	defer k.c.mu.Unlock()
	return append([]Entry(nil), k.c.log...)
}

// Played returns the media played to the caller, in order.
func (k *Call) Played() []string {
	var out []string
	for _, e := range k.Log() {
		if e.What == "play" {
			out = append(out, e.Arg)
		}
	}
	return out
}

func (c *channel) script(k Caller) {
	pause := k.Pause
	if pause <= 0 {
		pause = 1500 * time.Millisecond
	}
	hang := make(chan struct{})
	if k.HangupAfter > 0 {
		go func() {
			if c.waitFor(k.HangupFrom) && c.s.sleep(k.HangupAfter, c.gone) {
				close(hang)
			}
		}()
	}
	for _, t := range k.At {
		go func() {
			if c.waitFor(t.From) && c.s.sleep(t.At, c.gone) {
				c.press(t.Digits)
			}
		}()
	}
	keys := k.Keys
	for {
		wait := time.Duration(-1)
		if len(keys) > 0 {
			var ready bool
			if ready, wait = c.readyForKeys(c.s.real(pause)); ready {
				c.press(keys[0])
				keys = keys[1:]
				continue
			}
		}
		var timer <-chan time.Time
		if wait >= 0 {
			t := time.NewTimer(wait)
			timer = t.C
			defer t.Stop()
		}
		select {
		case <-hang:
			c.note("caller-hangup", "")
			c.hangup(16, false)
			return
		case <-c.gone:
			return
		case <-c.s.closed:
			return
		case <-c.wake:
		case <-timer:
		}
	}
}

// readyForKeys tells whether the caller would press keys now, or how long
// (real time) it will wait before it would; -1: until something changes.
func (c *channel) readyForKeys(pause time.Duration) (bool, time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.hanging {
		return false, -1
	}
	switch c.current.(type) {
	case *recording:
		if c.talk.until == 0 {
			return false, -1 // a silent try: the caller waits for the next prompt
		}
		left := c.s.real(c.talk.until - c.s.Now())
		return left <= 0, max(left, 0)
	case nil:
		if !c.prompted || c.ringing || c.moh || c.bridge != "" || len(c.ops) > 0 {
			return false, -1
		}
		left := pause - time.Since(c.idleSince)
		return left <= 0, max(left, 0)
	}
	return false, -1
}

// press sends digits one by one, a quarter of a second apart.
func (c *channel) press(digits string) {
	for i, d := range digits {
		if i > 0 && !c.s.sleep(250*time.Millisecond, c.gone) {
			return
		}
		c.note("key", string(d))
		c.event("ChannelDtmfReceived", map[string]any{"digit": string(d), "duration_ms": 100})
		c.mu.Lock()
		if r, ok := c.current.(*recording); ok && (r.terminateOn == string(d) || r.terminateOn == "any") {
			r.terminate()
		}
		c.mu.Unlock()
	}
	c.mu.Lock()
	c.idleSince, c.prompted = time.Now(), false // the next keys wait for a new prompt
	c.mu.Unlock()
}
