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

// ErrLost is returned, wrapped together with ErrHangup, when the channel
// vanished without the caller hanging up: Asterisk restarted or the call
// was lost while the application was away. The call is a system fault,
// not the caller's choice.
var ErrLost = errors.New("ivr: the call was lost (Asterisk restarted or unreachable)")

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
	// Record records the caller after a beep until '#', silence as opts
	// says, opts.Max or a hangup, under name, and measures the speech it
	// holds from the audio itself (Speech). It returns what was recorded
	// together with ErrHangup when the caller hung up while being
	// recorded: a message recorded up to the hangup is kept.
	Record(ctx context.Context, name string, opts RecordOptions) (Recording, error)
	// Discard deletes a recording that holds no message from the server's
	// store; one already gone is no error.
	Discard(ctx context.Context, name string) error
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

// RecordOptions say how a message is recorded, as voicemail does it:
// silence ends a recording only SilenceAfter the caller last spoke, or
// SilenceBefore the beep if the caller never started.
type RecordOptions struct {
	Max           time.Duration // longest message
	SilenceBefore time.Duration // silence from the beep that ends a recording without speech
	SilenceAfter  time.Duration // silence after speech that ends a recording
}

// Recording is what Call.Record captured.
type Recording struct {
	Name     string        // the recording's name on the Asterisk server
	Started  bool          // recording began (after the beep)
	Duration time.Duration // length of the recording; 0 if unknown or empty
	Speech   time.Duration // how much of it is speech, judged from the audio
	Failed   bool          // Asterisk reported RecordingFailed
}

// Kept reports whether the recording holds a message worth a ticket: at
// least minSpeech of speech.
func (r Recording) Kept(minSpeech time.Duration) bool {
	return r.Started && !r.Failed && r.Speech > 0 && r.Speech >= minSpeech
}

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
	// SilenceBefore ends a recording in which the caller has not spoken
	// yet; default 10 s. SilenceAfter ends it once the caller has spoken;
	// default 5 s. MinSpeech is the least speech that makes a message;
	// default 2 s.
	SilenceBefore, SilenceAfter, MinSpeech time.Duration
	// NoRecordingNotice leaves out the notice that the message is recorded
	// (PromptRecordNotice), which the law on personal data asks for.
	NoRecordingNotice bool
	DigitTimeout      time.Duration // how long a menu waits for a key; default 5 s
	Attempts          int           // menu attempts with a wrong key before goodbye; default 3
	// NoInputMenus is how many times the menu is offered to a caller who
	// presses nothing before the operator (in hours) or a message on
	// FallbackBranch is offered; default 2. FallbackBranch defaults to the
	// menu's first branch.
	NoInputMenus   int
	FallbackBranch int
	Now            func() time.Time
	// Answers plays a ticket's answer after its status; nil plays none.
	Answers Answers
	// Surveys, if set, asks for a rating of a resolved ticket; nil asks none.
	Surveys Surveys
}

// Defaults of Config's zero fields.
const (
	DefaultOperatorTimeout = 30 * time.Second
	DefaultMaxRecording    = 180 * time.Second
	DefaultDigitTimeout    = 5 * time.Second
	DefaultAttempts        = 3
	DefaultSilenceBefore   = 10 * time.Second
	DefaultSilenceAfter    = 5 * time.Second
	DefaultMinSpeech       = 2 * time.Second
	DefaultNoInputMenus    = 2
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
	c.SilenceBefore = or(c.SilenceBefore, DefaultSilenceBefore)
	c.SilenceAfter = or(c.SilenceAfter, DefaultSilenceAfter)
	c.MinSpeech = or(c.MinSpeech, DefaultMinSpeech)
	c.NoInputMenus = or(c.NoInputMenus, DefaultNoInputMenus)
	if c.Menu != nil {
		if _, err := c.Menu.Branch(c.FallbackBranch); err != nil && len(c.Menu.Branches()) > 0 {
			c.FallbackBranch = c.Menu.Branches()[0].Key
		}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// or returns v, or def when v is not positive.
func or[T time.Duration | int](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}
