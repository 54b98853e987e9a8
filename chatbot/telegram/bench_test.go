// SPDX-License-Identifier: Apache-2.0

package telegram_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/chatbot/telegram"
	"github.com/hotline-cchc/hotline/chatbot/telegramtest"
	"github.com/hotline-cchc/hotline/tickets"
)

// benchChats is how many citizens write at the same time.
const benchChats = 200

// BenchmarkUpdates measures updates handled end to end through the fake Bot
// API: each /help is fetched by long polling, handled, committed with its
// reply to the outbox, and the reply sent with sendMessage.
func BenchmarkUpdates(b *testing.B) {
	e := newEnv(b)
	e.start(telegram.Config{NoLimits: true})
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		e.fake.Text(int64(1000+i%benchChats), "/help")
	}
	err := e.fake.WaitFor(ctx, func(v telegramtest.View) bool { return v.Calls("sendMessage") >= b.N })
	elapsed := time.Since(start)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "updates/s")
}

// BenchmarkConversations measures whole conversations through the fake: each
// is /start, a branch button, a description, Skip and the confirmation (five
// updates, a ticket, eight messages and two edits), many citizens at once.
func BenchmarkConversations(b *testing.B) {
	e := newEnv(b)
	e.start(telegram.Config{NoLimits: true})
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	sem := make(chan struct{}, benchChats)
	for i := range b.N {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			converse(b, e, int64(100000+i))
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "tickets/s")
	b.ReportMetric(float64(5*b.N)/elapsed.Seconds(), "updates/s")
}

func converse(b *testing.B, e *env, chat int64) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	wait := func(n int) telegramtest.Message {
		ms, err := e.fake.WaitSent(ctx, chat, n)
		if err != nil {
			b.Errorf("chat %d: message %d: %v", chat, n, err)
			runtime.Goexit()
		}
		return ms[n-1]
	}
	e.fake.Text(chat, "/start")
	e.fake.Press(chat, chat, wait(1).ID, "b:4")
	wait(2)
	e.fake.Text(chat, "Hồ sơ của tôi nộp đã lâu mà chưa có kết quả, đề nghị kiểm tra.")
	wait(3)
	e.fake.Text(chat, "Bỏ qua")
	e.fake.Press(chat, chat, wait(5).ID, "ok")
	wait(6)
}

// BenchmarkActiveConversation measures what a conversation in progress
// costs: the heap it keeps (conversations live in SQLite, not in memory) and
// the database space of its state and draft. Each op opens one conversation
// and leaves it waiting for the contact step.
func BenchmarkActiveConversation(b *testing.B) {
	e := newEnv(b)
	e.start(telegram.Config{NoLimits: true})
	ctx := context.Background()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	sizeBefore := dbSize(e)
	b.ResetTimer()
	var wg sync.WaitGroup
	sem := make(chan struct{}, benchChats)
	for i := range b.N {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			chat := int64(500000 + i)
			e.fake.Text(chat, "/start")
			ms, err := e.fake.WaitSent(ctx, chat, 1)
			if err != nil {
				b.Error(err)
				return
			}
			e.fake.Press(chat, chat, ms[0].ID, "b:4")
			e.fake.WaitSent(ctx, chat, 2)
			e.fake.Text(chat, fmt.Sprintf("Phản ánh số %d: hồ sơ chậm trễ, đề nghị kiểm tra và trả lời.", i))
			e.fake.WaitSent(ctx, chat, 3)
		})
	}
	wg.Wait()
	b.StopTimer()
	runtime.GC()
	runtime.ReadMemStats(&after)
	var stored int
	for i := range b.N {
		chat := fmt.Sprint(500000 + i)
		state, draft, _, err := e.db.Conversation(ctx, tickets.ChannelTelegram, chat)
		if err != nil || state != "contact" {
			b.Fatalf("chat %s: state %q, %v", chat, state, err)
		}
		stored += len(chat) + len(state) + len(draft) + len(tickets.ChannelTelegram) + len("2006-01-02T15:04:05.000Z")
	}
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/float64(b.N), "heap-B/conversation")
	b.ReportMetric(float64(stored)/float64(b.N), "row-B/conversation")
	b.ReportMetric(float64(dbSize(e)-sizeBefore)/float64(b.N), "file-B/conversation")
}

// dbSize is the database's size on disk with its WAL.
func dbSize(e *env) int64 {
	var n int64
	for _, suffix := range []string{"", "-wal"} {
		if fi, err := os.Stat(e.db.Path() + suffix); err == nil {
			n += fi.Size()
		}
	}
	return n
}
