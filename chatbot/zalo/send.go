// SPDX-License-Identifier: Apache-2.0

package zalo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/hotline-cchc/hotline/chatbot"
	"github.com/hotline-cchc/hotline/tickets"
)

// Reply windows: free within FreeWindow of the citizen's last message,
// billed until ReplyWindow, refused after.
const (
	FreeWindow  = 48 * time.Hour
	ReplyWindow = 7 * 24 * time.Hour
	// rateLimitPause: how long to wait after Zalo's -32.
	rateLimitPause = 10 * time.Second
)

// MaxText is the longest text of one message: the bot splits at it in
// UTF-16 code units, never fewer characters than Zalo counts after NFC.
func (a *Adapter) MaxText() int { return MaxText }

// Limits are Zalo's: 4,000 requests a minute for the OA.
func (a *Adapter) Limits() chatbot.Limits {
	if a.cfg.NoLimits {
		return chatbot.Limits{}
	}
	return chatbot.Limits{Channel: chatbot.Window{N: 4000, Per: time.Minute}}
}

// Send delivers r to the Zalo user chat. Buttons become query buttons,
// AskContact a request_user_info card after a text with a Skip button; an
// edit is sent as a new message (Zalo edits nothing). An answer or a
// resolution the reply window no longer allows goes as the template
// message to the phone number the citizen shared, or fails, visibly on the
// ticket, when there is none.
func (a *Adapter) Send(ctx context.Context, chat string, r chatbot.Reply) error {
	if n := r.Notice; n != nil {
		switch n.Kind {
		case tickets.NoticeAnswer, tickets.NoticeResolved:
			return a.sendNotice(ctx, chat, r)
		case tickets.NoticeReceived:
			return a.sendTemplate(ctx, n)
		}
	}
	return a.sendPlain(ctx, chat, r)
}

func (a *Adapter) sendPlain(ctx context.Context, chat string, r chatbot.Reply) error {
	for _, m := range messages(r) {
		if err := a.call(ctx, func(access string) error {
			_, err := a.cfg.Client.Send(ctx, access, chat, m)
			return err
		}); err != nil {
			return classify(err)
		}
	}
	return nil
}

// messages turns a reply into the OA messages that show it.
func messages(r chatbot.Reply) []Message {
	text := norm.NFC.String(r.Text)
	var bs []Button
	for _, row := range r.Buttons {
		for _, b := range row {
			bs = append(bs, Button{Title: b.Text, Payload: ButtonPrefix + b.Data})
		}
	}
	if r.AskContact != "" {
		ms := []Message{{Text: text}}
		if r.Skip != "" {
			ms[0].Buttons = []Button{{Title: r.Skip, Payload: r.Skip}}
		}
		return append(ms, Message{AskInfo: &InfoRequest{Title: r.AskContact,
			Subtitle: "Cho phép đường dây nóng nhận số điện thoại của bạn để cán bộ liên hệ lại khi cần."}})
	}
	if text == "" && len(bs) == 0 && r.Document == nil {
		return nil
	}
	return []Message{{Text: text, Buttons: bs}}
}

// call runs f with an access token; when Zalo refuses the token, it
// refreshes it and runs f once more.
func (a *Adapter) call(ctx context.Context, f func(access string) error) error {
	access, err := a.tokens.access(ctx)
	if err != nil {
		return err
	}
	err = f(access)
	if !TokenRejected(err) {
		return err
	}
	a.tokens.invalidate(access)
	if access, err = a.tokens.access(ctx); err != nil {
		return err
	}
	return f(access)
}

// classify maps Zalo's errors to the outbox's classes.
func classify(err error) error {
	var e *APIError
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &e):
		return err // no answer: the connection's error, or the token's
	case e.Code == CodeRateLimit || e.HTTPStatus == http.StatusTooManyRequests:
		return &chatbot.RetryError{After: rateLimitPause, Err: err}
	case e.Code == CodeUserNotFollow:
		return fmt.Errorf("%w: %w", chatbot.ErrBlocked, err)
	case e.HTTPStatus >= 500 || e.HTTPStatus == http.StatusBadGateway:
		return fmt.Errorf("%w: %w", chatbot.ErrUnavailable, err)
	case Transient(err):
		return err
	}
	return fmt.Errorf("%w: %w", chatbot.ErrRejected, err)
}

