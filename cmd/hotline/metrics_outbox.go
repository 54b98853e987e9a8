// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hotline-cchc/hotline/chatbot"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

// outboxCollector reports the outbox: what waits, read from the store at
// each scrape, and what this process's deliverers did since start.
type outboxCollector struct {
	db      *sqlite.DB
	bots    map[tickets.Channel]*chatbot.Bot
	log     *slog.Logger
	now     func() time.Time
	pending *prometheus.Desc
	oldest  *prometheus.Desc
	done    *prometheus.Desc
	retries *prometheus.Desc
}

func newOutboxCollector(a *app, log *slog.Logger) *outboxCollector {
	bots := map[tickets.Channel]*chatbot.Bot{}
	if a.telegram != nil {
		bots[tickets.ChannelTelegram] = a.telegram.bot
	}
	if a.mail != nil {
		bots[tickets.ChannelMail] = a.mail.bot
	}
	if a.zalo != nil {
		bots[tickets.ChannelZalo] = a.zalo.bot
	}
	return &outboxCollector{db: a.db, bots: bots, log: log, now: time.Now,
		pending: prometheus.NewDesc("hotline_outbox_pending", "Messages waiting in the outbox (queued or sending), by channel and kind.", []string{"channel", "kind"}, nil),
		oldest:  prometheus.NewDesc("hotline_outbox_oldest_pending_seconds", "Age of the oldest message waiting in the outbox; 0 if none waits.", nil, nil),
		done:    prometheus.NewDesc("hotline_outbox_messages_total", "Outbox messages by outcome since start: sent, failed, expired, and uncertain (found sending after a crash and sent again).", []string{"channel", "outcome"}, nil),
		retries: prometheus.NewDesc("hotline_outbox_retries_total", "Failed outbox attempts that are retried, by channel and error class.", []string{"channel", "class"}, nil),
	}
}

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.pending
	ch <- c.oldest
	ch <- c.done
	ch <- c.retries
}

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	for channel, b := range c.bots {
		n := b.Stats.Counts()
		for outcome, v := range map[string]int64{"sent": n.Sent, "failed": n.Failed, "expired": n.Expired, "uncertain": n.Uncertain} {
			ch <- prometheus.MustNewConstMetric(c.done, prometheus.CounterValue, float64(v), string(channel), outcome)
		}
		for class, v := range n.Retries {
			ch <- prometheus.MustNewConstMetric(c.retries, prometheus.CounterValue, float64(v), string(channel), class)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ps, err := c.db.PendingOutbox(ctx)
	if err != nil {
		c.log.Error("metrics: read outbox", "err", err)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, oldestPending(ps, c.now()).Seconds())
	for _, p := range ps {
		ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, float64(p.N), string(p.Channel), string(p.Kind))
	}
}

// oldestPending returns how long the oldest of ps has waited at now. The
// phone's call-backs are left out: they wait for business hours and hours
// between attempts by design.
func oldestPending(ps []sqlite.PendingCount, now time.Time) time.Duration {
	var age time.Duration
	for _, p := range ps {
		if p.Channel != tickets.ChannelPhone {
			age = max(age, now.Sub(p.Oldest))
		}
	}
	return age
}

// outboxReady is /readyz's check of the outbox: an error naming the age of
// the oldest pending message when it is older than outbox.stale_after.
func outboxReady(ctx context.Context, a *app) error {
	ps, err := a.db.PendingOutbox(ctx)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	if age := oldestPending(ps, time.Now()); age > a.cfg.Outbox.StaleAfter {
		return fmt.Errorf("outbox: the oldest pending message has waited %s (outbox.stale_after %s)",
			age.Truncate(time.Second), a.cfg.Outbox.StaleAfter)
	}
	return nil
}
