// SPDX-License-Identifier: Apache-2.0

package telegram_test

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/chatbot"
	"github.com/hotline-cchc/hotline/chatbot/telegram"
	"github.com/hotline-cchc/hotline/chatbot/telegramtest"
	"github.com/hotline-cchc/hotline/tickets"
)

// backlog queues n answers about one ticket to chats chats, the first of
// which (hung) is the chat whose sends hang, straight into the store's file.
func backlog(tb testing.TB, e *env, n, chats int) {
	tb.Helper()
	ctx := context.Background()
	tk, err := e.svc.Open(ctx, tickets.NewTicket{Branch: 1, Channel: tickets.ChannelOperator, Text: "x"})
	if err != nil {
		tb.Fatal(err)
	}
	raw, err := sql.Open("sqlite3", "file:"+e.db.Path()+"?_busy_timeout=5000")
	if err != nil {
		tb.Fatal(err)
	}
	defer raw.Close()
	_, err = raw.ExecContext(ctx, `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < ?1)
		INSERT INTO outbox (ticket_id, channel, recipient, kind, body, priority, created_at, next_attempt_at)
		SELECT (SELECT id FROM tickets WHERE code = ?2), 'telegram', CAST(2000000 + i % ?3 AS TEXT), 'answer', 'Trả lời', 1, ?4, ?4 FROM seq`,
		n, tk.Code, chats, time.Now().UTC().Add(-time.Minute).Format("2006-01-02T15:04:05.000Z"))
	if err != nil {
		tb.Fatal(err)
	}
}

// newOutboxBot returns a bot on e's store and an adapter on e's fake without
// the Bot API's rate limits.
func newOutboxBot(tb testing.TB, e *env) (*chatbot.Bot, *telegram.Adapter) {
	tb.Helper()
	bot := &chatbot.Bot{Channel: tickets.ChannelTelegram, Store: e.db, Tickets: e.svc, Menu: e.svc.Menu,
		Calendar: e.svc.Calendar, Log: slog.New(slog.DiscardHandler), OutboxPoll: time.Hour, SendTimeout: time.Hour}
	a, err := telegram.New(context.Background(), telegram.Config{Token: token, API: e.fake.URL, NoLimits: true}, bot)
	if err != nil {
		tb.Fatal(err)
	}
	return bot, a
}

var drainItems = flag.Int("drain-items", 100000, "answers queued for BenchmarkOutboxDrain")

// BenchmarkOutboxDrain measures how fast RunOutbox drains a backlog of
// 100,000 answers to 1,000 chats to a Bot API without rate limits.
func BenchmarkOutboxDrain(b *testing.B) {
	for range b.N {
		e := newEnv(b)
		backlog(b, e, *drainItems, 1000)
		bot, a := newOutboxBot(b, e)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		start := time.Now()
		go func() { done <- bot.RunOutbox(ctx, a) }()
		err := e.fake.WaitFor(context.Background(), func(v telegramtest.View) bool { return v.Calls("sendMessage") >= *drainItems })
		elapsed := time.Since(start)
		cancel()
		<-done
		if err != nil {
			b.Fatal(err)
		}
		if c := bot.Stats.Counts(); c.Sent != int64(*drainItems) {
			b.Fatalf("sent %d, want %d", c.Sent, *drainItems)
		}
		b.ReportMetric(float64(*drainItems)/elapsed.Seconds(), "items/s")
	}
}

// BenchmarkOutboxDrainBaseline is the bare baseline of the drain: the same
// sends through the same adapter and fake, 64 at a time, without the store.
func BenchmarkOutboxDrainBaseline(b *testing.B) {
	e := newEnv(b)
	_, a := newOutboxBot(b, e)
	n := *drainItems
	jobs := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for range 64 {
		wg.Go(func() {
			for i := range jobs {
				if err := a.Send(context.Background(), fmt.Sprint(2000000+i%1000), chatbot.Reply{Text: "Trả lời"}); err != nil {
					b.Error(err)
				}
			}
		})
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "items/s")
}

// BenchmarkOutboxReplyLatency measures a conversation reply's time from its
// commit to its arrival while 100,000 answers wait and one chat's sends hang.
func BenchmarkOutboxReplyLatency(b *testing.B) {
	e := newEnv(b)
	backlog(b, e, 100000, 1000)
	const hung = 2000000
	e.fake.Fail(telegramtest.Fault{Method: "sendMessage", Chat: hung, Hang: true, Times: 1 << 30})
	bot, a := newOutboxBot(b, e)
	bot.SendTimeout = 5 * time.Second // the hung sends end with it
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- bot.RunOutbox(ctx, a) }()
	defer func() { cancel(); e.fake.ClearFaults(); <-done }()
	var lat []time.Duration
	b.ResetTimer()
	for i := range max(b.N, 100) {
		chat := int64(3000000 + i)
		start := time.Now()
		c := &tickets.ChatCommit{Channel: tickets.ChannelTelegram, UpdateID: strconv.Itoa(i + 1), Chat: fmt.Sprint(chat), KeepState: true, At: start,
			Replies: []tickets.Notice{{Recipient: tickets.Recipient{Channel: tickets.ChannelTelegram, ID: fmt.Sprint(chat)}, Kind: tickets.NoticeReply, Body: `{"text":"Xin chào"}`}}}
		if _, err := e.db.CommitChat(ctx, c); err != nil {
			b.Fatal(err)
		}
		bot.Wake()
		if _, err := e.fake.WaitSent(e.ctx(), chat, 1); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		time.Sleep(10 * time.Millisecond)
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50_ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99_ms")
}
