// SPDX-License-Identifier: Apache-2.0

package telegramtest

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

func (s *Server) getFile(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("file_id")
	s.mu.Lock()
	f, found := s.files[id]
	s.mu.Unlock()
	if !found {
		fail(w, http.StatusBadRequest, "Bad Request: invalid file_id", 0)
		return
	}
	ok(w, map[string]any{"file_id": id, "file_unique_id": "u" + id, "file_size": len(f.data), "file_path": f.path})
}

func (s *Server) download(w http.ResponseWriter, path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.files {
		if f.path == path {
			w.Write(f.data)
			return
		}
	}
	http.NotFound(w, nil)
}

func (s *Server) setWebhook(w http.ResponseWriter, r *http.Request) {
	u := r.FormValue("url")
	if u == "" {
		s.deleteWebhook(w, r)
		return
	}
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://127.0.0.1") {
		fail(w, http.StatusBadRequest, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook", 0)
		return
	}
	s.mu.Lock()
	s.hook = webhook{url: u, secret: r.FormValue("secret_token")}
	s.notify()
	s.mu.Unlock()
	s.delivers.Add(1)
	go s.deliver()
	ok(w, true)
}

func (s *Server) deleteWebhook(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hook = webhook{}
	if r.FormValue("drop_pending_updates") == "true" {
		s.updates = nil
	}
	s.notify()
	s.mu.Unlock()
	ok(w, true)
}

// deliver POSTs pending updates to the webhook, one at a time, until it is
// deleted or replaced; an update is confirmed by a 2xx answer and retried
// otherwise, as Telegram does.
func (s *Server) deliver() {
	defer s.delivers.Done()
	s.mu.Lock()
	hook := s.hook
	s.mu.Unlock()
	for {
		s.mu.Lock()
		if s.hook != hook {
			s.mu.Unlock()
			return
		}
		var next *update
		if len(s.updates) > 0 {
			next = &s.updates[0]
		}
		changed := s.changed
		s.mu.Unlock()
		if next == nil {
			select {
			case <-changed:
				continue
			case <-s.closing:
				return
			}
		}
		if s.post(hook, next.body) {
			s.mu.Lock()
			s.confirm(next.id + 1)
			s.notify()
			s.mu.Unlock()
			continue
		}
		select {
		case <-time.After(100 * time.Millisecond):
		case <-s.closing:
			return
		}
	}
}

func (s *Server) post(hook webhook, body map[string]any) bool {
	b, _ := json.Marshal(body)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, hook.url, strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	if hook.secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", hook.secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode/100 == 2
}
