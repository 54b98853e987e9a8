// SPDX-License-Identifier: Apache-2.0

package aritest

import (
	"sync"
	"time"
)

// recording is one live or stored ARI recording.
type recording struct {
	name, format, target string
	maxDur, maxSilence   time.Duration
	terminateOn          string
	beep                 bool
	stopped, term        chan struct{}
	stopOnce, termOnce   sync.Once
	startedAt            time.Time

	mu                sync.Mutex
	state             string
	duration, talking int
	finished          bool
}

func (r *recording) stop()      { r.stopOnce.Do(func() { close(r.stopped) }) }
func (r *recording) terminate() { r.termOnce.Do(func() { close(r.term) }) }

func (r *recording) json() map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := map[string]any{"name": r.name, "format": r.format, "state": r.state, "target_uri": r.target}
	if r.finished {
		m["duration"], m["talking_duration"], m["silence_duration"] = r.duration, r.talking, r.duration-r.talking
	}
	return m
}

// record serves a recording: the beep, RecordingStarted, then the caller's
// audio until '#', silence after the caller's talk, the maximum duration, a
// stop request or a hangup. A muted caller sends no audio, so neither
// silence nor the maximum ever ends its recording.
func (c *channel) record(r *recording) {
	if r.beep && !c.s.sleep(300*time.Millisecond, c.stop) {
		return
	}
	c.mu.Lock()
	say, mute := c.say, c.mute
	c.mu.Unlock()
	r.mu.Lock()
	r.state, r.startedAt = "recording", time.Now()
	r.mu.Unlock()
	c.s.mu.Lock()
	c.s.live[r.name] = r
	c.s.mu.Unlock()
	c.setCurrent(r)
	c.other(map[string]any{"type": "RecordingStarted", "recording": r.json()})
	c.note("record", r.name)
	began := c.s.Now()
	var limit <-chan time.Time
	if !mute {
		d := time.Duration(1<<62 - 1)
		if r.maxSilence > 0 {
			d = say + r.maxSilence
		}
		if r.maxDur > 0 {
			d = min(d, r.maxDur)
		}
		t := time.NewTimer(c.s.real(d))
		defer t.Stop()
		limit = t.C
	}
	select {
	case <-limit:
	case <-r.stopped:
	case <-r.term:
	case <-c.stop:
	case <-c.s.closed:
	}
	elapsed := c.s.Now() - began
	if r.maxDur > 0 {
		elapsed = min(elapsed, r.maxDur)
	}
	talk := min(elapsed, say)
	if mute {
		elapsed, talk = 0, 0
	}
	r.mu.Lock()
	r.state, r.finished = "done", true
	r.duration, r.talking = int(elapsed.Round(time.Second)/time.Second), int(talk.Round(time.Second)/time.Second)
	r.mu.Unlock()
	c.s.mu.Lock()
	delete(c.s.live, r.name)
	c.s.stored[r.name] = r
	c.s.mu.Unlock()
	c.note("recorded", r.name)
	c.other(map[string]any{"type": "RecordingFinished", "recording": r.json()})
}
