// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// readyCheck is one part of /readyz: nil when the part can do its work.
type readyCheck struct {
	name    string
	check   func(ctx context.Context) error
	channel bool // a chat or phone channel, exported as hotline_channel_up
}

// readiness answers /readyz: 200 when every configured part can work, 503
// naming the parts that cannot. Liveness stays with /healthz, which answers
// 200 while the process serves, so that an orchestrator restarts hotline
// only when it is stuck, not when Telegram is down.
type readiness struct {
	checks []readyCheck
	log    *slog.Logger
}

// add appends a check; parts that are not configured are not added.
func (r *readiness) add(name string, check func(ctx context.Context) error) {
	r.checks = append(r.checks, readyCheck{name: name, check: check})
}

// addChannel appends the check of a channel, also exported as
// hotline_channel_up.
func (r *readiness) addChannel(name string, check func(ctx context.Context) error) {
	r.checks = append(r.checks, readyCheck{name: name, check: check, channel: true})
}

// readyTimeout bounds each check, so that /readyz answers even when a part
// hangs.
const readyTimeout = 2 * time.Second

// run runs every check in parallel and returns each part's verdict, "ok" or
// the reason it cannot work.
func (r *readiness) run(ctx context.Context) (parts map[string]string, ok bool) {
	parts = make(map[string]string, len(r.checks))
	var mu sync.Mutex
	var wg sync.WaitGroup
	ok = true
	for _, c := range r.checks {
		wg.Go(func() {
			cctx, cancel := context.WithTimeout(ctx, readyTimeout)
			defer cancel()
			verdict := "ok"
			if err := c.check(cctx); err != nil {
				verdict = err.Error()
			}
			mu.Lock()
			defer mu.Unlock()
			parts[c.name] = verdict
			ok = ok && verdict == "ok"
		})
	}
	wg.Wait()
	return parts, ok
}

func (r *readiness) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	parts, ok := r.run(req.Context())
	body := struct {
		Status string            `json:"status"`
		Parts  map[string]string `json:"parts"`
	}{"ready", parts}
	code := http.StatusOK
	if !ok {
		body.Status, code = "not ready", http.StatusServiceUnavailable
		r.log.Warn("readyz: not ready", "parts", parts)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(body)
}

// cachedProbe runs an expensive check at most once per every: callers in
// between share the last verdict, and concurrent callers share one run, so
// that /readyz polled often never turns into a write load.
type cachedProbe struct {
	probe func(ctx context.Context) error
	every time.Duration
	now   func() time.Time

	mu   sync.Mutex
	at   time.Time
	last error
}

func (p *cachedProbe) check(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.at.IsZero() && p.now().Sub(p.at) < p.every {
		return p.last
	}
	p.last, p.at = p.probe(ctx), p.now()
	return p.last
}

// stateCheck returns a check that passes while state() is one of good and
// otherwise fails with the state as its reason.
func stateCheck(state func() string, good ...string) func(context.Context) error {
	return func(context.Context) error {
		s := state()
		for _, g := range good {
			if s == g {
				return nil
			}
		}
		return errors.New(s)
	}
}
