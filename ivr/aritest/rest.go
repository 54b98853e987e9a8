// SPDX-License-Identifier: Apache-2.0

package aritest

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	h := func(pattern string, f http.HandlerFunc) { mux.HandleFunc(pattern, s.rest(f)) }
	h("GET /ari/asterisk/info", s.info)
	h("GET /ari/applications/{app}", s.application)
	h("PUT /ari/applications/{app}/eventFilter", s.eventFilter)
	h("POST /ari/channels", s.originate)
	h("POST /ari/channels/{id}", s.originate)
	h("GET /ari/channels/{id}", s.channelGet)
	h("DELETE /ari/channels/{id}", s.channelDelete)
	h("POST /ari/channels/{id}/answer", s.channelSimple("", nil))
	h("POST /ari/channels/{id}/ring", s.channelSimple("ring", func(c *channel) { c.ringing = true }))
	h("DELETE /ari/channels/{id}/ring", s.channelSimple("", func(c *channel) { c.ringing, c.idleSince = false, time.Now() }))
	h("POST /ari/channels/{id}/moh", s.channelSimple("moh", func(c *channel) { c.moh = true }))
	h("DELETE /ari/channels/{id}/moh", s.channelSimple("", func(c *channel) { c.moh, c.idleSince = false, time.Now() }))
	h("POST /ari/channels/{id}/play", s.play)
	h("POST /ari/channels/{id}/play/{pb}", s.play)
	h("POST /ari/channels/{id}/record", s.recordReq)
	h("POST /ari/channels/{id}/variable", s.setVariable)
	h("GET /ari/channels/{id}/variable", s.getVariable)
	h("GET /ari/playbacks/{pb}", s.playbackGet)
	h("DELETE /ari/playbacks/{pb}", s.playbackStop)
	h("GET /ari/recordings/live/{name}", s.liveGet)
	h("POST /ari/recordings/live/{name}/stop", s.liveStop)
	h("GET /ari/recordings/stored", s.storedList)
	h("GET /ari/recordings/stored/{name}", s.storedGet)
	h("GET /ari/recordings/stored/{name}/file", s.storedFile)
	h("DELETE /ari/recordings/stored/{name}", s.storedDelete)
	h("GET /ari/sounds", s.soundList)
	h("GET /ari/sounds/{id...}", s.soundGet)
	h("POST /ari/bridges", s.bridgeCreate)
	h("POST /ari/bridges/{bridge}", s.bridgeCreate)
	h("POST /ari/bridges/{bridge}/addChannel", s.bridgeAdd)
	h("POST /ari/bridges/{bridge}/removeChannel", s.bridgeRemove)
	h("DELETE /ari/bridges/{bridge}", s.bridgeDelete)
	mux.HandleFunc("GET /ari/events", s.events)
	h("/", func(w http.ResponseWriter, r *http.Request) { apiError(w, http.StatusNotFound, "Resource not found") })
	return mux
}

// rest wraps every REST handler: Basic auth, counting, stalls, and the
// time from a DTMF event to the application's next request on its channel.
func (s *Server) rest(f http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.authorized(w, r) {
			return
		}
		s.requests.Add(1)
		if id := r.PathValue("id"); id != "" {
			s.timeReaction(id)
		}
		s.mu.Lock()
		var stall chan struct{}
		for p, ch := range s.stalled {
			if strings.HasPrefix(strings.TrimPrefix(r.URL.Path, "/ari"), p) {
				stall = ch
			}
		}
		s.mu.Unlock()
		if stall != nil {
			select {
			case <-stall:
			case <-r.Context().Done():
			}
			return
		}
		f(w, r)
	}
}

func (s *Server) timeReaction(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.channels[id]; c != nil {
		if sent := c.dtmfSent.Swap(0); sent != 0 {
			s.latencies = append(s.latencies, time.Duration(time.Now().UnixNano()-sent))
		}
	}
}

func (s *Server) info(w http.ResponseWriter, r *http.Request) {
	start := timestamp(s.start)
	writeJSON(w, http.StatusOK, map[string]any{
		"build":  map[string]string{"os": "Linux", "kernel": "6.18.44", "machine": "x86_64", "options": "OPTIONAL_API", "date": "2026-11-22 07:31:50 UTC", "user": "root"},
		"system": map[string]string{"version": "22.10.1", "entity_id": EntityID},
		"config": map[string]any{"name": "hotline-fake", "default_language": "en", "setid": map[string]string{"user": "", "group": ""}},
		"status": map[string]string{"startup_time": start, "last_reload_time": start},
	})
}

