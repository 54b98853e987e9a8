// SPDX-License-Identifier: Apache-2.0

package zalo

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hotline-cchc/hotline/chatbot"
	"github.com/hotline-cchc/hotline/tickets"
)

// Store is what the adapter keeps: the inbox of webhook events, the OA's
// tokens, and the tickets it reads to deliver an answer as a template
// message. cmd/hotline adapts tickets/sqlite to it.
type Store interface {
	// StoreEvent stores an event under key, committed before it returns;
	// false, storing nothing, if key is already stored.
	StoreEvent(ctx context.Context, key, sender string, body []byte, at time.Time) (int64, bool, error)
	// PendingEvents returns up to limit events not yet handled, oldest first.
	PendingEvents(ctx context.Context, limit int) ([]InboxEvent, error)
	// EventsHandled marks events handled, each with its outcome, in one
	// transaction.
	EventsHandled(ctx context.Context, ids []int64, outcomes []string, at time.Time) error
	// ForgetEvents deletes the handled events received before t.
	ForgetEvents(ctx context.Context, t time.Time) (int64, error)
	// LastMessage returns when user last wrote; false if unknown.
	LastMessage(ctx context.Context, user string) (time.Time, bool, error)
	// LoadToken returns the current tokens; false if none is stored.
	LoadToken(ctx context.Context) (StoredToken, bool, error)
	// SaveToken records a refresh and its tokens in one transaction.
	SaveToken(ctx context.Context, t StoredToken) error
	// Ticket returns the ticket with code; ENOTFOUND if there is none.
	Ticket(ctx context.Context, code tickets.Code) (*tickets.Ticket, error)
	// Attachments returns a ticket's attachments, its shared phone among them.
	Attachments(ctx context.Context, code tickets.Code) ([]tickets.Attachment, error)
}

// InboxEvent is a stored webhook event waiting to be handled.
type InboxEvent struct {
	ID         int64
	Sender     string
	Body       []byte
	ReceivedAt time.Time
}

// StoredToken is a refresh's outcome as stored: the tokens and their expiries.
type StoredToken struct {
	Token
	RefreshExpires time.Time
	CreatedAt      time.Time
	Source         string // refresh, authorize or secret
}

// Config configures an Adapter.
type Config struct {
	Client       *Client
	OAID         string // events for another OA are dropped; "" accepts any
	OASecretKey  string // signs webhook events (with the app secret, tolerated)
	RefreshToken string // the first refresh token, used while the store has none
	// TemplateAnswered is the approved template sent to the citizen's phone
	// when an answer can no longer be a reply; "" for none.
	TemplateAnswered string
	// TemplateReceived is the approved template that tells a phone caller
	// their ticket's code; "" for none.
	TemplateReceived string
	Log              *slog.Logger
	Now              func() time.Time
	// Workers bounds the senders handled at once; 16 if zero.
	Workers int
	// NoLimits drops Zalo's rate limit from Limits: for benchmarks.
	NoLimits bool
}

// Adapter runs a chatbot.Bot on a Zalo OA: the webhook handler stores each
// event in the inbox and answers 200; Run handles the inbox through the bot,
// keeps the tokens fresh and delivers the outbox. It is a chatbot.Sender.
type Adapter struct {
	cfg     Config
	bot     *chatbot.Bot
	store   Store
	log     *slog.Logger
	signers []Signer
	tokens  *tokens
	kick    chan struct{}
	stats   Stats

	matched   sync.Map // signer names already logged
	templated sync.Map // outbox ids delivered by a template message
	state     atomic.Value
}

// Stats counts what the adapter did since start; safe for concurrent use.
type Stats struct {
	Accepted, Duplicates, Handled  atomic.Int64
	Billed, Templates, Undelivered atomic.Int64
	dropMu                         sync.Mutex
	dropped                        map[string]int64
}

// Dropped returns the webhook requests dropped on purpose, by reason.
func (s *Stats) Dropped() map[string]int64 {
	s.dropMu.Lock()
	defer s.dropMu.Unlock()
	m := make(map[string]int64, len(s.dropped))
	for k, v := range s.dropped {
		m[k] = v
	}
	return m
}

func (s *Stats) drop(reason string) {
	s.dropMu.Lock()
	defer s.dropMu.Unlock()
	if s.dropped == nil {
		s.dropped = map[string]int64{}
	}
	s.dropped[reason]++
}

// New returns an adapter for bot on store. It makes no request.
func New(cfg Config, bot *chatbot.Bot, store Store) *Adapter {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 16
	}
	a := &Adapter{cfg: cfg, bot: bot, store: store, log: cfg.Log, kick: make(chan struct{}, 1),
		signers: Signers(cfg.Client.AppID, cfg.OAID, cfg.OASecretKey, cfg.Client.AppSecret)}
	a.tokens = &tokens{c: cfg.Client, store: store, seed: cfg.RefreshToken, now: cfg.Now, log: cfg.Log}
	a.state.Store("starting")
	return a
}

// Stats returns the adapter's counters.
func (a *Adapter) Stats() *Stats { return &a.stats }

// State says what the adapter is doing, for /healthz: starting, running,
// or stopped.
func (a *Adapter) State() string { return a.state.Load().(string) }

// TokenProblem returns why the OA's tokens cannot work or will soon stop:
// the refresh token refused, or expiring within 14 days; nil if they are fine.
func (a *Adapter) TokenProblem() error { return a.tokens.problem() }

// Run handles the inbox, keeps the tokens fresh and delivers the outbox
// until ctx ends; it returns ctx's error once the sends in flight ended.
func (a *Adapter) Run(ctx context.Context) error {
	a.state.Store("running")
	defer a.state.Store("stopped")
	var wg sync.WaitGroup
	wg.Go(func() { a.tokens.keep(ctx) })
	wg.Go(func() { a.runInbox(ctx) })
	err := a.bot.RunOutbox(ctx, a)
	wg.Wait()
	return err
}

// Handler returns the webhook's http.Handler.
func (a *Adapter) Handler() http.Handler { return http.HandlerFunc(a.serveWebhook) }

// Bot returns the bot the adapter runs.
func (a *Adapter) Bot() *chatbot.Bot { return a.bot }
