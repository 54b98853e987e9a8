// SPDX-License-Identifier: Apache-2.0

package asterisk

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/CyCoreSystems/ari/v5"

	"github.com/hotline-cchc/hotline/ivr"
)

// Record records as voicemail does. Asterisk counts max_silence_seconds from
// the beep whether or not the caller has started, so a recording runs in
// segments of SilenceAfter, each appended to the last, until one holds
// speech or SilenceBefore has passed since the beep. Then the stored file is
// downloaded, its header repaired, and its speech measured (ivr.Speech): a
// silent file is never a message, whatever RecordingFinished says.
//
// A muted line never ends a recording by itself (Asterisk counts silence
// and length on incoming audio), so a segment is stopped after its maximum
// and some slack. A recording interrupted by a hangup is kept by Asterisk;
// its RecordingFinished still comes before StasisEnd.
func (c *call) Record(ctx context.Context, name string, o ivr.RecordOptions) (ivr.Recording, error) {
	rec := ivr.Recording{Name: name}
	defer func() { c.digits = nil }() // the '#' that ended it, and keys pressed while talking
	var began time.Time
	for first := true; ; first = false {
		elapsed := c.since(began)
		seg, err := c.segment(ctx, name, first, o.Max-elapsed, o.SilenceAfter)
		if seg.Started && began.IsZero() {
			began = seg.began
		}
		rec.Started = rec.Started || seg.Started
		rec.Failed = seg.Failed
		rec.Duration += seg.Duration
		if err != nil || rec.Failed || !rec.Started {
			return c.measure(ctx, rec, seg.talking), err
		}
		rec = c.measure(ctx, rec, seg.talking)
		elapsed = c.since(began)
		if rec.Speech > 0 || seg.ended || elapsed >= o.SilenceBefore || elapsed >= o.Max-time.Second {
			return rec, nil
		}
	}
}

// since is the call time passed since t; 0 if t is zero.
func (c *call) since(t time.Time) time.Duration {
	if t.IsZero() {
		return 0
	}
	return time.Duration(float64(time.Since(t)) * c.cl.opts.Speed)
}

// segmentResult is one record request's outcome.
type segmentResult struct {
	ivr.Recording
	began   time.Time
	talking time.Duration // Asterisk's talking_duration, used only if the file cannot be read
	ended   bool          // ended by '#' or a stop, not by silence
}

// segment runs one record request: the first with a beep, replacing any
// recording of that name; the others appended to it.
func (c *call) segment(ctx context.Context, name string, first bool, maxLen, silence time.Duration) (segmentResult, error) {
	res := segmentResult{Recording: ivr.Recording{Name: name}}
	opts := &ari.RecordingOptions{Format: "wav", MaxDuration: max(maxLen, time.Second), MaxSilence: silence,
		Exists: "append", Beep: first, Terminate: "#"}
	if first {
		opts.Exists = "overwrite"
	}
	if err := c.cl.rest(ctx, func() error { _, err := c.cl.ari.Channel().Record(c.key, name, opts); return err }); err != nil {
		return res, c.chanErr(err)
	}
	deadline := time.Now().Add(c.cl.scaled(maxLen + recordSlack))
	stopped, hungUp := false, false
	for {
		ev, err := c.await(ctx, time.Duration(float64(max(time.Until(deadline), time.Millisecond))*c.cl.opts.Speed), hungUp, recordingEvent(name))
		switch {
		case errors.Is(err, ivr.ErrHangup) && !hungUp:
			hungUp, deadline = true, c.endDeadline()
			continue
		case errors.Is(err, errTimeout) && !stopped && !hungUp:
			c.cl.log.Warn("ari: recording did not end by itself; stopping it", "channel", c.id, "recording", name)
			stopped, res.ended = true, true
			c.cl.rest(ctx, func() error { return ignore404(c.cl.ari.LiveRecording().Stop(ari.NewKey(ari.LiveRecordingKey, name))) })
			deadline = c.endDeadline()
			continue
		case err != nil:
			res.Recording = c.lost(ctx, res.Recording, res.began)
			return res, c.errAfter(err)
		}
		switch e := ev.(type) {
		case *ari.RecordingStarted:
			res.Started, res.began = true, time.Now()
		case *ari.RecordingFinished:
			res.Started = true
			res.Duration = time.Duration(e.Recording.Duration)
			res.talking = time.Duration(e.Recording.Talking)
			res.ended = res.ended || slices.Contains(c.digits, "#")
			return res, c.endErr(hungUp)
		case *ari.RecordingFailed:
			res.Failed = true
			return res, c.endErr(hungUp)
		case resync:
			if !c.exists(ctx, func() error {
				_, err := c.cl.ari.LiveRecording().Data(ari.NewKey(ari.LiveRecordingKey, name))
				return err
			}) {
				res.Recording = c.lost(ctx, res.Recording, res.began)
				return res, c.endErr(hungUp || c.hungUp())
			}
		}
	}
}

// recordingEvent matches the events of recording name, and resync.
func recordingEvent(name string) func(any) bool {
	return func(ev any) bool {
		switch e := ev.(type) {
		case *ari.RecordingStarted:
			return e.Recording.Name == name
		case *ari.RecordingFinished:
			return e.Recording.Name == name
		case *ari.RecordingFailed:
			return e.Recording.Name == name
		case resync:
			return true
		}
		return false
	}
}

// measure downloads the stored recording and measures its speech. When the
// file cannot be read, Asterisk's talking duration stands in for it.
func (c *call) measure(ctx context.Context, rec ivr.Recording, talking time.Duration) ivr.Recording {
	if !rec.Started || rec.Failed {
		return rec
	}
	b, err := c.cl.RecordingFile(context.WithoutCancel(ctx), rec.Name)
	if err == nil {
		if rec.Speech, err = ivr.Speech(b); err == nil {
			return rec
		}
	}
	if errors.Is(err, ErrNoRecording) {
		rec.Speech = 0
		return rec
	}
	c.cl.log.Warn("ari: cannot measure a recording's speech; taking Asterisk's talking time", "recording", rec.Name, "err", err)
	rec.Speech = talking
	return rec
}

// endGuardFloor is the least real time given to RecordingFinished after a
// hangup or a stop, however fast a test's clock runs: the event may trail
// the REST answer on a busy machine.
const endGuardFloor = time.Second

// endDeadline is when to stop waiting for RecordingFinished after a hangup
// or a stop.
func (c *call) endDeadline() time.Time {
	return time.Now().Add(max(c.cl.scaled(endGuard), endGuardFloor))
}

func (c *call) endErr(hungUp bool) error {
	if hungUp {
		return c.errAfter(ivr.ErrHangup)
	}
	return nil
}

// lost completes a recording whose RecordingFinished never came: if
// Asterisk stored it, its length is taken as the time since it started.
func (c *call) lost(ctx context.Context, rec ivr.Recording, started time.Time) ivr.Recording {
	if !rec.Started {
		return rec
	}
	ctx = context.WithoutCancel(ctx)
	if c.exists(ctx, func() error {
		_, err := c.cl.ari.StoredRecording().Data(ari.NewKey(ari.StoredRecordingKey, rec.Name))
		return err
	}) {
		rec.Duration = max(time.Duration(float64(time.Since(started))*c.cl.opts.Speed).Truncate(time.Second), time.Second)
	}
	return rec
}

// Discard deletes a stored recording; one already gone is no error.
func (c *call) Discard(ctx context.Context, name string) error {
	return c.cl.DeleteRecording(ctx, name)
}
