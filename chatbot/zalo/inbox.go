// SPDX-License-Identifier: Apache-2.0

package zalo

import (
	"context"
	"errors"
	"hash/maphash"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Webhook limits.
const (
	// MaxBody bounds a webhook request; Zalo's events are a few kilobytes.
	MaxBody = 64 << 10
	// maxAge: an event older than this is a replay, dropped (Zalo retries
	// for about two hours).
	maxAge = 7 * 24 * time.Hour
	// keepEvents: handled events are remembered this long, so that any
	// retry of theirs is recognised.
	keepEvents   = 8 * 24 * time.Hour
	inboxBatch   = 256
	inboxPoll    = time.Second
	inboxBackoff = 5 * time.Second
)

// handledEvents are the event names the hotline stores; any other is
// dropped on purpose, counted.
var handledEvents = map[string]bool{
	"follow": true, "unfollow": true, "user_send_text": true, "user_submit_info": true,
	"user_send_image": true, "user_send_file": true, "user_send_audio": true, "user_send_video": true,
	"user_send_sticker": true, "user_send_gif": true, "user_send_link": true, "user_send_location": true,
}

// serveWebhook checks an event's signature, stores it in the inbox and
// answers 200; the inbox is handled by Run. Zalo wants 200 even for what it
// should not have sent: a forged, malformed, foreign or unknown event is
// answered 200 and dropped, counted and logged. Only a store failure answers
// 503, so that Zalo delivers the event again.
func (a *Adapter) serveWebhook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if err != nil {
		http.Error(w, "unreadable body", http.StatusBadRequest)
		return
	}
	ev, reason := a.accept(body, r.Header.Get(SignatureHeader))
	if reason != "" {
		a.stats.drop(reason)
		level := slog.LevelWarn
		if reason == "unknown_event" {
			level = slog.LevelDebug // events the hotline does not take, on purpose
		}
		a.log.Log(r.Context(), level, "zalo webhook: event dropped", "reason", reason, "event", ev.Name)
		w.WriteHeader(http.StatusOK)
		return
	}
	_, fresh, err := a.store.StoreEvent(r.Context(), ev.Key(), ev.SenderID, body, a.cfg.Now().UTC())
	if err != nil {
		a.log.Error("zalo webhook: event not stored; Zalo will deliver it again", "err", err)
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	if fresh {
		a.stats.Accepted.Add(1)
		a.Kick()
	} else {
		a.stats.Duplicates.Add(1)
	}
	w.WriteHeader(http.StatusOK)
}

// accept returns the event of body, or why it is dropped.
func (a *Adapter) accept(body []byte, sig string) (Event, string) {
	if len(body) > MaxBody {
		return Event{}, "too_large"
	}
	s, err := Verify(body, sig, a.signers)
	if err != nil {
		return Event{}, "signature"
	}
	if _, logged := a.matched.LoadOrStore(s.Name, true); !logged {
		a.log.Info("zalo webhook: signatures match", "combination", s.Name)
	}
	ev, err := ParseEvent(body)
	switch {
	case err != nil:
		return Event{}, "malformed"
	case ev.AppID != "" && ev.AppID != a.cfg.Client.AppID:
		return ev, "other_app"
	case a.cfg.OAID != "" && ev.RecipientID != "" && ev.RecipientID != a.cfg.OAID && ev.SenderID != a.cfg.OAID:
		return ev, "other_oa"
	case ev.SenderID == a.cfg.OAID:
		return ev, "own_message" // oa_send_* echoes of what the OA sent
	case !handledEvents[ev.Name]:
		return ev, "unknown_event"
	case !ev.At.IsZero() && a.cfg.Now().Sub(ev.At) > maxAge:
		return ev, "stale"
	}
	return ev, ""
}

// Kick makes Run read the inbox now.
func (a *Adapter) Kick() {
	select {
	case a.kick <- struct{}{}:
	default:
	}
}

// runInbox handles the stored events until ctx ends: at once when the
// webhook stored one, else every second; after an error, after a pause.
func (a *Adapter) runInbox(ctx context.Context) {
	t := time.NewTimer(0)
	defer t.Stop()
	var pruned time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-a.kick:
		case <-t.C:
		}
		wait := inboxPoll
		n, err := a.HandleInbox(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			a.log.Error("zalo: inbox", "err", err)
			wait = inboxBackoff
		case n == inboxBatch:
			wait = 0
		}
		if now := a.cfg.Now(); now.Sub(pruned) > time.Hour {
			pruned = now
			if _, err := a.store.ForgetEvents(ctx, now.Add(-keepEvents)); err != nil && ctx.Err() == nil {
				a.log.Error("zalo: forget handled events", "err", err)
			}
		}
		t.Reset(wait)
	}
}

// HandleInbox handles one batch of stored events, each sender's in order,
// senders in parallel, then marks those handled in one write; it returns
// how many it read.
func (a *Adapter) HandleInbox(ctx context.Context) (int, error) {
	es, err := a.store.PendingEvents(ctx, inboxBatch)
	if err != nil || len(es) == 0 {
		return 0, err
	}
	queues := make([][]InboxEvent, min(a.cfg.Workers, len(es)))
	seed := maphash.MakeSeed()
	for _, e := range es {
		i := maphash.String(seed, e.Sender) % uint64(len(queues))
		queues[i] = append(queues[i], e)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(queues))
	done := make([][]string, len(queues)) // the outcomes of each queue's handled events
	for i, q := range queues {
		wg.Go(func() {
			for _, e := range q {
				outcome, err := a.handleEvent(ctx, e)
				if err != nil {
					errs[i] = err
					return // the sender's later events wait for this one
				}
				done[i] = append(done[i], outcome)
			}
		})
	}
	wg.Wait()
	var ids []int64
	var outcomes []string
	for i, q := range queues {
		for j, outcome := range done[i] {
			ids, outcomes = append(ids, q[j].ID), append(outcomes, outcome)
		}
	}
	if len(ids) > 0 {
		if err := a.store.EventsHandled(ctx, ids, outcomes, a.cfg.Now().UTC()); err != nil {
			return len(es), err
		}
		a.stats.Handled.Add(int64(len(ids)))
	}
	return len(es), errors.Join(errs...)
}

// handleEvent runs one stored event through the bot and returns its
// outcome. The bot records each update's id with its effects, so an event
// handled but not marked (a crash in between) changes nothing the second
// time.
func (a *Adapter) handleEvent(ctx context.Context, e InboxEvent) (string, error) {
	ev, err := ParseEvent(e.Body)
	if err != nil {
		return "malformed", nil
	}
	ups, outcome := updates(ev)
	if outcome == "" {
		outcome = "handled"
	}
	for _, u := range ups {
		if _, err := a.bot.Handle(ctx, u); err != nil {
			return "", err
		}
	}
	return outcome, nil
}
