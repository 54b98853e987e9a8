// SPDX-License-Identifier: Apache-2.0

package aritest

import (
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// channel is one Asterisk channel: a scripted caller's, or one the
// application originated.
type channel struct {
	s          *Server
	id, name   string
	app        string
	number     string
	originated bool
	created    time.Time
	ops        chan any // *playback or *recording, served in order
	stop       chan struct{}
	engineDone chan struct{}
	gone       chan struct{}
	wake       chan struct{}
	dtmfSent   atomic.Int64

	mu                 sync.Mutex
	state              string // Down, Ring, Up
	stasis             bool
	args               []string
	vars               map[string]string
	current            any // the playback or recording being served
	ringing            bool
	moh                bool
	bridge             string
	idleSince          time.Time
	hanging            bool
	silent             bool // vanished: no more events
	say                time.Duration
	sayAfter           time.Duration
	mute               bool
	silentTries, tries int
	talk               talk // of the current message
	prompted           bool // a prompt played since the caller last pressed keys
	dialstring         string
	log                []Entry
	noted              chan struct{} // closed and replaced at each new log entry
}

// Entry is one thing that happened on a call, at a virtual time since the
// server started.
type Entry struct {
	At   time.Duration
	What string // play, record, recorded, key, ring, bridge, hangup, caller-hangup
	Arg  string // the media, recording name, digit …
}

func (s *Server) newChannel(id, appName, number string, originated bool) *channel {
	c := &channel{s: s, id: id, name: "PJSIP/caller-" + id, app: appName, number: number, originated: originated,
		created: time.Now(), ops: make(chan any, 64), stop: make(chan struct{}), engineDone: make(chan struct{}),
		gone: make(chan struct{}), noted: make(chan struct{}), wake: make(chan struct{}, 1), state: "Up", vars: map[string]string{}, idleSince: time.Now()}
	if originated {
		c.name, c.state = "PJSIP/operator-"+id, "Down"
	}
	s.mu.Lock()
	s.channels[id] = c
	s.mu.Unlock()
	go c.engine()
	return c
}

// json is the channel as ARI shows it.
func (c *channel) json() map[string]any {
	c.mu.Lock()
	defer c.mu.Unlock()
	app, data := "Stasis", c.app
	if c.originated {
		app, data = "AppDial2", "(Outgoing Line)"
	}
	return map[string]any{"id": c.id, "name": c.name, "state": c.state, "protocol_id": "",
		"caller":    map[string]string{"name": "", "number": c.number},
		"connected": map[string]string{"name": "", "number": ""}, "accountcode": "",
		"dialplan":     map[string]any{"context": "hotline-in", "exten": "s", "priority": 2, "app_name": app, "app_data": data},
		"creationtime": timestamp(c.created), "language": "vi"}
}

func (c *channel) inStasis() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stasis && !c.hanging
}

// event sends a channel event to the channel's application.
func (c *channel) event(typ string, fields map[string]any) {
	c.mu.Lock()
	silent := c.silent
	c.mu.Unlock()
	if silent {
		return
	}
	ev := map[string]any{"type": typ, "channel": c.json()}
	for k, v := range fields {
		ev[k] = v
	}
	var dtmf *channel
	if typ == "ChannelDtmfReceived" {
		dtmf = c
	}
	c.s.emit(c.app, ev, dtmf)
}

// other sends an event about a playback or recording of the channel.
func (c *channel) other(ev map[string]any) {
	c.mu.Lock()
	silent := c.silent
	c.mu.Unlock()
	if !silent {
		c.s.emit(c.app, ev, nil)
	}
}

func (c *channel) note(what, arg string) {
	c.mu.Lock()
	c.log = append(c.log, Entry{At: c.s.Now(), What: what, Arg: arg})
	close(c.noted)
	c.noted = make(chan struct{})
	c.mu.Unlock()
}

// waitFor waits until the log has an entry "what" or "what:arg" as from
// says; "" is the call's start. It reports false if the channel went first.
func (c *channel) waitFor(from string) bool {
	if from == "" {
		return true
	}
	for {
		c.mu.Lock()
		for _, e := range c.log {
			if e.What == from || e.What+":"+e.Arg == from {
				c.mu.Unlock()
				return true
			}
		}
		noted := c.noted
		c.mu.Unlock()
		select {
		case <-noted:
		case <-c.gone:
			return false
		case <-c.s.closed:
			return false
		}
	}
}

