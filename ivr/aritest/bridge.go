// SPDX-License-Identifier: Apache-2.0

package aritest

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// bridge is a mixing bridge the application created. Asterisk sends no
// BridgeCreated or BridgeDestroyed for those, only ChannelEnteredBridge and
// ChannelLeftBridge.
type bridge struct {
	id, name, typ string
	created       time.Time
	channels      []string
}

func (b *bridge) json() map[string]any {
	return map[string]any{"id": b.id, "technology": "simple_bridge", "bridge_type": b.typ, "bridge_class": "stasis",
		"creator": "Stasis", "name": b.name, "channels": append([]string{}, b.channels...),
		"creationtime": timestamp(b.created), "video_mode": "talker"}
}

var technologies = []string{"PJSIP", "SIP", "IAX2", "DAHDI", "Local"}

// originate serves POST /channels and /channels/{id}: an outgoing channel
// into the application, which answers as Options.Operator says.
func (s *Server) originate(w http.ResponseWriter, r *http.Request) {
	p, err := params(r)
	if err != nil {
		apiError(w, http.StatusBadRequest, "Error parsing request body")
		return
	}
	endpoint, appName := str(p, "endpoint"), str(p, "app")
	switch {
	case endpoint == "":
		apiError(w, http.StatusBadRequest, "Endpoint must be specified")
		return
	case appName == "" && str(p, "extension") == "":
		apiError(w, http.StatusBadRequest, "Application or extension must be specified")
		return
	}
	tech, _, _ := strings.Cut(endpoint, "/")
	if !slices.Contains(technologies, tech) {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "Allocation failed"})
		return
	}
	id := r.PathValue("id")
	if id == "" {
		id = str(p, "channelId")
	}
	if id == "" {
		id = s.nextID("op")
	}
	timeout := 30 * time.Second
	if t := num(p, "timeout"); t != 0 {
		timeout = time.Duration(t) * time.Second
	}
	var args []string
	if a := str(p, "appArgs"); a != "" {
		args = strings.Split(a, ",")
	}
	c := s.newChannel(id, appName, str(p, "callerId"), true)
	c.dialstring = strings.TrimPrefix(endpoint, tech+"/")
	writeJSON(w, http.StatusOK, c.json())
	s.callsWG.Add(1)
	if s.opts.Callees != nil {
		if k, ok := s.opts.Callees(endpoint); ok {
			s.mu.Lock()
			s.callees = append(s.callees, c)
			s.mu.Unlock()
			go func() {
				defer s.callsWG.Done()
				c.dial("")
				c.callee(k, timeout, args)
			}()
			return
		}
	}
	go func() {
		defer s.callsWG.Done()
		c.dial("")
		c.operate(timeout, args)
	}()
}

// operate is the far end of an originated channel: it answers after
// Operator.AnswerAfter, enters Stasis, talks for Operator.Talk once
// bridged, and hangs up; or it never answers and the originate times out.
func (c *channel) operate(timeout time.Duration, args []string) {
	op := c.s.opts.Operator
	if op.AnswerAfter <= 0 || (timeout > 0 && op.AnswerAfter >= timeout) {
		if timeout > 0 && c.s.sleep(timeout, c.stop) {
			c.dial("NOANSWER")
			c.hangup(19, false)
		}
		return
	}
	if !c.s.sleep(op.AnswerAfter, c.stop) {
		return
	}
	c.mu.Lock()
	c.state, c.stasis, c.args = "Up", true, args
	c.mu.Unlock()
	c.event("ChannelStateChange", nil)
	c.dial("ANSWER")
	if args == nil {
		args = []string{}
	}
	c.event("StasisStart", map[string]any{"args": args})
	for {
		c.mu.Lock()
		bridged := c.bridge != ""
		c.mu.Unlock()
		if bridged {
			break
		}
		select {
		case <-c.wake:
		case <-c.stop:
			return
		}
	}
	if op.Talk > 0 && c.s.sleep(op.Talk, c.stop) {
		c.hangup(16, false)
	}
}