// sendNotice delivers a part of an answer or a resolution: as a reply
// while the window allows (counted billed after 48 h), else as a template.
func (a *Adapter) sendNotice(ctx context.Context, chat string, r chatbot.Reply) error {
	if _, done := a.templated.Load(r.Notice.OutboxID); done {
		return nil // an earlier part went as the template, which says it all
	}
	last, ok, err := a.store.LastMessage(ctx, chat)
	if err != nil {
		return err
	}
	age := a.cfg.Now().Sub(last)
	if !ok || age > ReplyWindow {
		return a.sendTemplate(ctx, r.Notice)
	}
	err = a.sendPlain(ctx, chat, r)
	switch {
	case err != nil && WindowClosed(err):
		return a.sendTemplate(ctx, r.Notice)
	case err == nil && age > FreeWindow:
		a.stats.Billed.Add(1)
	}
	return err
}

// ErrUndeliverable wraps chatbot.ErrUnreachable for an answer that can
// reach the citizen neither as a reply nor as a template message.
var ErrUndeliverable = fmt.Errorf("%w: no message from the citizen for 7 days and no phone number or template: phone them", chatbot.ErrUnreachable)

// sendTemplate sends the notice's template to the ticket's phone number —
// the number a chat citizen shared, or a phone caller's — with the outbox
// id as tracking id, so that a repeat sends nothing more.
func (a *Adapter) sendTemplate(ctx context.Context, n *chatbot.NoticeRef) error {
	t, err := a.store.Ticket(ctx, n.Ticket)
	if err != nil {
		return err
	}
	phone, err := a.phoneOf(ctx, t)
	if err != nil {
		return err
	}
	tpl := Template{Phone: phone, TemplateID: a.cfg.TemplateAnswered, TrackingID: TrackingID(n.OutboxID),
		Data: map[string]string{"ma_phieu": string(t.Code), "noi_dung": excerpt(n.Body, 400)}}
	key := "zalo.template_answered"
	if n.Kind == tickets.NoticeReceived {
		tpl.TemplateID, key = a.cfg.TemplateReceived, "zalo.template_received"
		loc := time.UTC
		if a.bot.Calendar != nil {
			loc = a.bot.Calendar.Location()
		}
		tpl.Data = map[string]string{"ma_phieu": string(t.Code), "han_giai_quyet": t.Deadline.In(loc).Format("02/01/2006")}
	}
	switch {
	case phone == "":
		a.stats.Undelivered.Add(1)
		return ErrUndeliverable
	case tpl.TemplateID == "":
		a.stats.Undelivered.Add(1)
		return fmt.Errorf("%w (%s is not set)", ErrUndeliverable, key)
	}
	if err := a.call(ctx, func(access string) error {
		_, err := a.cfg.Client.SendTemplate(ctx, access, tpl)
		return err
	}); err != nil {
		return classify(err)
	}
	a.stats.Templates.Add(1)
	a.templated.Store(n.OutboxID, true)
	return nil
}

// TrackingID is the template message's idempotency key for an outbox item.
func TrackingID(outboxID int64) string { return fmt.Sprintf("hotline-%d", outboxID) }

// phoneOf returns the ticket's number in the template's form: the contact
// of a phone ticket, the number a chat citizen shared; "" if none.
func (a *Adapter) phoneOf(ctx context.Context, t *tickets.Ticket) (string, error) {
	if t.Channel == tickets.ChannelPhone {
		return templatePhone(t.Contact), nil
	}
	as, err := a.store.Attachments(ctx, t.Code)
	if err != nil {
		return "", err
	}
	for _, at := range as {
		if at.Kind == tickets.AttachContact {
			return templatePhone(at.Value), nil
		}
	}
	return "", nil
}

// excerpt cuts s to n characters, marking the cut.
func excerpt(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// Download fetches a file a citizen sent, from the URL Zalo gave.
func (a *Adapter) Download(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := a.cfg.Client.http().Do(req)
	if err != nil {
		return nil, fmt.Errorf("zalo: download: %w", redactErr(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("zalo: download: HTTP %d", resp.StatusCode)
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(http.MaxBytesReader(nil, resp.Body, maxDownload)); err != nil {
		return nil, fmt.Errorf("zalo: download: %w", err)
	}
	return b.Bytes(), nil
}

// maxDownload bounds a file downloaded from Zalo.
const maxDownload = 50 << 20
