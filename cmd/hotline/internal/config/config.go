// SPDX-License-Identifier: Apache-2.0

// Package config reads hotline's settings: a TOML file laid over an embedded
// default (default.toml), then HOTLINE_* environment variables, which win. Load
// reports every problem it finds at once, each with its file and line or the
// variable that caused it, so that `hotline config check` can list them all.
// A loaded Config converts into the domain's Menu and Calendar.
//
// Secrets (the ARI password, the Telegram token) are not settings: they are
// looked up elsewhere, and a config file that holds one is rejected.
//
// The package may import only the standard library, the TOML library, the
// cron library (to check the reports' schedule as the scheduler will read
// it) and tickets; it never reads the process environment itself (Load is
// given a getenv function).
package config

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"
	_ "time/tzdata" // the time zone must load on hosts without a zoneinfo database

	"github.com/hotline-cchc/hotline/tickets"
)

//go:embed default.toml
var defaultTOML []byte

// Embedded is what Path returns, and what problems name as their file, for the
// configuration compiled into the binary.
const Embedded = "(embedded default)"

// Config is the effective configuration. Load returns only valid ones; a
// Config built by hand is checked by nothing but Menu and Calendar.
type Config struct {
	Data      string // data folder: the SQLite database and recordings
	TimeZone  string // IANA time zone of the province, e.g. "Asia/Ho_Chi_Minh"
	HTTP      HTTP
	Log       Log
	ARI       ARI
	Telegram  Telegram
	Zalo      Zalo
	Reports   Reports
	Outbox    Outbox
	Survey    Survey
	Callback  Callback
	Backup    Backup
	TLS       TLS
	Mail      Mail
	Reminders Reminders

	// Hours are the business hours, indexed by time.Weekday; an empty day is closed.
	Hours [7][]tickets.Span
	// Holidays are the public holidays: days off for civil servants, Tết included.
	Holidays []tickets.Date
	// Workdays are weekend days worked in exchange for a swapped day off
	// (ngày làm bù): working days for deadlines, with business hours.
	Workdays    []tickets.Date
	Departments []tickets.Department // in file order
	Branches    []tickets.Branch     // in file order; environment additions last
	// CaseTypes are the kinds of case with their legal time limits; the
	// first is the default of a branch that names none.
	CaseTypes []tickets.CaseType
	// DepartmentChanges are renames and merges of the config form; those
	// recorded by "hotline departments" live in the store.
	DepartmentChanges []tickets.DepartmentChange

	path    string
	origins map[string]origin // key path → where its value came from
}

// HTTP configures the web console, the API, /healthz and /metrics.
type HTTP struct {
	Addr string // host:port to listen on
	// ReadTimeout bounds reading one request, body included, so that a
	// client trickling a body cannot hold a connection open.
	ReadTimeout time.Duration
	// WriteTimeout bounds writing one response: long enough for the biggest
	// download (a year's XLSX report, a long recording).
	WriteTimeout time.Duration
	// TrustProxy: a reverse proxy in front appends the client's address to
	// X-Forwarded-For, whose last address the sign-in limits count.
	TrustProxy bool
}

// Log configures the structured log.
type Log struct {
	Level  string // debug, info, warn or error
	Format string // text or json
}

// ARI configures the phone channel (Asterisk REST Interface). The password is
// a secret, not a setting.
type ARI struct {
	URL              string        // e.g. http://127.0.0.1:8088/ari; empty turns the phone channel off
	User             string        // ARI user
	App              string        // Stasis application name
	OperatorEndpoint string        // dial string of the operators, e.g. PJSIP/operator; empty: no key 0
	OperatorTimeout  time.Duration // how long an operator may ring
	MaxRecording     time.Duration // longest recorded message
	DigitTimeout     time.Duration // how long the menu waits for a key
	MenuAttempts     int           // how many times a wrong key is allowed before hanging up
	SilenceBefore    time.Duration // silence from the beep that ends a recording without speech
	SilenceAfter     time.Duration // silence after speech that ends a recording
	MinSpeech        time.Duration // least speech (judged from the audio) that makes a message
	RecordingNotice  bool          // tell the caller before recording that the message is recorded
	NoticeText       string        // the notice's words, spoken by `hotline sounds generate`; empty: the manifest's
	SoundsDir        string        // prompts made by `hotline sounds generate`; empty: the embedded ones
}

// Telegram configures the Telegram bot. The token is a secret, not a setting.
type Telegram struct {
	API        string // Bot API base URL; a self-hosted Bot API server may replace it
	WebhookURL string // public HTTPS URL for webhook mode; empty: long polling
	// DepartmentChats maps a department id to the chat (a group) that gets
	// each new ticket of the department, with buttons to take or resolve it.
	DepartmentChats map[string]int64
	// DraftTTL is how long a conversation left in the middle is kept: after
	// it, the draft is discarded and the citizen starts again.
	DraftTTL time.Duration
}

// Zalo configures the Zalo Official Account channel. The app secret, the OA
// secret key and the first refresh token are secrets, not settings; the
// channel runs when AppID is set and those secrets are stored.
type Zalo struct {
	AppID       string // the Zalo app's id (developers.zalo.me)
	OAID        string // the Official Account's id: events for another OA are dropped
	WebhookPath string // the path of hotline's HTTP server Zalo POSTs events to
	API         string // base URL of the OA API (messages, uploads)
	OAuth       string // base URL of the OAuth v4 token API
	Business    string // base URL of the template message (ZNS/ZBS) API
	// TemplateReceived and TemplateAnswered are approved template ids: a
	// phone caller's code after the call, and an answer that can no longer
	// be sent as a reply; empty: not sent.
	TemplateReceived string
	TemplateAnswered string
}

