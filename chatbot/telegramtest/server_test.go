// SPDX-License-Identifier: Apache-2.0

package telegramtest_test

import (
	"errors"
	"net/http"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/hotline-cchc/hotline/chatbot/telegramtest"
)

// The fake as the real client sees it: offsets confirm updates, errors come
// with their codes.
func TestFakeWithRealClient(t *testing.T) {
	fake := telegramtest.New("1:t")
	defer fake.Close()
	if _, err := tgbotapi.NewBotAPIWithClient("2:wrong", fake.Endpoint(), http.DefaultClient); err == nil || err.Error() != "Unauthorized" {
		t.Errorf("wrong token: %v", err)
	}
	bot, err := tgbotapi.NewBotAPIWithClient("1:t", fake.Endpoint(), http.DefaultClient)
	if err != nil || bot.Self.ID != telegramtest.BotID {
		t.Fatalf("getMe: %v %+v", err, bot)
	}
	fake.Text(5, "/start")
	fake.Press(5, 5, 1, "b:1")
	last := fake.Location(5, 1, 2)
	ups, err := bot.GetUpdates(tgbotapi.UpdateConfig{Limit: 2})
	if err != nil || len(ups) != 2 || !ups[0].Message.IsCommand() || ups[1].CallbackQuery.Data != "b:1" {
		t.Fatalf("GetUpdates = %+v, %v", ups, err)
	}
	ups, _ = bot.GetUpdates(tgbotapi.UpdateConfig{Offset: ups[1].UpdateID + 1})
	if len(ups) != 1 || int64(ups[0].UpdateID) != last || ups[0].Message.Location == nil {
		t.Fatalf("after the offset: %+v", ups)
	}
	if ups, _ = bot.GetUpdates(tgbotapi.UpdateConfig{Offset: int(last) + 1}); len(ups) != 0 || fake.Pending() != 0 {
		t.Errorf("confirmed updates still pending: %d", fake.Pending())
	}
	fake.Fail(telegramtest.Fault{Method: "sendMessage", Code: 429, RetryAfter: 7, Times: 1})
	_, err = bot.Send(tgbotapi.NewMessage(5, "x"))
	var te *tgbotapi.Error
	if !errors.As(err, &te) || te.Code != 429 || te.RetryAfter != 7 {
		t.Errorf("429: %v", err)
	}
	if _, err := bot.Send(tgbotapi.NewMessage(5, "")); err == nil {
		t.Error("an empty message was accepted")
	}
	if _, err := bot.Request(tgbotapi.NewEditMessageText(5, 999, "x")); err == nil {
		t.Error("editing a missing message succeeded")
	}
	if _, err := bot.MakeRequest("setWebhook", tgbotapi.Params{"url": "http://127.0.0.1:1/hook"}); err != nil {
		t.Fatal(err)
	}
	if _, err := bot.GetUpdates(tgbotapi.UpdateConfig{}); !errors.As(err, &te) || te.Code != http.StatusConflict {
		t.Errorf("getUpdates with a webhook: %v, want 409", err)
	}
}
