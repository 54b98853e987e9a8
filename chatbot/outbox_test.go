// SPDX-License-Identifier: Apache-2.0

package chatbot_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/hotline-cchc/hotline/chatbot"
	"github.com/hotline-cchc/hotline/tickets"
)

// memStore is an in-memory outbox: just enough Store for RunOutbox's timing.
type memStore struct {
	mu      sync.Mutex
	pending []tickets.Outgoing
	sent    []int64
	forgets int
	expires []time.Time // the cut of each ExpireConversations
}

func (m *memStore) add(id int64, body string) { m.addTo(id, "1", body) }

func (m *memStore) addTo(id int64, chat, body string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pending = append(m.pending, tickets.Outgoing{ID: id, Notice: tickets.Notice{
		Recipient: tickets.Recipient{Channel: tickets.ChannelTelegram, ID: chat}, Kind: tickets.NoticeReply, Body: body}})
}

func (m *memStore) NextOutbox(_ context.Context, _ tickets.Channel, _ time.Time, limit int, skip []string) ([]tickets.Outgoing, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	seen := map[string]bool{}
	for _, r := range skip {
		seen[r] = true
	}
	var out []tickets.Outgoing
	for _, o := range m.pending { // each recipient's first message
		if len(out) < limit && !seen[o.Recipient.ID] {
			out = append(out, o)
		}
		seen[o.Recipient.ID] = true
	}
	return out, nil
}

func (m *memStore) StartSending(context.Context, int64, time.Time) (bool, error) { return true, nil }
func (m *memStore) RecoverSending(context.Context, tickets.Channel, time.Time) (int64, error) {
	return 0, nil
}

func (m *memStore) Delivered(_ context.Context, id int64, d tickets.Delivery) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, o := range m.pending {
		if o.ID == id && d.State == tickets.StateSent {
			m.pending = append(m.pending[:i], m.pending[i+1:]...)
			m.sent = append(m.sent, id)
		}
	}
	return nil
}

func (m *memStore) ForgetHandled(context.Context, tickets.Channel, time.Time) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.forgets++
	return 0, nil
}

func (m *memStore) Conversation(context.Context, tickets.Channel, string) (string, []byte, time.Time, error) {
	return "", nil, time.Time{}, nil
}

func (m *memStore) ExpireConversations(_ context.Context, _ tickets.Channel, t, _ time.Time, _ string, _ ...string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.expires = append(m.expires, t)
	return 0, nil
}

func (m *memStore) expired() []time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]time.Time(nil), m.expires...)
}
func (m *memStore) Offset(context.Context, tickets.Channel) (int64, error)         { return 0, nil }
func (m *memStore) Handled(context.Context, tickets.Channel, string) (bool, error) { return false, nil }
func (m *memStore) CommitChat(context.Context, *tickets.ChatCommit) (bool, error)  { return true, nil }
func (m *memStore) Ticket(context.Context, tickets.Code) (*tickets.Ticket, error) {
	return nil, tickets.Errorf(tickets.ENOTFOUND, "none")
}

func (m *memStore) pruned() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.forgets
}

func (m *memStore) sentIDs() []int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]int64(nil), m.sent...)
}

// RunOutbox finds rows another process wrote at its next poll, at once when
// woken, prunes handled updates hourly, and stops with its context — all on
// synctest's clock, without waiting in real time.
func TestRunOutboxTiming(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := &memStore{}
		bot := &chatbot.Bot{Channel: tickets.ChannelTelegram, Store: store, OutboxPoll: 10 * time.Second, DraftTTL: 48 * time.Hour}
		start := time.Now()
		send := newSender()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- bot.RunOutbox(ctx, send) }()
		synctest.Wait()

		store.add(1, `{"text":"một"}`) // written by another process: no wake-up
		time.Sleep(9 * time.Second)
		synctest.Wait()
		if got := store.sentIDs(); len(got) != 0 {
			t.Fatalf("sent %v before the poll", got)
		}
		time.Sleep(time.Second)
		synctest.Wait()
		if got := store.sentIDs(); len(got) != 1 {
			t.Fatalf("sent %v at the poll, want [1]", got)
		}
		store.add(2, `{"text":"hai"}`)
		bot.Wake()
		synctest.Wait()
		if got := store.sentIDs(); len(got) != 2 {
			t.Fatalf("sent %v after a wake-up, want [1 2]", got)
		}
		if n := store.pruned(); n != 1 {
			t.Errorf("pruned %d times in the first hour, want 1", n)
		}
		time.Sleep(time.Hour)
		synctest.Wait()
		if n := store.pruned(); n != 2 {
			t.Errorf("pruned %d times after an hour, want 2", n)
		}
		// Drafts are expired with the same hourly prune, DraftTTL back.
		cuts := store.expired()
		if len(cuts) != 2 || !cuts[0].Equal(start.Add(-48*time.Hour).UTC().Truncate(time.Millisecond)) ||
			cuts[1].Sub(cuts[0]) < time.Hour {
			t.Errorf("expired conversations before %v, want twice, first before %v", cuts, start.Add(-48*time.Hour))
		}
		cancel()
		if err := <-done; err != context.Canceled {
			t.Errorf("RunOutbox = %v, want context.Canceled", err)
		}
		if rs := send.take("1"); len(rs) != 2 || rs[0].Text != "một" || rs[1].Text != "hai" {
			t.Errorf("sent %+v", rs)
		}
	})
}

// A 429 pauses the whole channel: one pass over 200 recipients stops after
// the sends already started (at most the workers), and the attempts count
// nothing.
func TestRetryAfterPausesTheChannel(t *testing.T) {
	h := newHarness(t)
	for i := range 200 {
		chat := fmt.Sprint(1000 + i)
		h.send.fail[chat] = []error{&chatbot.RetryError{After: 30 * time.Second, Err: fmt.Errorf("429")}}
		h.chat = chat
		if _, err := h.bot.Handle(context.Background(), chatbot.Update{ID: fmt.Sprint(i + 1), Chat: chat, Private: true, Text: "/help"}); err != nil {
			t.Fatal(err)
		}
	}
	h.bot.Workers = 16
	n, err := h.bot.DeliverOutbox(context.Background(), h.send)
	if err != nil || n > 16 {
		t.Errorf("during a 429: %d sends (%v), want at most 16 (the workers)", n, err)
	}
	h.send.fail = map[string][]error{} // the storm is over
	h.clock.T = h.clock.T.Add(31 * time.Second)
	h.bot.DeliverOutbox(context.Background(), h.send)
	for i := range 200 {
		if rs := h.send.take(fmt.Sprint(1000 + i)); len(rs) != 1 {
			t.Fatalf("chat %d got %d replies after the pause, want 1", 1000+i, len(rs))
		}
	}
	// Each 429 answered is one rate-limit retry; items taken by workers that
	// were still waiting for the channel when it paused went back unsent.
	if c := h.bot.Stats.Counts(); c.Retries[tickets.ClassRateLimit] < 1 || c.Retries[tickets.ClassRateLimit] > int64(n) || c.Sent != 200 {
		t.Errorf("counts = %+v, %d sends during the 429", c, n)
	}
}
