// SPDX-License-Identifier: Apache-2.0

package config_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
)

func TestMailAndReminderKeys(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string // a problem's text; "" for none
	}{
		{"OKDefault", nil, ""},
		{"OKMail", map[string]string{"HOTLINE_MAIL_SMTP_ADDR": "smtp.tinh.gov.vn:587", "HOTLINE_MAIL_FROM": "Tổng đài CCHC <hotline@tinh.gov.vn>",
			"HOTLINE_MAIL_USER": "hotline", "HOTLINE_MAIL_TLS": "tls", "HOTLINE_REMINDERS_SHARES": "30, 60,90",
			"HOTLINE_REMINDERS_EVERY": "30s", "HOTLINE_REMINDERS_DIGEST_AT": "07:45"}, ""},
		{"ErrAddr", map[string]string{"HOTLINE_MAIL_SMTP_ADDR": "smtp.tinh.gov.vn", "HOTLINE_MAIL_FROM": "a@b.vn"}, "is not host:port"},
		{"ErrFrom", map[string]string{"HOTLINE_MAIL_SMTP_ADDR": "smtp.tinh.gov.vn:25"}, "mail needs a sender address"},
		{"ErrTLS", map[string]string{"HOTLINE_MAIL_TLS": "ssl"}, "want starttls, tls or none"},
		{"ErrPasswordInClear", map[string]string{"HOTLINE_MAIL_TLS": "none", "HOTLINE_MAIL_USER": "u"}, "in clear"},
		{"ErrShare", map[string]string{"HOTLINE_REMINDERS_SHARES": "50,100"}, "a percent from 1 to 99"},
		{"ErrShareTwice", map[string]string{"HOTLINE_REMINDERS_SHARES": "50,50"}, "given twice"},
		{"ErrShareNotNumber", map[string]string{"HOTLINE_REMINDERS_SHARES": "half"}, "not a whole number"},
		{"ErrEvery", map[string]string{"HOTLINE_REMINDERS_EVERY": "2h"}, "from 1s to 1h"},
		{"ErrThreshold", map[string]string{"HOTLINE_REMINDERS_DIGEST_THRESHOLD": "0"}, "at least 1 mail a day"},
		{"ErrDigestAt", map[string]string{"HOTLINE_REMINDERS_DIGEST_AT": "25:00"}, "not a time of day"},
		{"ErrProvinceAfter", map[string]string{"HOTLINE_REMINDERS_PROVINCE_AFTER_DAYS": "-1"}, "must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.Load("", func(k string) string { return tt.env[k] })
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("Load = %v, want a problem with %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			switch tt.name {
			case "OKDefault":
				r := c.Reminders
				if !slices.Equal(r.Shares, []int{50, 75}) || r.Every != time.Minute || r.ProvinceOffice != "van-phong-ubnd-tinh" || c.Mail.TLS != "starttls" || c.Mail.SMTPAddr != "" {
					t.Errorf("defaults: %+v %+v", r, c.Mail)
				}
			case "OKMail":
				if !slices.Equal(c.Reminders.Shares, []int{30, 60, 90}) || c.Mail.User != "hotline" || c.Reminders.DigestAt != "07:45" {
					t.Errorf("from the environment: %+v %+v", c.Reminders, c.Mail)
				}
			}
		})
	}
}
