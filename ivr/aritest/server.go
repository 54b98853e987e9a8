// SPDX-License-Identifier: Apache-2.0

// Package aritest is a fake Asterisk for tests and for `hotline call`: the
// ARI REST calls the hotline uses and the /ari/events WebSocket on
// 127.0.0.1, answering and emitting what Asterisk 22 does (see
// /work/shared/ari-notes.md and the recordings it describes), with scripted
// callers that press keys, talk, stay silent or hang up at any moment.
//
// Time in the fake is virtual: Options.Speed runs it faster than real time,
// so a three-minute call takes a fraction of a second.
//
// The package imports the standard library and golang.org/x/net/websocket.
package aritest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// EntityID is the fake's system.entity_id, repeated in events as asterisk_id.
const EntityID = "02:fc:00:00:00:01"

// Options configure a Server.
type Options struct {
	User, Password string
	// Speed is how many virtual seconds pass per real second; 0 means 1.
	Speed float64
	// PromptLength returns how long a media URI plays; nil: 1 s for a
	// sound, 0.8 s per digit of digits:, 2 s otherwise.
	PromptLength func(media string) time.Duration
	// Sounds, if not nil, lists the sound names that exist ("hotline/greeting"),
	// which GET /sounds lists in language vi; a sound: playback of any
	// other starts and finishes "failed", as in Asterisk.
	Sounds map[string]bool
	// NoRecordingDir is an Asterisk whose spool/recording folder is
	// missing: every record request fails with 500 "Unrecognized recording
	// error".
	NoRecordingDir bool
	// Hang lists media that start and never finish, as a playback of an
	// unknown scheme does in Asterisk; only a stop or a hangup ends them.
	Hang map[string]bool
	// Operator is how channels originated by the application behave.
	Operator Operator
	// Callees, if set, scripts the originated channels it returns true
	// for (call-backs to citizens) by the endpoint dialled; the others
	// behave as Operator says.
	Callees func(endpoint string) (Callee, bool)
}

// Operator scripts the far end of an originated channel.
type Operator struct {
	AnswerAfter time.Duration // 0: never answers
	Talk        time.Duration // how long it talks once bridged before hanging up; 0: until the other side leaves
}

// Server is the fake Asterisk. Its methods are safe for concurrent use.
type Server struct {
	opts  Options
	ln    net.Listener
	http  *http.Server
	start time.Time

	mu        sync.Mutex
	apps      map[string]*app
	channels  map[string]*channel
	playbacks map[string]*playback
	live      map[string]*recording
	stored    map[string]*recording
	bridges   map[string]*bridge
	stalled   map[string]chan struct{}
	seq       atomic.Int64
	requests  atomic.Int64
	latencies []time.Duration
	closed    chan struct{}
	closeOnce sync.Once
	callsWG   sync.WaitGroup
	callees   []*channel
}

// New starts a fake Asterisk on 127.0.0.1 and an ephemeral port.
func New(opts Options) (*Server, error) {
	if opts.Speed <= 0 {
		opts.Speed = 1
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, ln: ln, start: time.Now(), apps: map[string]*app{}, channels: map[string]*channel{},
		playbacks: map[string]*playback{}, live: map[string]*recording{}, stored: map[string]*recording{},
		bridges: map[string]*bridge{}, stalled: map[string]chan struct{}{}, closed: make(chan struct{})}
	s.http = &http.Server{Handler: s.routes(), ReadHeaderTimeout: 10 * time.Second}
	go s.http.Serve(ln)
	return s, nil
}

// URL is the ARI base URL, e.g. http://127.0.0.1:41234/ari.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() + "/ari" }

// Close hangs up every call, closes the WebSockets and stops the server.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		close(s.closed)
		s.mu.Lock()
		for _, st := range s.stalled {
			close(st)
		}
		s.stalled = map[string]chan struct{}{}
		chans := make([]*channel, 0, len(s.channels))
		for _, c := range s.channels {
			chans = append(chans, c)
		}
		s.mu.Unlock()
		for _, c := range chans {
			c.vanish()
		}
		s.dropConnections()
		s.http.Close()
	})
	s.callsWG.Wait()
	return nil
}

// real converts a virtual duration into the real time it takes.
func (s *Server) real(d time.Duration) time.Duration { return time.Duration(float64(d) / s.opts.Speed) }

// Now returns the virtual time since the server started.
func (s *Server) Now() time.Duration {
	return time.Duration(float64(time.Since(s.start)) * s.opts.Speed)
}

// sleep waits d of virtual time; false if stop or the server closed first.
func (s *Server) sleep(d time.Duration, stop <-chan struct{}) bool {
	t := time.NewTimer(s.real(d))
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-stop:
		return false
	case <-s.closed:
		return false
	}
}

// Requests returns how many REST requests the server has answered.
func (s *Server) Requests() int64 { return s.requests.Load() }

// DTMFLatencies returns, for every ChannelDtmfReceived sent, the real time
// until the application's next REST request on that channel.
func (s *Server) DTMFLatencies() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.latencies...)
}

// Stall makes every REST request whose path starts with prefix (after
// /ari) hang until the server closes: a test that no request can hang.
func (s *Server) Stall(prefix string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stalled[prefix] = make(chan struct{})
}

func (s *Server) nextID(prefix string) string {
	return fmt.Sprintf("%s-%d.%d", prefix, 1795333166+s.seq.Load(), s.seq.Add(1))
}

// apiError writes Asterisk's error body.
func apiError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	fmt.Fprintf(w, "{\"message\":%q}", msg)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// authorized checks Basic auth as Asterisk does: 401 with WWW-Authenticate.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(s.opts.User+":"+s.opts.Password))
	if r.Header.Get("Authorization") == want {
		return true
	}
	w.Header().Set("WWW-Authenticate", `Basic realm="Asterisk REST Interface"`)
	apiError(w, http.StatusUnauthorized, "Authentication required")
	return false
}

// params merges a request's query and its JSON body, as Asterisk accepts
// both.
func params(r *http.Request) (map[string]any, error) {
	p := map[string]any{}
	for k, v := range r.URL.Query() {
		p[k] = strings.Join(v, ",")
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if len(strings.TrimSpace(string(body))) > 0 {
		var b map[string]any
		if err := json.Unmarshal(body, &b); err != nil {
			return nil, err
		}
		for k, v := range b {
			p[k] = v
		}
	}
	return p, nil
}

func str(p map[string]any, k string) string {
	switch v := p[k].(type) {
	case string:
		return v
	case float64:
		return fmt.Sprint(v)
	case bool:
		return fmt.Sprint(v)
	}
	return ""
}

func num(p map[string]any, k string) float64 {
	switch v := p[k].(type) {
	case float64:
		return v
	case string:
		var f float64
		fmt.Sscan(v, &f)
		return f
	}
	return 0
}

// timestamp formats t as Asterisk does: 2026-11-22T07:39:26.553+0000.
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000-0700") }
