// SPDX-License-Identifier: Apache-2.0

package asterisk

import (
	"context"
	"errors"
	"time"

	"github.com/CyCoreSystems/ari/v5"
)

// legPrefix starts the channel id of every operator leg.
const legPrefix = "hotline-op"

// Dial rings the caller while it originates a channel to endpoint into our
// application; if that channel enters Stasis (answered) within timeout,
// both are put in a mixing bridge until one hangs up.
func (c *call) Dial(ctx context.Context, endpoint string, timeout time.Duration) (bool, error) {
	legID := newID(legPrefix)
	leg := ari.NewKey(ari.ChannelKey, legID)
	c.cl.mu.Lock()
	c.cl.calls[legID] = c
	c.cl.mu.Unlock()
	if err := c.cl.rest(ctx, func() error { return c.cl.ari.Channel().Ring(c.key) }); err != nil {
		return false, c.chanErr(err)
	}
	stopRing := func() { c.cl.rest(ctx, func() error { return ignore404(c.cl.ari.Channel().StopRing(c.key)) }) }
	hangLeg := func() {
		c.cl.rest(context.WithoutCancel(ctx), func() error { return ignore404(c.cl.ari.Channel().Hangup(leg, "normal")) })
	}
	err := c.cl.rest(ctx, func() error {
		_, err := c.cl.ari.Channel().Originate(nil, ari.OriginateRequest{Endpoint: endpoint, App: c.cl.opts.App,
			AppArgs: operatorArg, ChannelID: legID, Timeout: int(timeout.Seconds()) + 5, CallerID: c.caller})
		return err
	})
	if err != nil {
		stopRing()
		c.cl.log.Error("ari: cannot call the operators", "endpoint", endpoint, "err", err)
		return false, nil
	}
	legEnded := func(ev any) bool {
		switch e := ev.(type) {
		case *ari.ChannelDestroyed:
			return e.Channel.ID == legID
		case *ari.StasisEnd:
			return e.Channel.ID == legID
		case *ari.ChannelHangupRequest:
			return e.Channel.ID == legID
		}
		return false
	}
	ev, err := c.await(ctx, timeout, false, func(ev any) bool {
		if e, ok := ev.(*ari.StasisStart); ok && e.Channel.ID == legID {
			return true
		}
		return legEnded(ev)
	})
	if err != nil {
		hangLeg()
		if errors.Is(err, errTimeout) {
			stopRing()
			return false, nil
		}
		return false, err
	}
	if _, ok := ev.(*ari.StasisStart); !ok {
		stopRing()
		return false, nil
	}
	stopRing()
	return true, c.bridge(ctx, leg, legEnded, hangLeg)
}

// bridge joins the caller and the answered leg until one of them leaves.
func (c *call) bridge(ctx context.Context, leg *ari.Key, legEnded func(any) bool, hangLeg func()) error {
	bk := ari.NewKey(ari.BridgeKey, newID("br"))
	defer c.cl.rest(context.WithoutCancel(ctx), func() error { return ignore404(c.cl.ari.Bridge().Delete(bk)) })
	err := c.cl.rest(ctx, func() error {
		if _, err := c.cl.ari.Bridge().Create(bk, "mixing", "hotline-operator"); err != nil {
			return err
		}
		if err := c.cl.ari.Bridge().AddChannel(bk, c.id); err != nil {
			return err
		}
		return c.cl.ari.Bridge().AddChannel(bk, leg.ID)
	})
	if err != nil {
		hangLeg()
		return c.chanErr(err)
	}
	_, err = c.await(ctx, 0, false, legEnded)
	if err != nil {
		hangLeg()
	}
	return err
}
