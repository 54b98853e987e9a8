// SPDX-License-Identifier: Apache-2.0

package zalo_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/chatbot"
	"github.com/hotline-cchc/hotline/chatbot/zalo"
	"github.com/hotline-cchc/hotline/chatbot/zalotest"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

const (
	benchSenders = 200
	benchClients = 32
)

// BenchmarkWebhook posts b.N signed look-ups from 200 citizens, 32 at a
// time, and waits until each is answered through the fake: signature,
// inbox, conversation, store, outbox, reply. It reports events/s and the
// p99 time to answer Zalo's POST. BenchmarkWebhookBaseline posts the same
// requests to a handler that only reads them: the HTTP floor.
func BenchmarkWebhook(b *testing.B) {
	svc, _ := ticketstest.Service(b)
	db := svc.Store.(*sqlite.DB)
	fake := zalotest.New(zalotest.Options{AppID: "app", OAID: "oa", AppSecret: "as", OASecret: "ok", RateLimit: 1 << 30})
	defer fake.Close()
	bot := &chatbot.Bot{Channel: tickets.ChannelZalo, Store: db, Tickets: svc, Menu: svc.Menu, Calendar: svc.Calendar, GreetFirst: true}
	c := &zalo.Client{AppID: "app", AppSecret: "as", API: fake.URL, OAuth: fake.URL, Business: fake.URL}
	ad := zalo.New(zalo.Config{Client: c, OAID: "oa", OASecretKey: "ok", RefreshToken: "refresh-0", NoLimits: true}, bot, store{db})
	hook := httptest.NewServer(ad.Handler())
	defer hook.Close()
	fake.Hook(hook.URL)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); ad.Run(ctx) }()
	defer func() { cancel(); <-done }()
	for i := range benchSenders { // each sender's window opens
		fake.Follow(fmt.Sprint("u", i))
	}
	fake.WaitDeliveries(ctx, benchSenders)
	for i := range benchSenders {
		fake.WaitSent(ctx, fmt.Sprint("u", i), 1)
	}
	b.ResetTimer()
	lat := post(b, hook.URL, fake.Sign)
	for i := range benchSenders {
		want := 1 + b.N/benchSenders
		if i < b.N%benchSenders {
			want++
		}
		if _, err := fake.WaitSent(ctx, fmt.Sprint("u", i), want); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	report(b, lat)
}

func BenchmarkWebhookBaseline(b *testing.B) {
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
	}))
	defer hook.Close()
	sign := func([]byte, string) string { return "mac=00" }
	b.ResetTimer()
	lat := post(b, hook.URL, sign)
	b.StopTimer()
	report(b, lat)
}

// post sends b.N look-ups from benchClients goroutines and returns each
// POST's time.
func post(b *testing.B, url string, sign func([]byte, string) string) []time.Duration {
	lat := make([]time.Duration, b.N)
	var next atomic.Int64
	var wg sync.WaitGroup
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchClients}}
	for range benchClients {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < b.N; i = int(next.Add(1) - 1) {
				ts := fmt.Sprint(time.Now().UnixMilli())
				body := fmt.Appendf(nil, `{"app_id":"app","event_name":"user_send_text","sender":{"id":"u%d"},"recipient":{"id":"oa"},"message":{"msg_id":"b%d","text":"123456789"},"timestamp":"%s"}`,
					i%benchSenders, i, ts)
				req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
				req.Header.Set(zalo.SignatureHeader, sign(body, ts))
				start := time.Now()
				resp, err := client.Do(req)
				lat[i] = time.Since(start)
				if err != nil || resp.StatusCode != http.StatusOK {
					b.Errorf("POST: %v", err)
					return
				}
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	return lat
}

func report(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(lat[len(lat)*99/100])/1e6, "p99_post_ms")
	b.ReportMetric(float64(lat[len(lat)/2])/1e6, "p50_post_ms")
}
