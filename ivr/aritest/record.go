// SPDX-License-Identifier: Apache-2.0

package aritest

import (
	"sync"
	"time"
)

// recording is one live or stored ARI recording. Its audio is described,
// not kept: its length and the spans of speech in it, so that a thousand
// calls cost no memory; storedFile renders the WAV.
type recording struct {
	name, format, target string
	maxDur, maxSilence   time.Duration
	terminateOn          string
	beep, appendTo       bool
	stopped, term        chan struct{}
	stopOnce, termOnce   sync.Once
	startedAt            time.Time

	mu                sync.Mutex
	state             string
	duration, talking int
	finished          bool
	length            time.Duration // of the audio in the file
	speech            []span        // speech in the file, from its start
	broken            bool          // cut by a crash: RIFF and data sizes are 0
}

// span is a stretch of audio, from its start.
type span struct{ from, to time.Duration }

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

// talk is when the caller speaks during a message, in virtual time.
type talk struct{ from, until time.Duration }

// record serves a recording as Asterisk does: the beep, RecordingStarted,
// then the caller's audio until '#', the maximum duration, a stop request,
// a hangup, or max_silence_seconds of silence — counted from the start
// whether or not the caller has spoken yet. A recording that silence ends
// loses that trailing silence (a silent caller leaves 0.2 s) and reports
// talking_duration as its whole length. A muted caller sends no audio, so
// neither silence nor the maximum ever ends its recording. A crash of
// Asterisk (Restart) leaves the file with zero header sizes.
func (c *channel) record(r *recording) {
	if r.beep && !c.s.sleep(300*time.Millisecond, c.stop) {
		c.s.mu.Lock()
		delete(c.s.live, r.name)
		c.s.mu.Unlock()
		return
	}
	start := c.s.Now()
	tk, mute := c.talkFor(r, start)
	c.startRecording(r)
	var limit <-chan time.Time
	end, bySilence := c.recordingEnd(r, tk, start)
	if !mute {
		t := time.NewTimer(c.s.real(end - start))
		defer t.Stop()
		limit = t.C
	}
	silenceEnded := false
	select {
	case <-limit:
		silenceEnded = bySilence
	case <-r.stopped:
	case <-r.term:
	case <-c.stop:
	case <-c.s.closed:
	}
	stop := min(c.s.Now(), end)
	if silenceEnded {
		stop = max(stop-r.maxSilence, start+200*time.Millisecond)
	}
	if mute {
		stop = start
	}
	c.finishRecording(r, tk, start, stop, silenceEnded)
}

// talkFor returns when the caller talks in this recording: a recording
// with a beep is a new try, whose talk starts SayAfter the beep; an
// appended one continues the try.
func (c *channel) talkFor(r *recording, start time.Duration) (talk, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r.beep {
		c.tries++
		c.talk = talk{}
		if c.tries > c.silentTries && c.say > 0 {
			c.talk = talk{from: start + c.sayAfter, until: start + c.sayAfter + c.say}
		}
	}
	return c.talk, c.mute
}

// recordingEnd is when the recording would end by itself, and whether by
// silence.
func (c *channel) recordingEnd(r *recording, tk talk, start time.Duration) (time.Duration, bool) {
	end, bySilence := time.Duration(1<<62-1), false
	if r.maxSilence > 0 {
		bySilence = true
		end = start + r.maxSilence
		if tk.until > start && tk.from < start+r.maxSilence {
			end = max(tk.until, start) + r.maxSilence
		}
	}
	if r.maxDur > 0 && start+r.maxDur < end {
		end, bySilence = start+r.maxDur, false
	}
	return end, bySilence
}

func (c *channel) startRecording(r *recording) {
	r.mu.Lock()
	r.state, r.startedAt = "recording", time.Now()
	r.mu.Unlock()
	c.s.mu.Lock()
	if old := c.s.stored[r.name]; old != nil && r.appendTo && old != r {
		old.mu.Lock()
		r.length, r.speech = old.length, append([]span(nil), old.speech...)
		old.mu.Unlock()
	}
	c.s.live[r.name] = r
	c.s.mu.Unlock()
	c.setCurrent(r)
	c.other(map[string]any{"type": "RecordingStarted", "recording": r.json()})
	c.note("record", r.name)
}

// finishRecording stores the audio from start to stop and reports it.
func (c *channel) finishRecording(r *recording, tk talk, start, stop time.Duration, silenceEnded bool) {
	c.mu.Lock()
	crashed := c.silent
	c.mu.Unlock()
	r.mu.Lock()
	base := r.length
	if from, to := max(tk.from, start), min(tk.until, stop); to > from {
		r.speech = append(r.speech, span{base + from - start, base + to - start})
	}
	seg := stop - start
	r.length += seg
	r.state, r.finished, r.broken = "done", true, crashed
	r.duration = int(r.length.Round(time.Second) / time.Second)
	if seg > 0 {
		r.duration = max(r.duration, 1)
	}
	r.talking = 0
	for _, sp := range r.speech {
		r.talking += int((sp.to - sp.from).Round(time.Second) / time.Second)
	}
	if silenceEnded {
		r.talking = r.duration // as Asterisk reports it: the silence it cut is not counted
	}
	r.mu.Unlock()
	c.s.mu.Lock()
	delete(c.s.live, r.name)
	c.s.stored[r.name] = r
	c.s.mu.Unlock()
	c.note("recorded", r.name)
	c.other(map[string]any{"type": "RecordingFinished", "recording": r.json()})
}