// channel returns the channel in the path, or writes 404, or 409 if it must
// be in Stasis and is not.
func (s *Server) channel(w http.ResponseWriter, r *http.Request, stasis bool) *channel {
	s.mu.Lock()
	c := s.channels[r.PathValue("id")]
	s.mu.Unlock()
	if c == nil || c.hangingNow() {
		apiError(w, http.StatusNotFound, "Channel not found")
		return nil
	}
	if stasis && !c.inStasis() {
		apiError(w, http.StatusConflict, "Channel not in Stasis application")
		return nil
	}
	return c
}

func (c *channel) hangingNow() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hanging
}

func (s *Server) channelGet(w http.ResponseWriter, r *http.Request) {
	if c := s.channel(w, r, false); c != nil {
		writeJSON(w, http.StatusOK, c.json())
	}
}

// channelSimple answers 204 after f changes the channel under its lock;
// what, if set, goes into the call's log.
func (s *Server) channelSimple(what string, f func(c *channel)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := s.channel(w, r, true)
		if c == nil {
			return
		}
		if f != nil {
			c.mu.Lock()
			f(c)
			c.mu.Unlock()
			c.poke()
		}
		if what != "" {
			c.note(what, "")
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

var hangupReasons = []string{"", "normal", "busy", "congestion", "no_answer", "timeout", "rejected", "unallocated",
	"normal_unspecified", "number_incomplete", "codec_mismatch", "interworking", "failure", "answered_elsewhere"}

func (s *Server) channelDelete(w http.ResponseWriter, r *http.Request) {
	c := s.channel(w, r, false)
	if c == nil {
		return
	}
	if !slices.Contains(hangupReasons, r.URL.Query().Get("reason")) {
		apiError(w, http.StatusBadRequest, "Invalid reason for hangup reason provided")
		return
	}
	c.note("hangup", "")
	w.WriteHeader(http.StatusNoContent)
	go c.hangup(32, true)
}

func (s *Server) play(w http.ResponseWriter, r *http.Request) {
	c := s.channel(w, r, true)
	if c == nil {
		return
	}
	p, err := params(r)
	if err != nil {
		apiError(w, http.StatusBadRequest, "Error parsing request body")
		return
	}
	media := str(p, "media")
	if l, ok := p["media"].([]any); ok && len(l) > 0 {
		media, _ = l[0].(string)
	}
	if media == "" {
		apiError(w, http.StatusInternalServerError, "Failed to queue media for playback")
		return
	}
	id := r.PathValue("pb")
	if id == "" {
		id = str(p, "playbackId")
	}
	if id == "" {
		id = s.nextID("pb")
	}
	pb := &playback{id: id, media: media, target: "channel:" + c.id, state: "queued", stopped: make(chan struct{})}
	s.mu.Lock()
	s.playbacks[id] = pb
	s.mu.Unlock()
	w.Header().Set("Location", "/ari/playbacks/"+id)
	body := pb.json()
	c.ops <- pb
	writeJSON(w, http.StatusCreated, body)
}

var formats = []string{"wav", "gsm", "ulaw", "alaw", "slin", "sln16", "g722", "g729"}

func (s *Server) recordReq(w http.ResponseWriter, r *http.Request) {
	c := s.channel(w, r, true)
	if c == nil {
		return
	}
	p, err := params(r)
	if err != nil {
		apiError(w, http.StatusBadRequest, "Error parsing request body")
		return
	}
	name, format := str(p, "name"), str(p, "format")
	switch {
	case name == "" || format == "":
		apiError(w, http.StatusBadRequest, "Recording name and format are required")
		return
	case !slices.Contains(formats, format):
		apiError(w, http.StatusUnprocessableEntity, "specified format is unknown on this system")
		return
	}
	if s.opts.NoRecordingDir {
		// Asterisk does not create spool/recording; without it every
		// record request fails so.
		apiError(w, http.StatusInternalServerError, "Unrecognized recording error")
		return
	}
	s.mu.Lock()
	_, live := s.live[name]
	_, stored := s.stored[name]
	s.mu.Unlock()
	if live || (stored && str(p, "ifExists") != "overwrite" && str(p, "ifExists") != "append") {
		apiError(w, http.StatusConflict, "Recording '"+name+"' already exists and can not be overwritten")
		return
	}
	rec := &recording{name: name, format: format, target: "channel:" + c.id, state: "queued",
		maxDur: time.Duration(num(p, "maxDurationSeconds")) * time.Second, maxSilence: time.Duration(num(p, "maxSilenceSeconds")) * time.Second,
		terminateOn: str(p, "terminateOn"), beep: str(p, "beep") == "true", appendTo: str(p, "ifExists") == "append",
		stopped: make(chan struct{}), term: make(chan struct{})}
	body := rec.json()
	s.mu.Lock()
	s.live[name] = rec // visible from the request on, queued until it starts
	s.mu.Unlock()
	c.ops <- rec
	writeJSON(w, http.StatusCreated, body)
}

func (s *Server) setVariable(w http.ResponseWriter, r *http.Request) {
	c := s.channel(w, r, true)
	if c == nil {
		return
	}
	p, err := params(r)
	if err != nil || str(p, "variable") == "" {
		apiError(w, http.StatusBadRequest, "Variable name is required")
		return
	}
	c.mu.Lock()
	c.vars[str(p, "variable")] = str(p, "value")
	c.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) getVariable(w http.ResponseWriter, r *http.Request) {
	c := s.channel(w, r, true)
	if c == nil {
		return
	}
	c.mu.Lock()
	v, ok := c.vars[r.URL.Query().Get("variable")]
	c.mu.Unlock()
	if !ok {
		apiError(w, http.StatusNotFound, "Provided variable was not found")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"value": v})
}

// Variable returns a channel variable the application set; "" if none.
func (k *Call) Variable(name string) string {
	k.c.mu.Lock()
	defer k.c.mu.Unlock()
	return k.c.vars[name]
}

func (s *Server) playbackGet(w http.ResponseWriter, r *http.Request) {
	pb, ok := find(s, s.playbacks, r.PathValue("pb"), w, "Playback not found")
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, pb.json())
}