// poke wakes the caller's script after a change of state.
func (c *channel) poke() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *channel) setCurrent(op any) {
	c.mu.Lock()
	c.current = op
	if op == nil {
		c.idleSince = time.Now()
	}
	c.mu.Unlock()
	c.poke()
}

// engine serves the queued playbacks and recordings one after the other,
// as Asterisk does per channel.
func (c *channel) engine() {
	defer close(c.engineDone)
	for {
		select {
		case op := <-c.ops:
			switch op := op.(type) {
			case *playback:
				c.play(op)
			case *recording:
				c.record(op)
			}
			c.setCurrent(nil)
		case <-c.stop:
			return
		}
	}
}

func (c *channel) play(pb *playback) {
	select {
	case <-c.stop:
		return
	default:
	}
	c.mu.Lock()
	c.prompted = true
	c.mu.Unlock()
	c.setCurrent(pb)
	pb.setState("playing")
	c.other(map[string]any{"type": "PlaybackStarted", "playback": pb.json()})
	c.note("play", pb.media)
	state := "done"
	scheme, name, _ := strings.Cut(pb.media, ":")
	length := c.s.promptLength(pb.media)
	var fetchErr error
	if scheme == "sound" && httpMedia(name) {
		var d time.Duration
		if d, fetchErr = c.fetchMedia(name); fetchErr == nil && c.s.opts.PromptLength == nil {
			length = d
		}
	}
	switch {
	case fetchErr != nil:
		state = "failed"
	case scheme == "sound" && !httpMedia(name) && c.s.opts.Sounds != nil && !c.s.opts.Sounds[name]:
		state = "failed"
	case c.s.opts.Hang[pb.media] || (scheme != "sound" && scheme != "recording" && scheme != "tone" &&
		scheme != "digits" && scheme != "number" && scheme != "characters"):
		select { // an unknown scheme never finishes
		case <-pb.stopped:
		case <-c.stop:
			state = "failed"
		case <-c.s.closed:
		}
	default:
		t := time.NewTimer(c.s.real(length))
		select {
		case <-t.C:
		case <-pb.stopped:
		case <-c.stop:
			state = "failed"
		case <-c.s.closed:
			state = "failed"
		}
		t.Stop()
	}
	pb.setState(state)
	c.s.mu.Lock()
	delete(c.s.playbacks, pb.id)
	c.s.mu.Unlock()
	c.other(map[string]any{"type": "PlaybackFinished", "playback": pb.json()})
}

func (s *Server) promptLength(media string) time.Duration {
	if s.opts.PromptLength != nil {
		return s.opts.PromptLength(media)
	}
	scheme, rest, _ := strings.Cut(media, ":")
	switch scheme {
	case "sound", "tone":
		return time.Second
	case "digits", "number", "characters":
		return time.Duration(len(rest)) * 800 * time.Millisecond
	}
	return 2 * time.Second
}

// hangup ends the channel as Asterisk does: ChannelHangupRequest, the end
// of what was playing or recording, leaving the bridge, StasisEnd, and
// ChannelDestroyed for an originated channel.
func (c *channel) hangup(cause int, soft bool) {
	c.mu.Lock()
	if c.hanging {
		c.mu.Unlock()
		return
	}
	c.hanging = true
	wasStasis := c.stasis
	c.mu.Unlock()
	fields := map[string]any{"cause": cause}
	if soft {
		fields["soft"] = true
	}
	if wasStasis {
		c.event("ChannelHangupRequest", fields)
	}
	close(c.stop)
	<-c.engineDone
	c.s.leaveBridge(c)
	if wasStasis {
		c.event("StasisEnd", nil)
	}
	if c.originated {
		c.event("ChannelDestroyed", map[string]any{"cause": cause, "cause_txt": causeText[cause]})
	}
	c.s.mu.Lock()
	delete(c.s.channels, c.id)
	c.s.mu.Unlock()
	close(c.gone)
	c.poke()
}

// vanish removes the channel without a word, as an Asterisk restart does.
func (c *channel) vanish() {
	c.mu.Lock()
	c.silent = true
	c.mu.Unlock()
	c.hangup(16, false)
}

// playback is one ARI playback.
type playback struct {
	id, media, target string
	stopped           chan struct{}
	stopOnce          sync.Once
	mu                sync.Mutex
	state             string
}

func (p *playback) setState(s string) {
	p.mu.Lock()
	p.state = s
	p.mu.Unlock()
}

func (p *playback) json() map[string]any {
	p.mu.Lock()
	defer p.mu.Unlock()
	return map[string]any{"id": p.id, "media_uri": p.media, "target_uri": p.target, "language": "vi", "state": p.state}
}
