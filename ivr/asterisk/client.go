// SPDX-License-Identifier: Apache-2.0

// Package asterisk adapts ivr.Call to Asterisk's REST Interface with the
// CyCoreSystems/ari/v5 native client (v5.3.1), working around its faults
// (see ari-notes.md):
//
//   - REST requests go through the library with a timeout of our own and a
//     pooled HTTP client, since the library applies neither;
//   - events are read from the /ari/events WebSocket here, decoded with the
//     library's ari.DecodeEvent and dispatched to one unbounded queue per
//     call: an event type the library does not know is skipped (the
//     library's own loop would panic), nothing is dropped (its
//     subscriptions drop past 100 events), and ApplicationReplaced, which
//     no subscription sees, is handled;
//   - right after connecting, an event filter allows only the types the
//     library knows;
//   - connecting is bounded, a wrong password fails at once with
//     ErrUnauthorized, and a lost connection is retried with backoff; after
//     reconnecting, the application's channels still in Stasis are found
//     (GET /applications/{app}) and each call is resumed or closed out.
//
// It may import ivr, tickets, the ari/v5 module and golang.org/x/net.
package asterisk

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/CyCoreSystems/ari/v5"
	"github.com/CyCoreSystems/ari/v5/client/native"
	"golang.org/x/net/websocket"

	"github.com/hotline-cchc/hotline/ivr"
)

// Options configure a Client.
type Options struct {
	URL      string // ARI base URL, e.g. http://127.0.0.1:8088/ari
	User     string
	Password string // a secret: never logged nor put in errors
	App      string // the Stasis application
	// Language, if set, is the channel language set on answer
	// (CHANNEL(language)), so that Asterisk finds the prompts' folder.
	Language string
	// SoundPrefix goes before a prompt id in its sound: URI; default "hotline/".
	SoundPrefix string
	// MaxSilence ends a recording; default 6 s.
	MaxSilence time.Duration
	// RequestTimeout bounds every REST request; default 5 s.
	RequestTimeout time.Duration
	// ConnectTimeout bounds connecting (TCP, WebSocket handshake); default 10 s.
	ConnectTimeout time.Duration
	// RetryDelay is the first wait before reconnecting; it doubles up to
	// 30 s. Default 250 ms.
	RetryDelay time.Duration
	// Prompts, if set, are the prompt ids the calls play: at each connection
	// the client asks Asterisk (GET /sounds) which are missing, logs each
	// as an error with InstallHint, the command that installs them, and
	// Missing reports them.
	Prompts     []string
	InstallHint string
	// Orphans, if set, is given at each connection the stored messages
	// (ivr.RecordingPrefix) of calls this process does not follow: calls that
	// ended while the hotline was away. It runs on the event loop's
	// goroutine and must not block for long.
	Orphans func(ctx context.Context, names []string)
	// Speed runs call timers faster than real time, for simulations; 0 means 1.
	Speed float64
	Log   *slog.Logger
}

// Client answers the calls of one Stasis application.
type Client struct {
	opts      Options
	ari       *native.Client
	http      *http.Client
	wsURL     string
	log       *slog.Logger
	connected atomic.Bool

	mu      sync.Mutex
	calls   map[string]*call // by channel id; operator legs map to their caller's call
	missing []string         // prompts Asterisk lacked at the last connection
	wg      sync.WaitGroup
}

