// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hotline-cchc/hotline/chatbot"
	"github.com/hotline-cchc/hotline/chatbot/telegram"
	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
	"github.com/hotline-cchc/hotline/cmd/hotline/internal/secrets"
	"github.com/hotline-cchc/hotline/tickets"
)

// telegramChannel is the Telegram bot as serve runs it: it connects in the
// background, retrying while the Bot API cannot be reached, then runs.
type telegramChannel struct {
	bot     *chatbot.Bot // its outbox's counts are in /metrics
	adapter atomic.Pointer[telegram.Adapter]
	state   atomic.Value // string, until the adapter exists
	webhook string       // the path webhook requests come to; "" when polling
}

// State says what the bot is doing, for /healthz.
func (c *telegramChannel) State() string {
	if a := c.adapter.Load(); a != nil {
		return a.State()
	}
	return c.state.Load().(string)
}

// skippedCounter exports how many updates the bot skipped because they could
// not be decoded.
func (c *telegramChannel) skippedCounter() prometheus.Collector {
	return prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "hotline_updates_skipped_total", Help: "Chat updates skipped because they could not be decoded.",
		ConstLabels: prometheus.Labels{"channel": "telegram"},
	}, func() float64 {
		if a := c.adapter.Load(); a != nil {
			return float64(a.Skipped())
		}
		return 0
	})
}

// ServeHTTP receives webhook requests; before the bot runs it answers 503,
// and Telegram sends the update again later.
func (c *telegramChannel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if a := c.adapter.Load(); a != nil {
		a.WebhookHandler().ServeHTTP(w, r)
		return
	}
	http.Error(w, "starting", http.StatusServiceUnavailable)
}

// departmentChats returns, from the config, the recipients of each
// department's new tickets and each chat's department.
func departmentChats(cfg *config.Config) (map[string][]tickets.Recipient, map[string]string) {
	byDept := map[string][]tickets.Recipient{}
	byChat := map[string]string{}
	for dept, chat := range cfg.Telegram.DepartmentChats {
		id := strconv.FormatInt(chat, 10)
		byDept[dept] = append(byDept[dept], tickets.Recipient{Channel: tickets.ChannelTelegram, ID: id})
		byChat[id] = dept
	}
	return byDept, byChat
}

// startTelegram starts the Telegram bot on the store of a: polling, or the
// webhook of the config; stop ends it, letting messages being sent finish.
// It returns an error if the token cannot be read.
func (m *Main) startTelegram(ctx context.Context, a *app, log *slog.Logger) (stop func(), err error) {
	store := m.secretStore()
	token, _, err := store.Lookup(secrets.TelegramToken)
	if err != nil {
		return nil, err
	}
	log = log.With("channel", "telegram")
	var hookSecret string
	if a.cfg.Telegram.WebhookURL != "" {
		// Without a stored secret, a random one is registered with each setWebhook.
		var err error
		if hookSecret, _, err = store.Lookup(secrets.TelegramWebhookSecret); err != nil && !errors.Is(err, secrets.ErrNotSet) {
			log.Warn("telegram: webhook secret unreadable; using a random one for this run", "err", err)
		}
	}
	_, byChat := departmentChats(a.cfg)
	bot := &chatbot.Bot{Channel: tickets.ChannelTelegram, Store: a.db, Tickets: a.svc, Menu: a.menu, Calendar: a.cal,
		Departments: byChat, Log: log, DraftTTL: a.cfg.Telegram.DraftTTL,
		SendTimeout: a.cfg.Outbox.SendTimeout, GiveUpAfter: a.cfg.Outbox.GiveUpAfter}
	cfg := telegram.Config{Token: token, API: a.cfg.Telegram.API, Log: log,
		WebhookURL: a.cfg.Telegram.WebhookURL, WebhookSecret: hookSecret}
	if a.cfg.Survey.Enabled {
		bot.Surveys = a.svc
	}
	c := &telegramChannel{bot: bot}
	c.state.Store("starting")
	if cfg.WebhookURL != "" {
		u, err := url.Parse(cfg.WebhookURL)
		if err != nil {
			return nil, fmt.Errorf("telegram webhook url: %w", err)
		}
		c.webhook = u.Path
	}
	a.telegram = c
	life, endLife := context.WithCancel(context.WithoutCancel(ctx))
	run, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		m.runTelegram(run, life, c, cfg, bot, log)
	}()
	// A graceful stop waits for the sends in flight, each bounded by
	// outbox.send_timeout, and their records: a message cut off here could
	// reach its chat unrecorded and be sent again after the restart.
	return func() {
		awaitSends(a, cancel, done, log, "telegram")
		endLife()
	}, nil
}

// runTelegram connects, retrying with a growing pause, then runs the bot
// until run ends. Requests are bounded by life, which outlives run so that
// messages being sent at shutdown finish.
func (m *Main) runTelegram(run, life context.Context, c *telegramChannel, cfg telegram.Config, bot *chatbot.Bot, log *slog.Logger) {
	wait := time.Second
	for {
		ad, err := telegram.New(life, cfg, bot)
		if err == nil {
			c.adapter.Store(ad)
			log.Info("telegram bot connected", "bot", "@"+ad.Username(), "mode", telegramMode(cfg))
			if err := ad.Run(run); err != nil {
				log.Error("telegram bot stopped", "err", err)
			}
			return
		}
		c.state.Store("error: " + err.Error())
		log.Error("telegram: cannot reach the Bot API; retrying", "err", err, "retry_in", wait)
		select {
		case <-run.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Minute)
	}
}

func telegramMode(cfg telegram.Config) string {
	if cfg.WebhookURL != "" {
		return "webhook"
	}
	return "polling"
}

// awaitSends stops a channel's deliverer (cancel) and waits for its sends in
// flight, each bounded by outbox.send_timeout, and their records, up to that
// plus shutdownGrace: a message cut off here could reach its recipient
// unrecorded and be sent again after the restart (counted uncertain).
func awaitSends(a *app, cancel func(), done <-chan struct{}, log *slog.Logger, channel string) {
	cancel()
	select {
	case <-done:
	case <-time.After(a.cfg.Outbox.SendTimeout + shutdownGrace):
		log.Warn(channel + ": still sending at shutdown; giving up (the message is sent again at the next start, counted uncertain)")
	}
}
