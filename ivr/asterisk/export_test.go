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

// Pending returns how many events wait in the queue of the call on channel
// id; -1 if no call follows it.
func (cl *Client) Pending(id string) int {
	cl.mu.Lock()
	c := cl.calls[id]
	cl.mu.Unlock()
	if c == nil {
		return -1
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.queue)
}
