// SPDX-License-Identifier: Apache-2.0

// Package ivr is the phone channel's call flow: the menu of branches, leaving
// a recorded message that becomes a ticket, the operator, and a ticket's
// status read back from its code. Each call runs in its own goroutine against
// the small Call interface declared here; ivr/asterisk adapts it to ARI and
// ivr/aritest is a fake Asterisk for tests and for `hotline call`.
//
// Prompts are named by the ids of the sounds manifest (sounds/manifest.txt);
// the adapter turns an id into a media URI.
//
// The package imports only tickets and the standard library.
package ivr

import (
	"context"
	"errors"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// ErrHangup is returned, wrapped or not, by every Call method once the caller
// has hung up or the channel is gone.
var ErrHangup = errors.New("ivr: the caller hung up")

// Call is one phone call as the flow drives it. Its methods are called from
// the call's own goroutine only. Digits pressed at any time are queued; the
// methods that read digits take them from that queue in order.
type Call interface {
	// ID returns the channel's id, unique per call.
	ID() string
	// CallerID returns the caller's number; empty if withheld.
	CallerID() string
	// Answer answers the call.
	Answer(ctx context.Context) error
	// Play plays the prompts one after the other. With bargeIn, a digit
	// pressed during a prompt, or already queued, stops the playing and is
	// returned; otherwise digits stay queued and Play returns "".
	Play(ctx context.Context, prompts []string, bargeIn bool) (digit string, err error)
	// ReadDigit returns the next queued digit, waiting up to timeout for
	// one; "" when none came in time.
	ReadDigit(ctx context.Context, timeout time.Duration) (string, error)
	// Record records the caller after a beep until '#', silence, max or a
	// hangup, under name. It returns what was recorded together with
	// ErrHangup when the caller hung up while being recorded: a message
	// recorded up to the hangup is kept.
	Record(ctx context.Context, name string, max time.Duration) (Recording, error)
	// Dial rings the caller while calling endpoint for up to timeout and,
	// if someone answers, bridges the two until either hangs up. It reports
	// whether the other side answered; when the operator ends the
	// conversation it returns (true, nil).
	Dial(ctx context.Context, endpoint string, timeout time.Duration) (answered bool, err error)
	// Hangup ends the call; hanging up a call that is gone is no error.
	Hangup(ctx context.Context) error
	// Done is closed when the caller has hung up or the channel is gone.
	Done() <-chan struct{}
}

// Recording is what Call.Record captured.
type Recording struct {
	Name     string        // the recording's name on the Asterisk server
	Started  bool          // recording began (after the beep)
	Duration time.Duration // length of the message; 0 if unknown or empty
	Failed   bool          // Asterisk reported RecordingFailed
}

// Kept reports whether the recording holds a message worth a ticket.
func (r Recording) Kept() bool { return r.Started && !r.Failed && r.Duration > 0 }

// Service opens tickets; *tickets.Service satisfies it.
type Service interface {
	Open(ctx context.Context, n tickets.NewTicket) (*tickets.Ticket, error)
}

// Store keeps calls and reads tickets; the SQLite store satisfies it.
type Store interface {
	CreateCall(ctx context.Context, c *tickets.Call) error
	UpdateCall(ctx context.Context, c *tickets.Call) error
	Ticket(ctx context.Context, code tickets.Code) (*tickets.Ticket, error)
}

// Config is what the flow needs to know about the hotline.
type Config struct {
	Menu     *tickets.Menu
	Calendar *tickets.Calendar
	// Operator is the dial string of the operators (key 0); empty: no operator.
	Operator        string
	OperatorTimeout time.Duration // how long operators may ring; default 30 s
	MaxRecording    time.Duration // longest message; default 180 s
	DigitTimeout    time.Duration // how long a menu waits for a key; default 5 s
	Attempts        int           // failed menu attempts before goodbye; default 3
	Now             func() time.Time
}

// Defaults of Config's zero fields.
const (
	DefaultOperatorTimeout = 30 * time.Second
	DefaultMaxRecording    = 180 * time.Second
	DefaultDigitTimeout    = 5 * time.Second
	DefaultAttempts        = 3
)

func (c Config) withDefaults() Config {
	if c.OperatorTimeout <= 0 {
		c.OperatorTimeout = DefaultOperatorTimeout
	}
	if c.MaxRecording <= 0 {
		c.MaxRecording = DefaultMaxRecording
	}
	if c.DigitTimeout <= 0 {
		c.DigitTimeout = DefaultDigitTimeout
	}
	if c.Attempts <= 0 {
		c.Attempts = DefaultAttempts
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}
