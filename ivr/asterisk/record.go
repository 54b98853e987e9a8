// SPDX-License-Identifier: Apache-2.0

package asterisk

import (
	"context"
	"errors"
	"time"

	"github.com/CyCoreSystems/ari/v5"

	"github.com/hotline-cchc/hotline/ivr"
)

// Record records after a beep until '#', MaxSilence, max, or a hangup. A
// muted line never ends a recording by itself (Asterisk counts silence
// and length on incoming audio), so the recording is stopped after max and
// some slack. A recording interrupted by a hangup is kept by Asterisk; its
// RecordingFinished still comes before StasisEnd.
func (c *call) Record(ctx context.Context, name string, maxLen time.Duration) (ivr.Recording, error) {
	rec := ivr.Recording{Name: name}
	opts := &ari.RecordingOptions{Format: "wav", MaxDuration: maxLen, MaxSilence: c.cl.opts.MaxSilence,
		Exists: "overwrite", Beep: true, Terminate: "#"}
	if err := c.cl.rest(ctx, func() error { _, err := c.cl.ari.Channel().Record(c.key, name, opts); return err }); err != nil {
		return rec, channelErr(err)
	}
	defer func() { c.digits = nil }() // the '#' that ended it, and keys pressed while talking
	var started time.Time
	deadline := time.Now().Add(c.cl.scaled(maxLen + recordSlack))
	stopped, hungUp := false, false
	for {
		wait := time.Until(deadline)
		ev, err := c.await(ctx, time.Duration(float64(max(wait, time.Millisecond))*c.cl.opts.Speed), hungUp, func(ev any) bool {
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
		})
		switch {
		case errors.Is(err, ivr.ErrHangup) && !hungUp:
			hungUp, deadline = true, c.endDeadline()
			continue
		case errors.Is(err, errTimeout) && !stopped && !hungUp:
			c.cl.log.Warn("ari: recording did not end by itself; stopping it", "channel", c.id, "recording", name)
			stopped = true
			c.cl.rest(ctx, func() error { return ignore404(c.cl.ari.LiveRecording().Stop(ari.NewKey(ari.LiveRecordingKey, name))) })
			deadline = c.endDeadline()
			continue
		case err != nil:
			return c.lost(ctx, rec, started), err
		}
		switch e := ev.(type) {
		case *ari.RecordingStarted:
			rec.Started, started = true, time.Now()
		case *ari.RecordingFinished:
			rec.Started = true
			rec.Duration = time.Duration(e.Recording.Duration)
			return rec, c.endErr(hungUp)
		case *ari.RecordingFailed:
			rec.Failed = true
			return rec, c.endErr(hungUp)
		case resync:
			if !c.exists(ctx, func() error {
				_, err := c.cl.ari.LiveRecording().Data(ari.NewKey(ari.LiveRecordingKey, name))
				return err
			}) {
				return c.lost(ctx, rec, started), c.endErr(hungUp || c.hungUp())
			}
		}
	}
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
		return ivr.ErrHangup
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
