// SPDX-License-Identifier: Apache-2.0

package aritest

import "time"

// Callee scripts the citizen that an originated call-back reaches (see
// Options.Callees).
type Callee struct {
	// Cause, if not 0, ends the call unanswered after Ring with this Q.850
	// cause, as Asterisk reports it in ChannelDestroyed: 17 busy, 19 no
	// answer, 21 rejected (declined, or the number is unreachable).
	Cause int
	Ring  time.Duration // how long it rings before answering or Cause; 2 s if 0
	// Keys are pressed once answered, as Caller.Keys.
	Keys  []string
	Pause time.Duration
	// HangupAfter hangs up this long after answering; 0: the application hangs up.
	HangupAfter time.Duration
}

// causeText is ChannelDestroyed's cause_txt of the causes the fake sends.
var causeText = map[int]string{16: "Normal Clearing", 17: "User busy", 19: "No answer", 21: "Call Rejected", 32: "Normal Clearing"}

// callee plays the far end of a call-back: it rings (ChannelStateChange
// Ringing), then either ends with k.Cause (Dial with the matching status,
// then ChannelDestroyed) or answers (ChannelStateChange Up, Dial ANSWER,
// StasisStart with args) and follows k's script. A ring longer than the
// originate's timeout ends as no answer at the timeout.
func (c *channel) callee(k Callee, timeout time.Duration, args []string) {
	ring := k.Ring
	if ring <= 0 {
		ring = 2 * time.Second
	}
	cause := k.Cause
	if timeout > 0 && ring >= timeout {
		ring, cause = timeout, 19
	}
	c.mu.Lock()
	c.state = "Ringing"
	c.mu.Unlock()
	c.event("ChannelStateChange", nil)
	c.note("ring", "")
	if !c.s.sleep(ring, c.stop) {
		return
	}
	if cause != 0 {
		c.dial(map[int]string{17: "BUSY", 19: "NOANSWER", 21: "CHANUNAVAIL"}[cause])
		c.note("unanswered", causeText[cause])
		c.hangup(cause, false)
		return
	}
	if args == nil {
		args = []string{}
	}
	c.mu.Lock()
	c.state, c.stasis, c.args = "Up", true, args
	c.mu.Unlock()
	c.event("ChannelStateChange", nil)
	c.dial("ANSWER")
	c.note("answered", "")
	c.event("StasisStart", map[string]any{"args": args})
	c.script(Caller{Keys: k.Keys, Pause: k.Pause, HangupAfter: k.HangupAfter, HangupFrom: "answered"})
}

// Originated returns the call-backs originated so far to a Callee, in order.
func (s *Server) Originated() []*Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Call, len(s.callees))
	for i, c := range s.callees {
		out[i] = &Call{c: c}
	}
	return out
}

// Dialstring is the endpoint the call was originated to, without its
// technology: "0939015599@trunk" for PJSIP/0939015599@trunk.
func (k *Call) Dialstring() string {
	k.c.mu.Lock()
	defer k.c.mu.Unlock()
	return k.c.dialstring
}

// Number is the call's caller id: the caller's number, or the callerId an
// originate gave.
func (k *Call) Number() string {
	k.c.mu.Lock()
	defer k.c.mu.Unlock()
	return k.c.number
}
