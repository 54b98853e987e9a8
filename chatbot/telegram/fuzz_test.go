// SPDX-License-Identifier: Apache-2.0

package telegram_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/chatbot/telegram"
)

// FuzzWebhook posts arbitrary bodies to the webhook handler, as a hostile or
// broken client holding the secret might: every request gets an answer and
// nothing panics; one that cannot be decoded is skipped with a 200, so
// that Telegram does not send it again.
func FuzzWebhook(f *testing.F) {
	for _, s := range []string{
		`{"update_id":1,"message":{"message_id":1,"from":{"id":5},"chat":{"id":5,"type":"private"},"text":"/start"}}`,
		`{"update_id":2,"callback_query":{"id":"q","from":{"id":5},"message":{"message_id":3,"chat":{"id":5,"type":"private"}},"data":"b:4"}}`,
		`{"update_id":3,"edited_message":{"message_id":1,"chat":{"id":-100,"type":"supergroup"},"text":"x"}}`,
		`{"update_id":4,"message":{"message_id":1,"chat":{"id":5,"type":"private"},"contact":{"phone_number":"1","user_id":6}}}`,
		`{"update_id":5,"channel_post":{"message_id":1,"chat":{"id":-5,"type":"channel"}}}`,
		`{"update_id":6,"callback_query":{"id":"q","from":{"id":5},"data":"t:1"}}`,
		`{"update_id":7,"message":{"message_id":1,"text":"không có chat"}}`,
		`{}`, `null`, `[`, "",
	} {
		f.Add(s)
	}
	e := newEnv(f)
	e.start(telegram.Config{WebhookURL: "http://127.0.0.1:1/hook", WebhookSecret: "s"})
	h := e.a.WebhookHandler()
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(body))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "s")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if c := w.Code; c != http.StatusOK {
			t.Errorf("status %d for %q: %s", c, body, w.Body)
		}
	})
}
