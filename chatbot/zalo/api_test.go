// SPDX-License-Identifier: Apache-2.0

package zalo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/chatbot/zalo"
	"github.com/hotline-cchc/hotline/chatbot/zalotest"
)

const (
	appID     = "1234567890123456789"
	oaID      = "9876543210987654321"
	appSecret = "app-secret-never-logged"
	oaSecret  = "oa-secret-key-never-logged"
)

// fake starts a fake OA on a settable clock and a client pointed at it.
func fake(t *testing.T, o zalotest.Options) (*zalotest.Server, *zalo.Client, *zalotest.Clock) {
	t.Helper()
	clock := &zalotest.Clock{T: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	o.AppID, o.OAID, o.AppSecret, o.OASecret, o.Now = appID, oaID, appSecret, oaSecret, clock.Now
	if o.RetryDelays == nil {
		o.RetryDelays = []time.Duration{10 * time.Millisecond, 10 * time.Millisecond}
	}
	s := zalotest.New(o)
	t.Cleanup(s.Close)
	return s, &zalo.Client{AppID: appID, AppSecret: appSecret, API: s.URL, OAuth: s.URL, Business: s.URL}, clock
}

func code(err error) int {
	if e, ok := err.(*zalo.APIError); ok {
		return e.Code
	}
	return 0
}

func TestRefreshTokensWorkOnce(t *testing.T) {
	ctx := context.Background()
	s, c, clock := fake(t, zalotest.Options{})
	tok, err := c.Refresh(ctx, "refresh-0", clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if tok.Access == "" || tok.Refresh == "" || !tok.Expires.Equal(clock.Now().Add(25*time.Hour)) {
		t.Errorf("token = %+v", tok)
	}
	t.Run("ErrReused", func(t *testing.T) {
		if _, err := c.Refresh(ctx, "refresh-0", clock.Now()); code(err) != -14014 {
			t.Errorf("second use of a refresh token: %v, want error -14014", err)
		}
	})
	t.Run("OKNewOne", func(t *testing.T) {
		if !s.RefreshTokenValid(tok.Refresh) {
			t.Fatal("the new refresh token is not valid")
		}
		if _, err := c.Refresh(ctx, tok.Refresh, clock.Now()); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrWrongSecret", func(t *testing.T) {
		bad := *c
		bad.AppSecret = "wrong"
		if _, err := bad.Refresh(ctx, "anything", clock.Now()); code(err) != -14002 {
			t.Errorf("wrong secret: %v", err)
		}
	})
	t.Run("OKExchange", func(t *testing.T) {
		if _, err := c.Exchange(ctx, s.AuthorizationCode(), "verifier", clock.Now()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSendWindow(t *testing.T) {
	ctx := context.Background()
	s, c, clock := fake(t, zalotest.Options{})
	tok, err := c.Refresh(ctx, "refresh-0", clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	const user = "5001"
	t.Run("ErrNeverWrote", func(t *testing.T) {
		if _, err := c.Send(ctx, tok.Access, user, zalo.Message{Text: "Xin chào"}); !zalo.WindowClosed(err) || zalo.Transient(err) {
			t.Errorf("send to a user who never wrote: %v, want -230", err)
		}
	})
	s.Text(user, "Tôi muốn phản ánh")
	if _, err := s.WaitDeliveries(ctx, 1); err != nil {
		t.Fatal(err)
	}
	t.Run("OKButtons", func(t *testing.T) {
		id, err := c.Send(ctx, tok.Access, user, zalo.Message{Text: "Chọn lĩnh vực", Buttons: []zalo.Button{{Title: "Thủ tục hành chính", Payload: "#b4"}}})
		if err != nil || id == "" {
			t.Fatalf("send: %q, %v", id, err)
		}
		got := s.SentTo(user)
		if len(got) != 1 || got[0].Text != "Chọn lĩnh vực" || len(got[0].Buttons) != 1 || got[0].Buttons[0].Payload != "#b4" ||
			got[0].Buttons[0].Type != "oa.query.hide" || got[0].Billed {
			t.Errorf("sent %+v", got)
		}
	})
	t.Run("OKAskInfo", func(t *testing.T) {
		if _, err := c.Send(ctx, tok.Access, user, zalo.Message{AskInfo: &zalo.InfoRequest{Title: "Số điện thoại", Subtitle: "Để cán bộ liên hệ lại"}}); err != nil {
			t.Fatal(err)
		}
		if got := s.SentTo(user); !got[len(got)-1].AskInfo {
			t.Errorf("not a request_user_info card: %s", got[len(got)-1].Raw)
		}
	})
	t.Run("ErrTooLong", func(t *testing.T) {
		if _, err := c.Send(ctx, tok.Access, user, zalo.Message{Text: strings.Repeat("ạ", zalo.MaxText+1)}); code(err) != zalo.CodeInvalidParam {
			t.Errorf("2,001 characters: %v", err)
		}
	})
	t.Run("OKBilledAfter48h", func(t *testing.T) {
		clock.Advance(3 * 24 * time.Hour)
		tok, err = c.Refresh(ctx, tok.Refresh, clock.Now()) // the old access token has expired
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Send(ctx, tok.Access, user, zalo.Message{Text: "Trả lời"}); err != nil {
			t.Fatal(err)
		}
		if got := s.SentTo(user); !got[len(got)-1].Billed {
			t.Error("a reply after 3 days is not billed")
		}
	})
	t.Run("ErrTokenExpired", func(t *testing.T) {
		clock.Advance(26 * time.Hour)
		if _, err := c.Send(ctx, tok.Access, user, zalo.Message{Text: "x"}); !zalo.TokenRejected(err) {
			t.Errorf("expired token: %v, want -220", err)
		}
	})
	t.Run("ErrAfter7Days", func(t *testing.T) {
		clock.Advance(5 * 24 * time.Hour)
		tok, err = c.Refresh(ctx, tok.Refresh, clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Send(ctx, tok.Access, user, zalo.Message{Text: "x"}); !zalo.WindowClosed(err) {
			t.Errorf("after 9 days: %v, want -230", err)
		}
	})
}

func TestSendFaults(t *testing.T) {
	ctx := context.Background()
	s, c, clock := fake(t, zalotest.Options{RateLimit: 2})
	tok, err := c.Refresh(ctx, "refresh-0", clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	s.Text("u1", "xin chào")
	s.WaitDeliveries(ctx, 1)
	for i := range 2 {
		if _, err := c.Send(ctx, tok.Access, "u1", zalo.Message{Text: "x"}); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	if _, err := c.Send(ctx, tok.Access, "u1", zalo.Message{Text: "x"}); code(err) != zalo.CodeRateLimit || !zalo.Transient(err) {
		t.Errorf("third send in a minute: %v, want a transient -32", err)
	}
	clock.Advance(time.Minute)
	s.Fail(zalotest.Fault{Path: "/v3.0/oa/message/cs", HTTPStatus: 502})
	if _, err := c.Send(ctx, tok.Access, "u1", zalo.Message{Text: "x"}); !zalo.Transient(err) {
		t.Errorf("502: %v, want transient", err)
	}
	s.Fail(zalotest.Fault{Code: zalo.CodeUserNotFollow})
	if _, err := c.Send(ctx, tok.Access, "u1", zalo.Message{Text: "x"}); zalo.Transient(err) || code(err) != zalo.CodeUserNotFollow {
		t.Errorf("-213: %v, want permanent", err)
	}
}

func TestTemplateOncePerTrackingID(t *testing.T) {
	ctx := context.Background()
	s, c, clock := fake(t, zalotest.Options{Templates: []string{"tpl-received"}})
	tok, err := c.Refresh(ctx, "refresh-0", clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	tpl := zalo.Template{Phone: "84912345678", TemplateID: "tpl-received", Data: map[string]string{"ma_phieu": "572306141"}, TrackingID: "outbox-17"}
	first, err := c.SendTemplate(ctx, tok.Access, tpl)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.SendTemplate(ctx, tok.Access, tpl)
	if err != nil || again != first || len(s.Templates()) != 1 {
		t.Errorf("a retry with the same tracking id: %q %v, %d messages; want the same message once", again, err, len(s.Templates()))
	}
	for _, tt := range []struct {
		name string
		mod  func(*zalo.Template)
		want int
	}{
		{"ErrPhone", func(t *zalo.Template) { t.Phone = "0912345678" }, zalo.CodeInvalidPhone},
		{"ErrTemplate", func(t *zalo.Template) { t.TemplateID = "unapproved" }, -131},
	} {
		t.Run(tt.name, func(t *testing.T) {
			bad := tpl
			bad.TrackingID = tt.name
			tt.mod(&bad)
			if _, err := c.SendTemplate(ctx, tok.Access, bad); code(err) != tt.want {
				t.Errorf("%v, want %d", err, tt.want)
			}
		})
	}
}

func TestUpload(t *testing.T) {
	ctx := context.Background()
	s, c, clock := fake(t, zalotest.Options{})
	tok, _ := c.Refresh(ctx, "refresh-0", clock.Now())
	ft, err := c.Upload(ctx, tok.Access, "bao-cao.xlsx", strings.NewReader("PK…"))
	if err != nil || string(s.Uploaded(ft)) != "PK…" {
		t.Fatalf("upload: %q %v", ft, err)
	}
}