// Outbox configures the delivery of answers, notices and reports on every
// chat channel.
type Outbox struct {
	SendTimeout time.Duration // bounds one send
	GiveUpAfter time.Duration // a message still failing with transient errors that long after it was queued expires
	StaleAfter  time.Duration // /readyz fails while the oldest pending message is older
}

// Survey configures the satisfaction survey offered on every channel after
// a ticket is resolved.
type Survey struct {
	Enabled bool    // offer the survey; false: no channel asks
	Target  float64 // the satisfaction rate the province aims at, 0–1 (seed 004: 0.8)
}

// Callback configures how the phone plays answers and calls citizens back.
type Callback struct {
	// Endpoint is the dial string of a call-back with {number}, e.g.
	// PJSIP/{number}@trunk; empty: no call-back.
	Endpoint string
	CallerID string        // the number the citizen sees
	Attempts int           // calls per answer before giving up
	Interval time.Duration // between two calls of one answer, counted in business hours
	// MediaURL is the base URL at which Asterisk reaches hotline's HTTP
	// server for the answers' audio (/media/answers/…); "" is http://
	// http.addr, with 127.0.0.1 for an unspecified host.
	MediaURL string
}

// Reports configures the monthly report: when it is made, in which time zone
// months begin, its format, and the managers' Telegram chats it is sent to.
type Reports struct {
	Schedule string  // cron spec, five fields: minute hour day-of-month month day-of-week
	TimeZone string  // IANA time zone of the schedule and of month boundaries; "" is the top-level time_zone
	Format   string  // text, csv, xlsx or html
	Chats    []int64 // managers' Telegram chat ids; not secrets
}

// Backup configures scheduled backups: a cron spec ("" for none), the folder
// ("" for <data>/backups) and how many scheduled backups are kept.
type Backup struct {
	Schedule, Dir string
	Keep          int
}

// TLS names the certificate and key files hotline serves HTTPS with; both
// empty: plain HTTP (behind a reverse proxy).
type TLS struct{ CertFile, KeyFile string }

// ReportsLocation returns the time zone of the report schedule: reports.time_zone,
// or the province's time_zone if that is empty. It cannot fail on a Config
// from Load.
func (c *Config) ReportsLocation() (*time.Location, error) {
	tz := c.Reports.TimeZone
	if tz == "" {
		tz = c.TimeZone
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, fmt.Errorf("config reports: %w", err)
	}
	return loc, nil
}

// origin is where a value came from: a file and line, or a variable.
type origin struct {
	file string
	line int
	env  string
}

// Load returns the configuration: the embedded default, then the file at path
// (none if path is ""), then the HOTLINE_* variables that getenv returns (none
// if getenv is nil), then validation.
//
// The file is laid over the default key by key: a key it leaves out keeps its
// default, and each day of [hours] is its own key. Lists are replaced whole:
// a file with any [[departments]], [[branches]] or holidays replaces the
// default ones rather than adding to them.
//
// A variable that is empty counts as unset, since getenv cannot tell them
// apart: to clear a key from the environment, set it to a blank (" "); a
// day's hours also take "closed".
//
// Load returns a wrapped I/O error if the file cannot be read (errors.Is
// fs.ErrNotExist works), and a *Problems listing every problem found if
// anything is wrong in the file, the default or the environment.
func Load(path string, getenv func(string) string) (*Config, error) {
	c := &Config{origins: map[string]origin{}}
	l := &loader{c: c}
	l.layer(Embedded, defaultTOML)
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read config: %w", err)
		}
		c.path = path
		l.layer(path, data)
	}
	if getenv != nil {
		l.environment(getenv)
	}
	l.validate()
	if len(l.problems) > 0 {
		return nil, newProblems(l.problems)
	}
	return c, nil
}

// Path returns the file the configuration was read from, or Embedded if none.
func (c *Config) Path() string {
	if c.path == "" {
		return Embedded
	}
	return c.path
}

// Menu returns the branches and departments as the domain's routing table. It
// cannot fail on a Config from Load; on any other it returns the EINVALID
// *tickets.Error of tickets.NewMenu, wrapped.
func (c *Config) Menu() (*tickets.Menu, error) {
	m, err := tickets.NewMenu(c.Branches, c.Departments)
	if err == nil {
		m, err = m.WithCaseTypes(c.CaseTypes)
	}
	if err != nil {
		return nil, fmt.Errorf("config menu: %w", err)
	}
	return m, nil
}

// Calendar returns the province's calendar: time zone, holidays and business
// hours. It cannot fail on a Config from Load; on any other it returns an
// error if the time zone is empty or unknown.
func (c *Config) Calendar() (*tickets.Calendar, error) {
	if c.TimeZone == "" {
		return nil, errors.New("config calendar: no time zone")
	}
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("config calendar: %w", err)
	}
	var hours [7][]tickets.Span
	for d := range hours {
		hours[d] = slices.Clone(c.Hours[d])
	}
	return tickets.NewCalendar(loc, slices.Clone(c.Holidays), hours, slices.Clone(c.Workdays)...), nil
}

// origin returns where the value at path came from, falling back to the
// nearest enclosing key (a missing key is reported where its table is).
func (c *Config) origin(path string) origin {
	for p := path; p != ""; p = parent(p) {
		if o, ok := c.origins[p]; ok {
			return o
		}
	}
	return origin{}
}
