// SPDX-License-Identifier: Apache-2.0

package config

import (
	"net"
	"strings"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// Mail configures the SMTP server that staff mail (reminders, digests, the
// monthly report) goes through. The password is a secret (MAIL_PASSWORD),
// not a setting. An empty SMTPAddr turns mail off.
type Mail struct {
	SMTPAddr string // host:port
	From     string // the sender: "Tổng đài CCHC <hotline@tinh.gov.vn>" or an address
	User     string // SMTP user; "" for a relay without authentication
	TLS      string // starttls, tls or none
}

// Reminders configures the reminders before a ticket's deadline and the
// escalation after it.
type Reminders struct {
	Shares            []int         // percents of the time allowed at which focal points are reminded
	ProvinceAfterDays int           // working days overdue after which the provincial office is told; 0: never
	ProvinceOffice    string        // the department id of the provincial office (Văn phòng UBND tỉnh); serve warns if there is none
	Every             time.Duration // how often the reminders are looked at
	DigestThreshold   int           // a department's mails a day beyond which reminders wait for its daily digest
	DigestAt          string        // local time "HH:MM" of the daily digest
}

// mailKeys returns the keys of [mail] and [reminders].
func (c *Config) mailKeys() []key {
	return []key{
		strKey("mail.smtp_addr", &c.Mail.SMTPAddr),
		strKey("mail.from", &c.Mail.From),
		strKey("mail.user", &c.Mail.User),
		strKey("mail.tls", &c.Mail.TLS),
		listKey("reminders.shares", &c.Reminders.Shares, (*loader).listInt, intList),
		intKey("reminders.province_after_days", &c.Reminders.ProvinceAfterDays),
		strKey("reminders.province_office", &c.Reminders.ProvinceOffice),
		durationKey("reminders.every", &c.Reminders.Every),
		intKey("reminders.digest_threshold", &c.Reminders.DigestThreshold),
		strKey("reminders.digest_at", &c.Reminders.DigestAt),
	}
}

// mail checks [mail] and [reminders].
func (l *loader) mail() {
	m := l.c.Mail
	if m.SMTPAddr != "" {
		if _, port, err := net.SplitHostPort(m.SMTPAddr); err != nil || port == "" {
			l.invalid("mail.smtp_addr", "%q is not host:port, such as smtp.tinh.gov.vn:587", m.SMTPAddr)
		}
		if !strings.Contains(m.From, "@") {
			l.invalid("mail.from", "mail needs a sender address, such as \"Tổng đài CCHC <hotline@tinh.gov.vn>\"")
		}
	}
	switch m.TLS {
	case "starttls", "tls":
	case "none":
		if m.User != "" {
			l.invalid("mail.tls", "mail.user with mail.tls = \"none\" would send the password in clear: use starttls or tls")
		}
	default:
		l.invalid("mail.tls", "%q: want starttls, tls or none", m.TLS)
	}
	r := l.c.Reminders
	if err := (tickets.ReminderPolicy{Shares: r.Shares, ProvinceAfter: r.ProvinceAfterDays}).Validate(); err != nil {
		l.invalid("reminders", "%s", tickets.ErrorMessage(err))
	}
	if r.Every < time.Second || r.Every > time.Hour {
		l.invalid("reminders.every", "from 1s to 1h, got %s", r.Every)
	}
	if r.DigestThreshold < 1 {
		l.invalid("reminders.digest_threshold", "at least 1 mail a day, got %d", r.DigestThreshold)
	}
	if _, err := ParseClock(r.DigestAt); err != nil {
		l.invalid("reminders.digest_at", "%q is not a time of day such as 16:30", r.DigestAt)
	}
}

// ParseClock reads a local time of day "HH:MM" as the time since midnight.
func ParseClock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, err
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}
