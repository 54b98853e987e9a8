// SPDX-License-Identifier: Apache-2.0

package aritest

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/websocket"
)

// app is a Stasis application: its WebSocket, if connected, and its event
// filter, which Asterisk keeps until it restarts.
type app struct {
	name    string
	conn    *wsConn
	allowed map[string]bool // nil: every type
}

// wsConn is one /ari/events connection and its ordered outbound queue.
type wsConn struct {
	ws   *websocket.Conn
	out  chan outEvent
	done chan struct{}
	once sync.Once
}

type outEvent struct {
	data []byte
	dtmf *channel // set for ChannelDtmfReceived, to time the reaction
}

func (c *wsConn) close() {
	c.once.Do(func() {
		close(c.done)
		c.ws.Close()
	})
}

func (s *Server) appLocked(name string) *app {
	a := s.apps[name]
	if a == nil {
		a = &app{name: name}
		s.apps[name] = a
	}
	return a
}

// events serves GET /ari/events?app=…: 426 without an Upgrade, 400 without
// an app, 401 without the credentials, else the WebSocket.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(w, r) {
		return
	}
	if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusUpgradeRequired)
		w.Write([]byte("<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>426 Upgrade Required</title>\n</head><body>\n<h1>Upgrade Required</h1>\n<p></p>\n<hr />\n<address>Asterisk/22.10.1</address>\n</body></html>\n"))
		return
	}
	names := strings.Split(r.URL.Query().Get("app"), ",")
	if names[0] == "" {
		apiError(w, http.StatusBadRequest, "\"app\" parameter is required")
		return
	}
	websocket.Server{Handshake: func(*websocket.Config, *http.Request) error { return nil },
		Handler: func(ws *websocket.Conn) { s.serveEvents(ws, names) }}.ServeHTTP(w, r)
}

func (s *Server) serveEvents(ws *websocket.Conn, names []string) {
	c := &wsConn{ws: ws, out: make(chan outEvent, 8192), done: make(chan struct{})}
	s.mu.Lock()
	var replaced []*wsConn
	for _, n := range names {
		a := s.appLocked(n)
		if a.conn != nil {
			replaced = append(replaced, a.conn)
			s.deliverLocked(a, map[string]any{"type": "ApplicationReplaced", "application": n}, nil, true)
		}
		a.conn = c
	}
	s.mu.Unlock()
	for _, old := range replaced {
		go func() { time.Sleep(50 * time.Millisecond); old.close() }()
	}
	go func() { // the client closing its end
		var discard []byte
		for websocket.Message.Receive(ws, &discard) == nil {
		}
		c.close()
	}()
	for {
		select {
		case e := <-c.out:
			if e.dtmf != nil { // stamped before the write: the reply may beat the stamp
				e.dtmf.dtmfSent.Store(time.Now().UnixNano())
			}
			if err := websocket.Message.Send(ws, string(e.data)); err != nil {
				c.close()
			}
		case <-c.done:
			s.unregister(c)
			return
		}
	}
}

func (s *Server) unregister(c *wsConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.apps {
		if a.conn == c {
			a.conn = nil
		}
	}
}

// DropConnections closes every event WebSocket, as a network fault would;
// the calls stay in Stasis and their events are lost until the application
// reconnects.
func (s *Server) DropConnections() { s.dropConnections() }

func (s *Server) dropConnections() {
	s.mu.Lock()
	var conns []*wsConn
	for _, a := range s.apps {
		if a.conn != nil {
			conns = append(conns, a.conn)
			a.conn = nil
		}
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.close()
	}
}

// Restart is Asterisk restarting: the WebSockets close, every channel
// vanishes without an event, and event filters are forgotten.
func (s *Server) Restart() {
	s.mu.Lock()
	chans := make([]*channel, 0, len(s.channels))
	for _, c := range s.channels {
		chans = append(chans, c)
	}
	for _, a := range s.apps {
		a.allowed = nil
	}
	s.mu.Unlock()
	for _, c := range chans {
		c.vanish()
	}
	s.dropConnections()
}

// Connected reports whether app has an event WebSocket.
func (s *Server) Connected(app string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.apps[app]
	return a != nil && a.conn != nil
}

// EventFilter returns the event types app allows; nil if it set no filter.
func (s *Server) EventFilter(app string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.apps[app]
	if a == nil || a.allowed == nil {
		return nil
	}
	var out []string
	for t := range a.allowed {
		out = append(out, t)
	}
	return out
}

// Emit sends ev, an event object, to app as Asterisk would: through the
// app's event filter unless unfiltered. Missing timestamp, application and
// asterisk_id are filled in. Tests use it to send event types the client
// library does not know, such as ChannelToneDetected.
func (s *Server) Emit(app string, ev map[string]any, unfiltered bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliverLocked(s.appLocked(app), ev, nil, unfiltered)
}

func (s *Server) emit(appName string, ev map[string]any, dtmf *channel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliverLocked(s.appLocked(appName), ev, dtmf, false)
}

func (s *Server) deliverLocked(a *app, ev map[string]any, dtmf *channel, unfiltered bool) {
	if a.conn == nil {
		return // no one listens: the event is lost, as with Asterisk
	}
	typ, _ := ev["type"].(string)
	if !unfiltered && a.allowed != nil && !a.allowed[typ] {
		return
	}
	if _, ok := ev["timestamp"]; !ok {
		ev["timestamp"] = timestamp(time.Now())
	}
	ev["asterisk_id"] = EntityID
	if _, ok := ev["application"]; !ok {
		ev["application"] = a.name
	}
	data, _ := json.Marshal(ev)
	select {
	case a.conn.out <- outEvent{data: data, dtmf: dtmf}:
	case <-a.conn.done:
	}
}

// eventFilter serves PUT /applications/{app}/eventFilter.
func (s *Server) eventFilter(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Allowed []struct {
			Type string `json:"type"`
		} `json:"allowed"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		apiError(w, http.StatusBadRequest, "Error parsing request body")
		return
	}
	s.mu.Lock()
	a := s.appLocked(r.PathValue("app"))
	a.allowed = map[string]bool{}
	for _, t := range body.Allowed {
		a.allowed[t.Type] = true
	}
	s.mu.Unlock()
	s.application(w, r)
}

// application serves GET /applications/{app}: the channels in Stasis.
func (s *Server) application(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("app")
	s.mu.Lock()
	a := s.apps[name]
	if a == nil {
		s.mu.Unlock()
		apiError(w, http.StatusNotFound, "Application not found")
		return
	}
	ids := []string{}
	for id, c := range s.channels {
		if c.app == name && c.inStasis() {
			ids = append(ids, id)
		}
	}
	allowed := []map[string]string{}
	for t := range a.allowed {
		allowed = append(allowed, map[string]string{"type": t})
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"name": name, "channel_ids": ids, "bridge_ids": []string{},
		"endpoint_ids": []string{}, "device_names": []string{}, "events_allowed": allowed, "events_disallowed": []string{}})
}
