// SPDX-License-Identifier: Apache-2.0

package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/hotline-cchc/hotline/chatbot"
)

// MaxText is the Bot API's limit on a message's text, in UTF-16 code units.
func (a *Adapter) MaxText() int { return 4096 }

// Send implements chatbot.Sender: a new message, or an edit of one, as plain
// text (no parse mode, so text that looks like HTML or Markdown shows as
// typed), with inline buttons or the contact keyboard.
func (a *Adapter) Send(ctx context.Context, chat string, r chatbot.Reply) error {
	id, err := strconv.ParseInt(chat, 10, 64)
	if err != nil {
		return fmt.Errorf("telegram: chat id %q: %w", chat, chatbot.ErrRejected)
	}
	var status int
	api := a.bound(ctx, &status)
	if r.Document != nil {
		d := tgbotapi.NewDocument(id, tgbotapi.FileBytes{Name: r.Document.Name, Bytes: r.Document.Data})
		d.Caption = r.Text
		_, err = api.Request(d)
		// The library leaves an upload's error code out: take the HTTP status.
		var te *tgbotapi.Error
		if errors.As(err, &te) && te.Code == 0 {
			te.Code = status
		}
		return a.classify(err)
	}
	if r.Edit != "" {
		mid, err := strconv.Atoi(string(r.Edit))
		if err != nil {
			return fmt.Errorf("telegram: message id %q to edit: %w", r.Edit, chatbot.ErrRejected)
		}
		e := tgbotapi.NewEditMessageText(id, mid, r.Text)
		if len(r.Buttons) > 0 {
			mk := inline(r.Buttons)
			e.ReplyMarkup = &mk
		}
		_, err = api.Request(e)
		return a.classify(err)
	}
	m := tgbotapi.NewMessage(id, r.Text)
	m.DisableWebPagePreview = true
	switch {
	case len(r.Buttons) > 0:
		m.ReplyMarkup = inline(r.Buttons)
	case r.AskContact != "":
		kb := tgbotapi.NewOneTimeReplyKeyboard(
			tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButtonContact(r.AskContact)),
			tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButton(r.Skip)))
		kb.ResizeKeyboard = true
		m.ReplyMarkup = kb
	case r.RemoveKeyboard:
		m.ReplyMarkup = tgbotapi.NewRemoveKeyboard(false)
	}
	_, err = api.Request(m)
	return a.classify(err)
}

// bound returns a copy of the client library's API whose requests end when
// ctx ends: the library's own calls take no context.
func (a *Adapter) bound(ctx context.Context, status *int) *tgbotapi.BotAPI {
	api := *a.api
	api.Client = ctxClient{a: a, ctx: ctx, status: status}
	return &api
}

// Limits are the Bot API's rate limits
// (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
// 30 messages a second per bot; in a private chat one a second, with the
// short bursts the FAQ allows (3 in any 3 s); 20 a minute in a group.
func (a *Adapter) Limits() chatbot.Limits {
	if a.cfg.NoLimits {
		return chatbot.Limits{}
	}
	return chatbot.Limits{
		Channel: chatbot.Window{N: 30, Per: time.Second},
		Chat: func(chat string) chatbot.Window {
			if strings.HasPrefix(chat, "-") {
				return chatbot.Window{N: 20, Per: time.Minute}
			}
			return chatbot.Window{N: 3, Per: 3 * time.Second}
		},
	}
}

func inline(rows [][]chatbot.Button) tgbotapi.InlineKeyboardMarkup {
	var kb [][]tgbotapi.InlineKeyboardButton
	for _, row := range rows {
		var r []tgbotapi.InlineKeyboardButton
		for _, b := range row {
			r = append(r, tgbotapi.NewInlineKeyboardButtonData(b.Text, b.Data))
		}
		kb = append(kb, r)
	}
	return tgbotapi.NewInlineKeyboardMarkup(kb...)
}

// SendDocument sends a file to chat, e.g. a report to a manager's chat; it
// gives up when ctx ends.
func (a *Adapter) SendDocument(ctx context.Context, chat int64, name string, data []byte, caption string) error {
	return a.Send(ctx, strconv.FormatInt(chat, 10), chatbot.Reply{Text: caption, Document: &chatbot.Document{Name: name, Data: data}})
}

// maxDownload bounds a downloaded file: the Bot API serves at most 20 MB.
const maxDownload = 20 << 20

// Download fetches a file a citizen sent (getFile, then the file URL on the
// same API server).
func (a *Adapter) Download(ctx context.Context, fileID string) ([]byte, error) {
	f, err := a.api.GetFile(tgbotapi.FileConfig{FileID: fileID})
	if err != nil {
		return nil, fmt.Errorf("telegram: get file: %w", a.classify(err))
	}
	u := strings.TrimRight(a.cfg.API, "/") + "/file/bot" + a.cfg.Token + "/" + f.FilePath
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("telegram: download: %s", a.redact(err.Error()))
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("telegram: download: %s", a.redact(err.Error()))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("telegram: download: %s", resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxDownload+1))
	if err == nil && len(b) > maxDownload {
		err = fmt.Errorf("larger than %d bytes", maxDownload)
	}
	if err != nil {
		return nil, fmt.Errorf("telegram: download: %s", a.redact(err.Error()))
	}
	return b, nil
}
