// SPDX-License-Identifier: Apache-2.0

// Package mail sends the hotline's mail — notices to department staff and
// the monthly report to managers — through an SMTP server, with
// wneessen/go-mail doing the protocol and the encoding (RFC 2047 subjects,
// UTF-8 quoted-printable bodies, multipart alternative and attachments). It
// says which failures are worth a retry. It imports only the standard
// library and go-mail.
package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLS modes of mail.tls.
const (
	TLSStartTLS = "starttls" // plain connection upgraded with STARTTLS, which must succeed
	TLSImplicit = "tls"      // TLS from the first byte (port 465)
	TLSNone     = "none"     // no encryption: a relay on the same host only
)

// Config is how to reach the SMTP server.
type Config struct {
	Addr     string // host:port
	From     string // the sender, "Tổng đài CCHC <hotline@tinh.gov.vn>" or a bare address
	User     string // "" for no authentication
	Password string
	TLS      string        // TLSStartTLS (default), TLSImplicit or TLSNone
	Timeout  time.Duration // bounds the dial and each SMTP step; 30 s if zero
	// TLSConfig overrides the TLS settings (tests trust their own CA).
	TLSConfig *tls.Config
}

// Attachment is a file sent with a message.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// Message is one mail. Text is required; HTML, when set, is its
// alternative for mail readers that show HTML.
type Message struct {
	To          []string
	Subject     string
	Text        string
	HTML        string
	Attachments []Attachment
	// ID, when set, is the Message-ID's unique part (such as the outbox
	// item's id), so that a message sent twice after a crash is one
	// message to mail readers that thread or de-duplicate by Message-ID.
	ID string
}

// Sender sends mail through one SMTP server.
type Sender struct {
	cfg  Config
	host string
	port int
	from *mail.Address
}

// New checks cfg and returns a Sender. It connects to nothing.
func New(cfg Config) (*Sender, error) {
	host, portText, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("mail.smtp_addr %q: %w", cfg.Addr, err)
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port <= 0 || port > 65535 {
		return nil, fmt.Errorf("mail.smtp_addr %q: the port must be a number from 1 to 65535", cfg.Addr)
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("mail.from %q: %w", cfg.From, err)
	}
	switch cfg.TLS {
	case "":
		cfg.TLS = TLSStartTLS
	case TLSStartTLS, TLSImplicit, TLSNone:
	default:
		return nil, fmt.Errorf("mail.tls %q: want starttls, tls or none", cfg.TLS)
	}
	if cfg.TLS == TLSNone && cfg.User != "" {
		return nil, errors.New("mail.user with mail.tls = \"none\" would send the password in clear: use starttls or tls, or no user for a relay on this host")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &Sender{cfg: cfg, host: host, port: port, from: from}, nil
}

// From returns the sender's address, for the log.
func (s *Sender) From() string { return s.from.Address }

// Send delivers m. It returns an error for which Temporary reports whether
// a later try may succeed.
func (s *Sender) Send(ctx context.Context, m Message) error {
	msg, err := s.build(m)
	if err != nil {
		return &Error{Err: err}
	}
	c, err := gomail.NewClient(s.host, s.options()...)
	if err != nil {
		return &Error{Err: err}
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return classify(err)
	}
	return nil
}

func (s *Sender) options() []gomail.Option {
	// ctx bounds the dial; the timeout bounds each later step (go-mail
	// sets it as the connection's deadline), so a server that stops
	// answering holds a send for at most Timeout per step.
	opts := []gomail.Option{gomail.WithPort(s.port), gomail.WithTimeout(s.cfg.Timeout), gomail.WithoutNoop()}
	tc := s.tlsConfig()
	switch s.cfg.TLS {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL(), gomail.WithTLSConfig(tc))
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory), gomail.WithTLSConfig(tc))
	}
	if s.cfg.User != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.cfg.User), gomail.WithPassword(s.cfg.Password))
	}
	return opts
}

func (s *Sender) tlsConfig() *tls.Config {
	if s.cfg.TLSConfig != nil {
		return s.cfg.TLSConfig
	}
	return &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12}
}

func (s *Sender) build(m Message) (*gomail.Msg, error) {
	if len(m.To) == 0 {
		return nil, errors.New("a mail needs a recipient")
	}
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	msg.FromMailAddress(s.from)
	if err := msg.To(m.To...); err != nil {
		return nil, fmt.Errorf("recipient: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	if m.ID != "" {
		msg.SetMessageIDWithValue(m.ID + "@" + s.host)
	} else {
		msg.SetMessageID()
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Attachments {
		opts := []gomail.FileOption{}
		if a.ContentType != "" {
			opts = append(opts, gomail.WithFileContentType(gomail.ContentType(a.ContentType)))
		}
		if err := msg.AttachReader(a.Name, bytes.NewReader(a.Data), opts...); err != nil {
			return nil, fmt.Errorf("attach %s: %w", a.Name, err)
		}
	}
	return msg, nil
}

// Error is a failed send.
type Error struct {
	Temp bool // a later try may succeed: a 4xx answer, a network failure
	Code int  // the SMTP reply code, 0 if none
	Err  error
}

func (e *Error) Error() string { return "mail: " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Temporary reports whether err is worth a later retry: an SMTP 4xx, a
// connection or TLS failure; not a 5xx refusal or a bad message.
func Temporary(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Temp
}

func classify(err error) error {
	var se *gomail.SendError
	if errors.As(err, &se) {
		code := se.ErrorCode()
		return &Error{Temp: se.IsTemp() || code == 0 || code/100 == 4, Code: code, Err: err}
	}
	return &Error{Temp: true, Err: err} // dial, TLS handshake, timeouts
}
