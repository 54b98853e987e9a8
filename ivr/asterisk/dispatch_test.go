// SPDX-License-Identifier: Apache-2.0

package asterisk_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"

	"github.com/hotline-cchc/hotline/ivr"
	"github.com/hotline-cchc/hotline/ivr/asterisk"
)

// An ari/v5 subscription keeps 100 events and silently drops the rest; the
// client's per-call queue keeps every event for a call that is busy.
func TestNoEventDropped(t *testing.T) {
	cl, err := asterisk.New(asterisk.Options{URL: "http://127.0.0.1:9/ari", App: "hotline", User: "u", Password: "p",
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	var got atomic.Int64
	finished := make(chan struct{})
	drain := asterisk.Drain(func() { got.Add(1) })
	handle := func(ctx context.Context, c ivr.Call) {
		<-release // busy, e.g. writing to the store
		drain(ctx, c)
		close(finished)
	}
	ctx := context.Background()
	events := callEvents("busy-1")
	const extra = 1000
	send := func(data []byte) {
		if err := cl.HandleMessage(ctx, data, handle); err != nil {
			t.Fatal(err)
		}
	}
	send(events[0]) // StasisStart
	for i := 0; i < extra; i++ {
		send([]byte(fmt.Sprintf(`{"type":"ChannelDtmfReceived","digit":"%d","duration_ms":100,"channel":{"id":"busy-1","state":"Up"},"application":"hotline"}`, i%10)))
	}
	for _, e := range events[1:] {
		send(e)
	}
	if n := cl.Pending("busy-1"); n != extra+len(events)-1 {
		t.Errorf("%d events queued, want %d", n, extra+len(events)-1)
	}
	close(release)
	<-finished
	if n := got.Load(); n != int64(extra+len(events)-1) {
		t.Errorf("the call took %d events, want %d", n, extra+len(events)-1)
	}
}
