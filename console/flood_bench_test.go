// SPDX-License-Identifier: Apache-2.0

package console_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/console"
)

// The flood's shape, as in issue 9: 50 clients sending wrong passwords as
// fast as they are answered.
const (
	floodClients  = 50
	floodFor      = 15 * time.Second
	floodBaseline = 5 * time.Second
)

// BenchmarkLoginFlood measures what a sign-in flood costs everyone else.
// An API client reads a ticket in a loop, first alone (the baseline), then
// while floodClients post wrong passwords over real HTTP on loopback, each
// request from a new address (a botnet behind the proxy: TrustProxy and
// X-Forwarded-For), so that only the password check slots stand in the way.
// It reports the API's 99th percentile in both phases, the process's peak
// resident memory during the flood, and how the flood was answered.
// Targets (issue 9): flood-p99-ms < 250 and peak-rss-MB < 300.
func BenchmarkLoginFlood(b *testing.B) {
	if testing.Short() {
		b.Skip("a 20-second load test; skipped in -short mode")
	}
	e := newEnv(b, func(c *console.Config) { c.TrustProxy = true; c.Now = time.Now })
	code := e.open(b, 1)
	ts := httptest.NewServer(e.srv)
	defer ts.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: 2 * floodClients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	for b.Loop() {
		base := apiTimes(b, client, ts.URL+"/api/v1/tickets/"+string(code), e.tokens["focal"], floodBaseline, nil)
		stop := make(chan struct{})
		var peak atomic.Int64
		var answers sync.Map // status → *atomic.Int64
		var wg sync.WaitGroup
		for c := range floodClients {
			wg.Go(func() { flood(client, ts.URL, c, stop, &answers) })
		}
		wg.Go(func() { watchRSS(stop, &peak) })
		during := apiTimes(b, client, ts.URL+"/api/v1/tickets/"+string(code), e.tokens["focal"], floodFor, stop)
		wg.Wait()
		b.ReportMetric(p99(base), "base-p99-ms")
		b.ReportMetric(p99(during), "flood-p99-ms")
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-rss-MB")
		answers.Range(func(k, v any) bool {
			b.ReportMetric(float64(v.(*atomic.Int64).Load())/floodFor.Seconds(), fmt.Sprintf("login-%d/s", k))
			return true
		})
	}
}

// apiTimes calls the API at target for d and returns each call's time;
// it closes stop, if any, when done.
func apiTimes(b *testing.B, client *http.Client, target, token string, d time.Duration, stop chan struct{}) []time.Duration {
	var times []time.Duration
	for end := time.Now().Add(d); time.Now().Before(end); {
		req, _ := http.NewRequest("GET", target, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		start := time.Now()
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, err = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		times = append(times, time.Since(start))
		if res.StatusCode != http.StatusOK {
			b.Fatalf("API: %d (%v)", res.StatusCode, err)
		}
		time.Sleep(20 * time.Millisecond) // a client's pace, not a second flood
	}
	if stop != nil {
		close(stop)
	}
	return times
}

// flood posts wrong passwords until stop, each from a new address, and
// counts the answers by status.
func flood(client *http.Client, base string, c int, stop chan struct{}, answers *sync.Map) {
	form := url.Values{"name": {"focal"}, "password": {"đoán bừa một mật khẩu"}}.Encode()
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		req, _ := http.NewRequestWithContext(context.Background(), "POST", base+"/login", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", c, i>>8&255, i&255))
		res, err := client.Do(req)
		if err != nil {
			continue
		}
		res.Body.Close()
		n, _ := answers.LoadOrStore(res.StatusCode, new(atomic.Int64))
		n.(*atomic.Int64).Add(1)
	}
}

// watchRSS keeps the highest resident set size seen until stop.
func watchRSS(stop chan struct{}, peak *atomic.Int64) {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		if r := rss(); r > peak.Load() {
			peak.Store(r)
		}
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

// rss is the process's resident set size in bytes, from /proc.
func rss() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// p99 is the 99th percentile of ts in milliseconds.
func p99(ts []time.Duration) float64 {
	slices.Sort(ts)
	return float64(ts[len(ts)*99/100].Microseconds()) / 1e3
}
