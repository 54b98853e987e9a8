// SPDX-License-Identifier: Apache-2.0

package console_test

import (
	"context"
	"fmt"
	"io"
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
	"github.com/hotline-cchc/hotline/tickets/sqlite"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

// env is a console over a fresh store with one user of each role, each
// signed in (cookie) and holding an API token.
type env struct {
	srv     *console.Server
	db      *sqlite.DB
	svc     *tickets.Service
	clock   *ticketstest.Clock
	cookies map[string]string // user name → session secret
	tokens  map[string]string // user name → API token
	dir     string            // recordings
	remote  map[string][]byte // recordings on the Asterisk server, by name
	updates int64             // chat updates so far, for attachments
}

// The users of env, by role; "focal" works for so-noi-vu, "other" for so-tu-phap.
var roles = []string{"admin", "manager", "focal", "other", "operator", "anonymous"}

// newEnv builds the env; each opt may change the console's Config first.
func newEnv(tb testing.TB, opts ...func(*console.Config)) *env {
	tb.Helper()
	svc, clock := ticketstest.Service(tb)
	db := svc.Store.(*sqlite.DB)
	e := &env{db: db, svc: svc, clock: clock, cookies: map[string]string{}, tokens: map[string]string{}, dir: tb.TempDir(),
		remote: map[string][]byte{}}
	users := []tickets.User{
		{Name: "admin", Role: tickets.RoleAdmin},
		{Name: "manager", Role: tickets.RoleManager},
		{Name: "focal", Role: tickets.RoleFocal, Department: "so-noi-vu"},
		{Name: "other", Role: tickets.RoleFocal, Department: "so-tu-phap"},
		{Name: "operator", Role: tickets.RoleOperator},
	}
	for _, u := range users {
		e.addUser(tb, u)
	}
	report := func(_ context.Context, from, to tickets.Date, format string, w io.Writer) error {
		_, err := fmt.Fprintf(w, "report %s %v %v", format, from, to)
		return err
	}
	var err error
	download := func(_ context.Context, ch tickets.Channel, id string) ([]byte, error) {
		if ch != tickets.ChannelTelegram {
			return nil, tickets.Errorf(tickets.ENOTFOUND, "no channel")
		}
		return []byte("file " + id), nil
	}
	cfg := console.Config{Store: db, Service: svc, Menu: svc.Menu, Now: clock.Now,
		Location: ticketstest.Location(tb), Report: report, Recordings: e.dir, Download: download,
		RecordingFile: func(_ context.Context, name string) ([]byte, error) {
			if b, ok := e.remote[name]; ok {
				return b, nil
			}
			return nil, tickets.Errorf(tickets.ENOTFOUND, "no recording")
		}}
	for _, o := range opts {
		o(&cfg)
	}
	e.srv, err = console.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// addUser stores u with testPassword, signed in and holding an API token.
func (e *env) addUser(tb testing.TB, u tickets.User) {
	tb.Helper()
	ctx := context.Background()
	u.PasswordHash, u.CreatedAt = testHash(tb), e.clock.T
	if err := e.db.CreateUser(ctx, &u); err != nil {
		tb.Fatal(err)
	}
	secret, hash := console.NewSecret("")
	if err := e.db.CreateSession(ctx, tickets.Session{Hash: hash, UserID: u.ID, CreatedAt: e.clock.T, ExpiresAt: e.clock.T.Add(24 * 365 * time.Hour)}); err != nil {
		tb.Fatal(err)
	}
	token, thash := console.NewSecret(console.TokenPrefix)
	if err := e.db.CreateToken(ctx, u.ID, thash, e.clock.T); err != nil {
		tb.Fatal(err)
	}
	e.cookies[u.Name], e.tokens[u.Name] = secret, token
}

// open files a ticket on branch (1: so-noi-vu, 2: so-tu-phap) by Telegram,
// with a recording on disk.
func (e *env) open(tb testing.TB, branch int) tickets.Code {
	tb.Helper()
	t, err := e.svc.Open(context.Background(), tickets.NewTicket{Branch: branch, Channel: tickets.ChannelTelegram,
		Text: "Hồ sơ trễ hẹn", Contact: "5550001234", Recording: "rec-" + fmt.Sprint(branch), Actor: "telegram"})
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(e.dir, t.Recording+".wav"), []byte("RIFF....WAVE"), 0o600); err != nil {
		tb.Fatal(err)
	}
	e.updates++
	if _, err := e.db.CommitChat(context.Background(), &tickets.ChatCommit{Channel: tickets.ChannelTelegram, UpdateID: strconv.FormatInt(e.updates, 10),
		Chat: "5550001234", KeepState: true, Ticket: t.Code, At: e.clock.T, Attachments: []tickets.Attachment{
			{Kind: tickets.AttachPhoto, FileID: "photo-1", MIMEType: "image/jpeg", Size: 12},
			{Kind: tickets.AttachLocation, Value: "10.77,106.7"},
		}, Transcript: []tickets.ChatLine{
			{At: e.clock.T, Text: "/start"},
			{At: e.clock.T, FromBot: true, Text: "Xin chào! Vui lòng chọn lĩnh vực"},
			{At: e.clock.T, Text: "Hồ sơ trễ hẹn"},
			{At: e.clock.T, Kind: tickets.AttachDocument, Name: "giấy-hẹn.pdf"},
		}}); err != nil {
		tb.Fatal(err)
	}
	return t.Code
}

// resolve takes, starts and resolves the ticket with code.
func (e *env) resolve(tb testing.TB, code tickets.Code) {
	tb.Helper()
	for _, a := range []tickets.Action{tickets.ActionAssign, tickets.ActionStart, tickets.ActionResolve} {
		c := tickets.Change{Action: a, Actor: "focal", Note: "Đã trả kết quả."}
		if a == tickets.ActionAssign {
			c.Department = "so-noi-vu"
		}
		if _, err := e.svc.Move(context.Background(), code, c); err != nil {
			tb.Fatal(err)
		}
	}
}

// do sends a request as user ("anonymous": no session) and returns the
// response.
func (e *env) do(tb testing.TB, user, method, target string, form url.Values) *http.Response {
	tb.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, target, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if strings.HasPrefix(target, "/api/") {
		if t := e.tokens[user]; t != "" {
			r.Header.Set("Authorization", "Bearer "+t)
		}
		if form != nil {
			r.Header.Set("Content-Type", "application/json")
			r = httptest.NewRequest(method, target, strings.NewReader(form.Get("json")))
			r.Header.Set("Authorization", "Bearer "+e.tokens[user])
		}
	} else if c := e.cookies[user]; c != "" {
		r.AddCookie(&http.Cookie{Name: "hotline_session", Value: c})
	}
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	return w.Result()
}

func body(tb testing.TB, res *http.Response) string {
	tb.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// Every route, as every role: the status says whether the server let them.
func TestRoutesByRole(t *testing.T) {
	e := newEnv(t)
	const (
		ok, seeOther, badRequest, forbidden, notFound, unauth = 200, 303, 400, 403, 404, 401
	)
	type want map[string]int // role → status
	all := func(status int) want {
		w := want{}
		for _, r := range roles {
			w[r] = status
		}
		return w
	}
	with := func(w want, role string, status int) want {
		c := want{}
		for k, v := range w {
			c[k] = v
		}
		c[role] = status
		return c
	}
	page := func(status int) want { return with(all(status), "anonymous", seeOther) }
	api := func(status int) want { return with(all(status), "anonymous", unauth) }
	tests := []struct {
		name   string
		method string
		path   string // %s is a fresh ticket of so-noi-vu
		form   url.Values
		want   want // a test named …Resolved runs on a resolved ticket
	}{
		{"Queue", "GET", "/", nil, page(ok)},
		{"Static", "GET", "/static/console.css", nil, all(ok)},
		{"Login", "GET", "/login", nil, with(all(seeOther), "anonymous", ok)},
		{"Ticket", "GET", "/tickets/%s", nil, with(page(ok), "other", notFound)},
		{"TicketBadCode", "GET", "/tickets/123", nil, page(notFound)},
		{"Contact", "POST", "/tickets/%s/contact", url.Values{}, with(with(with(page(ok), "other", notFound), "manager", forbidden), "operator", forbidden)},
		{"Recording", "GET", "/tickets/%s/recording", nil, with(with(with(page(ok), "other", notFound), "manager", forbidden), "operator", forbidden)},
		{"Attachment", "GET", "/tickets/%s/attachments/0", nil, with(with(with(page(ok), "other", notFound), "manager", forbidden), "operator", forbidden)},
		{"AttachmentWithoutFile", "GET", "/tickets/%s/attachments/1", nil, with(with(with(page(notFound), "other", notFound), "manager", forbidden), "operator", forbidden)},
		{"Take", "POST", "/tickets/%s/take", url.Values{}, with(with(with(page(seeOther), "other", notFound), "manager", forbidden), "operator", forbidden)},
		{"Answer", "POST", "/tickets/%s/answer", url.Values{"note": {"Đã tiếp nhận"}}, with(with(with(page(seeOther), "other", notFound), "manager", forbidden), "operator", forbidden)},
		{"Reassign", "POST", "/tickets/%s/reassign", url.Values{"department": {"so-tu-phap"}, "note": {"Sai lĩnh vực"}}, with(with(with(page(seeOther), "other", notFound), "manager", forbidden), "operator", forbidden)},
		{"StartNew", "POST", "/tickets/%s/start", url.Values{}, with(with(with(page(http.StatusConflict), "other", notFound), "manager", forbidden), "operator", forbidden)},
		{"ResolveNew", "POST", "/tickets/%s/resolve", url.Values{"note": {"Xong"}}, with(with(with(page(http.StatusConflict), "other", notFound), "manager", forbidden), "operator", forbidden)},
		{"ReopenResolved", "POST", "/tickets/%s/reopen", url.Values{"note": {"Công dân chưa nhận kết quả"}}, with(with(with(page(seeOther), "other", notFound), "manager", forbidden), "operator", notFound)},
		{"ReopenNoReasonResolved", "POST", "/tickets/%s/reopen", url.Values{}, with(with(with(page(badRequest), "other", notFound), "manager", forbidden), "operator", notFound)},
		{"CloseResolved", "POST", "/tickets/%s/close", url.Values{}, with(with(with(page(seeOther), "other", notFound), "manager", forbidden), "operator", notFound)},
		{"ReopenNew", "POST", "/tickets/%s/reopen", url.Values{"note": {"Lý do"}}, with(with(with(page(http.StatusConflict), "other", notFound), "manager", forbidden), "operator", forbidden)},
		{"CloseNew", "POST", "/tickets/%s/close", url.Values{}, with(with(with(page(http.StatusConflict), "other", notFound), "manager", forbidden), "operator", forbidden)},
		{"NewForm", "GET", "/new", nil, with(with(page(forbidden), "admin", ok), "operator", ok)},
		{"NewTicket", "POST", "/new", url.Values{"branch": {"1"}, "text": {"Gọi đến phản ánh"}, "phone": {"0939015599"}}, with(with(page(forbidden), "admin", seeOther), "operator", seeOther)},
		{"Dashboard", "GET", "/dashboard", nil, with(with(page(forbidden), "admin", ok), "manager", ok)},
		{"ReportCSV", "GET", "/reports/csv?month=2026-10", nil, with(with(page(forbidden), "admin", ok), "manager", ok)},
		{"ReportXLSX", "GET", "/reports/xlsx?from=2026-10-01&to=2026-10-15", nil, with(with(page(forbidden), "admin", ok), "manager", ok)},
		{"ReportHTML", "GET", "/reports/html?month=2026-10", nil, with(with(page(forbidden), "admin", ok), "manager", ok)},
		{"ReportBadMonth", "GET", "/reports/html?month=10-2026", nil, with(with(page(forbidden), "admin", badRequest), "manager", badRequest)},
		{"PasswordForm", "GET", "/password", nil, page(ok)},
		{"Logout", "POST", "/logout", url.Values{}, all(seeOther)},
		{"APIList", "GET", "/api/v1/tickets", nil, api(ok)},
		{"APIGet", "GET", "/api/v1/tickets/%s", nil, with(api(ok), "other", notFound)},
		{"APITake", "POST", "/api/v1/tickets/%s/transitions", url.Values{"json": {`{"action":"take"}`}},
			with(with(with(api(ok), "other", notFound), "manager", forbidden), "operator", forbidden)},
		{"APIReassign", "POST", "/api/v1/tickets/%s/transitions", url.Values{"json": {`{"action":"reassign","department":"so-tu-phap","note":"Sai lĩnh vực"}`}},
			with(with(with(api(ok), "other", notFound), "manager", forbidden), "operator", forbidden)},
		{"APIAnswerEmpty", "POST", "/api/v1/tickets/%s/transitions", url.Values{"json": {`{"action":"answer"}`}},
			with(with(with(api(badRequest), "other", notFound), "manager", forbidden), "operator", forbidden)},
		{"APIReopenResolved", "POST", "/api/v1/tickets/%s/transitions", url.Values{"json": {`{"action":"reopen","note":"Công dân chưa nhận kết quả"}`}},
			with(with(with(api(ok), "other", notFound), "manager", forbidden), "operator", notFound)},
		{"APICloseResolved", "POST", "/api/v1/tickets/%s/transitions", url.Values{"json": {`{"action":"close"}`}},
			with(with(with(api(ok), "other", notFound), "manager", forbidden), "operator", notFound)},
		{"APICloseNew", "POST", "/api/v1/tickets/%s/transitions", url.Values{"json": {`{"action":"close"}`}},
			with(with(with(api(http.StatusConflict), "other", notFound), "manager", forbidden), "operator", forbidden)},
		{"APIReport", "GET", "/api/v1/reports/xlsx?from=2026-10-01&to=2026-10-31", nil, with(with(api(forbidden), "admin", ok), "manager", ok)},
		{"APIUnknown", "GET", "/api/v1/nothing", nil, api(notFound)},
	}
	for _, tt := range tests {
		for _, role := range roles {
			t.Run(tt.name+"/"+role, func(t *testing.T) {
				path := tt.path
				if strings.Contains(path, "%s") {
					code := e.open(t, 1)
					if strings.HasSuffix(tt.name, "Resolved") {
						e.resolve(t, code)
					}
					path = fmt.Sprintf(path, code)
				}
				res := e.do(t, role, tt.method, path, tt.form)
				if got, want := res.StatusCode, tt.want[role]; got != want {
					t.Errorf("%s %s as %s: status %d, want %d\n%s", tt.method, path, role, got, want, body(t, res))
				}
			})
		}
		if tt.name == "Logout" {
			e = newEnv(t) // the sessions are gone
		}
	}
}
