// SPDX-License-Identifier: Apache-2.0

package console_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/console"
	"github.com/hotline-cchc/hotline/tickets"
)

// A ticket rated 1–2 shows the flag and the comment on its page and on the
// managers' dashboard.
func TestSurveyShown(t *testing.T) {
	e := newEnv(t)
	code := e.open(t, 1)
	e.resolve(t, code)
	ctx := context.Background()
	if _, err := e.svc.Rate(ctx, code, tickets.Rate{Rating: 1, Channel: tickets.ChannelTelegram, From: "5550001234", Comment: "Chờ quá lâu"}); err != nil {
		t.Fatal(err)
	}
	page := body(t, e.do(t, "focal", "GET", "/tickets/"+string(code), nil))
	for _, want := range []string{"Cần lãnh đạo xem xét", "1 – Rất không hài lòng", "Chờ quá lâu"} {
		if !strings.Contains(page, want) {
			t.Errorf("the ticket page lacks %q", want)
		}
	}
	dash := body(t, e.do(t, "manager", "GET", "/dashboard", nil))
	if !strings.Contains(dash, `<a href="/tickets/`+string(code)+`">`) || !strings.Contains(dash, "<td>1</td><td>0,0%</td><td>1</td>") {
		t.Errorf("the dashboard does not list the flagged ticket")
	}
}

// A phone ticket's page says whether the answer calls the citizen back,
// why it cannot, and offers a voice answer only when the console keeps them.
func TestPhoneAnswerForms(t *testing.T) {
	voice := func(c *console.Config) {
		c.PhoneCallback = true
		c.VoiceAnswer = func(context.Context, *tickets.Ticket, []byte) (string, error) { return "giọng nói", nil }
	}
	e := newEnv(t, voice)
	ctx := context.Background()
	open := func(contact string) string {
		tk, err := e.svc.Open(ctx, tickets.NewTicket{Branch: 1, Channel: tickets.ChannelPhone, Text: "Gọi đến", Contact: contact, Actor: "ivr"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Move(ctx, tk.Code, tickets.Change{Action: tickets.ActionAssign, Department: "so-noi-vu"}); err != nil {
			t.Fatal(err)
		}
		return string(tk.Code)
	}
	for _, tc := range []struct{ name, contact, want, not string }{
		{"OKCallsBack", "0939015599", "(hệ thống gọi lại công dân và đọc câu trả lời)", "không gọi lại được"},
		{"NotVietnamese", "+1 202 555 0100", "không phải số điện thoại Việt Nam", "(hệ thống gọi lại"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := body(t, e.do(t, "focal", "GET", "/tickets/"+open(tc.contact), nil))
			if !strings.Contains(page, tc.want) || strings.Contains(page, tc.not) || !strings.Contains(page, `id="voice-answer"`) {
				t.Errorf("the page has not %q, or has %q, or has no voice answer form", tc.want, tc.not)
			}
		})
	}
	if page := body(t, e.do(t, "focal", "GET", "/tickets/"+string(e.open(t, 1)), nil)); strings.Contains(page, `id="voice-answer"`) {
		t.Error("a Telegram ticket offers a voice answer")
	}
	plain := newEnv(t)
	if page := body(t, plain.do(t, "focal", "GET", "/tickets/"+string(plain.open(t, 1)), nil)); strings.Contains(page, `id="voice-answer"`) {
		t.Error("a console without VoiceAnswer offers one")
	}
}