// New returns a client; it does not connect.
func New(opts Options) (*Client, error) {
	if opts.URL == "" || opts.App == "" {
		return nil, errors.New("asterisk: the ARI URL and application are required")
	}
	u, err := url.Parse(strings.TrimSuffix(opts.URL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil {
		return nil, fmt.Errorf("asterisk: the ARI URL must be http(s)://host:port/ari without credentials, not %q", redact(opts.URL))
	}
	opts.URL = u.String()
	defaults(&opts)
	ws := *u
	ws.Scheme = map[string]string{"http": "ws", "https": "wss"}[u.Scheme]
	hc := &http.Client{Timeout: opts.RequestTimeout, Transport: &http.Transport{
		Proxy: nil, DialContext: (&net.Dialer{Timeout: opts.ConnectTimeout}).DialContext,
		MaxIdleConns: 1024, MaxIdleConnsPerHost: 1024, IdleConnTimeout: 90 * time.Second}}
	nc := native.New(&native.Options{Application: opts.App, URL: opts.URL, WebsocketURL: ws.String() + "/events",
		Username: opts.User, Password: opts.Password})
	if err := setHTTPClient(nc, hc); err != nil {
		return nil, err
	}
	return &Client{opts: opts, ari: nc, http: hc, wsURL: ws.String() + "/events", log: opts.Log, calls: map[string]*call{}}, nil
}

func defaults(o *Options) {
	if o.SoundPrefix == "" {
		o.SoundPrefix = "hotline/"
	}
	if o.MaxSilence <= 0 {
		o.MaxSilence = 6 * time.Second
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = 5 * time.Second
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = 10 * time.Second
	}
	if o.RetryDelay <= 0 {
		o.RetryDelay = 250 * time.Millisecond
	}
	if o.Speed <= 0 {
		o.Speed = 1
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
}

// redact drops the user information of a URL for messages.
func redact(s string) string {
	if u, err := url.Parse(s); err == nil && u.User != nil {
		u.User = nil
		return u.String()
	}
	return s
}

// Connected reports whether the event WebSocket is up.
func (cl *Client) Connected() bool { return cl.connected.Load() }

// Handler runs one call; it returns when the call is over.
type Handler func(ctx context.Context, c ivr.Call)

// Run answers calls with handle until ctx ends, reconnecting with backoff
// when Asterisk is unreachable or the connection drops. It returns
// ErrUnauthorized as soon as Asterisk refuses the credentials, and nil when
// ctx ends, after the calls in progress have finished.
func (cl *Client) Run(ctx context.Context, handle Handler) error {
	defer cl.wg.Wait()
	backoff := cl.opts.RetryDelay
	for {
		began := time.Now()
		err := cl.session(ctx, handle)
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, ErrUnauthorized) {
			return err
		}
		if time.Since(began) > time.Minute {
			backoff = cl.opts.RetryDelay
		}
		cl.log.Warn("ari disconnected; reconnecting", "err", err, "retry_in", backoff)
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return nil
		}
		backoff = min(backoff*2, 30*time.Second)
	}
}

// session connects once and reads events until the connection ends.
func (cl *Client) session(ctx context.Context, handle Handler) error {
	ws, err := cl.connect(ctx)
	if err != nil {
		return err
	}
	defer ws.Close()
	stop := context.AfterFunc(ctx, func() { ws.Close() })
	defer stop()
	readErr := make(chan error, 1)
	go func() { readErr <- cl.read(ctx, ws, handle) }()
	if err := cl.raw(ctx, http.MethodPut, "/applications/"+url.PathEscape(cl.opts.App)+"/eventFilter", eventFilter()); err != nil {
		cl.log.Warn("ari event filter", "err", err)
	}
	cl.connected.Store(true)
	defer cl.connected.Store(false)
	cl.log.Info("ari connected", "url", cl.opts.URL, "app", cl.opts.App)
	if err := cl.recoverCalls(ctx, handle); err != nil {
		cl.log.Warn("ari: finding calls left in Stasis", "err", err)
	}
	cl.checkPrompts(ctx)
	cl.checkOrphans(ctx)
	return <-readErr
}

// connect checks the credentials with GET /asterisk/info, then opens the
// event WebSocket, all within ConnectTimeout.
func (cl *Client) connect(ctx context.Context) (*websocket.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, cl.opts.ConnectTimeout)
	defer cancel()
	err := cl.rest(ctx, func() error { _, err := cl.ari.Asterisk().Info(nil); return err })
	if statusOf(err) == http.StatusUnauthorized {
		return nil, ErrUnauthorized
	}
	if err != nil {
		return nil, fmt.Errorf("ari info: %w", err)
	}
	cfg, err := websocket.NewConfig(cl.wsURL+"?app="+url.QueryEscape(cl.opts.App), "http://localhost/")
	if err != nil {
		return nil, err
	}
	cfg.Header.Set("Authorization", "Basic "+basicAuth(cl.opts.User, cl.opts.Password))
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", cfg.Location.Host)
	if err != nil {
		return nil, fmt.Errorf("ari events: %w", err)
	}
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	ws, err := websocket.NewClient(cfg, conn)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("ari events: %w", err)
	}
	conn.SetDeadline(time.Time{})
	return ws, nil
}