// dial sends a Dial event about the originated channel, as Asterisk does
// when it starts ringing ("") and when the far end answers or not.
func (c *channel) dial(status string) {
	c.other(map[string]any{"type": "Dial", "dialstatus": status, "forward": "", "dialstring": c.dialstring, "peer": c.json()})
}

func (s *Server) bridgeCreate(w http.ResponseWriter, r *http.Request) {
	p, err := params(r)
	if err != nil {
		apiError(w, http.StatusBadRequest, "Error parsing request body")
		return
	}
	id := r.PathValue("bridge")
	if id == "" {
		id = str(p, "bridgeId")
	}
	if id == "" {
		id = s.nextID("bridge")
	}
	typ := str(p, "type")
	if typ == "" {
		typ = "mixing"
	}
	b := &bridge{id: id, name: str(p, "name"), typ: typ, created: time.Now()}
	s.mu.Lock()
	s.bridges[id] = b
	body := b.json()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) bridgeAdd(w http.ResponseWriter, r *http.Request) {
	p, err := params(r)
	if err != nil {
		apiError(w, http.StatusBadRequest, "Error parsing request body")
		return
	}
	s.mu.Lock()
	b := s.bridges[r.PathValue("bridge")]
	var chans []*channel
	for _, id := range strings.Split(str(p, "channel"), ",") {
		chans = append(chans, s.channels[id])
	}
	s.mu.Unlock()
	if b == nil {
		apiError(w, http.StatusNotFound, "Bridge not found")
		return
	}
	for _, c := range chans {
		if c == nil {
			apiError(w, http.StatusBadRequest, "Channel not found")
			return
		}
		if !c.inStasis() {
			apiError(w, http.StatusUnprocessableEntity, "Channel not in Stasis application")
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
	for _, c := range chans {
		s.mu.Lock()
		b.channels = append(b.channels, c.id)
		body := b.json()
		s.mu.Unlock()
		c.mu.Lock()
		c.bridge = b.id
		c.mu.Unlock()
		c.note("bridge", b.id)
		c.event("ChannelEnteredBridge", map[string]any{"bridge": body})
		c.poke()
	}
}

func (s *Server) bridgeRemove(w http.ResponseWriter, r *http.Request) {
	p, _ := params(r)
	s.mu.Lock()
	b := s.bridges[r.PathValue("bridge")]
	c := s.channels[str(p, "channel")]
	s.mu.Unlock()
	if b == nil {
		apiError(w, http.StatusNotFound, "Bridge not found")
		return
	}
	if c == nil {
		apiError(w, http.StatusBadRequest, "Channel not found")
		return
	}
	w.WriteHeader(http.StatusNoContent)
	s.leaveBridge(c)
}

func (s *Server) bridgeDelete(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	b := s.bridges[r.PathValue("bridge")]
	delete(s.bridges, r.PathValue("bridge"))
	var chans []*channel
	if b != nil {
		for _, id := range b.channels {
			if c := s.channels[id]; c != nil {
				chans = append(chans, c)
			}
		}
	}
	s.mu.Unlock()
	if b == nil {
		apiError(w, http.StatusNotFound, "Bridge not found")
		return
	}
	w.WriteHeader(http.StatusNoContent)
	for _, c := range chans {
		s.leaveBridge(c)
	}
}

// leaveBridge takes c out of its bridge, if any: ChannelLeftBridge.
func (s *Server) leaveBridge(c *channel) {
	c.mu.Lock()
	id := c.bridge
	c.bridge, c.idleSince = "", time.Now()
	c.mu.Unlock()
	if id == "" {
		return
	}
	s.mu.Lock()
	b := s.bridges[id]
	var body map[string]any
	if b != nil {
		b.channels = slices.DeleteFunc(b.channels, func(x string) bool { return x == c.id })
		body = b.json()
	} else {
		body = (&bridge{id: id, typ: "mixing"}).json()
	}
	s.mu.Unlock()
	c.event("ChannelLeftBridge", map[string]any{"bridge": body})
	c.poke()
}
