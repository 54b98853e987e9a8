// SPDX-License-Identifier: Apache-2.0

package telegram_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/chatbot"
	"github.com/hotline-cchc/hotline/chatbot/telegram"
	"github.com/hotline-cchc/hotline/chatbot/telegramtest"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

const token = "123456789:AAH-secret-token-do-not-log"

const (
	citizen = int64(42)
	group   = int64(-1001)
)

// syncLog is a log buffer safe for concurrent writers.
type syncLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type env struct {
	t     testing.TB
	fake  *telegramtest.Server
	svc   *tickets.Service
	db    *sqlite.DB
	clock *ticketstest.Clock
	log   *syncLog
	a     *telegram.Adapter
	bot   *chatbot.Bot
	stop  func()
	skew  atomic.Int64 // how far the bot's clock is ahead of the service's
}

// advance moves the bot's clock forward.
func (e *env) advance(d time.Duration) { e.skew.Add(int64(d)) }

func newEnv(t testing.TB) *env {
	t.Helper()
	fake := telegramtest.New(token)
	t.Cleanup(fake.Close)
	svc, clock := ticketstest.Service(t)
	svc.DepartmentChats = map[string][]tickets.Recipient{"van-phong-ubnd-tinh": {{Channel: tickets.ChannelTelegram, ID: "-1001"}}}
	e := &env{t: t, fake: fake, svc: svc, db: svc.Store.(*sqlite.DB), clock: clock, log: &syncLog{}}
	t.Cleanup(func() {
		if strings.Contains(e.log.String(), token) {
			t.Errorf("the log contains the token:\n%s", e.log)
		}
	})
	return e
}

// start runs the adapter (polling unless webhookURL is set) until stop or
// the end of the test.
func (e *env) start(cfg telegram.Config) {
	e.t.Helper()
	e.bot = &chatbot.Bot{Channel: tickets.ChannelTelegram, Store: e.db, Tickets: e.svc, Menu: e.svc.Menu,
		Calendar: e.svc.Calendar, Departments: map[string]string{"-1001": "van-phong-ubnd-tinh"},
		OutboxPoll: time.Hour, Log: slog.New(slog.NewTextHandler(e.log, nil))}
	start := e.clock.T
	e.bot.Now = func() time.Time { return start.Add(time.Duration(e.skew.Load())) }
	life, endLife := context.WithCancel(context.Background())
	ctx, cancel := context.WithCancel(life)
	cfg.Token, cfg.API, cfg.Log = token, e.fake.URL, e.bot.Log
	if cfg.PollTimeout == 0 {
		cfg.PollTimeout = 10 * time.Second
	}
	a, err := telegram.New(life, cfg, e.bot)
	if err != nil {
		cancel()
		endLife()
		e.t.Fatal(err)
	}
	e.a = a
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	var once sync.Once
	e.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				e.t.Errorf("Run: %v", err)
			}
			endLife()
		})
	}
	e.t.Cleanup(e.stop)
}

func (e *env) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	e.t.Cleanup(cancel)
	return ctx
}

// waitSent waits for the nth message (1-based) in chat and returns it.
func (e *env) waitSent(chat int64, n int) telegramtest.Message {
	e.t.Helper()
	ms, err := e.fake.WaitSent(e.ctx(), chat, n)
	if err != nil {
		e.t.Fatalf("waiting for message %d in chat %d: %v; got %+v", n, chat, err, ms)
	}
	return ms[n-1]
}

// eventually waits until cond holds, checking every few milliseconds.
func (e *env) eventually(what string, cond func() bool) {
	e.t.Helper()
	ctx := e.ctx()
	for !cond() {
		select {
		case <-ctx.Done():
			e.t.Fatalf("never: %s", what)
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// waitHandled waits until the update id is handled.
func (e *env) waitHandled(id int64) {
	e.t.Helper()
	e.eventually(fmt.Sprintf("update %d handled", id), func() bool {
		ok, _ := e.db.Handled(context.Background(), tickets.ChannelTelegram, strconv.FormatInt(id, 10))
		return ok
	})
}

var codeRe = regexp.MustCompile(`Mã phiếu: (\d{3} \d{3} \d{3})`)

func mustCode(t testing.TB, text string) tickets.Code {
	t.Helper()
	m := codeRe.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no code in %q", text)
	}
	c, err := tickets.ParseCode(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func contains(t *testing.T, m telegramtest.Message, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(m.Text, w) {
			t.Errorf("message %q lacks %q", m.Text, w)
		}
	}
}
