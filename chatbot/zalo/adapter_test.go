// SPDX-License-Identifier: Apache-2.0

package zalo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/chatbot"
	"github.com/hotline-cchc/hotline/chatbot/zalo"
	"github.com/hotline-cchc/hotline/chatbot/zalotest"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

// store adapts the SQLite store to the adapter's, as cmd/hotline does.
type store struct{ *sqlite.DB }

func (s store) PendingEvents(ctx context.Context, limit int) ([]zalo.InboxEvent, error) {
	es, err := s.DB.PendingEvents(ctx, limit)
	out := make([]zalo.InboxEvent, len(es))
	for i, e := range es {
		out[i] = zalo.InboxEvent(e)
	}
	return out, err
}

func (s store) LoadToken(ctx context.Context) (zalo.StoredToken, bool, error) {
	t, ok, err := s.DB.ZaloToken(ctx)
	return zalo.StoredToken{Token: zalo.Token{Access: t.Access, Refresh: t.Refresh, Expires: t.Expires},
		RefreshExpires: t.RefreshExpires, CreatedAt: t.CreatedAt, Source: t.Source}, ok, err
}

func (s store) SaveToken(ctx context.Context, t zalo.StoredToken) error {
	return s.DB.SaveZaloToken(ctx, sqlite.ZaloToken{Access: t.Access, Refresh: t.Refresh, Expires: t.Expires,
		RefreshExpires: t.RefreshExpires, CreatedAt: t.CreatedAt, Source: t.Source})
}

type rig struct {
	fake *zalotest.Server
	ad   *zalo.Adapter
	db   *sqlite.DB
	hook *httptest.Server
	now  time.Time
}

func newRig(tb testing.TB, refresh string) *rig {
	tb.Helper()
	return makeRig(tb, refresh, "")
}

// newRigTemplates is a rig whose adapter sends the answer template.
func newRigTemplates(tb testing.TB) *rig {
	tb.Helper()
	return makeRig(tb, "refresh-0", "tpl-answer")
}

func makeRig(tb testing.TB, refresh, template string) *rig {
	tb.Helper()
	svc, _ := ticketstest.Service(tb)
	db := svc.Store.(*sqlite.DB)
	r := &rig{db: db, now: time.Now()}
	r.fake = zalotest.New(zalotest.Options{AppID: "app", OAID: "oa", AppSecret: "as", OASecret: "ok",
		RetryDelays: []time.Duration{}, Templates: []string{"tpl-answer"}})
	tb.Cleanup(r.fake.Close)
	bot := &chatbot.Bot{Channel: tickets.ChannelZalo, Store: db, Tickets: svc, Menu: svc.Menu, Calendar: svc.Calendar, GreetFirst: true, SayNotices: true}
	c := &zalo.Client{AppID: "app", AppSecret: "as", API: r.fake.URL, OAuth: r.fake.URL, Business: r.fake.URL}
	r.ad = zalo.New(zalo.Config{Client: c, OAID: "oa", OASecretKey: "ok", RefreshToken: refresh, TemplateAnswered: template,
		Now: func() time.Time { return r.now }}, bot, store{db})
	r.hook = httptest.NewServer(r.ad.Handler())
	tb.Cleanup(r.hook.Close)
	r.fake.Hook(r.hook.URL)
	return r
}

