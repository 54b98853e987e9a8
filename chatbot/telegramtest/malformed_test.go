// SPDX-License-Identifier: Apache-2.0

package telegramtest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/hotline-cchc/hotline/chatbot/telegramtest"
)

// A raw update goes out as it was given, with a fresh id, and like any
// update it comes again until an offset confirms it.
func TestPushRaw(t *testing.T) {
	fake := telegramtest.New("1:t")
	defer fake.Close()
	bot, err := tgbotapi.NewBotAPIWithClient("1:t", fake.Endpoint(), http.DefaultClient)
	if err != nil {
		t.Fatal(err)
	}
	id, err := fake.PushRaw(`{"update_id":5,"message":"oops"}`)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf(`[{"message":"oops","update_id":%d}]`, id)
	for range 2 { // not confirmed: sent again
		resp, err := bot.Request(tgbotapi.UpdateConfig{})
		if err != nil || string(compact(t, resp.Result)) != want {
			t.Fatalf("getUpdates = %s, %v; want %s", resp.Result, err, want)
		}
	}
	if _, err := bot.GetUpdates(tgbotapi.UpdateConfig{}); err == nil {
		t.Error("the client library decoded a message that is a string")
	}
	if ups, err := bot.GetUpdates(tgbotapi.UpdateConfig{Offset: int(id) + 1}); err != nil || len(ups) != 0 || fake.Pending() != 0 {
		t.Errorf("after the offset: %v, %v, %d pending", ups, err, fake.Pending())
	}
	for _, raw := range []string{`"oops"`, `[1]`, `null`, `{`} {
		if _, err := fake.PushRaw(raw); err == nil {
			t.Errorf("PushRaw(%s) accepted", raw)
		}
	}
	if n := fake.Pending(); n != 0 {
		t.Errorf("%d updates queued", n)
	}
}

func compact(t *testing.T, raw json.RawMessage) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	return b
}
