// SPDX-License-Identifier: Apache-2.0

package console_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/console"
	"github.com/hotline-cchc/hotline/tickets"
)

func TestLoginPage(t *testing.T) {
	e := newEnv(t)
	post := func(name, password string) *http.Response {
		r := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"name": {name}, "password": {password}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, r)
		return w.Result()
	}
	res := post("focal", testPassword)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("sign-in: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	cs := res.Cookies()
	if len(cs) != 1 || !cs[0].HttpOnly || cs[0].SameSite != http.SameSiteLaxMode || cs[0].Value == "" {
		t.Errorf("session cookie = %+v", cs)
	}
	if su, err := e.db.SessionUser(context.Background(), hashOf(cs[0].Value), e.clock.T); err != nil || su.Name != "focal" {
		t.Errorf("the cookie names no session of focal: %v, %v", su, err)
	}
	res = post("focal", "sai mật khẩu")
	if b := body(t, res); res.StatusCode != http.StatusUnauthorized || !strings.Contains(b, "Sai tên đăng nhập hoặc mật khẩu.") {
		t.Errorf("wrong password: %d\n%s", res.StatusCode, b)
	}
	for range 4 {
		post("focal", "sai mật khẩu")
	}
	res = post("focal", testPassword)
	if b := body(t, res); res.StatusCode != http.StatusTooManyRequests || !strings.Contains(b, "Vui lòng thử lại sau") {
		t.Errorf("after 5 failures: %d\n%s", res.StatusCode, b)
	}
	// A throttle, not a lock: once the wait is over, the password works.
	wait, err := strconv.Atoi(res.Header.Get("Retry-After"))
	if err != nil {
		t.Fatalf("Retry-After %q: %v", res.Header.Get("Retry-After"), err)
	}
	e.clock.T = e.clock.T.Add(time.Duration(wait) * time.Second)
	if res = post("focal", testPassword); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after Retry-After: %d, want 303", res.StatusCode)
	}
}

