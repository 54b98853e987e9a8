// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"log/slog"

	"github.com/hotline-cchc/hotline/ivr"
	"github.com/hotline-cchc/hotline/ivr/asterisk"
)

// phoneFlow is serve's call flow: flowConfig's, playing answers and
// offering the survey (survey.enabled).
func phoneFlow(a *app, log *slog.Logger) *ivr.Flow {
	fc := flowConfig(a)
	if a.voice != nil {
		fc.Answers = a.voice
	}
	if a.cfg.Survey.Enabled {
		fc.Surveys = a.svc
	}
	return ivr.New(fc, a.svc, a.db, log)
}

// startCallbacks runs the phone call-backs (callback.*) over client until
// ctx ends; the returned channel is closed once they have stopped. With
// callback.endpoint empty it starts nothing.
func startCallbacks(ctx context.Context, a *app, client *asterisk.Client, flow *ivr.Flow, log *slog.Logger) <-chan struct{} {
	done := make(chan struct{})
	c := a.cfg.Callback
	if c.Endpoint == "" {
		close(done)
		return done
	}
	cb := &ivr.Callbacks{Flow: flow, Store: a.db, Phone: client, Endpoint: c.Endpoint, CallerID: c.CallerID,
		Attempts: c.Attempts, Interval: c.Interval, Log: log.With("part", "callback")}
	go func() {
		defer close(done)
		cb.Run(ctx)
	}()
	log.Info("phone call-backs on", "endpoint", c.Endpoint, "attempts", c.Attempts, "interval", c.Interval)
	return done
}
