// SPDX-License-Identifier: Apache-2.0

// Package zalotest is a fake Zalo Official Account platform on 127.0.0.1 for
// tests and demos, shaped after ../shared/zalo-oa.md: OAuth v4 tokens with
// single-use refresh tokens and access tokens that expire, the customer
// service message endpoint with its 48-hour free window and 7-day limit
// (-230), uploads, template messages to phone numbers (one per tracking id),
// the rate limit (-32), errors answered with HTTP 200, and a webhook sender
// that signs events and retries them when the hotline does not answer 200.
// Scripted citizens write, tap buttons, send files and locations, and share
// their phone number. It imports only the standard library.
package zalotest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"
)

// Options configure the fake.
type Options struct {
	AppID, OAID           string
	AppSecret, OASecret   string
	ExpiresIn             time.Duration // access token life; 25 h if zero
	RateLimit             int           // sends a minute before -32; 4,000 if zero
	Templates             []string      // approved template ids
	Now                   func() time.Time
	RetryDelays           []time.Duration // webhook retries; Zalo's 30s, 5m, 15m, 30m, 1h if nil
	InitialRefreshToken   string          // valid at start; "refresh-0" if empty
	SignWithOAID          bool            // sign webhooks with the OA id rather than the app id
	SignWithAppSecret     bool            // sign webhooks with the app secret rather than the OA secret key
	RequestTimeoutWebhook time.Duration   // how long the sender waits for the hotline; 2 s if zero
}

// Sent is a message the OA sent to a user.
type Sent struct {
	ID       string
	User     string
	Text     string
	Buttons  []Button
	AskInfo  bool   // a request_user_info card
	File     string // the uploaded file's token
	At       time.Time
	Billed   bool // sent more than 48 h after the user's last message
	Raw      json.RawMessage
	Recorded int // order among all sends
}

// Button is a button the OA put under a message.
type Button struct {
	Title, Type, Payload string
}

// TemplateSent is a template message sent to a phone number.
type TemplateSent struct {
	MsgID, Phone, TemplateID, TrackingID string
	Data                                 map[string]string
}

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	URL  string
	opts Options
	srv  *httptest.Server

	mu        sync.Mutex
	changed   chan struct{}
	refresh   map[string]bool      // refresh tokens that still work (once)
	access    map[string]time.Time // access token → expiry
	codes     map[string]bool      // authorisation codes
	lastMsg   map[string]time.Time // user → their last message to the OA
	sent      []Sent
	templates map[string]TemplateSent // by tracking id
	uploads   map[string][]byte
	files     map[string][]byte // what citizens attach, by name
	window    []time.Time       // sends in the current minute
	faults    []Fault
	calls     map[string]int
	nextID    int
	hooks     hookState
}

// Fault makes the next matching call fail: with Code as Zalo's error (HTTP
// 200), or with HTTPStatus, or by holding the request for Delay first.
type Fault struct {
	Path       string // e.g. /v3.0/oa/message/cs; "" for any
	Code       int
	HTTPStatus int
	Delay      time.Duration
	Times      int // how many calls it hits; 1 if zero
}

// New starts the fake.
func New(o Options) *Server {
	if o.ExpiresIn == 0 {
		o.ExpiresIn = 25 * time.Hour
	}
	if o.RateLimit == 0 {
		o.RateLimit = 4000
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.RetryDelays == nil {
		o.RetryDelays = []time.Duration{30 * time.Second, 5 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour}
	}
	if o.InitialRefreshToken == "" {
		o.InitialRefreshToken = "refresh-0"
	}
	if o.RequestTimeoutWebhook == 0 {
		o.RequestTimeoutWebhook = 2 * time.Second
	}
	s := &Server{opts: o, changed: make(chan struct{}), refresh: map[string]bool{o.InitialRefreshToken: true},
		access: map[string]time.Time{}, codes: map[string]bool{}, lastMsg: map[string]time.Time{},
		templates: map[string]TemplateSent{}, uploads: map[string][]byte{}, files: map[string][]byte{}, calls: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v4/oa/access_token", s.token)
	mux.HandleFunc("POST /v3.0/oa/message/cs", s.send)
	mux.HandleFunc("POST /v2.0/oa/upload/file", s.upload)
	mux.HandleFunc("POST /message/template", s.template)
	mux.HandleFunc("GET /files/{name}", s.file)
	s.srv = httptest.NewServer(s.faulty(mux))
	s.URL = s.srv.URL
	return s
}

// Close stops the fake and its webhook deliveries.
func (s *Server) Close() {
	s.hooks.stop()
	s.srv.Close()
}

// Fail queues a fault.
func (s *Server) Fail(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times == 0 {
		f.Times = 1
	}
	s.faults = append(s.faults, f)
}

// Calls returns how many requests reached path.
func (s *Server) Calls(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[path]
}

// AuthorizationCode makes a code the fake accepts once.
func (s *Server) AuthorizationCode() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	c := fmt.Sprintf("code-%d", s.nextID)
	s.codes[c] = true
	return c
}

// RefreshTokenValid reports whether tok would still be accepted.
func (s *Server) RefreshTokenValid(tok string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refresh[tok]
}

// faulty applies the queued faults and counts calls.
func (s *Server) faulty(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.calls[r.URL.Path]++
		var f *Fault
		for i := range s.faults {
			if s.faults[i].Path == "" || s.faults[i].Path == r.URL.Path {
				cp := s.faults[i]
				f = &cp
				if s.faults[i].Times--; s.faults[i].Times == 0 {
					s.faults = append(s.faults[:i], s.faults[i+1:]...)
				}
				break
			}
		}
		s.mu.Unlock()
		if f == nil {
			h.ServeHTTP(w, r)
			return
		}
		if f.Delay > 0 {
			select {
			case <-time.After(f.Delay):
			case <-r.Context().Done():
				return
			}
		}
		switch {
		case f.HTTPStatus != 0:
			http.Error(w, http.StatusText(f.HTTPStatus), f.HTTPStatus)
		case f.Code != 0:
			zaloError(w, f.Code, "injected fault")
		default:
			h.ServeHTTP(w, r)
		}
	})
}