func TestSecurityHeadersAndCSRF(t *testing.T) {
	e := newEnv(t)
	res := e.do(t, "focal", "GET", "/", nil)
	for k, want := range map[string]string{
		"Content-Security-Policy": "frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "no-referrer",
		"Cache-Control":           "no-store",
	} {
		if got := res.Header.Get(k); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	code := e.open(t, 1)
	r := httptest.NewRequest("POST", "/tickets/"+string(code)+"/take", strings.NewReader(""))
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	r.AddCookie(&http.Cookie{Name: "hotline_session", Value: e.cookies["focal"]})
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	if w.Code != http.StatusForbidden {
		t.Errorf("cross-site POST: %d, want 403", w.Code)
	}
	if tk, _ := e.db.Ticket(context.Background(), code); tk.Status != tickets.StatusNew {
		t.Errorf("a cross-site POST moved the ticket to %s", tk.Status)
	}
}

// A focal point answers and resolves a Telegram ticket: both go into the
// history and the citizen's outbox.
func TestAnswerAndResolve(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	code := e.open(t, 1)
	path := "/tickets/" + string(code)
	steps := []struct {
		action string
		form   url.Values
		status int
	}{
		{"answer", url.Values{"note": {""}}, http.StatusBadRequest},
		{"take", url.Values{}, http.StatusSeeOther},
		{"start", url.Values{}, http.StatusSeeOther},
		{"answer", url.Values{"note": {"Hồ sơ của ông đã được chuyển Sở Nội vụ."}}, http.StatusSeeOther},
		{"resolve", url.Values{"note": {"Đã trả kết quả."}}, http.StatusSeeOther},
		{"resolve", url.Values{}, http.StatusConflict},
		{"reassign", url.Values{"department": {"so-tu-phap"}}, http.StatusBadRequest},
	}
	for _, s := range steps {
		res := e.do(t, "focal", "POST", path+"/"+s.action, s.form)
		if res.StatusCode != s.status {
			t.Fatalf("%s: status %d, want %d\n%s", s.action, res.StatusCode, s.status, body(t, res))
		}
	}
	b := body(t, e.do(t, "focal", "GET", path, nil))
	for _, want := range []string{"Đã giải quyết", "Hồ sơ của ông đã được chuyển Sở Nội vụ.", "Trả lời công dân", "focal", "*******234",
		"Ảnh", `href="/tickets/` + string(code) + `/attachments/0"`, "Vị trí (chỉ cơ quan xử lý phiếu xem được"} {
		if !strings.Contains(b, want) {
			t.Errorf("ticket page lacks %q", want)
		}
	}
	if strings.Contains(b, "5550001234") {
		t.Error("ticket page shows the full contact before it is asked for")
	}
	out, err := e.db.Outbox(ctx, tickets.ChannelTelegram, e.clock.T.AddDate(1, 0, 0), 10)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, o := range out {
		if o.Recipient.ID == "5550001234" {
			kinds = append(kinds, string(o.Kind)+":"+o.Body)
		}
	}
	if got := strings.Join(kinds, "|"); !strings.Contains(got, "Hồ sơ của ông đã được chuyển Sở Nội vụ.") || !strings.Contains(got, "Đã trả kết quả.") {
		t.Errorf("outbox to the citizen = %q", got)
	}
}

// Seeing a phone number or a recording leaves an audit record.
func TestAuditOfPersonalData(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	code := e.open(t, 1)
	if b := body(t, e.do(t, "focal", "POST", "/tickets/"+string(code)+"/contact", url.Values{})); !strings.Contains(b, "5550001234") {
		t.Errorf("contact page lacks the number:\n%s", b)
	}
	res := e.do(t, "admin", "GET", "/tickets/"+string(code)+"/recording", nil)
	if b := body(t, res); res.StatusCode != 200 || b != "RIFF....WAVE" || res.Header.Get("Content-Type") != "audio/wav" {
		t.Errorf("recording: %d %q %q", res.StatusCode, res.Header.Get("Content-Type"), b)
	}
	res = e.do(t, "focal", "GET", "/tickets/"+string(code)+"/attachments/0", nil)
	if b := body(t, res); res.StatusCode != 200 || b != "file photo-1" || res.Header.Get("Content-Type") != "image/jpeg" ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("attachment: %d %q %q %q", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"), b)
	}
	es, err := e.db.AuditLog(ctx, code)
	if err != nil || len(es) != 4 || es[0].Actor != "focal" || es[0].Action != tickets.AuditViewContact ||
		es[1].Action != tickets.AuditViewLocation ||
		es[2].Actor != "admin" || es[2].Action != tickets.AuditPlayRecording || es[3].Action != tickets.AuditOpenAttachment {
		t.Errorf("audit = %+v, %v", es, err)
	}
	tk, _ := e.db.Ticket(ctx, code)
	os.Remove(filepath.Join(e.dir, tk.Recording+".wav"))
	if res := e.do(t, "admin", "GET", "/tickets/"+string(code)+"/recording", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("missing recording: %d, want 404", res.StatusCode)
	}
	// Not copied here: fetched from the Asterisk server, and audited too.
	e.remote[tk.Recording] = []byte("RIFF-from-asterisk")
	res = e.do(t, "admin", "GET", "/tickets/"+string(code)+"/recording", nil)
	if b := body(t, res); res.StatusCode != 200 || b != "RIFF-from-asterisk" || res.Header.Get("Content-Type") != "audio/wav" {
		t.Errorf("remote recording: %d %q", res.StatusCode, b)
	}
	if es, err := e.db.AuditLog(ctx, code); err != nil || len(es) != 5 || es[4].Action != tickets.AuditPlayRecording {
		t.Errorf("audit after the remote recording = %+v, %v", es, err)
	}
}

// A focal point's queue holds only their department's open tickets.
func TestQueuePage(t *testing.T) {
	e := newEnv(t)
	mine, theirs := e.open(t, 1), e.open(t, 2)
	b := body(t, e.do(t, "focal", "GET", "/", nil))
	if !strings.Contains(b, string(mine)) || strings.Contains(b, string(theirs)) || !strings.Contains(b, "Sở Nội vụ") {
		t.Errorf("focal's queue:\n%s", b)
	}
	b = body(t, e.do(t, "manager", "GET", "/", nil))
	if !strings.Contains(b, string(mine)) || !strings.Contains(b, string(theirs)) {
		t.Errorf("manager's queue:\n%s", b)
	}
	if res := e.do(t, "focal", "GET", "/?after=garbage", nil); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad cursor: %d", res.StatusCode)
	}
}

