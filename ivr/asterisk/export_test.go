// SPDX-License-Identifier: Apache-2.0

package asterisk

import (
	"context"

	"github.com/CyCoreSystems/ari/v5"

	"github.com/hotline-cchc/hotline/ivr"
)

// HandleMessage exposes the event path (decode, dispatch, per-call queue)
// to benchmarks.
func (cl *Client) HandleMessage(ctx context.Context, data []byte, handle Handler) error {
	return cl.handleMessage(ctx, data, handle)
}

// Drain is a handler that takes every event of its call, as a flow waiting
// on it would, until StasisEnd, and counts them.
func Drain(count func()) Handler {
	return func(ctx context.Context, c ivr.Call) {
		k := c.(*call)
		for {
			ev, err := k.await(ctx, 0, true, func(any) bool { return true })
			if err != nil {
				return
			}
			count()
			if e, ok := ev.(*ari.StasisEnd); ok && e.Channel.ID == k.id {
				return
			}
		}
	}
}