func (r *rig) post(tb testing.TB, body []byte, sig string) int {
	tb.Helper()
	req, _ := http.NewRequest(http.MethodPost, r.hook.URL, bytes.NewReader(body))
	req.Header.Set(zalo.SignatureHeader, sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func event(name, sender, oa, msgID string, ts int64) []byte {
	return fmt.Appendf(nil, `{"app_id":"app","event_name":%q,"sender":{"id":%q},"recipient":{"id":%q},"message":{"msg_id":%q,"text":"xin chào"},"timestamp":"%d"}`,
		name, sender, oa, msgID, ts)
}

// Bad input is answered 200 and dropped, counted by reason; nothing reaches
// the inbox.
func TestWebhookDrops(t *testing.T) {
	r := newRig(t, "refresh-0")
	now := r.now.UnixMilli()
	good := event("user_send_text", "u1", "oa", "m1", now)
	huge := append(event("user_send_text", "u1", "oa", "m2", now), bytes.Repeat([]byte(" "), 1<<20)...)
	cases := []struct {
		reason string
		body   []byte
		sig    string
	}{
		{"signature", good, ""},
		{"signature", good, "mac=" + strings.Repeat("0", 64)},
		{"other_oa", event("user_send_text", "u1", "another", "m3", now), ""},
		{"unknown_event", event("user_reacted_message", "u1", "oa", "m4", now), ""},
		{"stale", event("user_send_text", "u1", "oa", "m5", now-8*24*3600*1000), ""},
		{"too_large", huge, ""},
		{"malformed", []byte(`{"app_id":"app","event_name":"","timestamp":"1"}`), ""},
	}
	for _, c := range cases {
		sig := c.sig
		if sig == "" && c.reason != "signature" {
			sig = r.fake.Sign(c.body, tsOf(c.body))
		}
		if got := r.post(t, c.body, sig); got != http.StatusOK {
			t.Errorf("%s: status %d, want 200", c.reason, got)
		}
	}
	d := r.ad.Stats().Dropped()
	for _, c := range cases {
		if d[c.reason] == 0 {
			t.Errorf("dropped[%s] = 0; all: %v", c.reason, d)
		}
	}
	if es, _ := r.db.PendingEvents(context.Background(), 10); len(es) != 0 {
		t.Errorf("inbox holds %d dropped events", len(es))
	}
}

func tsOf(body []byte) string {
	var head struct {
		Timestamp json.RawMessage `json:"timestamp"`
	}
	json.Unmarshal(body, &head)
	return strings.Trim(string(head.Timestamp), `"`)
}

// Ids written as numbers are accepted; a duplicate msg_id is stored once.
func TestWebhookNumbersAndDuplicates(t *testing.T) {
	r := newRig(t, "refresh-0")
	body := fmt.Appendf(nil, `{"app_id":"app","event_name":"user_send_text","sender":{"id":123456789012345678},"recipient":{"id":"oa"},"message":{"msg_id":42,"text":"a"},"timestamp":%d}`, r.now.UnixMilli())
	sig := r.fake.Sign(body, fmt.Sprint(r.now.UnixMilli()))
	for range 3 {
		if got := r.post(t, body, sig); got != http.StatusOK {
			t.Fatalf("status %d", got)
		}
	}
	es, _ := r.db.PendingEvents(context.Background(), 10)
	if len(es) != 1 || es[0].Sender != "123456789012345678" || r.ad.Stats().Duplicates.Load() != 2 {
		t.Fatalf("inbox = %+v, duplicates %d", es, r.ad.Stats().Duplicates.Load())
	}
}

// The refresh token is traded once; its successor is stored; /readyz's
// problem appears within 14 days of its expiry and when Zalo refuses it.
func TestTokens(t *testing.T) {
	ctx := context.Background()
	t.Run("RefreshStored", func(t *testing.T) {
		r := newRig(t, "refresh-0")
		r.fake.Follow("u1")
		r.fake.WaitDeliveries(ctx, 1)
		if _, err := r.ad.HandleInbox(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := r.ad.Bot().DeliverOutbox(ctx, r.ad); err != nil {
			t.Fatal(err)
		}
		tok, ok, _ := r.db.ZaloToken(ctx)
		if !ok || tok.Refresh == "refresh-0" || !r.fake.RefreshTokenValid(tok.Refresh) || r.fake.RefreshTokenValid("refresh-0") {
			t.Fatalf("stored token %+v, %v", tok, ok)
		}
		if err := r.ad.TokenProblem(); err != nil {
			t.Errorf("TokenProblem = %v", err)
		}
		if len(r.fake.SentTo("u1")) != 1 {
			t.Errorf("greeting not sent")
		}
		r.now = r.now.Add(80 * 24 * time.Hour) // 10 days left
		if err := r.ad.TokenProblem(); err == nil || !strings.Contains(err.Error(), "hotline zalo authorize") {
			t.Errorf("TokenProblem 10 days before expiry = %v", err)
		}
	})
	t.Run("Dead", func(t *testing.T) {
		r := newRig(t, "refresh-used")
		r.fake.Follow("u1")
		r.fake.WaitDeliveries(ctx, 1)
		r.ad.HandleInbox(ctx)
		if _, err := r.ad.Bot().DeliverOutbox(ctx, r.ad); err != nil {
			t.Fatal(err)
		}
		if err := r.ad.TokenProblem(); err == nil || !strings.Contains(err.Error(), "refused the refresh token") {
			t.Errorf("TokenProblem = %v", err)
		}
	})
}

// failingSave fails the first n SaveToken calls.
type failingSave struct {
	store
	n int
}

func (f *failingSave) SaveToken(ctx context.Context, t zalo.StoredToken) error {
	if f.n > 0 {
		f.n--
		return fmt.Errorf("disk full")
	}
	return f.store.SaveToken(ctx, t)
}

// New tokens the store failed to keep are stored at the next use, before
// any other refresh: the single-use refresh token is never lost to a
// failed write.
func TestTokenSaveRetried(t *testing.T) {
	ctx := context.Background()
	svc, _ := ticketstest.Service(t)
	db := svc.Store.(*sqlite.DB)
	fake := zalotest.New(zalotest.Options{AppID: "app", OAID: "oa", AppSecret: "as", OASecret: "ok"})
	defer fake.Close()
	fs := &failingSave{store: store{db}, n: 1}
	bot := &chatbot.Bot{Channel: tickets.ChannelZalo, Store: db, Tickets: svc, Menu: svc.Menu, Calendar: svc.Calendar}
	c := &zalo.Client{AppID: "app", AppSecret: "as", API: fake.URL, OAuth: fake.URL, Business: fake.URL}
	ad := zalo.New(zalo.Config{Client: c, OAID: "oa", OASecretKey: "ok", RefreshToken: "refresh-0"}, bot, fs)
	send := func() {
		t.Helper()
		if err := ad.Send(ctx, "u1", chatbot.Reply{Text: "x"}); err != nil && !errors.Is(err, chatbot.ErrRejected) {
			t.Fatal(err) // -230 (the user never wrote) is fine: the token worked
		}
	}
	send()
	if _, ok, _ := db.ZaloToken(ctx); ok {
		t.Fatal("a token stored although the store failed")
	}
	send()
	tok, ok, _ := db.ZaloToken(ctx)
	if !ok || !fake.RefreshTokenValid(tok.Refresh) || fake.Calls("/v4/oa/access_token") != 1 {
		t.Fatalf("stored %+v, %v; token calls %d", tok, ok, fake.Calls("/v4/oa/access_token"))
	}
}
