// SPDX-License-Identifier: Apache-2.0

package asterisk_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"

	"github.com/CyCoreSystems/ari/v5"
	"github.com/CyCoreSystems/ari/v5/stdbus"

	"github.com/hotline-cchc/hotline/ivr/asterisk"
)

// callEvents is one call's events as Asterisk 22 sends them (shapes from
// the recordings of ari-traffic/): StasisStart, two prompts, a key, a
// recording, the hangup.
func callEvents(id string) [][]byte {
	ch := fmt.Sprintf(`{"id":%q,"name":"PJSIP/caller-0000001","state":"Up","protocol_id":"","caller":{"name":"","number":"0939015599"},"connected":{"name":"","number":""},"accountcode":"","dialplan":{"context":"hotline-in","exten":"s","priority":2,"app_name":"Stasis","app_data":"hotline"},"creationtime":"2026-11-22T07:39:26.551+0000","language":"vi"}`, id)
	pb := func(n int, state string) string {
		return fmt.Sprintf(`{"id":"pb-%s-%d","media_uri":"sound:hotline/greeting","target_uri":"channel:%s","language":"vi","state":%q}`, id, n, id, state)
	}
	rec := fmt.Sprintf(`{"name":"hotline-%s","format":"wav","state":"done","target_uri":"channel:%s","duration":12,"talking_duration":10,"silence_duration":2}`, id, id)
	const tail = `"timestamp":"2026-11-22T07:39:26.553+0000","asterisk_id":"02:fc:00:00:00:01","application":"hotline"`
	var out [][]byte
	for _, e := range []string{
		`{"type":"StasisStart","args":[],"channel":` + ch,
		`{"type":"PlaybackStarted","playback":` + pb(1, "playing"),
		`{"type":"PlaybackFinished","playback":` + pb(1, "done"),
		`{"type":"PlaybackStarted","playback":` + pb(2, "playing"),
		`{"type":"ChannelDtmfReceived","digit":"4","duration_ms":100,"channel":` + ch,
		`{"type":"PlaybackFinished","playback":` + pb(2, "done"),
		`{"type":"RecordingStarted","recording":` + rec,
		`{"type":"RecordingFinished","recording":` + rec,
		`{"type":"ChannelHangupRequest","cause":32,"soft":true,"channel":` + ch,
		`{"type":"StasisEnd","channel":` + ch,
	} {
		out = append(out, []byte(e+","+tail+"}"))
	}
	return out
}

// stream returns at least n events, whole calls each on its own channel,
// and the number of calls.
func stream(n int) ([][]byte, int) {
	var out [][]byte
	i := 0
	for ; len(out) < n; i++ {
		out = append(out, callEvents(fmt.Sprintf("bench-%d", i))...)
	}
	return out, i
}

// BenchmarkEventBare is the cost per event of a bare ari/v5 application
// that only answers: the native client decodes every event and sends it on
// its bus, where the handler's StasisStart subscription takes its own.
func BenchmarkEventBare(b *testing.B) {
	events, _ := stream(b.N)
	bus := stdbus.New()
	defer bus.Close()
	sub := bus.Subscribe(nil, ari.Events.StasisStart)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range sub.Events() { // where a bare handler would answer
		}
	}()
	b.ResetTimer()
	for _, data := range events {
		ev, err := ari.DecodeEvent(data)
		if err != nil {
			b.Fatal(err)
		}
		bus.Send(ev)
	}
	sub.Cancel() // closes Events(); StasisStarts past 100 queued were dropped by the bus
	wg.Wait()
}

// BenchmarkEventApp is the same stream through the client's own event path:
// decode, dispatch to the call's queue (a goroutine per call), and the
// call's goroutine taking each event.
func BenchmarkEventApp(b *testing.B) {
	events, calls := stream(b.N)
	cl, err := asterisk.New(asterisk.Options{URL: "http://127.0.0.1:9/ari", App: "hotline", User: "u", Password: "p",
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(len(events) - calls) // StasisStart starts the call rather than reaching it
	handle := asterisk.Drain(wg.Done)
	ctx := context.Background()
	b.ResetTimer()
	for _, data := range events {
		if err := cl.HandleMessage(ctx, data, handle); err != nil {
			b.Fatal(err)
		}
	}
	wg.Wait()
}
