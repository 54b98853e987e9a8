// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
	"github.com/hotline-cchc/hotline/cmd/hotline/internal/datalock"
	"github.com/hotline-cchc/hotline/cmd/hotline/internal/secrets"
)

const serveSynopsis = "hotline serve [--config FILE]"

// shutdownGrace is how long requests in flight may take to finish.
const shutdownGrace = 10 * time.Second

// runServe runs the hotline until ctx ends (SIGINT or SIGTERM): the store,
// the HTTP server with /healthz and /metrics, and the channels whose settings
// are present.
func (m *Main) runServe(ctx context.Context, args []string) error {
	fs := newFlagSet("hotline serve", serveSynopsis, m.Stderr)
	path := fs.String("config", "", "config file (default: $HOTLINE_CONFIG, else the embedded default)")
	if pos, err := parseArgs(fs, args); err != nil {
		return handled(err)
	} else if len(pos) > 0 {
		return usagef("serve takes no arguments; usage: %s", serveSynopsis)
	}
	cfg, err := m.loadConfig(*path)
	if err != nil {
		return err
	}
	// One server per data folder: two would both deliver the outbox and
	// run the schedule. CLI commands that write go beside it through
	// SQLite's own locking and do not take this lock.
	lock, err := datalock.Acquire(cfg.Data)
	if err != nil {
		return err
	}
	defer lock.Release()
	a, err := openAppConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	log := newLogger(m.Stderr, a.cfg.Log)
	log.Info("hotline starting", "version", Version, "config", a.cfg.Path(), "database", a.db.Path(),
		"schema_version", a.db.SchemaVersion(), "branches", len(a.cfg.Branches))
	if a.preMigration != nil {
		log.Info("database backed up before its migration", "backup", a.preMigration.Path,
			"schema_version", a.preMigration.Schema)
	}
	for _, p := range m.unknownVariables(a.cfg) {
		log.Warn("environment: "+p.Message, "variable", p.Key)
	}
	ch := channels{phone: a.cfg.ARI.URL != "", telegram: m.hasSecret(secrets.TelegramToken), zalo: m.zaloConfigured(a.cfg)}
	ch.log(log, a.cfg)
	if !ch.phone {
		// With the phone on, startPhone closes them, after it has had the
		// chance to take over calls still in Stasis.
		if err := closeStaleCalls(ctx, a, log); err != nil {
			return err
		}
	}
	stopParts, err := m.startParts(ctx, a, &ch, log)
	defer stopParts()
	if err != nil {
		return err
	}
	return serveHTTP(ctx, a, ch, log)
}

// serveHTTP serves the console, the API, the webhooks, /healthz, /readyz
// and /metrics on http.addr (TLS when configured) until ctx ends, then
// shuts the server down within shutdownGrace.
func serveHTTP(ctx context.Context, a *app, ch channels, log *slog.Logger) error {
	ln, err := net.Listen("tcp", a.cfg.HTTP.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", a.cfg.HTTP.Addr, err)
	}
	if tl, err := tlsListener(ln, a.cfg.TLS); err != nil {
		ln.Close()
		return err
	} else {
		ln = tl
	}
	handler, err := routes(a, ch, log)
	if err != nil {
		ln.Close()
		return err
	}
	srv := newHTTPServer(handler, a.cfg.HTTP, log)
	a.voice.listening(ln.Addr().String())
	log.Info("listening", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("http: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn("http shutdown", "err", err)
	}
	log.Info("stopped")
	return nil
}

// HTTP limits that are not settings: they bound what one anonymous client
// can hold, whatever the province's network.
const (
	readHeaderTimeout = 10 * time.Second
	idleTimeout       = 2 * time.Minute
	maxHeaderBytes    = 64 << 10
)

// newHTTPServer returns the server with every limit set, so that no client,
// slow or hostile, holds a connection or its memory for long: headers within
// readHeaderTimeout, the whole request within http.read_timeout, the
// response within http.write_timeout, an idle keep-alive within idleTimeout.
func newHTTPServer(h http.Handler, c config.HTTP, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       c.ReadTimeout,
		WriteTimeout:      c.WriteTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// routes serves /healthz, /readyz and /metrics, public, and the console and
// the API behind their sign-in, all measured by route.
func routes(a *app, ch channels, log *slog.Logger) (http.Handler, error) {
	con, err := newConsole(a, log)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/", con)
	reg := newRegistry(a.db, a.db.SchemaVersion(), log)
	reg.MustRegister(newOutboxCollector(a, log))
	reg.MustRegister(newSurveyCollector(a.db, log))
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelError)}))
	if a.telegram != nil {
		reg.MustRegister(a.telegram.skippedCounter())
		if a.telegram.webhook != "" {
			mux.Handle("POST "+a.telegram.webhook, a.telegram)
		}
	}
	if a.zalo != nil {
		reg.MustRegister(a.zalo.collectors()...)
		mux.Handle("POST "+a.zalo.path, a.zalo)
	}
	ready := newReadiness(a, ch, log)
	registerChannelUp(reg, ready)
	if err := a.backups.register(reg); err != nil {
		return nil, err
	}
	mux.Handle("GET /readyz", ready)
	if a.voice != nil {
		mux.Handle("GET "+mediaPath+"{name}", serveAnswers(a.voice.dir, log))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		h := health{Status: "ok", Version: Version, SchemaVersion: a.db.SchemaVersion(), Store: "ok",
			Phone: ch.phoneState(), Telegram: "off", Zalo: "off"}
		if a.telegram != nil {
			h.Telegram = a.telegram.State()
		}
		if a.zalo != nil {
			h.Zalo = a.zalo.adapter.State()
		}
		// Liveness: the process serves, so 200 whatever the parts say;
		// /readyz is the one that fails when a part cannot work.
		if err := a.db.Ping(ctx); err != nil {
			log.Error("healthz: store", "err", err)
			h.Store = "unavailable"
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(h)
	})
	return newHTTPMetrics(reg).wrap(mux), nil
}

