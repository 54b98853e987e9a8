// SPDX-License-Identifier: Apache-2.0

package telegramtest_test

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

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

// The fault modes, seen by a plain HTTP client: a status with retry_after,
// a late answer after the message took effect, and a dropped connection.
func TestFaultModes(t *testing.T) {
	s := telegramtest.New("t")
	defer s.Close()
	send := func(chat string) (*http.Response, error) {
		return http.PostForm(s.URL+"/bott/sendMessage", url.Values{"chat_id": {chat}, "text": {"x"}})
	}
	s.Fail(telegramtest.Fault{Method: "sendMessage", Code: 429, RetryAfter: 7, Times: 1})
	resp, err := send("1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 429 || !strings.Contains(string(body), `"retry_after":7`) || len(s.Sent(1)) != 0 {
		t.Errorf("429: %d %s, %d sent", resp.StatusCode, body, len(s.Sent(1)))
	}
	s.Fail(telegramtest.Fault{Method: "sendMessage", Delay: 50 * time.Millisecond, Times: 1})
	if resp, err := send("2"); err != nil || resp.StatusCode != 200 || len(s.Sent(2)) != 1 {
		t.Errorf("delay: %v, %d sent", err, len(s.Sent(2)))
	}
	s.Fail(telegramtest.Fault{Method: "sendMessage", Drop: true, Times: 1})
	if _, err := send("3"); err == nil || len(s.Sent(3)) != 1 {
		t.Errorf("drop: err %v, %d sent (want an error and the message taken)", err, len(s.Sent(3)))
	}
}