func TestDashboard(t *testing.T) {
	e := newEnv(t)
	e.open(t, 1)
	e.open(t, 2)
	b := body(t, e.do(t, "manager", "GET", "/dashboard", nil))
	for _, want := range []string{"Sở Nội vụ", "Sở Tư pháp", "Tổng cộng", "Mới tiếp nhận", `src="/reports/html?month=2026-10"`, `href="/reports/xlsx?month=2026-10"`} {
		if !strings.Contains(b, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	res := e.do(t, "manager", "GET", "/reports/html?month=2026-10", nil)
	if b := body(t, res); b != "report html 2026-10-01 2026-10-31" || !strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'self'") {
		t.Errorf("html report: %q, CSP %q", b, res.Header.Get("Content-Security-Policy"))
	}
	res = e.do(t, "manager", "GET", "/reports/xlsx?month=2026-10", nil)
	if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
		t.Errorf("xlsx download: Content-Disposition %q", cd)
	}
}

func TestOperatorFilesTicket(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if b := body(t, e.do(t, "operator", "GET", "/new", nil)); !strings.Contains(b, "Cải cách thủ tục hành chính") {
		t.Errorf("the form lacks the branches:\n%s", b)
	}
	res := e.do(t, "operator", "POST", "/new", url.Values{"branch": {"4"}, "text": {""}})
	if b := body(t, res); res.StatusCode != http.StatusBadRequest || !strings.Contains(b, "Vui lòng nhập nội dung phản ánh.") {
		t.Errorf("empty text: %d\n%s", res.StatusCode, b)
	}
	res = e.do(t, "operator", "POST", "/new", url.Values{"branch": {"4"}, "text": {"Hồ sơ trễ hẹn"}, "phone": {"0939015599"}})
	code, ok := strings.CutPrefix(res.Header.Get("Location"), "/tickets/")
	if res.StatusCode != http.StatusSeeOther || !ok {
		t.Fatalf("file: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	tk, err := e.db.Ticket(ctx, tickets.Code(code))
	if err != nil || tk.Channel != tickets.ChannelOperator || tk.Department != "van-phong-ubnd-tinh" || tk.Contact != "0939015599" {
		t.Fatalf("filed ticket = %+v, %v", tk, err)
	}
	hs, _ := e.db.History(ctx, tk.Code)
	if len(hs) != 1 || hs[0].Actor != "operator" {
		t.Errorf("history = %+v", hs)
	}
	if b := body(t, e.do(t, "operator", "GET", "/tickets/"+code, nil)); strings.Contains(b, "0939015599") || strings.Contains(b, "Xử lý phiếu") {
		t.Errorf("the operator's view shows the number or actions:\n%s", b)
	}
}

// An admin sees on the ticket page who looked at the citizen's data.
func TestAuditShownToAdmin(t *testing.T) {
	e := newEnv(t)
	code := string(e.open(t, 1))
	e.do(t, "focal", "POST", "/tickets/"+code+"/contact", url.Values{})
	if b := body(t, e.do(t, "admin", "GET", "/tickets/"+code, nil)); !strings.Contains(b, "Truy cập dữ liệu cá nhân") || !strings.Contains(b, "Xem số liên hệ") {
		t.Errorf("admin's page lacks the audit:\n%s", b)
	}
	if b := body(t, e.do(t, "focal", "GET", "/tickets/"+code, nil)); strings.Contains(b, "Truy cập dữ liệu cá nhân") {
		t.Error("a focal point sees the audit")
	}
}

// Over HTTPS (here: behind a proxy that says so) the session cookie is
// Secure and host-only.
func TestSecureCookie(t *testing.T) {
	e := newEnv(t)
	r := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"name": {"admin"}, "password": {testPassword}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("X-Forwarded-Proto", "https")
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	cs := w.Result().Cookies()
	if len(cs) != 1 || !cs[0].Secure || cs[0].Name != "__Host-hotline_session" || !cs[0].HttpOnly {
		t.Errorf("cookie over HTTPS = %+v", cs)
	}
	if w.Header().Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS over HTTPS")
	}
}

// racingService reassigns the ticket to so-tu-phap just before each move, as
// another user could between the console's check and the change.
type racingService struct{ *tickets.Service }

func (s racingService) Move(ctx context.Context, code tickets.Code, c tickets.Change) (*tickets.Ticket, error) {
	if _, err := s.Service.Move(ctx, code, tickets.Change{Action: tickets.ActionAssign, Department: "so-tu-phap",
		Note: "Sai lĩnh vực", Actor: "admin"}); err != nil {
		return nil, err
	}
	return s.Service.Move(ctx, code, c)
}

// A focal point's change is checked against the department again in its
// own transaction: a ticket moved away meanwhile is out of reach.
func TestMoveRacesReassignment(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	srv, err := console.New(console.Config{Store: e.db, Service: racingService{e.svc}, Menu: e.svc.Menu, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	code := e.open(t, 1)
	r := httptest.NewRequest("POST", "/tickets/"+string(code)+"/answer", strings.NewReader(url.Values{"note": {"Trả lời"}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.AddCookie(&http.Cookie{Name: "hotline_session", Value: e.cookies["focal"]})
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, r)
	if w.Code != http.StatusNotFound || strings.Contains(w.Body.String(), "Hồ sơ trễ hẹn") {
		t.Errorf("answer to a ticket moved away: %d, want 404 without the ticket\n%s", w.Code, w.Body)
	}
	hs, _ := e.db.History(ctx, code)
	for _, h := range hs {
		if h.Action == tickets.ActionAnswer {
			t.Errorf("the answer was stored: %+v", h)
		}
	}
}

// The answer form says where the answer goes: the citizen's chat, or only
// the history for a ticket that no channel can deliver to.
func TestAnswerFormSaysWhereItGoes(t *testing.T) {
	e := newEnv(t)
	chat := string(e.open(t, 1))
	phone, err := e.svc.Open(context.Background(), tickets.NewTicket{Branch: 1, Channel: tickets.ChannelPhone, Text: "Gọi đến", Contact: "0939015599", Actor: "ivr"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, code, want, not string
	}{
		{"OKChat", chat, "(gửi qua Telegram)", "không nhận tin nhắn tự động"},
		{"OKPhone", string(phone.Code), "không nhận tin nhắn tự động", "(gửi qua"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := body(t, e.do(t, "focal", "GET", "/tickets/"+tt.code, nil))
			if !strings.Contains(b, tt.want) || strings.Contains(b, tt.not) {
				t.Errorf("page has not %q or has %q", tt.want, tt.not)
			}
		})
	}
}

// Managers may narrow the queue to one department; a focal point's filter
// stays their own whatever they ask.
func TestQueueByDepartment(t *testing.T) {
	e := newEnv(t)
	noiVu, tuPhap := string(e.open(t, 1)), string(e.open(t, 2))
	tests := []struct {
		name, user, target string
		status             int
		has, hasNot        string
	}{
		{"OKManager", "manager", "/?department=so-tu-phap", 200, tuPhap, noiVu},
		{"OKManagerAPI", "manager", "/api/v1/tickets?department=so-tu-phap", 200, tuPhap, noiVu},
		{"OKFocalIgnored", "focal", "/?department=so-tu-phap", 200, noiVu, tuPhap},
		{"OKFocalAPIIgnored", "focal", "/api/v1/tickets?department=so-tu-phap", 200, noiVu, tuPhap},
		{"ErrUnknown", "manager", "/?department=so-xyz", 400, "", noiVu},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := e.do(t, tt.user, "GET", tt.target, nil)
			b := body(t, res)
			if res.StatusCode != tt.status || !strings.Contains(b, tt.has) || strings.Contains(b, tt.hasNot) {
				t.Errorf("status %d (want %d), has %q: %v, has %q: %v", res.StatusCode, tt.status,
					tt.has, strings.Contains(b, tt.has), tt.hasNot, strings.Contains(b, tt.hasNot))
			}
		})
	}
}

// The chat transcript is personal data like the contact: the ticket's page
// shows it to those who work the ticket, and not to a manager or operator
// who may only read it.
func TestTranscriptShownToThoseWhoWork(t *testing.T) {
	e := newEnv(t)
	code := e.open(t, 1)
	for _, tt := range []struct {
		user  string
		shown bool
	}{
		{"focal", true}, {"admin", true}, {"manager", false}, {"operator", false},
	} {
		t.Run(tt.user, func(t *testing.T) {
			res := e.do(t, tt.user, "GET", "/tickets/"+string(code), nil)
			b := body(t, res)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			for _, w := range []string{"Hội thoại qua Telegram", "Xin chào! Vui lòng chọn lĩnh vực", "Tổng đài tự động", "Công dân", "giấy-hẹn.pdf"} {
				if got := strings.Contains(b, w); got != tt.shown {
					t.Errorf("page shows %q: %v, want %v", w, got, tt.shown)
				}
			}
		})
	}
}

// A resolved ticket can be reopened, with a reason, or closed, from its
// page; a manager sees neither button.
func TestReopenAndClose(t *testing.T) {
	e := newEnv(t)
	code := e.open(t, 1)
	path := "/tickets/" + string(code)
	e.resolve(t, code)
	b := body(t, e.do(t, "focal", "GET", path, nil))
	for _, w := range []string{`action="` + path + `/reopen"`, "Mở lại</button>", `action="` + path + `/close"`, "Đóng phiếu</button>"} {
		if !strings.Contains(b, w) {
			t.Errorf("resolved ticket's page lacks %q", w)
		}
	}
	if b := body(t, e.do(t, "manager", "GET", path, nil)); strings.Contains(b, "Đóng phiếu</button>") || strings.Contains(b, "Mở lại</button>") {
		t.Error("a manager's page offers reopen or close")
	}
	res := e.do(t, "focal", "POST", path+"/reopen", url.Values{"note": {""}})
	if b := body(t, res); res.StatusCode != http.StatusBadRequest || !strings.Contains(b, "Vui lòng nêu lý do mở lại phiếu.") {
		t.Fatalf("reopen without a reason: %d\n%s", res.StatusCode, b)
	}
	steps := []struct{ action, note, status string }{
		{"reopen", "Công dân chưa nhận được kết quả", "Đang xử lý"},
		{"resolve", "Đã gửi lại kết quả", "Đã giải quyết"},
		{"close", "", "Đã đóng"},
	}
	for _, s := range steps {
		if res := e.do(t, "focal", "POST", path+"/"+s.action, url.Values{"note": {s.note}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: status %d\n%s", s.action, res.StatusCode, body(t, res))
		}
		tk, _ := e.db.Ticket(context.Background(), code)
		if got := tk.Status.Vietnamese(); got != s.status {
			t.Fatalf("after %s: status %q, want %q", s.action, got, s.status)
		}
	}
	b = body(t, e.do(t, "focal", "GET", path, nil))
	if !strings.Contains(b, "Công dân chưa nhận được kết quả") || strings.Contains(b, "Xử lý phiếu") {
		t.Errorf("closed ticket's page: want the reopen reason in the history and no actions\n%s", b)
	}
}