// eventFilter allows exactly the event types ari/v5 knows.
func eventFilter() map[string]any {
	var allowed []map[string]string
	v := reflect.ValueOf(ari.Events)
	for i := 0; i < v.NumField(); i++ {
		if t := v.Field(i).String(); t != "" && t != ari.Events.All {
			allowed = append(allowed, map[string]string{"type": t})
		}
	}
	return map[string]any{"allowed": allowed}
}

// read decodes events and hands each to its call until the connection ends.
func (cl *Client) read(ctx context.Context, ws *websocket.Conn, handle Handler) error {
	for {
		var data []byte
		if err := websocket.Message.Receive(ws, &data); err != nil {
			return fmt.Errorf("ari events: %w", err)
		}
		if err := cl.handleMessage(ctx, data, handle); err != nil {
			return err
		}
	}
}

// handleMessage decodes one event and dispatches it. It returns an error
// only when the application was taken over by another connection.
func (cl *Client) handleMessage(ctx context.Context, data []byte, handle Handler) error {
	ev, err := ari.DecodeEvent(data)
	if err != nil || ev == nil {
		cl.log.Debug("ari: skipping an event the client cannot decode", "event", eventType(data), "err", err)
		return nil
	}
	if _, ok := ev.(*ari.ApplicationReplaced); ok {
		cl.log.Error("ari: another connection took over the application; reconnecting", "app", cl.opts.App)
		return errors.New("ari: application replaced")
	}
	cl.dispatch(ctx, ev, handle)
	return nil
}

// eventType pulls the "type" out of an event the library could not decode.
func eventType(data []byte) string {
	const key = `"type":"`
	if _, rest, ok := strings.Cut(string(data), key); ok {
		if t, _, ok := strings.Cut(rest, `"`); ok && len(t) < 64 {
			return t
		}
	}
	return "?"
}

// dispatch starts a call on StasisStart and queues every other event for
// the call of its channel.
func (cl *Client) dispatch(ctx context.Context, ev ari.Event, handle Handler) {
	if st, ok := ev.(*ari.StasisStart); ok {
		cl.mu.Lock()
		owner := cl.calls[st.Channel.ID]
		cl.mu.Unlock()
		switch {
		case owner != nil:
			owner.push(ev)
		case len(st.Args) > 0 && (st.Args[0] == operatorArg || st.Args[0] == callbackArg):
			// An operator leg whose caller is gone, or a call-back whose
			// run stopped (the attempt is recorded as interrupted): hang it up.
			cl.wg.Add(1)
			go func() {
				defer cl.wg.Done()
				cl.rest(context.WithoutCancel(ctx), func() error { return cl.ari.Channel().Hangup(ari.NewKey(ari.ChannelKey, st.Channel.ID), "normal") })
			}()
		default:
			cl.start(ctx, st.Channel.ID, callerNumber(st.Channel), nil, handle)
		}
		return
	}
	id := channelOf(ev)
	cl.mu.Lock()
	c := cl.calls[id]
	cl.mu.Unlock()
	if c != nil {
		c.push(ev)
	}
}

func callerNumber(ch ari.ChannelData) string {
	if ch.Caller == nil {
		return ""
	}
	return ch.Caller.Number
}

// start runs handle for a call in its own goroutine; saved is the state
// of a call taken over after a restart, nil for a new one.
func (cl *Client) start(ctx context.Context, id, caller string, saved *ivr.State, handle Handler) {
	c := newCall(cl, id, caller)
	c.saved = saved
	cl.mu.Lock()
	if cl.calls[id] != nil {
		cl.mu.Unlock()
		return
	}
	cl.calls[id] = c
	cl.mu.Unlock()
	cl.wg.Add(1)
	go func() {
		defer cl.wg.Done()
		defer cl.forget(c)
		handle(ctx, c)
	}()
}

