// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"github.com/hotline-cchc/hotline/chatbot"
	"github.com/hotline-cchc/hotline/cmd/hotline/internal/mail"
	"github.com/hotline-cchc/hotline/cmd/hotline/internal/secrets"
	"github.com/hotline-cchc/hotline/tickets"
)

// mailWorkers bounds the SMTP sessions open at once.
const mailWorkers = 4

// mailChannel is staff mail as serve runs it: the outbox's "mail" channel
// delivered through one SMTP server, with the last attempt's outcome for
// /readyz.
type mailChannel struct {
	bot    *chatbot.Bot // its outbox's counts are in /metrics
	sender *mail.Sender
	last   atomic.Pointer[mailAttempt]
}

// mailAttempt is the outcome of the last SMTP attempt.
type mailAttempt struct {
	at   time.Time
	err  error
	code int
}

// check is /readyz's: an error while the last attempt failed, naming its
// class and SMTP code (never the recipient).
func (c *mailChannel) check(context.Context) error {
	a := c.last.Load()
	if a == nil || a.err == nil {
		return nil
	}
	what := chatbot.ErrorClass(a.err)
	if a.code != 0 {
		what = fmt.Sprintf("%s, SMTP %d", what, a.code)
	}
	return fmt.Errorf("mail: the last send failed at %s (%s); it is retried", a.at.UTC().Format(time.RFC3339), what)
}

// Send implements chatbot.Sender: to is an address, r.Text a
// tickets.MailNotice in JSON. A refusal (5xx) or an unreadable notice fails
// the item; a 4xx answer, a timeout or no connection is retried.
func (c *mailChannel) Send(ctx context.Context, to string, r chatbot.Reply) error {
	var n tickets.MailNotice
	if err := json.Unmarshal([]byte(r.Text), &n); err != nil {
		return fmt.Errorf("%w: unreadable mail notice: %v", chatbot.ErrRejected, err)
	}
	m := mail.Message{To: []string{to}, Subject: n.Subject, Text: n.Text, HTML: n.HTML, ID: n.ID}
	for _, f := range n.Files {
		data, err := os.ReadFile(f.Path)
		if err != nil {
			return fmt.Errorf("%w: attachment: %v", chatbot.ErrRejected, err)
		}
		m.Attachments = append(m.Attachments, mail.Attachment{Name: f.Name, ContentType: f.ContentType, Data: data})
	}
	err := c.sender.Send(ctx, m)
	var me *mail.Error
	a := &mailAttempt{at: time.Now(), err: err}
	if errors.As(err, &me) {
		a.code = me.Code
	}
	c.last.Store(a)
	switch {
	case err == nil:
		return nil
	case !mail.Temporary(err):
		return fmt.Errorf("%w: %w", chatbot.ErrRejected, err)
	case a.code != 0:
		return fmt.Errorf("%w: %w", chatbot.ErrUnavailable, err)
	}
	return err // a timeout, or no connection
}

// MaxText implements chatbot.Sender: a mail is never split.
func (c *mailChannel) MaxText() int { return 0 }

// startMail starts delivering the outbox's mail when mail.smtp_addr is
// set; stop lets the sends in flight finish. It returns an error if the
// settings are wrong or MAIL_PASSWORD is needed and not set.
func (m *Main) startMail(ctx context.Context, a *app, log *slog.Logger) (stop func(), err error) {
	mc := a.cfg.Mail
	if mc.SMTPAddr == "" {
		log.Info("mail off: to mail reminders and reports, set mail.smtp_addr (HOTLINE_MAIL_SMTP_ADDR), mail.from and, for a server that asks, mail.user and the secret MAIL_PASSWORD")
		return func() {}, nil
	}
	var password string
	if mc.User != "" {
		if password, _, err = m.secretStore().Lookup(secrets.MailPassword); err != nil {
			return nil, fmt.Errorf("mail: %w", err)
		}
	}
	s, err := mail.New(mail.Config{Addr: mc.SMTPAddr, From: mc.From, User: mc.User, Password: password,
		TLS: mc.TLS, Timeout: a.cfg.Outbox.SendTimeout})
	if err != nil {
		return nil, err
	}
	log = log.With("channel", "mail")
	c := &mailChannel{sender: s}
	c.bot = &chatbot.Bot{Channel: tickets.ChannelMail, Store: a.db, Log: log, Workers: mailWorkers,
		SendTimeout: a.cfg.Outbox.SendTimeout, GiveUpAfter: a.cfg.Outbox.GiveUpAfter}
	a.mail = c
	run, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.bot.RunOutbox(run, c)
	}()
	log.Info("mail on", "smtp_addr", mc.SMTPAddr, "from", s.From(), "tls", mc.TLS)
	return func() { awaitSends(a, cancel, done, log, "mail") }, nil
}