// playbackStop stops a playback: only sound:, recording: and tone: can be.
func (s *Server) playbackStop(w http.ResponseWriter, r *http.Request) {
	pb, ok := find(s, s.playbacks, r.PathValue("pb"), w, "Playback not found")
	if !ok {
		return
	}
	scheme, _, _ := strings.Cut(pb.media, ":")
	if scheme != "sound" && scheme != "recording" && scheme != "tone" {
		apiError(w, http.StatusInternalServerError, "Could not stop playback")
		return
	}
	pb.stopOnce.Do(func() { close(pb.stopped) })
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) liveGet(w http.ResponseWriter, r *http.Request) {
	rec, ok := find(s, s.live, r.PathValue("name"), w, "Recording not found")
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, rec.json())
}

func (s *Server) liveStop(w http.ResponseWriter, r *http.Request) {
	rec, ok := find(s, s.live, r.PathValue("name"), w, "Recording not found")
	if !ok {
		return
	}
	rec.stop()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) storedList(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	out := []map[string]string{}
	for _, rec := range s.stored {
		out = append(out, map[string]string{"name": rec.name, "format": rec.format})
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) storedGet(w http.ResponseWriter, r *http.Request) {
	rec, ok := find(s, s.stored, r.PathValue("name"), w, "Recording not found")
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"name": rec.name, "format": rec.format})
}

// storedFile serves a stored recording's audio as Asterisk does: a WAV file
// (8 kHz, 16-bit, mono) with the caller's speech where the caller talked
// and a line's faint noise elsewhere; with zero header sizes if Asterisk
// crashed while recording it.
func (s *Server) storedFile(w http.ResponseWriter, r *http.Request) {
	rec, ok := find(s, s.stored, r.PathValue("name"), w, "Recording not found")
	if !ok {
		return
	}
	rec.mu.Lock()
	length, speech, broken := rec.length, append([]span(nil), rec.speech...), rec.broken
	rec.mu.Unlock()
	w.Header().Set("Content-Type", "audio/x-wav")
	w.WriteHeader(http.StatusOK)
	w.Write(renderWAV(length, speech, broken))
}

func (s *Server) storedDelete(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	_, ok := s.stored[r.PathValue("name")]
	delete(s.stored, r.PathValue("name"))
	s.mu.Unlock()
	if !ok {
		apiError(w, http.StatusNotFound, "Recording not found")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// Stored returns the stored recording called name: its length in seconds
// and whether it exists.
func (s *Server) Stored(name string) (seconds int, ok bool) {
	s.mu.Lock()
	rec := s.stored[name]
	s.mu.Unlock()
	if rec == nil {
		return 0, false
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.duration, true
}

// find looks up key in one of the server's maps under its lock, answering
// 404 with Asterisk's message when it is not there.
func find[T any](s *Server, m map[string]*T, key string, w http.ResponseWriter, notFound string) (*T, bool) {
	s.mu.Lock()
	v := m[key]
	s.mu.Unlock()
	if v == nil {
		apiError(w, http.StatusNotFound, notFound)
		return nil, false
	}
	return v, true
}
