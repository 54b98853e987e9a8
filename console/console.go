// SPDX-License-Identifier: Apache-2.0

package console

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// Store is what the console reads and keeps; the SQLite store satisfies it.
type Store interface {
	tickets.UserStore
	Ticket(ctx context.Context, code tickets.Code) (*tickets.Ticket, error)
	// HistoryPage returns up to limit history entries of the ticket, oldest
	// first, after the cursor after (0: from the first), and the cursor of
	// the next page, 0 if none.
	HistoryPage(ctx context.Context, code tickets.Code, after int64, limit int) ([]tickets.HistoryEntry, int64, error)
	Attachments(ctx context.Context, code tickets.Code) ([]tickets.Attachment, error)
	// Transcript returns the chat conversation that opened the ticket; none
	// if it came otherwise.
	Transcript(ctx context.Context, code tickets.Code) ([]tickets.ChatLine, error)
	Queue(ctx context.Context, f tickets.QueueFilter) (tickets.QueuePage, error)
	// DeliveryProblems returns, by ticket, the last message to the citizen
	// that did not reach them or may have reached them twice; none for a
	// ticket without such a message. Every ticket's if codes is empty.
	DeliveryProblems(ctx context.Context, codes ...tickets.Code) (map[tickets.Code]tickets.DeliveryProblem, error)
	CountTickets(ctx context.Context) ([]tickets.Count, error)
}

// Service opens and moves tickets under the hotline's rules (tickets.Service).
type Service interface {
	Open(ctx context.Context, n tickets.NewTicket) (*tickets.Ticket, error)
	Move(ctx context.Context, code tickets.Code, c tickets.Change) (*tickets.Ticket, error)
	SetCaseType(ctx context.Context, code tickets.Code, c tickets.CaseTypeChange) (*tickets.Ticket, error)
	Extend(ctx context.Context, code tickets.Code, e tickets.Extension) (*tickets.Ticket, error)
}

// ReportFunc writes the statistics of the days from `from` to `to` (local
// dates, inclusive) in format "csv", "xlsx" or "html" to w. cmd/hotline wires
// it to the reports package. It returns EINVALID for an unknown format.
type ReportFunc func(ctx context.Context, from, to tickets.Date, format string, w io.Writer) error

// Config is what New needs.
type Config struct {
	Store   Store
	Service Service
	Menu    *tickets.Menu
	Log     *slog.Logger
	// Location shows times in Asia/Ho_Chi_Minh; UTC if nil.
	Location *time.Location
	// Now is the clock; time.Now if nil.
	Now func() time.Time
	// Report writes the managers' report downloads; nil hides them.
	Report ReportFunc
	// Archive lists the issued reports for managers to download; nil hides
	// them.
	Archive Archive
	// Download fetches a file a citizen sent through channel, by the
	// channel's file id; it returns ENOTFOUND for a channel it cannot reach.
	// Nil serves no attachments.
	Download func(ctx context.Context, channel tickets.Channel, fileID string) ([]byte, error)
	// Recordings is the folder of call recordings, <name>.wav, looked in
	// first; "" means none there.
	Recordings string
	// RecordingFile fetches a recording that is not in Recordings from where
	// it was made (the Asterisk server); it returns ENOTFOUND if there is no
	// such recording. Nil: only the folder is used.
	RecordingFile func(ctx context.Context, name string) ([]byte, error)
	// VoiceAnswer keeps recorded answers for the phone; nil offers none.
	VoiceAnswer VoiceAnswerFunc
	// PhoneCallback: an answer to a phone ticket calls the citizen back.
	PhoneCallback bool
	// SessionTTL is how long a sign-in lasts; 12 hours if zero.
	SessionTTL time.Duration
	// TrustProxy says a reverse proxy is in front and appends the client's
	// address to X-Forwarded-For; otherwise the peer's address is the
	// client's, and X-Forwarded-For is ignored.
	TrustProxy bool
	// SignInWait is how long a sign-in waits for a password check when all
	// are busy before it is answered 429; 1 second if zero (see guard.go).
	SignInWait time.Duration
	// Notices keeps the users' reminders and e-mail addresses; nil hides
	// the notice list and the address form.
	Notices NoticeStore
}

// Server is the console and the API.
type Server struct {
	cfg   Config
	log   *slog.Logger
	views map[string]*template.Template
	mux   *http.ServeMux
	csrf  *http.CrossOriginProtection
	guard *loginGuard
	// reports bounds the report renderings running at once.
	reports *reportGate
}

//go:embed views/*.html static/*
var assets embed.FS

// pages lists every view; New refuses to start if one is missing.
var pages = []string{"login", "queue", "ticket", "new", "dashboard", "error", "password", "notices", "account"}

// New checks that every view exists and parses, and returns the console.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Service == nil || cfg.Menu == nil {
		return nil, errors.New("console: Store, Service and Menu are required")
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.SignInWait == 0 {
		cfg.SignInWait = time.Second
	}
	s := &Server{cfg: cfg, log: cfg.Log, views: map[string]*template.Template{}, guard: newLoginGuard(cfg.SignInWait), reports: newReportGate()}
	for _, p := range pages {
		t, err := template.New("layout.html").Funcs(s.funcs()).Funcs(s.noticeFuncs()).ParseFS(assets, "views/layout.html", "views/"+p+".html")
		if err != nil {
			return nil, fmt.Errorf("console: view %s: %w", p, err)
		}
		s.views[p] = t
	}
	s.routes()
	s.csrf = http.NewCrossOriginProtection()
	s.csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.log.Warn("console: cross-origin request refused", "method", r.Method, "path", r.URL.Path)
		http.Error(w, "Yêu cầu bị từ chối: gửi từ trang khác.", http.StatusForbidden)
	}))
	return s, nil
}

func (s *Server) routes() {
	m := http.NewServeMux()
	static, _ := fs.Sub(assets, "static")
	m.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	m.HandleFunc("GET /login", s.loginPage)
	m.HandleFunc("POST /login", s.login)
	m.HandleFunc("POST /logout", s.logout)
	m.Handle("GET /password", s.page(s.passwordPage))
	m.Handle("POST /password", s.page(s.changePassword))
	m.Handle("GET /{$}", s.page(s.queue))
	m.Handle("GET /tickets/{code}", s.page(s.ticket))
	m.Handle("POST /tickets/{code}/{action}", s.page(s.move))
	m.Handle("POST /tickets/{code}/contact", s.page(s.contact))
	s.deadlineRoutes(m)
	m.Handle("POST /tickets/{code}/voice-answer", s.page(s.voiceAnswer))
	m.Handle("GET /tickets/{code}/recording", s.page(s.recording))
	m.Handle("GET /tickets/{code}/attachments/{n}", s.page(s.attachment))
	m.Handle("GET /new", s.page(s.newTicketPage))
	m.Handle("POST /new", s.page(s.newTicket))
	m.Handle("GET /dashboard", s.page(s.dashboard))
	m.Handle("GET /reports/{format}", s.page(s.report))
	m.Handle("GET /reports/issued/{n}", s.page(s.issuedReport))
	m.Handle("GET /notices", s.page(s.notices))
	m.Handle("POST /notices/read", s.page(s.readNotices))
	m.Handle("GET /account", s.page(s.accountPage))
	m.Handle("POST /account", s.page(s.setEmail))
	s.apiRoutes(m)
	s.mux = m
}

// ServeHTTP serves the console and the API behind the security headers and
// the cross-origin protection against CSRF.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; media-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	if secure(r) {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	s.csrf.Handler(s.mux).ServeHTTP(w, r)
}

func (s *Server) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Millisecond) }
