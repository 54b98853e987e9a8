// SPDX-License-Identifier: Apache-2.0

package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/hotline-cchc/hotline/chatbot"
	"github.com/hotline-cchc/hotline/tickets"
)

// The updates the bot asks for; others are never sent to it.
const allowedUpdates = `["message","edited_message","callback_query"]`

// batchWorkers bounds the chats handled at the same time from one batch.
const batchWorkers = 32

// Poll receives updates by long polling until ctx ends. Updates of
// different chats are handled in parallel, each chat's in order. It removes
// a webhook first, since Telegram refuses getUpdates while one is set.
//
// Exactly once: Telegram keeps an update, and sends it again, until a
// getUpdates call confirms it with a higher offset. The offset Poll sends is
// always the lowest update id not yet handled: a batch is confirmed only
// when every update in it is handled or skipped, and one that could not be
// handled (the store failed) is fetched again from there. The offset is not
// stored: after a restart Poll starts at Telegram's first unconfirmed
// update, Telegram's own record of what was confirmed. A copy of ours could
// only be wrong where it matters (a token of another bot; ids that Telegram
// picks anew after a week without updates) and would drop updates for good.
// The updates of an interrupted batch that were handled already come again
// and are ignored by their keys (chatbot's handled updates): the update_id
// in decimal, as the offset stays an integer here.
//
// An update that cannot be decoded is skipped, logged with its update_id and
// counted (Skipped), so that one malformed update does not stall the bot.
func (a *Adapter) Poll(ctx context.Context) error {
	if _, err := a.api.Request(tgbotapi.DeleteWebhookConfig{}); err != nil {
		a.log.Warn("telegram: delete webhook", "err", a.classify(err))
	}
	a.pollCtx.Store(&ctx)
	defer a.pollCtx.Store(nil)
	a.state.Store("polling")
	var offset int64 // 0: Telegram's first unconfirmed update
	backoff := time.Second
	for ctx.Err() == nil {
		ups, end, err := a.fetch(offset)
		if err == nil {
			offset, err = a.handleBatch(ctx, ups, end)
		}
		if err == nil {
			backoff = time.Second
			a.state.Store("polling")
			continue
		}
		if ctx.Err() != nil {
			break
		}
		wait := backoff
		var re *chatbot.RetryError
		if errors.As(err, &re) {
			wait = re.After
		}
		a.log.Error("telegram: receive updates", "err", err, "retry_in", wait)
		a.state.Store("error: " + err.Error())
		sleep(ctx, wait)
		backoff = min(2*backoff, 30*time.Second)
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// fetch calls getUpdates from offset and returns the updates and the offset
// past the batch (offset if the batch is empty). The client library decodes
// the whole array at once, so one update it cannot decode would fail every
// getUpdates from then on: fetch decodes the array itself, and if that
// fails, each update on its own, skipping those that cannot be decoded.
func (a *Adapter) fetch(offset int64) ([]tgbotapi.Update, int64, error) {
	resp, err := a.api.Request(tgbotapi.UpdateConfig{Offset: int(offset), Limit: 100,
		Timeout: int(a.cfg.PollTimeout / time.Second), AllowedUpdates: []string{"message", "edited_message", "callback_query"}})
	if err != nil {
		return nil, offset, a.classify(err)
	}
	end := offset
	var ups []tgbotapi.Update
	if json.Unmarshal(resp.Result, &ups) == nil { // all well: the usual case
		for _, u := range ups {
			end = max(end, int64(u.UpdateID)+1)
		}
		return ups, end, nil
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(resp.Result, &raws); err != nil {
		return nil, offset, fmt.Errorf("telegram: decode updates: %w", err)
	}
	ups = make([]tgbotapi.Update, 0, len(raws))
	for _, raw := range raws {
		u, id, err := decodeUpdate(raw)
		if id >= 0 {
			end = max(end, id+1)
		}
		if err != nil {
			if id < 0 || id >= a.skippedUpTo { // not counted again when fetched again
				a.skippedUpTo = max(a.skippedUpTo, id+1)
				a.skip(id, err)
			}
			continue
		}
		ups = append(ups, u)
	}
	if len(raws) > 0 && end == offset {
		return nil, offset, errors.New("telegram: no update of the batch has a readable update_id")
	}
	return ups, end, nil
}

// decodeUpdate decodes one update. If it cannot, it returns the error and
// still the update's id if that can be read, else -1.
func decodeUpdate(raw []byte) (tgbotapi.Update, int64, error) {
	var u tgbotapi.Update
	err := json.Unmarshal(raw, &u)
	if err == nil {
		return u, int64(u.UpdateID), nil
	}
	var head struct {
		UpdateID *int64 `json:"update_id"`
	}
	if json.Unmarshal(raw, &head) != nil || head.UpdateID == nil || *head.UpdateID < 0 {
		return u, -1, err
	}
	return u, *head.UpdateID, err
}

// skip counts and logs an update that cannot be decoded; id is -1 if
// unknown. The error names the field, not its content.
func (a *Adapter) skip(id int64, err error) {
	a.skipped.Add(1)
	a.log.Warn("telegram: skipped an update that cannot be decoded", "update_id", id, "err", err)
}

// Skipped returns how many updates were skipped since the adapter started
// because they could not be decoded, by polling or by the webhook.
func (a *Adapter) Skipped() int64 { return a.skipped.Load() }

// handleBatch handles ups, the decodable updates of a batch that ends
// before end, and returns the offset to fetch from next: end, or the first
// update that failed.
func (a *Adapter) handleBatch(ctx context.Context, ups []tgbotapi.Update, end int64) (int64, error) {
	if len(ups) == 0 {
		return end, nil
	}
	var order []string
	byChat := map[string][]tgbotapi.Update{}
	for _, u := range ups {
		c := chatOf(u)
		if _, ok := byChat[c]; !ok {
			order = append(order, c)
		}
		byChat[c] = append(byChat[c], u)
	}
	var mu sync.Mutex
	var firstErr error
	failed := int64(-1)
	var wg sync.WaitGroup
	sem := make(chan struct{}, batchWorkers)
	for _, c := range order {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			for _, u := range byChat[c] {
				if err := a.handle(ctx, u); err != nil {
					mu.Lock()
					if failed < 0 || int64(u.UpdateID) < failed {
						failed, firstErr = int64(u.UpdateID), err
					}
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	if failed >= 0 {
		return failed, firstErr
	}
	return end, nil
}

// handle runs one update through the bot and answers a button press.
func (a *Adapter) handle(ctx context.Context, tu tgbotapi.Update) error {
	u := convert(tu)
	res, err := a.bot.Handle(ctx, u)
	if err != nil {
		return fmt.Errorf("handle update %d: %w", tu.UpdateID, err)
	}
	if u.Callback != nil && u.Callback.ID != "" && !res.Duplicate {
		if _, err := a.api.Request(tgbotapi.NewCallback(u.Callback.ID, res.CallbackText)); err != nil {
			a.log.Debug("telegram: answer callback", "err", a.classify(err))
		}
	}
	return nil
}

// chatOf returns the update's chat id, "0" if it has none. (The library's
// Update.FromChat panics on a callback from an inline message.)
func chatOf(u tgbotapi.Update) string {
	var c *tgbotapi.Chat
	switch {
	case u.Message != nil:
		c = u.Message.Chat
	case u.EditedMessage != nil:
		c = u.EditedMessage.Chat
	case u.CallbackQuery != nil && u.CallbackQuery.Message != nil:
		c = u.CallbackQuery.Message.Chat
	}
	if c == nil {
		return "0"
	}
	return strconv.FormatInt(c.ID, 10)
}

// convert turns a Telegram update into the bot's form. Updates of other
// kinds, or without a chat (channel posts, callbacks of inline messages),
// become a no-op in chat "0", so that they too are recorded as handled.
func convert(tu tgbotapi.Update) chatbot.Update {
	u := chatbot.Update{ID: strconv.Itoa(tu.UpdateID), Chat: chatOf(tu)}
	if u.Chat == "0" {
		return u // nothing the bot answers: recorded as handled
	}
	switch {
	case tu.Message != nil:
		message(&u, tu.Message)
	case tu.EditedMessage != nil:
		message(&u, tu.EditedMessage)
		u.Edited = true
	case tu.CallbackQuery != nil:
		q := tu.CallbackQuery
		u.Private = q.Message.Chat.IsPrivate()
		if q.From != nil {
			u.User = strconv.FormatInt(q.From.ID, 10)
		}
		u.Callback = &chatbot.Callback{ID: q.ID, Data: q.Data, Message: chatbot.ID(strconv.Itoa(q.Message.MessageID))}
	}
	return u
}

func message(u *chatbot.Update, m *tgbotapi.Message) {
	u.Private = m.Chat.IsPrivate()
	if m.From != nil {
		u.User = strconv.FormatInt(m.From.ID, 10)
	}
	u.Text = m.Text
	if u.Text == "" {
		u.Text = m.Caption
	}
	u.Attachment = attachment(m)
	if u.Attachment == nil && m.Text == "" {
		u.Unsupported = true // stickers, polls, someone else's contact, …
	}
}

func attachment(m *tgbotapi.Message) *tickets.Attachment {
	switch {
	case len(m.Photo) > 0:
		p := m.Photo[len(m.Photo)-1] // the largest size
		return &tickets.Attachment{Kind: tickets.AttachPhoto, FileID: p.FileID, Size: int64(p.FileSize)}
	case m.Document != nil:
		d := m.Document
		return &tickets.Attachment{Kind: tickets.AttachDocument, FileID: d.FileID, Name: d.FileName, MIMEType: d.MimeType, Size: int64(d.FileSize)}
	case m.Voice != nil:
		return &tickets.Attachment{Kind: tickets.AttachVoice, FileID: m.Voice.FileID, MIMEType: m.Voice.MimeType, Size: int64(m.Voice.FileSize)}
	case m.Audio != nil:
		return &tickets.Attachment{Kind: tickets.AttachAudio, FileID: m.Audio.FileID, Name: m.Audio.FileName, MIMEType: m.Audio.MimeType, Size: int64(m.Audio.FileSize)}
	case m.Video != nil:
		return &tickets.Attachment{Kind: tickets.AttachVideo, FileID: m.Video.FileID, Name: m.Video.FileName, MIMEType: m.Video.MimeType, Size: int64(m.Video.FileSize)}
	case m.Location != nil:
		return &tickets.Attachment{Kind: tickets.AttachLocation, Value: fmt.Sprintf("%.6f,%.6f", m.Location.Latitude, m.Location.Longitude)}
	case m.Contact != nil && m.From != nil && m.Contact.UserID == m.From.ID:
		return &tickets.Attachment{Kind: tickets.AttachContact, Value: dialable(m.Contact.PhoneNumber)}
	}
	return nil
}

// dialable returns a shared phone number as a focal point can dial it:
// some Telegram apps send the international number without its "+"
// ("84939015599"), which no phone dials as such.
func dialable(phone string) string {
	phone = strings.TrimSpace(phone)
	if phone == "" || strings.Trim(phone, "0123456789") != "" || strings.HasPrefix(phone, "0") {
		return phone
	}
	return "+" + phone
}

// runWebhook registers the webhook and waits for ctx to end; updates come
// through WebhookHandler.
func (a *Adapter) runWebhook(ctx context.Context) error {
	_, err := a.api.MakeRequest("setWebhook", tgbotapi.Params{"url": a.cfg.WebhookURL,
		"secret_token": a.cfg.WebhookSecret, "allowed_updates": allowedUpdates})
	if err != nil {
		err = a.classify(err)
		a.state.Store("error: " + err.Error())
		return fmt.Errorf("telegram: set webhook: %w", err)
	}
	a.state.Store("webhook")
	<-ctx.Done()
	return nil
}

// maxUpdate bounds a webhook request's body.
const maxUpdate = 1 << 20

// WebhookHandler receives updates POSTed by Telegram. A request without the
// right X-Telegram-Bot-Api-Secret-Token header is refused (401). An update
// that could not be handled answers 500, so that Telegram sends it again;
// one that cannot be decoded (or is larger than 1 MiB) is skipped as in
// Poll and answered 200, since Telegram would send it again in vain.
func (a *Adapter) WebhookHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if a.cfg.WebhookSecret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(a.cfg.WebhookSecret)) != 1 {
			a.log.Warn("telegram: webhook request without the right secret token", "remote_addr", r.RemoteAddr)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxUpdate))
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			a.skip(-1, err)
			w.WriteHeader(http.StatusOK)
			return
		case err != nil: // the connection broke: Telegram sends it again
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		u, id, err := decodeUpdate(body)
		if err != nil {
			a.skip(id, err)
			w.WriteHeader(http.StatusOK)
			return
		}
		if err := a.handle(r.Context(), u); err != nil {
			a.log.Error("telegram: webhook", "err", err)
			http.Error(w, "try again", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}
