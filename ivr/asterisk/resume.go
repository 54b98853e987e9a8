// SPDX-License-Identifier: Apache-2.0

package asterisk

import (
	"context"
	"errors"
	"time"

	"github.com/CyCoreSystems/ari/v5"

	"github.com/hotline-cchc/hotline/ivr"
)

// stateVar is the channel variable that keeps a call's ivr.State, so that
// a restarted hotline takes the call over where it was.
const stateVar = "HOTLINE_STATE"

// Save keeps st in the channel variable HOTLINE_STATE.
func (c *call) Save(ctx context.Context, st ivr.State) error {
	return c.chanErr(c.cl.rest(ctx, func() error { return c.cl.ari.Channel().SetVariable(c.key, stateVar, st.String()) }))
}

// Resumed returns the state found on the channel when this process took
// the call over after a restart.
func (c *call) Resumed() (ivr.State, bool) {
	if c.saved == nil {
		return ivr.State{}, false
	}
	return *c.saved, true
}

// savedState reads a channel's HOTLINE_STATE; nil if it has none.
func (cl *Client) savedState(ctx context.Context, key *ari.Key) *ivr.State {
	var v string
	err := cl.rest(ctx, func() (err error) { v, err = cl.ari.Channel().GetVariable(key, stateVar); return err })
	if err != nil {
		return nil
	}
	if st, ok := ivr.ParseState(v); ok {
		return &st
	}
	return nil
}

// Finish waits for a recording an earlier run started to end (a muted
// line is stopped after maxLen and some slack), then measures the stored
// file.
func (c *call) Finish(ctx context.Context, name string, maxLen time.Duration) (ivr.Recording, error) {
	rec := ivr.Recording{Name: name, Started: true}
	live := ari.NewKey(ari.LiveRecordingKey, name)
	if c.exists(ctx, func() error { _, err := c.cl.ari.LiveRecording().Data(live); return err }) {
		ended := func(ev any) bool {
			switch ev.(type) {
			case *ari.RecordingFinished, *ari.RecordingFailed:
				return recordingEvent(name)(ev)
			}
			return false
		}
		ev, err := c.await(ctx, maxLen+recordSlack, true, ended)
		if errors.Is(err, errTimeout) {
			c.cl.rest(ctx, func() error { return ignore404(c.cl.ari.LiveRecording().Stop(live)) })
			ev, err = c.await(ctx, time.Duration(float64(max(c.cl.scaled(endGuard), endGuardFloor))*c.cl.opts.Speed), true, ended)
		}
		if _, ok := ev.(*ari.RecordingFailed); ok {
			rec.Failed = true
		}
		if err != nil && !errors.Is(err, errTimeout) {
			return c.measure(ctx, rec, 0), c.errAfter(err)
		}
	}
	return c.measure(ctx, rec, 0), nil
}