// forget removes a finished call and its legs from the dispatch table.
func (cl *Client) forget(c *call) {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	for id, x := range cl.calls {
		if x == c {
			delete(cl.calls, id)
		}
	}
}

// channelOf is the channel an event is about.
func channelOf(ev ari.Event) string {
	switch e := ev.(type) {
	case *ari.ChannelDtmfReceived:
		return e.Channel.ID
	case *ari.PlaybackStarted:
		return strings.TrimPrefix(e.Playback.TargetURI, "channel:")
	case *ari.PlaybackFinished:
		return strings.TrimPrefix(e.Playback.TargetURI, "channel:")
	case *ari.RecordingStarted:
		return strings.TrimPrefix(e.Recording.TargetURI, "channel:")
	case *ari.RecordingFinished:
		return strings.TrimPrefix(e.Recording.TargetURI, "channel:")
	case *ari.RecordingFailed:
		return strings.TrimPrefix(e.Recording.TargetURI, "channel:")
	case *ari.ChannelHangupRequest:
		return e.Channel.ID
	case *ari.StasisEnd:
		return e.Channel.ID
	case *ari.ChannelDestroyed:
		return e.Channel.ID
	case *ari.ChannelStateChange:
		return e.Channel.ID
	case *ari.ChannelEnteredBridge:
		return e.Channel.ID
	case *ari.ChannelLeftBridge:
		return e.Channel.ID
	case *ari.Dial:
		return e.Peer.ID
	}
	return ""
}

// recoverCalls runs after every connection: calls we follow whose channel
// is gone are closed out, the others resume (their lost events are looked
// up); channels in Stasis that no call follows (this process restarted)
// are answered afresh.
func (cl *Client) recoverCalls(ctx context.Context, handle Handler) error {
	// Only calls followed before the look-up can be judged by it: a call
	// starting meanwhile is not in an older list.
	cl.mu.Lock()
	var follow []*call
	for id, c := range cl.calls {
		if id == c.id {
			follow = append(follow, c)
		}
	}
	cl.mu.Unlock()
	var data *ari.ApplicationData
	err := cl.rest(ctx, func() (err error) {
		data, err = cl.ari.Application().Data(ari.NewKey(ari.ApplicationKey, cl.opts.App))
		return err
	})
	if err != nil {
		return err
	}
	present := map[string]bool{}
	for _, id := range data.ChannelIDs {
		present[id] = true
	}
	for _, c := range follow {
		if present[c.id] {
			c.push(resync{})
		} else {
			cl.log.Warn("ari: a call vanished while disconnected (Asterisk restarted?)", "channel", c.id)
			c.lose()
		}
		delete(present, c.id)
	}
	for id := range present {
		cl.mu.Lock()
		known := cl.calls[id] != nil
		cl.mu.Unlock()
		if known {
			continue // an operator leg
		}
		var ch *ari.ChannelData
		err := cl.rest(ctx, func() (err error) { ch, err = cl.ari.Channel().Data(ari.NewKey(ari.ChannelKey, id)); return err })
		if err != nil {
			continue
		}
		if strings.HasPrefix(id, legPrefix+"-") {
			cl.log.Info("ari: hanging up an operator leg whose call is gone", "channel", id)
			cl.rest(ctx, func() error { return ignore404(cl.ari.Channel().Hangup(ari.NewKey(ari.ChannelKey, id), "normal")) })
			continue
		}
		st := cl.savedState(ctx, ari.NewKey(ari.ChannelKey, id))
		cl.log.Info("ari: taking over a call left in Stasis", "channel", id, "saved_state", st != nil)
		cl.start(ctx, id, callerNumber(*ch), st, handle)
	}
	return nil
}

// resync tells a call that events may have been lost.
type resync struct{}

// newID returns a random id for playbacks, bridges and operator legs.
func newID(prefix string) string {
	var b [8]byte
	rand.Read(b[:])
	return prefix + "-" + hex.EncodeToString(b[:])
}

func basicAuth(user, password string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
}
