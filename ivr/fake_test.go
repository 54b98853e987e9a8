// SPDX-License-Identifier: Apache-2.0

package ivr_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hotline-cchc/hotline/ivr"
)

// phone is an in-memory ivr.Call for tests in a synctest bubble: every
// prompt lasts promptLen, the caller's script presses keys and hangs up at
// given times after the call starts, and everything the flow does is logged.
type phone struct {
	caller    string
	promptLen time.Duration
	talk      time.Duration // how long the caller speaks when recorded
	// silentTries is how many recordings the caller lets pass in silence.
	silentTries, tries int
	// operatorAfter is when an operator answers; 0: nobody answers.
	operatorAfter time.Duration
	operatorTalk  time.Duration

	start  time.Time
	digits chan string
	done   chan struct{}
	once   sync.Once

	mu     sync.Mutex
	events []string
}

// step is one action of the caller's script, at a time after the start.
type step struct {
	at time.Duration
	do string // digits to press one by one, or "hangup"
}

func newPhone(script ...step) *phone {
	p := &phone{caller: "0939015599", promptLen: time.Second, talk: 12 * time.Second,
		operatorTalk: time.Minute, start: time.Now(), digits: make(chan string, 64), done: make(chan struct{})}
	go p.run(script)
	return p
}

func (p *phone) run(script []step) {
	for _, s := range script {
		select {
		case <-time.After(time.Until(p.start.Add(s.at))):
		case <-p.done:
			return
		}
		if s.do == "hangup" {
			p.logf("caller hangs up")
			p.hangup()
			return
		}
		for _, d := range s.do {
			p.digits <- string(d)
		}
	}
}

func (p *phone) logf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.events = append(p.events, fmt.Sprintf("%s %s", time.Since(p.start), fmt.Sprintf(format, args...)))
}

// log returns what happened, one event a line.
func (p *phone) log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.events, "\n")
}

// played returns the prompts played, in order, without times.
func (p *phone) played() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, e := range p.events {
		if _, id, ok := strings.Cut(e, " play "); ok {
			out = append(out, id)
		}
	}
	return out
}

func (p *phone) hangup() { p.once.Do(func() { close(p.done) }) }

func (p *phone) ID() string                       { return "test-1" }
func (p *phone) CallerID() string                 { return p.caller }
func (p *phone) Done() <-chan struct{}            { return p.done }
func (p *phone) Answer(ctx context.Context) error { return p.alive() }

func (p *phone) alive() error {
	select {
	case <-p.done:
		return ivr.ErrHangup
	default:
		return nil
	}
}

func (p *phone) Play(ctx context.Context, prompts []string, bargeIn bool) (string, error) {
	if bargeIn {
		select {
		case d := <-p.digits:
			return d, nil
		default:
		}
	}
	for _, id := range prompts {
		if err := p.alive(); err != nil {
			return "", err
		}
		p.logf("play %s", id)
		t := time.NewTimer(p.promptLen)
		var digits chan string
		if bargeIn {
			digits = p.digits
		}
		select {
		case <-t.C:
		case d := <-digits:
			t.Stop()
			p.logf("barge-in %s", d)
			return d, nil
		case <-p.done:
			return "", ivr.ErrHangup
		}
	}
	return "", nil
}

func (p *phone) ReadDigit(ctx context.Context, timeout time.Duration) (string, error) {
	select {
	case d := <-p.digits:
		p.logf("digit %s", d)
		return d, nil
	case <-time.After(timeout):
		return "", nil
	case <-p.done:
		return "", ivr.ErrHangup
	}
}

// Record speaks for talk (none in the first silentTries recordings), then
// is silent; it ends SilenceAfter after the talk, or SilenceBefore after
// the start for a silent try.
func (p *phone) Record(ctx context.Context, name string, o ivr.RecordOptions) (ivr.Recording, error) {
	if err := p.alive(); err != nil {
		return ivr.Recording{}, err
	}
	p.logf("record %s max %s", name, o.Max)
	p.tries++
	talk := p.talk
	if p.tries <= p.silentTries {
		talk = 0
	}
	rec := ivr.Recording{Name: name, Started: true}
	began := time.Now()
	wait := talk + o.SilenceAfter
	if talk == 0 {
		wait = o.SilenceBefore
	}
	end := time.After(min(wait, o.Max))
	for {
		select {
		case d := <-p.digits:
			if d != "#" {
				continue
			}
		case <-end:
		case <-p.done:
			rec.Duration = time.Since(began)
			rec.Speech = min(rec.Duration, talk)
			return rec, ivr.ErrHangup
		}
		rec.Duration = time.Since(began)
		rec.Speech = min(rec.Duration, talk)
		p.logf("recorded %s speech %s", rec.Duration, rec.Speech)
		return rec, nil
	}
}

func (p *phone) Discard(ctx context.Context, name string) error {
	p.logf("discard %s", name)
	return nil
}

func (p *phone) Dial(ctx context.Context, endpoint string, timeout time.Duration) (bool, error) {
	p.logf("dial %s", endpoint)
	if p.operatorAfter == 0 || p.operatorAfter > timeout {
		select {
		case <-time.After(timeout):
			p.logf("no answer")
			return false, nil
		case <-p.done:
			return false, ivr.ErrHangup
		}
	}
	select {
	case <-time.After(p.operatorAfter):
	case <-p.done:
		return false, ivr.ErrHangup
	}
	p.logf("operator answers")
	select {
	case <-time.After(p.operatorTalk):
		p.logf("operator hangs up")
		return true, nil
	case <-p.done:
		return true, ivr.ErrHangup
	}
}

func (p *phone) Hangup(ctx context.Context) error {
	p.logf("hangup")
	p.hangup()
	return nil
}
