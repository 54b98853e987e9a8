// SPDX-License-Identifier: Apache-2.0

// Package telegram adapts the channel-neutral chat bot (package chatbot) to
// the Telegram Bot API through go-telegram-bot-api/v5: long polling or a
// webhook with its secret token, the bot's commands, delivery of the outbox
// with Telegram's limits and errors, and file downloads. The API's base URL
// and the *http.Client are injectable, for a self-hosted Bot API server and
// for tests (chatbot/telegramtest).
//
// The bot token is part of every Bot API URL (/bot<token>/method): every
// error this package returns or logs has it redacted.
//
// It may import chatbot, tickets, the standard library and the Bot API
// client library.
package telegram

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/hotline-cchc/hotline/chatbot"
)

// DefaultAPI is the public Bot API's base URL.
const DefaultAPI = "https://api.telegram.org"

// Config configures an Adapter.
type Config struct {
	Token string // the bot token from @BotFather; a secret
	API   string // Bot API base URL; DefaultAPI if empty
	// Client makes the HTTP requests; nil: a client whose timeout covers a
	// long poll.
	Client *http.Client
	Log    *slog.Logger
	// PollTimeout is how long one getUpdates waits for an update; 50s if zero.
	PollTimeout time.Duration
	// WebhookURL, if set, switches from long polling to a webhook at this
	// public HTTPS URL, which must reach Adapter.WebhookHandler.
	WebhookURL string
	// WebhookSecret is checked against the X-Telegram-Bot-Api-Secret-Token
	// header of each webhook request; empty: a random one per start.
	WebhookSecret string
	// NoLimits drops the Bot API's rate limits from Limits: for a
	// self-hosted Bot API server without them, and benchmarks.
	NoLimits bool
}

// Adapter runs a chatbot.Bot on Telegram. It is a chatbot.Sender.
type Adapter struct {
	bot    *chatbot.Bot
	api    *tgbotapi.BotAPI
	cfg    Config
	log    *slog.Logger
	client *http.Client
	ctx    context.Context // bounds every request of the client library
	// pollCtx, if set, bounds getUpdates instead: a long poll ends at once
	// when receiving stops, while sends in flight finish.
	pollCtx atomic.Pointer[context.Context]
	state   atomic.Value // string, see State
	skipped atomic.Int64 // updates that could not be decoded, see Skipped
	// skippedUpTo is past the last update Poll skipped, so that one fetched
	// again is not counted again; Poll's goroutine only.
	skippedUpTo int64
}

// New connects to the Bot API (getMe) and returns an adapter for bot. Every
// request the adapter makes ends when ctx ends; cancel it after Run has
// returned, so that messages being sent at shutdown are not cut off. It returns an error, with
// the token redacted, if the API cannot be reached or refuses the token.
func New(ctx context.Context, cfg Config, bot *chatbot.Bot) (*Adapter, error) {
	if cfg.API == "" {
		cfg.API = DefaultAPI
	}
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = 50 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Client == nil {
		// One host takes every request: keep a connection per concurrent
		// send, not the default transport's 2 (a new TCP and TLS handshake
		// for most sends of a busy outbox).
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 128
		cfg.Client = &http.Client{Timeout: cfg.PollTimeout + 20*time.Second, Transport: t}
	}
	if cfg.WebhookURL != "" && cfg.WebhookSecret == "" {
		b := make([]byte, 32)
		rand.Read(b)
		cfg.WebhookSecret = hex.EncodeToString(b)
	}
	a := &Adapter{bot: bot, cfg: cfg, log: cfg.Log, client: cfg.Client, ctx: ctx}
	a.state.Store("starting")
	endpoint := strings.TrimRight(strings.ReplaceAll(cfg.API, "%", "%%"), "/") + "/bot%s/%s"
	api, err := tgbotapi.NewBotAPIWithClient(cfg.Token, endpoint, ctxClient{a: a})
	if err != nil {
		err = a.classify(err)
		a.state.Store("error: " + err.Error())
		return nil, fmt.Errorf("telegram: connect: %w", err)
	}
	a.api = api
	return a, nil
}

// ctxClient gives the library's context-free requests the adapter's
// context, or ctx if set (a send with its own timeout).
type ctxClient struct {
	a      *Adapter
	ctx    context.Context
	status *int // if set, the HTTP status of the answer is kept here
}

