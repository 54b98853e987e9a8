// SPDX-License-Identifier: Apache-2.0

package asterisk

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/CyCoreSystems/ari/v5"

	"github.com/hotline-cchc/hotline/ivr"
)

// callbackArg is the Stasis argument of a call-back channel.
const callbackArg = "hotline-callback"

// causeNoAnswer is Q.850's "no answer from user", for a call that rang out
// without Asterisk saying why.
const causeNoAnswer = 19

// Originate implements ivr.Originator: POST /channels into the
// application with the call-back argument, then wait for StasisStart (the
// citizen picked up) or ChannelDestroyed with its cause.
func (cl *Client) Originate(ctx context.Context, endpoint, callerID string, ring time.Duration) (ivr.Call, func(), error) {
	id := newID("hotline-cb")
	c := newCall(cl, id, "")
	cl.mu.Lock()
	cl.calls[id] = c
	cl.mu.Unlock()
	release := func() { cl.forget(c) }
	err := cl.rest(ctx, func() error {
		_, err := cl.ari.Channel().Originate(nil, ari.OriginateRequest{Endpoint: endpoint, App: cl.opts.App,
			AppArgs: callbackArg, ChannelID: id, Timeout: int(ring.Seconds()), CallerID: callerID})
		return err
	})
	if err != nil {
		release()
		return nil, nil, fmt.Errorf("ari originate: %w", err)
	}
	ev, err := c.await(ctx, ring+10*time.Second, true, func(ev any) bool {
		switch e := ev.(type) {
		case *ari.StasisStart:
			return e.Channel.ID == id
		case *ari.ChannelDestroyed:
			return e.Channel.ID == id
		}
		return false
	})
	switch e := ev.(type) {
	case *ari.StasisStart:
		return c, release, nil
	case *ari.ChannelDestroyed:
		release()
		return nil, nil, &ivr.NotAnswered{Cause: e.Cause}
	}
	cl.rest(context.WithoutCancel(ctx), func() error { return ignore404(cl.ari.Channel().Hangup(c.key, "normal")) })
	release()
	if errors.Is(err, errTimeout) {
		return nil, nil, &ivr.NotAnswered{Cause: causeNoAnswer}
	}
	return nil, nil, err
}
