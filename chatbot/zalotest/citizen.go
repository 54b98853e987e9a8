// SPDX-License-Identifier: Apache-2.0

package zalotest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// hookState is the webhook sender's state.
type hookState struct {
	mu       sync.Mutex
	url      string
	results  []Delivery
	changed  chan struct{}
	inflight sync.WaitGroup
	closing  chan struct{}
	once     sync.Once
}

func (h *hookState) init() {
	h.once.Do(func() {
		h.changed = make(chan struct{})
		h.closing = make(chan struct{})
	})
}

func (h *hookState) stop() {
	h.init()
	h.mu.Lock()
	select {
	case <-h.closing:
	default:
		close(h.closing)
	}
	h.mu.Unlock()
	h.inflight.Wait()
}

// Delivery is the outcome of one event's delivery to the webhook.
type Delivery struct {
	Event    string // event_name
	Key      string // msg_id, or the event name for events without one
	Attempts int
	Status   int // the last HTTP status; 0 on a network error
	OK       bool
}

// Hook sets the hotline's webhook URL that citizens' events are POSTed to.
func (s *Server) Hook(url string) {
	s.hooks.init()
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	s.hooks.url = url
}

// Sign returns the X-ZEvent-Signature value for body, as Zalo computes it:
// mac=hex(sha256(id + body + timestamp + secret)).
func (s *Server) Sign(body []byte, timestamp string) string {
	id, secret := s.opts.AppID, s.opts.OASecret
	if s.opts.SignWithOAID {
		id = s.opts.OAID
	}
	if s.opts.SignWithAppSecret {
		secret = s.opts.AppSecret
	}
	h := sha256.Sum256([]byte(id + string(body) + timestamp + secret))
	return "mac=" + hex.EncodeToString(h[:])
}

// event builds an event body from user; it records the user's interaction.
func (s *Server) event(name, user string, message map[string]any, extra map[string]any) ([]byte, string) {
	s.mu.Lock()
	now := s.opts.Now()
	s.lastMsg[user] = now
	key := name
	if message != nil {
		key = s.nextMsgID()
		message["msg_id"] = key
	}
	s.mu.Unlock()
	ev := map[string]any{"app_id": s.opts.AppID, "user_id_by_app": "app-" + user, "event_name": name,
		"sender": map[string]string{"id": user}, "recipient": map[string]string{"id": s.opts.OAID},
		"timestamp": strconv.FormatInt(now.UnixMilli(), 10)}
	if message != nil {
		ev["message"] = message
	}
	for k, v := range extra {
		ev[k] = v
	}
	b, _ := json.Marshal(ev)
	return b, key
}

// Text sends a citizen's text; it returns the message id.
func (s *Server) Text(user, text string) string {
	b, key := s.event("user_send_text", user, map[string]any{"text": text}, nil)
	s.Deliver(b, 1)
	return key
}

// Tap is a tap on a query button: Zalo sends the payload back as text.
func (s *Server) Tap(user, payload string) string { return s.Text(user, payload) }

// Attach sends a citizen's attachment of kind (image, file, audio, video,
// sticker, gif, link) at url, with a caption text.
func (s *Server) Attach(user, kind, url, name, caption string) string {
	payload := map[string]any{"url": url}
	if name != "" {
		payload["name"] = name
	}
	msg := map[string]any{"text": caption, "attachments": []any{map[string]any{"type": kind, "payload": payload}}}
	b, key := s.event("user_send_"+kind, user, msg, nil)
	s.Deliver(b, 1)
	return key
}

// Location sends a citizen's location.
func (s *Server) Location(user string, lat, lon float64) string {
	msg := map[string]any{"attachments": []any{map[string]any{"type": "location",
		"payload": map[string]any{"coordinates": map[string]string{"latitude": fmt.Sprint(lat), "longitude": fmt.Sprint(lon)}}}}}
	b, key := s.event("user_send_location", user, msg, nil)
	s.Deliver(b, 1)
	return key
}

// SubmitInfo is the citizen's consent to share their details after a
// request_user_info card.
func (s *Server) SubmitInfo(user, name, phone string) {
	b, _ := s.event("user_submit_info", user, nil, map[string]any{"info": map[string]string{"name": name, "phone": phone}})
	s.Deliver(b, 1)
}

// Follow is a user following the OA.
func (s *Server) Follow(user string) {
	b, _ := s.event("follow", user, nil, map[string]any{"follower": map[string]string{"id": user}, "source": "oa_profile"})
	s.Deliver(b, 1)
}

// Deliver POSTs body to the webhook copies times (Zalo's duplicates), each
// signed, each retried on a non-200 answer after the configured delays, in
// the background.
func (s *Server) Deliver(body []byte, copies int) {
	s.hooks.init()
	var head struct {
		EventName string          `json:"event_name"`
		Timestamp json.RawMessage `json:"timestamp"`
		Message   struct {
			MsgID string `json:"msg_id"`
		} `json:"message"`
	}
	json.Unmarshal(body, &head)
	ts := string(bytes.Trim(head.Timestamp, `"`))
	key := head.Message.MsgID
	if key == "" {
		key = head.EventName
	}
	for range copies {
		s.hooks.inflight.Add(1)
		go func() {
			defer s.hooks.inflight.Done()
			s.deliver(body, s.Sign(body, ts), Delivery{Event: head.EventName, Key: key})
		}()
	}
}

func (s *Server) deliver(body []byte, sig string, d Delivery) {
	s.hooks.mu.Lock()
	url := s.hooks.url
	s.hooks.mu.Unlock()
	client := &http.Client{Timeout: s.opts.RequestTimeoutWebhook}
	for attempt := 0; ; attempt++ {
		d.Attempts++
		d.Status = 0
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-ZEvent-Signature", sig)
		if attempt > 0 {
			req.Header.Set("num_retry", strconv.Itoa(attempt))
		}
		if resp, err := client.Do(req); err == nil {
			d.Status = resp.StatusCode
			resp.Body.Close()
		}
		if d.OK = d.Status == http.StatusOK; d.OK || attempt >= len(s.opts.RetryDelays) {
			break
		}
		select {
		case <-time.After(s.opts.RetryDelays[attempt]):
		case <-s.hooks.closing:
			return
		}
	}
	s.hooks.mu.Lock()
	s.hooks.results = append(s.hooks.results, d)
	close(s.hooks.changed)
	s.hooks.changed = make(chan struct{})
	s.hooks.mu.Unlock()
}

// Deliveries returns the finished deliveries, in the order they finished.
func (s *Server) Deliveries() []Delivery {
	s.hooks.init()
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	return append([]Delivery(nil), s.hooks.results...)
}

// WaitDeliveries waits until n deliveries have finished (answered 200 or
// given up).
func (s *Server) WaitDeliveries(ctx context.Context, n int) ([]Delivery, error) {
	s.hooks.init()
	for {
		s.hooks.mu.Lock()
		ch, got := s.hooks.changed, len(s.hooks.results)
		s.hooks.mu.Unlock()
		if got >= n {
			return s.Deliveries(), nil
		}
		select {
		case <-ctx.Done():
			return s.Deliveries(), ctx.Err()
		case <-ch:
		}
	}
}