func (c ctxClient) Do(req *http.Request) (*http.Response, error) {
	ctx := c.a.ctx
	if c.ctx != nil {
		ctx = c.ctx
	} else if p := c.a.pollCtx.Load(); p != nil && strings.HasSuffix(req.URL.Path, "/getUpdates") {
		ctx = *p
	}
	resp, err := c.a.client.Do(req.WithContext(ctx))
	if err == nil && c.status != nil {
		*c.status = resp.StatusCode
	}
	if err == nil && resp.StatusCode >= 500 && !isJSON(resp) {
		// A proxy's or a load balancer's error page: the library would
		// report it as a JSON error with code 0, losing the status.
		resp.Body.Close()
		return nil, fmt.Errorf("telegram %s: %w", resp.Status, chatbot.ErrUnavailable)
	}
	return resp, err
}

func isJSON(resp *http.Response) bool {
	return strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json")
}

// Username returns the bot's @username.
func (a *Adapter) Username() string { return a.api.Self.UserName }

// State says what the adapter is doing, for /healthz: "starting",
// "polling", "webhook", "stopped" or "error: …" (redacted).
func (a *Adapter) State() string { return a.state.Load().(string) }

// Run sets the bot's commands, then receives updates — by webhook if
// configured, else by long polling — and delivers the outbox, until ctx
// ends. It returns nil when ctx ends, or the error that stopped it.
func (a *Adapter) Run(ctx context.Context) error {
	if err := a.SetCommands(ctx); err != nil {
		a.log.Warn("telegram: set commands", "err", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.bot.RunOutbox(ctx, a)
	}()
	var err error
	if a.cfg.WebhookURL != "" {
		err = a.runWebhook(ctx)
	} else {
		err = a.Poll(ctx)
	}
	<-done
	if ctx.Err() != nil {
		a.state.Store("stopped")
		return nil
	}
	return err
}

// commands are the bot's commands as setMyCommands shows them.
var commands = []tgbotapi.BotCommand{
	{Command: "start", Description: "Gửi phản ánh, kiến nghị mới"},
	{Command: "status", Description: "Tra cứu tình trạng phiếu theo mã"},
	{Command: "cancel", Description: "Hủy phản ánh đang soạn"},
	{Command: "help", Description: "Hướng dẫn sử dụng"},
}

// SetCommands registers the bot's commands with setMyCommands.
func (a *Adapter) SetCommands(ctx context.Context) error {
	_, err := a.api.Request(tgbotapi.NewSetMyCommands(commands...))
	return a.classify(err)
}

// classify maps a client library error to chatbot's delivery errors, with
// the token redacted: 429 → *chatbot.RetryError, 403 → chatbot.ErrBlocked,
// other 4xx but 401, 404 and 409 → chatbot.ErrRejected, 5xx →
// chatbot.ErrUnavailable, a timeout → context.DeadlineExceeded;
// "message is not modified" is no error.
func (a *Adapter) classify(err error) error {
	if err == nil {
		return nil
	}
	var te *tgbotapi.Error
	if !errors.As(err, &te) {
		switch {
		case errors.Is(err, chatbot.ErrUnavailable):
			return err
		case errors.Is(err, context.DeadlineExceeded):
			return fmt.Errorf("telegram: %s: %w", a.redact(err.Error()), context.DeadlineExceeded)
		case errors.Is(err, context.Canceled):
			return context.Canceled
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return fmt.Errorf("telegram: %s: %w", a.redact(err.Error()), context.DeadlineExceeded)
		}
		return errors.New(a.redact(err.Error()))
	}
	msg := a.redact(te.Message)
	switch {
	case te.Code == http.StatusTooManyRequests || te.RetryAfter > 0:
		return &chatbot.RetryError{After: time.Duration(max(1, te.RetryAfter)) * time.Second, Err: fmt.Errorf("telegram %d: %s", te.Code, msg)}
	case te.Code == http.StatusForbidden:
		return fmt.Errorf("telegram 403: %s: %w", msg, chatbot.ErrBlocked)
	case te.Code == http.StatusBadRequest && strings.Contains(msg, "message is not modified"):
		return nil
	case te.Code >= 400 && te.Code < 500 && te.Code != http.StatusUnauthorized && te.Code != http.StatusConflict && te.Code != http.StatusNotFound:
		return fmt.Errorf("telegram %d: %s: %w", te.Code, msg, chatbot.ErrRejected)
	case te.Code >= 500:
		return fmt.Errorf("telegram %d: %s: %w", te.Code, msg, chatbot.ErrUnavailable)
	}
	return fmt.Errorf("telegram %d: %s", te.Code, msg)
}

// redact removes the token from s.
func (a *Adapter) redact(s string) string {
	if a.cfg.Token == "" {
		return s
	}
	return strings.ReplaceAll(s, a.cfg.Token, "<token>")
}
