// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hotline-cchc/hotline/chatbot"
	"github.com/hotline-cchc/hotline/chatbot/zalo"
	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
	"github.com/hotline-cchc/hotline/cmd/hotline/internal/secrets"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

// zaloChannel is the Zalo OA channel as serve runs it.
type zaloChannel struct {
	bot     *chatbot.Bot // its outbox's counts are in /metrics
	adapter *zalo.Adapter
	path    string // the webhook's path
}

// zaloConfigured reports whether serve runs the Zalo channel: the app id
// and the secrets that sign and authorise are set.
func (m *Main) zaloConfigured(cfg *config.Config) bool {
	return cfg.Zalo.AppID != "" && m.hasSecret(secrets.ZaloAppSecret) && m.hasSecret(secrets.ZaloOASecretKey)
}

// zaloClient returns the OA API client of the config.
func zaloClient(cfg *config.Config, appSecret string) *zalo.Client {
	z := cfg.Zalo
	return &zalo.Client{AppID: z.AppID, AppSecret: appSecret, API: z.API, OAuth: z.OAuth, Business: z.Business}
}

// startZalo starts the Zalo channel on the store of a; stop ends it,
// letting messages being sent finish. It returns an error if a secret
// cannot be read.
func (m *Main) startZalo(ctx context.Context, a *app, log *slog.Logger) (stop func(), err error) {
	store := m.secretStore()
	appSecret, _, err := store.Lookup(secrets.ZaloAppSecret)
	if err != nil {
		return nil, err
	}
	oaKey, _, err := store.Lookup(secrets.ZaloOASecretKey)
	if err != nil {
		return nil, err
	}
	refresh, _, _ := store.Lookup(secrets.ZaloRefreshToken) // optional once the database holds one
	log = log.With("channel", "zalo")
	bot := &chatbot.Bot{Channel: tickets.ChannelZalo, Store: a.db, Tickets: a.svc, Menu: a.menu, Calendar: a.cal,
		Log: log, DraftTTL: a.cfg.Telegram.DraftTTL, GreetFirst: true, SayNotices: true,
		SendTimeout: a.cfg.Outbox.SendTimeout, GiveUpAfter: a.cfg.Outbox.GiveUpAfter}
	if a.cfg.Survey.Enabled {
		bot.Surveys = a.svc // the five levels as buttons under the resolution, as in Telegram
	}
	ad := zalo.New(zalo.Config{Client: zaloClient(a.cfg, appSecret), OAID: a.cfg.Zalo.OAID, OASecretKey: oaKey,
		RefreshToken: refresh, TemplateAnswered: a.cfg.Zalo.TemplateAnswered,
		TemplateReceived: a.cfg.Zalo.TemplateReceived, Log: log}, bot, zaloStore{a.db})
	a.zalo = &zaloChannel{bot: bot, adapter: ad, path: a.cfg.Zalo.WebhookPath}
	life, endLife := context.WithCancel(context.WithoutCancel(ctx))
	run, cancel := context.WithCancel(life)
	done := make(chan struct{})
	go func() {
		defer close(done)
		ad.Run(run)
	}()
	return func() {
		awaitSends(a, cancel, done, log, "zalo")
		endLife()
	}, nil
}

// ServeHTTP receives the webhook's events.
func (c *zaloChannel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.adapter.Handler().ServeHTTP(w, r)
}

// ready is the channel's readiness: running, with tokens that work and a
// refresh token with more than 14 days left.
func (c *zaloChannel) ready(ctx context.Context) error {
	if err := stateCheck(c.adapter.State, "running")(ctx); err != nil {
		return err
	}
	return c.adapter.TokenProblem()
}

// collectors export the channel's counters.
func (c *zaloChannel) collectors() []prometheus.Collector {
	s := c.adapter.Stats()
	counter := func(name, help string, f func() int64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help,
			ConstLabels: prometheus.Labels{"channel": "zalo"}}, func() float64 { return float64(f()) })
	}
	return []prometheus.Collector{
		counter("hotline_zalo_events_total", "Zalo webhook events stored in the inbox.", s.Accepted.Load),
		counter("hotline_zalo_events_duplicate_total", "Zalo webhook events delivered again and ignored.", s.Duplicates.Load),
		counter("hotline_zalo_billed_replies_total", "Replies sent 48 hours to 7 days after the citizen's last message (billed by Zalo).", s.Billed.Load),
		counter("hotline_zalo_templates_total", "Answers sent as template messages to the citizen's phone number.", s.Templates.Load),
		counter("hotline_zalo_undeliverable_total", "Answers that could reach the citizen neither as a reply nor as a template.", s.Undelivered.Load),
		&droppedCollector{s: s, desc: prometheus.NewDesc("hotline_zalo_events_dropped_total",
			"Zalo webhook requests dropped on purpose, by reason.", []string{"reason"}, prometheus.Labels{"channel": "zalo"})},
	}
}

// droppedCollector exports the dropped webhook requests by reason.
type droppedCollector struct {
	s    *zalo.Stats
	desc *prometheus.Desc
}

func (d *droppedCollector) Describe(ch chan<- *prometheus.Desc) { ch <- d.desc }

func (d *droppedCollector) Collect(ch chan<- prometheus.Metric) {
	for reason, n := range d.s.Dropped() {
		ch <- prometheus.MustNewConstMetric(d.desc, prometheus.CounterValue, float64(n), reason)
	}
}

// zaloStore adapts the SQLite store to the adapter's Store.
type zaloStore struct{ *sqlite.DB }

func (s zaloStore) PendingEvents(ctx context.Context, limit int) ([]zalo.InboxEvent, error) {
	es, err := s.DB.PendingEvents(ctx, limit)
	out := make([]zalo.InboxEvent, len(es))
	for i, e := range es {
		out[i] = zalo.InboxEvent(e)
	}
	return out, err
}

func (s zaloStore) LoadToken(ctx context.Context) (zalo.StoredToken, bool, error) {
	t, ok, err := s.DB.ZaloToken(ctx)
	return zalo.StoredToken{Token: zalo.Token{Access: t.Access, Refresh: t.Refresh, Expires: t.Expires},
		RefreshExpires: t.RefreshExpires, CreatedAt: t.CreatedAt, Source: t.Source}, ok, err
}

func (s zaloStore) SaveToken(ctx context.Context, t zalo.StoredToken) error {
	return s.DB.SaveZaloToken(ctx, sqlite.ZaloToken{Access: t.Access, Refresh: t.Refresh, Expires: t.Expires,
		RefreshExpires: t.RefreshExpires, CreatedAt: t.CreatedAt, Source: t.Source})
}