// storeProbeEvery is how often /readyz may really write to the store; the
// requests in between get the last verdict.
const storeProbeEvery = 5 * time.Second

// newReadiness returns /readyz's checks: the store can commit, and each
// configured channel is connected.
func newReadiness(a *app, ch channels, log *slog.Logger) *readiness {
	r := &readiness{log: log}
	store := &cachedProbe{probe: a.db.ProbeWrite, every: storeProbeEvery, now: time.Now}
	r.add("store", store.check)
	if ch.phone {
		connected := stateCheck(ch.phoneState, "connected")
		r.addChannel("phone", func(ctx context.Context) error {
			if err := connected(ctx); err != nil {
				return err
			}
			return promptsCheck(a.missingPrompts)
		})
	}
	if a.telegram != nil {
		r.addChannel("telegram", stateCheck(a.telegram.State, "polling", "webhook"))
	}
	if a.mail != nil {
		r.addChannel("mail", a.mail.check)
	}
	if a.zalo != nil {
		r.addChannel("zalo", a.zalo.ready)
	}
	r.add("outbox", func(ctx context.Context) error { return outboxReady(ctx, a) })
	if a.backups != nil {
		r.add("backup", a.backups.check)
	}
	return r
}

// promptsCheck fails, naming them, while Asterisk lacks prompts of the menu:
// callers would hear silence where a prompt should play.
func promptsCheck(missing func() []string) error {
	if missing == nil {
		return nil
	}
	if m := missing(); len(m) > 0 {
		return fmt.Errorf("prompts missing on Asterisk (%s): run hotline sounds install", strings.Join(m, ", "))
	}
	return nil
}

// registerChannelUp exports hotline_channel_up{channel}: 1 while a configured
// channel passes its readiness check.
func registerChannelUp(reg prometheus.Registerer, r *readiness) {
	for _, c := range r.checks {
		if !c.channel {
			continue
		}
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "hotline_channel_up", Help: "Whether a configured channel can work (1) or not (0).",
			ConstLabels: prometheus.Labels{"channel": c.name},
		}, func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
			defer cancel()
			if c.check(ctx) != nil {
				return 0
			}
			return 1
		}))
	}
}

// health is the body of /healthz.
type health struct {
	Status        string `json:"status"`
	Version       string `json:"version"`
	SchemaVersion int    `json:"schema_version"`
	Store         string `json:"store"`
	Phone         string `json:"phone"`
	Telegram      string `json:"telegram"`
	Zalo          string `json:"zalo"`
}

// channels says which channels are configured; it is read once at start, so
// that /healthz never waits for the keyring. phoneStatus reports the phone
// channel's connection once it is started.
type channels struct {
	phone, telegram, zalo bool
	phoneStatus           func() string
}

// phoneState is /healthz's phone field: off, starting, connected,
// disconnected or an error.
func (ch channels) phoneState() string {
	switch {
	case !ch.phone:
		return "off"
	case ch.phoneStatus == nil:
		return "starting"
	}
	return ch.phoneStatus()
}

// log tells the operator which channels are on and how to switch on the
// others.
func (ch channels) log(log *slog.Logger, cfg *config.Config) {
	if !ch.phone {
		log.Info("phone channel off: to switch it on, set ari.url (HOTLINE_ARI_URL, e.g. http://127.0.0.1:8088/ari), ari.user (HOTLINE_ARI_USER) and the secret ARI_PASSWORD (hotline secrets set ARI_PASSWORD)")
	}
	if ch.zalo {
		log.Info("zalo channel on", "webhook_path", cfg.Zalo.WebhookPath, "api", cfg.Zalo.API)
	} else {
		log.Info("zalo channel off: to switch it on, set zalo.app_id (HOTLINE_ZALO_APP_ID) and store ZALO_APP_SECRET, ZALO_OA_SECRET_KEY and ZALO_REFRESH_TOKEN with \"hotline secrets set\" (or run hotline zalo authorize)")
	}
	switch {
	case !ch.telegram:
		log.Info("telegram channel off: to switch it on, store the bot token with \"hotline secrets set TELEGRAM_TOKEN\" (or set HOTLINE_TELEGRAM_TOKEN)")
	case cfg.Telegram.WebhookURL != "":
		log.Info("telegram channel on: webhook", "api", cfg.Telegram.API, "webhook_url", cfg.Telegram.WebhookURL,
			"department_chats", len(cfg.Telegram.DepartmentChats))
	default:
		log.Info("telegram channel on: long polling; set telegram.webhook_url (HOTLINE_TELEGRAM_WEBHOOK_URL) for webhook mode",
			"api", cfg.Telegram.API, "department_chats", len(cfg.Telegram.DepartmentChats))
	}
}

// hasSecret reports whether a secret is set, without reading the keyring
// when the environment already answers.
func (m *Main) hasSecret(name string) bool {
	_, _, err := m.secretStore().Lookup(name)
	return err == nil
}

// newLogger returns the slog logger the config asks for, on w.
func newLogger(w io.Writer, c config.Log) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(strings.ToUpper(c.Level))); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