// zaloError answers as Zalo does: HTTP 200 with a negative error.
func zaloError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, map[string]any{"error": code, "message": msg})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// touch wakes the waiters; s.mu is held.
func (s *Server) touch() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("secret_key") != s.opts.AppSecret || r.FormValue("app_id") != s.opts.AppID {
		zaloError(w, -14002, "invalid app id or secret key")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch r.FormValue("grant_type") {
	case "refresh_token":
		rt := r.FormValue("refresh_token")
		if !s.refresh[rt] {
			zaloError(w, -14014, "invalid refresh token")
			return
		}
		delete(s.refresh, rt) // single use
	case "authorization_code":
		c := r.FormValue("code")
		if !s.codes[c] || r.FormValue("code_verifier") == "" {
			zaloError(w, -14019, "invalid authorization code")
			return
		}
		delete(s.codes, c)
	default:
		zaloError(w, -14001, "invalid grant type")
		return
	}
	s.nextID++
	access, refresh := fmt.Sprintf("access-%d", s.nextID), fmt.Sprintf("refresh-%d", s.nextID)
	s.access[access] = s.opts.Now().Add(s.opts.ExpiresIn)
	s.refresh[refresh] = true
	s.touch()
	writeJSON(w, map[string]string{"access_token": access, "refresh_token": refresh,
		"expires_in": strconv.Itoa(int(s.opts.ExpiresIn / time.Second))})
}

// authorized checks the access token header; s.mu is held.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	exp, ok := s.access[r.Header.Get("access_token")]
	switch {
	case !ok:
		zaloError(w, -216, "access token is invalid")
	case !s.opts.Now().Before(exp):
		zaloError(w, -220, "access token has expired")
	default:
		return true
	}
	return false
}

// limited applies the per-minute rate limit; s.mu is held.
func (s *Server) limited(w http.ResponseWriter) bool {
	now := s.opts.Now()
	kept := s.window[:0]
	for _, t := range s.window {
		if now.Sub(t) < time.Minute {
			kept = append(kept, t)
		}
	}
	s.window = kept
	if len(s.window) >= s.opts.RateLimit {
		zaloError(w, -32, "rate limit exceeded")
		return true
	}
	s.window = append(s.window, now)
	return false
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	f, _, err := r.FormFile("file")
	if err != nil {
		zaloError(w, -201, "file is missing")
		return
	}
	b, _ := io.ReadAll(io.LimitReader(f, 5<<20))
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.authorized(w, r) {
		return
	}
	s.nextID++
	tok := fmt.Sprintf("file-%d", s.nextID)
	s.uploads[tok] = b
	writeJSON(w, map[string]any{"error": 0, "message": "Success", "data": map[string]string{"token": tok}})
}

// Uploaded returns an uploaded file's bytes.
func (s *Server) Uploaded(token string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.uploads[token]
}

func (s *Server) nextMsgID() string {
	s.nextID++
	return fmt.Sprintf("m%019d", s.nextID)
}

// bodyText returns at most 1 MiB of the request's body.
func bodyText(r *http.Request) []byte {
	b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	return b
}

// AddFile makes content downloadable, as Zalo's CDN serves a citizen's
// attachment, and returns its URL.
func (s *Server) AddFile(name string, content []byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[name] = content
	return s.URL + "/files/" + name
}

func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	b, ok := s.files[r.PathValue("name")]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Write(b)
}

// Clock is a settable time for Options.Now.
type Clock struct {
	mu sync.Mutex
	T  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.T
}

// Advance moves the clock by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.T = c.T.Add(d)
}
