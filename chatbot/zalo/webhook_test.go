// SPDX-License-Identifier: Apache-2.0

package zalo_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/chatbot/zalo"
	"github.com/hotline-cchc/hotline/chatbot/zalotest"
)

// receiver is a webhook that verifies and decodes what the fake posts.
type receiver struct {
	mu      sync.Mutex
	events  []zalo.Event
	matched []string
	refused int
	fail    int // answer 500 to this many requests first
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.fail > 0 {
		rc.fail--
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	s, err := zalo.Verify(body, r.Header.Get(zalo.SignatureHeader), zalo.Signers(appID, oaID, oaSecret, appSecret))
	if err != nil {
		rc.refused++
		return // 200: Zalo must not retry a forgery
	}
	e, err := zalo.ParseEvent(body)
	if err != nil {
		rc.refused++
		return
	}
	rc.events = append(rc.events, e)
	rc.matched = append(rc.matched, s.Name)
}

func TestWebhookSignatures(t *testing.T) {
	for _, tt := range []struct {
		name       string
		o          zalotest.Options
		wantSigner string
	}{
		{"AppIDOASecret", zalotest.Options{}, "app_id+oa_secret_key"},
		{"OAIDOASecret", zalotest.Options{SignWithOAID: true}, "oa_id+oa_secret_key"},
		{"AppIDAppSecret", zalotest.Options{SignWithAppSecret: true}, "app_id+app_secret"},
		{"OAIDAppSecret", zalotest.Options{SignWithOAID: true, SignWithAppSecret: true}, "oa_id+app_secret"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			s, _, _ := fake(t, tt.o)
			rc := &receiver{}
			hook := httptest.NewServer(rc)
			defer hook.Close()
			s.Hook(hook.URL)
			id := s.Text("5001", "Xin chào")
			s.Location("5001", 10.7769, 106.7009)
			s.SubmitInfo("5001", "Nguyễn Văn A", "84912345678")
			s.Attach("5001", "image", s.AddFile("anh.jpg", []byte("jpeg")), "", "ảnh hồ sơ")
			if _, err := s.WaitDeliveries(ctx, 4); err != nil {
				t.Fatal(err)
			}
			rc.mu.Lock()
			defer rc.mu.Unlock()
			if len(rc.events) != 4 || rc.refused != 0 {
				t.Fatalf("events %d, refused %d", len(rc.events), rc.refused)
			}
			byName := map[string]zalo.Event{}
			for i, e := range rc.events {
				byName[e.Name] = e
				if rc.matched[i] != tt.wantSigner {
					t.Errorf("matched %s, want %s", rc.matched[i], tt.wantSigner)
				}
			}
			if e := byName["user_send_text"]; e.Text != "Xin chào" || e.MsgID != id || e.SenderID != "5001" || e.RecipientID != oaID || e.At.IsZero() {
				t.Errorf("text event %+v", e)
			}
			if a := byName["user_send_location"].Attachments; len(a) != 1 || a[0].Latitude != 10.7769 || a[0].Longitude != 106.7009 {
				t.Errorf("location %+v", a)
			}
			if i := byName["user_submit_info"].Info; i == nil || i.Phone != "84912345678" {
				t.Errorf("submit info %+v", i)
			}
			if a := byName["user_send_image"].Attachments; len(a) != 1 || a[0].Type != "image" || a[0].URL == "" {
				t.Errorf("image %+v", a)
			}
		})
	}
}

func TestWebhookRetriesAndDuplicates(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, _, _ := fake(t, zalotest.Options{})
	rc := &receiver{fail: 1}
	hook := httptest.NewServer(rc)
	defer hook.Close()
	s.Hook(hook.URL)
	s.Text("5001", "một")
	ds, err := s.WaitDeliveries(ctx, 1)
	if err != nil || ds[0].Attempts != 2 || !ds[0].OK {
		t.Fatalf("deliveries %+v, %v; want one retried after a 500", ds, err)
	}
	body := []byte(`{"app_id":"` + appID + `","event_name":"user_send_text","sender":{"id":5001},"recipient":{"id":"` + oaID + `"},"message":{"msg_id":123,"text":"hai"},"timestamp":1764579600000}`)
	s.Deliver(body, 2) // Zalo's duplicates, with ids and timestamp as numbers
	if _, err := s.WaitDeliveries(ctx, 3); err != nil {
		t.Fatal(err)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.events) != 3 || rc.events[1].Key() != rc.events[2].Key() || rc.events[1].SenderID != "5001" || rc.events[1].MsgID != "123" {
		t.Errorf("events %+v", rc.events)
	}
}

func TestVerifyRefusesForgeries(t *testing.T) {
	signers := zalo.Signers(appID, oaID, oaSecret, appSecret)
	body := []byte(`{"app_id":"1","event_name":"user_send_text","timestamp":"1"}`)
	good := "mac=" + signers[0].Sign(body, "1")
	if _, err := zalo.Verify(body, good, signers); err != nil {
		t.Fatalf("good signature refused: %v", err)
	}
	for _, tt := range []struct {
		name, header string
		body         []byte
		want         error
	}{
		{"ErrMissing", "", body, zalo.ErrNoSignature},
		{"ErrNoPrefix", signers[0].Sign(body, "1"), body, zalo.ErrNoSignature},
		{"ErrTampered", good, []byte(`{"app_id":"1","event_name":"user_send_text","timestamp":"2"}`), zalo.ErrBadSignature},
		{"ErrOtherSecret", "mac=" + zalo.Signer{ID: appID, Secret: "guess"}.Sign(body, "1"), body, zalo.ErrBadSignature},
		{"ErrNotJSON", good, []byte("not json"), zalo.ErrBadSignature},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := zalo.Verify(tt.body, tt.header, signers); !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestParseEventErrors(t *testing.T) {
	for _, tt := range []struct{ name, body string }{
		{"ErrNotJSON", `{"event_name":`},
		{"ErrNoName", `{"sender":{"id":"1"}}`},
		{"ErrNoSender", `{"event_name":"user_send_text"}`},
		{"ErrIDObject", `{"event_name":"user_send_text","sender":{"id":{"x":1}}}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := zalo.ParseEvent([]byte(tt.body)); err == nil {
				t.Error("accepted")
			}
		})
	}
	t.Run("OKFollow", func(t *testing.T) {
		e, err := zalo.ParseEvent([]byte(`{"event_name":"follow","follower":{"id":"77"},"timestamp":"5"}`))
		if err != nil || e.SenderID != "77" || e.Key() != "ev:follow:77:5" {
			t.Errorf("%+v %v", e, err)
		}
	})
}

func FuzzWebhook(f *testing.F) {
	signers := zalo.Signers(appID, oaID, oaSecret, appSecret)
	f.Add([]byte(`{"app_id":"1","event_name":"user_send_text","sender":{"id":"1"},"message":{"msg_id":"1","text":"x"},"timestamp":"1"}`), "mac=00")
	f.Add([]byte(`{"event_name":"user_submit_info","sender":{"id":1},"info":{"phone":"84"}}`), "")
	f.Fuzz(func(t *testing.T, body []byte, header string) {
		zalo.Verify(body, header, signers)
		if e, err := zalo.ParseEvent(body); err == nil && (e.Name == "" || e.SenderID == "") {
			t.Errorf("an event without name or sender was accepted: %q", body)
		}
	})
}
