// SPDX-License-Identifier: Apache-2.0

package chatbot_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/hotline-cchc/hotline/chatbot"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

// An unreadable reply and an item of a kind this version does not know are
// failed with their reason, not sent and not dropped.
func TestMalformedItemsFail(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	to := tickets.Recipient{Channel: tickets.ChannelTelegram, ID: "42"}
	err := h.db.QueueNotices(ctx, h.clock.Now(), []tickets.Notice{
		{Recipient: to, Kind: tickets.NoticeReply, Body: "{not json"},
		{Recipient: to, Kind: "survey", Body: "?"},
	})
	if err != nil {
		t.Fatal(err)
	}
	h.flush()
	if rs := h.send.take("42"); len(rs) != 0 {
		t.Errorf("sent %+v", rs)
	}
	failed, _ := h.db.ListOutbox(ctx, sqlite.OutboxFilter{State: tickets.StateFailed})
	if len(failed) != 2 || failed[0].Class != tickets.ClassMalformed || failed[1].Class != tickets.ClassMalformed {
		t.Errorf("failed = %+v, want both, malformed", failed)
	}
}

// flakyRecords is a memStore whose first records fail.
type flakyRecords struct {
	*memStore
	mu    sync.Mutex
	fails int
}

func (f *flakyRecords) Delivered(ctx context.Context, id int64, d tickets.Delivery) error {
	f.mu.Lock()
	if f.fails > 0 {
		f.fails--
		f.mu.Unlock()
		return errors.New("disk I/O error")
	}
	f.mu.Unlock()
	return f.memStore.Delivered(ctx, id, d)
}

// A send that succeeded but whose record failed is retried as a record,
// never sent again.
func TestFailedRecordIsNotResent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := &flakyRecords{memStore: &memStore{}, fails: 5}
		store.add(1, `{"text":"một"}`)
		bot := &chatbot.Bot{Channel: tickets.ChannelTelegram, Store: store, OutboxPoll: time.Second}
		send := newSender()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- bot.RunOutbox(ctx, send) }()
		time.Sleep(time.Minute)
		synctest.Wait()
		cancel()
		<-done
		if rs := send.take("1"); len(rs) != 1 {
			t.Errorf("sent %d times, want once", len(rs))
		}
		if got := store.sentIDs(); len(got) != 1 {
			t.Errorf("recorded %v, want [1]", got)
		}
	})
}

// limitedSender is a fakeSender with rate limits.
type limitedSender struct {
	*fakeSender
	limits chatbot.Limits
}

func (l limitedSender) Limits() chatbot.Limits { return l.limits }

// The channel's window holds: 30 a second on the whole channel.
func TestChannelRateLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := &memStore{}
		for i := range 100 {
			store.addTo(int64(i+1), fmt.Sprint(i), `{"text":"x"}`)
		}
		bot := &chatbot.Bot{Channel: tickets.ChannelTelegram, Store: store, OutboxPoll: 100 * time.Millisecond}
		send := limitedSender{newSender(), chatbot.Limits{Channel: chatbot.Window{N: 30, Per: time.Second}}}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- bot.RunOutbox(ctx, send) }()
		for second, want := range []int{30, 60, 90, 100} {
			time.Sleep(time.Duration(min(second, 1)) * time.Second)
			if second == 0 {
				time.Sleep(time.Millisecond)
			}
			synctest.Wait()
			if got := len(store.sentIDs()); got != want {
				t.Errorf("after %ds: %d sent, want %d", second, got, want)
			}
		}
		cancel()
		<-done
	})
}
