// SPDX-License-Identifier: Apache-2.0

package telegram_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/chatbot"
	"github.com/hotline-cchc/hotline/chatbot/telegram"
	"github.com/hotline-cchc/hotline/chatbot/telegramtest"
	"github.com/hotline-cchc/hotline/tickets"
)

// A process that crashed in the middle of a batch had handled some of its
// updates, not always the first ones. After a restart every update is
// answered, and those handled before the crash are not handled again.
func TestRestartAfterCrashMidBatch(t *testing.T) {
	e := newEnv(t)
	ids := map[int64]int64{} // chat → update id
	for chat := int64(1); chat <= 10; chat++ {
		ids[chat] = e.fake.Text(chat, "/help")
	}
	// The crashed process: chats 4 and 7–10 handled, out of order.
	crashed := &chatbot.Bot{Channel: tickets.ChannelTelegram, Store: e.db, Tickets: e.svc, Menu: e.svc.Menu, Calendar: e.svc.Calendar,
		Now: func() time.Time { return e.clock.T }}
	for _, chat := range []int64{10, 4, 8, 7, 9} {
		u := chatbot.Update{ID: fmt.Sprint(ids[chat]), Chat: fmt.Sprint(chat), Private: true, User: fmt.Sprint(chat), Text: "/help"}
		if _, err := crashed.Handle(e.ctx(), u); err != nil {
			t.Fatal(err)
		}
	}
	e.start(telegram.Config{})
	ctx := e.ctx()
	err := e.fake.WaitFor(ctx, func(v telegramtest.View) bool {
		for chat := int64(1); chat <= 10; chat++ {
			if len(v.Sent(chat)) == 0 {
				return false
			}
		}
		return v.Pending() == 0
	})
	for chat := int64(1); chat <= 10; chat++ {
		if n := len(e.fake.Sent(chat)); n != 1 {
			t.Errorf("chat %d got %d answers, want 1", chat, n)
		}
	}
	if err != nil {
		t.Fatalf("not every update answered and confirmed: %v", err)
	}
}

// An update the client library cannot decode (its message is a string) is
// skipped, logged with its id and counted; the updates after it are
// answered.
func TestMalformedUpdateSkipped(t *testing.T) {
	e := newEnv(t)
	e.start(telegram.Config{})
	e.fake.Text(citizen, "/help")
	e.waitSent(citizen, 1)
	bad, err := e.fake.PushRaw(`{"message":"oops"}`)
	if err != nil {
		t.Fatal(err)
	}
	e.fake.Text(citizen, "/help")
	contains(t, e.waitSent(citizen, 2), "/status")
	if err := e.fake.WaitFor(e.ctx(), func(v telegramtest.View) bool { return v.Pending() == 0 }); err != nil {
		t.Fatalf("the batch was never confirmed: %v", err)
	}
	if n := e.a.Skipped(); n != 1 {
		t.Errorf("Skipped = %d, want 1", n)
	}
	if want := fmt.Sprintf("level=WARN msg=\"telegram: skipped an update that cannot be decoded\" update_id=%d", bad); !strings.Contains(e.log.String(), want) {
		t.Errorf("the log lacks %q:\n%s", want, e.log)
	}
}

// A malformed update fetched again, after an update before it could not be
// stored, is counted once.
func TestMalformedUpdateCountedOnce(t *testing.T) {
	e := newEnv(t)
	e.start(telegram.Config{})
	e.waitHandled(e.fake.Text(citizen, "/help"))
	e.db.Close()
	calls := e.fake.Calls("getUpdates")
	e.fake.Text(citizen, "/help")
	if _, err := e.fake.PushRaw(`{"message":"oops"}`); err != nil {
		t.Fatal(err)
	}
	// Fetched (perhaps by a poll already waiting), failed, fetched again.
	if err := e.fake.WaitFor(e.ctx(), func(v telegramtest.View) bool { return v.Calls("getUpdates") >= calls+2 }); err != nil {
		t.Fatal(err)
	}
	if n := e.a.Skipped(); n != 1 {
		t.Errorf("Skipped = %d, want 1", n)
	}
}

// By webhook, an update that cannot be decoded is answered 200, so that
// Telegram does not send it again and again, and counted; the next update
// is handled.
func TestWebhookMalformedUpdate(t *testing.T) {
	e := newEnv(t)
	var h http.Handler = http.NotFoundHandler()
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	defer hook.Close()
	e.start(telegram.Config{WebhookURL: hook.URL, WebhookSecret: "s3cret-hook"})
	h = e.a.WebhookHandler()
	for _, body := range []string{`{"update_id":5,"message":"oops"}`, `{"update_id":`, strings.Repeat(" ", 1<<20+1)} {
		if code := postUpdate(t, hook.URL, "s3cret-hook", body); code != http.StatusOK {
			t.Errorf("%.20q: status %d, want 200", body, code)
		}
	}
	if n := e.a.Skipped(); n != 3 {
		t.Errorf("Skipped = %d, want 3", n)
	}
	// Through the fake, as Telegram posts them: the malformed one is
	// confirmed and the next one answered.
	if err := e.fake.WaitFor(e.ctx(), func(v telegramtest.View) bool { return v.Webhook() != "" }); err != nil {
		t.Fatal(err)
	}
	if _, err := e.fake.PushRaw(`{"message":"oops"}`); err != nil {
		t.Fatal(err)
	}
	e.fake.Text(citizen, "/help")
	contains(t, e.waitSent(citizen, 1), "/status")
	if n := e.a.Skipped(); n != 4 {
		t.Errorf("Skipped = %d, want 4", n)
	}
	if !strings.Contains(e.log.String(), "update_id=5 ") {
		t.Errorf("the log lacks the skipped update's id:\n%s", e.log)
	}
}

// By webhook, an update that could not be stored is answered 500, so that
// Telegram sends it again; it is not counted as skipped.
func TestWebhookStoreDown(t *testing.T) {
	e := newEnv(t)
	e.start(telegram.Config{WebhookURL: "http://127.0.0.1:1/hook", WebhookSecret: "s"})
	hook := httptest.NewServer(e.a.WebhookHandler())
	defer hook.Close()
	e.db.Close()
	body := `{"update_id":9,"message":{"message_id":1,"from":{"id":5},"chat":{"id":5,"type":"private"},"text":"/help"}}`
	if code := postUpdate(t, hook.URL, "s", body); code != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", code)
	}
	if n := e.a.Skipped(); n != 0 {
		t.Errorf("Skipped = %d, want 0", n)
	}
}

// postUpdate POSTs body to a webhook with the secret token header (none if
// secret is empty) and returns the status.
func postUpdate(t *testing.T, url, secret, body string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
