// SPDX-License-Identifier: Apache-2.0

package asterisk_test

import (
	"context"
	"io"
	"log/slog"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/ivr"
	"github.com/hotline-cchc/hotline/ivr/aritest"
	"github.com/hotline-cchc/hotline/ivr/asterisk"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

// BenchmarkConcurrentCalls places 1,000 simultaneous calls through the fake,
// each choosing branch 4 and leaving a message, and reports the time from a
// DTMF event leaving the fake to the application's next ARI request on that
// channel (p50, p99), and the heap and goroutines per active call (fake and
// application together, in one process: an upper bound for the application).
func BenchmarkConcurrentCalls(b *testing.B) {
	const calls = 1000
	var lat []time.Duration
	var heapPerCall, goPerCall float64
	for i := 0; i < b.N; i++ {
		l, h, g := thousandCalls(b, calls)
		lat = append(lat, l...)
		heapPerCall, goPerCall = max(heapPerCall, h), max(goPerCall, g)
	}
	slices.Sort(lat)
	if len(lat) == 0 {
		b.Fatal("no DTMF reaction measured")
	}
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(q(0.50), "p50-dtmf-ms")
	b.ReportMetric(q(0.99), "p99-dtmf-ms")
	b.ReportMetric(heapPerCall/1024, "heap-KiB/call")
	b.ReportMetric(goPerCall, "goroutines/call")
}

func thousandCalls(b *testing.B, calls int) (lat []time.Duration, heapPerCall, goPerCall float64) {
	// Real time, so that the load is what Asterisk would send: 1,000 calls
	// arriving over 5 s and each lasting about a minute.
	const speed, arrivals = 1, 5 * time.Second
	fake, err := aritest.New(aritest.Options{User: user, Password: password, Speed: speed})
	if err != nil {
		b.Fatal(err)
	}
	defer fake.Close()
	svc, _ := ticketstest.Service(b)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	flow := ivr.New(ivr.Config{Menu: svc.Menu, Calendar: svc.Calendar, Now: svc.Now}, svc, svc.Store, log)
	cl, err := asterisk.New(asterisk.Options{URL: fake.URL(), User: user, Password: password, App: "hotline", Speed: speed, Log: log})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var done sync.WaitGroup
	var tickets_ atomic.Int64
	done.Add(calls)
	go cl.Run(ctx, func(ctx context.Context, c ivr.Call) {
		defer done.Done()
		if r := flow.Handle(ctx, c); r.Outcome == tickets.OutcomeTicket {
			tickets_.Add(1)
		}
	})
	for !cl.Connected() || !fake.Connected("hotline") {
		time.Sleep(time.Millisecond)
	}
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	baseG := runtime.NumGoroutine()
	var peakHeap uint64
	var peakG int
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() { // samples while every call is up
		defer close(sampled)
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			peakHeap, peakG = max(peakHeap, m.HeapInuse), max(peakG, runtime.NumGoroutine())
		}
	}()
	b.ResetTimer()
	began := time.Now()
	for i := range calls {
		time.Sleep(time.Until(began.Add(time.Duration(i) * arrivals / time.Duration(calls))))
		fake.Call("hotline", aritest.Caller{Number: "0939015599", Keys: []string{"4"}, Say: 3 * time.Second})
	}
	done.Wait()
	b.StopTimer()
	close(stop)
	<-sampled
	if n := tickets_.Load(); n != int64(calls) {
		b.Fatalf("%d tickets for %d calls", n, calls)
	}
	return fake.DTMFLatencies(), float64(peakHeap-min(peakHeap, base.HeapInuse)) / float64(calls), float64(peakG-baseG) / float64(calls)
}
