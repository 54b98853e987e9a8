// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"
)

// startParts starts the configured channels and the schedules: Telegram,
// Zalo, mail, reminders, reports, backups and the phone. The returned stop
// (never nil, also on an error) stops what was started, the last first.
func (m *Main) startParts(ctx context.Context, a *app, ch *channels, log *slog.Logger) (stop func(), err error) {
	var stops []func()
	stop = func() {
		for _, s := range slices.Backward(stops) {
			s()
		}
	}
	add := func(s func(), err error) error {
		if s != nil && err == nil {
			stops = append(stops, s)
		}
		return err
	}
	if ch.telegram {
		if err := add(m.startTelegram(ctx, a, log)); err != nil {
			return stop, fmt.Errorf("telegram: %w", err)
		}
	}
	if ch.zalo {
		if err := add(m.startZalo(ctx, a, log)); err != nil {
			return stop, fmt.Errorf("zalo: %w", err)
		}
	}
	for _, start := range []func() (func(), error){
		func() (func(), error) { return m.startMail(ctx, a, log) },
		func() (func(), error) { return m.startReminders(ctx, a, log) },
		func() (func(), error) { return m.startReports(ctx, a, log) },
		func() (func(), error) { return a.startBackups(log) },
	} {
		if err := add(start()); err != nil {
			return stop, err
		}
	}
	a.voice = newAnswerVoice(a)
	if ch.phone {
		status, stopPhone, err := m.startPhone(ctx, a, log)
		if err != nil {
			log.Error("phone channel not started", "err", err)
			ch.phoneStatus = func() string { return "error: not started" }
		} else {
			stops = append(stops, stopPhone)
			ch.phoneStatus = status
		}
	}
	return stop, nil
}

// closeStaleCalls ends the calls a run that died left active. The data
// folder's lock makes it safe: no other server is handling calls.
func closeStaleCalls(ctx context.Context, a *app, log *slog.Logger) error {
	n, err := a.db.CloseStaleCalls(ctx, time.Now())
	if err != nil {
		return fmt.Errorf("close calls left active: %w", err)
	}
	if n > 0 {
		log.Warn("calls left active by an earlier run closed as a fault (those still up are taken over)", "calls", n)
	}
	return nil
}
