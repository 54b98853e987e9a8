// SPDX-License-Identifier: Apache-2.0

package console_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/tickets"
)

// attach stores as with the ticket code, as the chat bot does.
func (e *env) attach(tb testing.TB, code tickets.Code, as ...tickets.Attachment) {
	tb.Helper()
	e.updates++
	if _, err := e.db.CommitChat(context.Background(), &tickets.ChatCommit{Channel: tickets.ChannelTelegram, UpdateID: strconv.FormatInt(e.updates, 10),
		Chat: "5550001234", KeepState: true, Ticket: code, At: e.clock.T, Attachments: as}); err != nil {
		tb.Fatal(err)
	}
}

// auditActions lists the audit of the ticket code as "actor:action".
func (e *env) auditActions(tb testing.TB, code tickets.Code) []string {
	tb.Helper()
	es, err := e.db.AuditLog(context.Background(), code)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, a := range es {
		out = append(out, a.Actor+":"+a.Action)
	}
	return out
}

const sharedPhone = "0912345678"

// A Telegram citizen who shared a phone number for a call-back: the
// audited reveal shows it, on the page and in the API; before it, the page
// shows it masked.
func TestRevealSharedPhone(t *testing.T) {
	e := newEnv(t)
	code := e.open(t, 1)
	e.attach(t, code, tickets.Attachment{Kind: tickets.AttachContact, Value: sharedPhone})
	path := "/tickets/" + string(code)
	b := body(t, e.do(t, "focal", "GET", path, nil))
	if strings.Contains(b, sharedPhone) || !strings.Contains(b, "*******678") || !strings.Contains(b, "Hiện số liên hệ</button>") {
		t.Errorf("before the reveal: want the number masked and the reveal offered\n%s", b)
	}
	if got := e.auditActions(t, code); len(got) != 0 {
		t.Fatalf("audit before the reveal: %v", got)
	}
	b = body(t, e.do(t, "focal", "POST", path+"/contact", url.Values{}))
	for _, want := range []string{`<a href="tel:` + sharedPhone + `">` + sharedPhone + `</a>`, "Telegram: 5550001234"} {
		if !strings.Contains(b, want) {
			t.Errorf("the reveal lacks %q\n%s", want, b)
		}
	}
	if got := e.auditActions(t, code); !slices.Contains(got, "focal:"+tickets.AuditViewContact) {
		t.Errorf("audit after the reveal: %v", got)
	}
	if b := body(t, e.do(t, "focal", "GET", "/api/v1/tickets/"+string(code), nil)); strings.Contains(b, sharedPhone) {
		t.Errorf("the API's ticket shows the shared number:\n%s", b)
	}
	res := e.do(t, "focal", "POST", "/api/v1/tickets/"+string(code)+"/contact", url.Values{"json": {""}})
	var got struct {
		Code, Contact, Phone string
		Locations            []string
	}
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("API reveal: %d %v", res.StatusCode, err)
	}
	if got.Code != string(code) || got.Contact != "5550001234" || got.Phone != sharedPhone || !slices.Equal(got.Locations, []string{"10.77,106.7"}) {
		t.Errorf("API reveal = %+v", got)
	}
	if n := len(e.auditActions(t, code)); n != 4 {
		t.Errorf("audit after both reveals: %v, want 4 entries", e.auditActions(t, code))
	}
	for user, want := range map[string]int{"manager": 403, "operator": 403, "other": 404, "anonymous": 401, "admin": 200} {
		if res := e.do(t, user, "POST", "/api/v1/tickets/"+string(code)+"/contact", url.Values{"json": {""}}); res.StatusCode != want {
			t.Errorf("API reveal as %s: %d, want %d", user, res.StatusCode, want)
		}
	}
}

// An exact place a citizen sent is personal data: no page shows it but the
// audited reveal, to those who work the ticket.
func TestLocationOnlyBehindReveal(t *testing.T) {
	e := newEnv(t)
	code := e.open(t, 1)
	path := "/tickets/" + string(code)
	const place = "10.77,106.7"
	for _, user := range []string{"manager", "operator", "admin", "focal"} {
		res := e.do(t, user, "GET", path, nil)
		if b := body(t, res); res.StatusCode != http.StatusOK || strings.Contains(b, place) {
			t.Errorf("%s's page: %d, shows the place: %v", user, res.StatusCode, strings.Contains(b, place))
		}
	}
	for _, user := range []string{"manager", "operator"} {
		res := e.do(t, user, "POST", path+"/contact", url.Values{})
		if b := body(t, res); res.StatusCode != http.StatusForbidden || strings.Contains(b, place) {
			t.Errorf("%s's reveal: %d, shows the place: %v", user, res.StatusCode, strings.Contains(b, place))
		}
	}
	if got := e.auditActions(t, code); len(got) != 0 {
		t.Fatalf("audit before the reveal: %v", got)
	}
	if b := body(t, e.do(t, "focal", "POST", path+"/contact", url.Values{})); !strings.Contains(b, "Vị trí: "+place) {
		t.Errorf("the reveal lacks the place\n%s", b)
	}
	if got := e.auditActions(t, code); !slices.Equal(got, []string{"focal:" + tickets.AuditViewContact, "focal:" + tickets.AuditViewLocation}) {
		t.Errorf("audit = %v", got)
	}
	if b := body(t, e.do(t, "admin", "GET", path, nil)); !strings.Contains(b, "Xem số liên hệ") || !strings.Contains(b, "Xem vị trí") {
		t.Errorf("the admin's page lacks the audit of the reveal\n%s", b)
	}
	// An anonymous ticket has no contact, but its place is behind the reveal too.
	anon, err := e.svc.Open(context.Background(), tickets.NewTicket{Branch: 1, Channel: tickets.ChannelTelegram, Text: "Ẩn danh", Anonymous: true, Actor: "telegram"})
	if err != nil {
		t.Fatal(err)
	}
	e.attach(t, anon.Code, tickets.Attachment{Kind: tickets.AttachLocation, Value: place})
	apath := "/tickets/" + string(anon.Code)
	if b := body(t, e.do(t, "focal", "GET", apath, nil)); strings.Contains(b, place) || !strings.Contains(b, "Hiện số liên hệ</button>") {
		t.Errorf("anonymous ticket before the reveal: want no place and the reveal offered\n%s", b)
	}
	if b := body(t, e.do(t, "focal", "POST", apath+"/contact", url.Values{})); !strings.Contains(b, "Vị trí: "+place) || !strings.Contains(b, "Ẩn danh") {
		t.Errorf("anonymous ticket's reveal lacks the place\n%s", b)
	}
	if got := e.auditActions(t, anon.Code); !slices.Equal(got, []string{"focal:" + tickets.AuditViewLocation}) {
		t.Errorf("anonymous ticket's audit = %v", got)
	}
}

// An admin who may reveal a ticket's numbers is still not its department:
// the reveal shows the admin no place, on the page or in the API, and the
// audit records no view of one.
func TestLocationNotForAdmin(t *testing.T) {
	e := newEnv(t)
	code := e.open(t, 1)
	const place = "10.77,106.7"
	e.attach(t, code, tickets.Attachment{Kind: tickets.AttachLocation, Value: place})
	path := "/tickets/" + string(code)
	res := e.do(t, "admin", "POST", path+"/contact", url.Values{})
	if b := body(t, res); res.StatusCode != http.StatusOK || strings.Contains(b, place) {
		t.Errorf("the admin's reveal: %d, shows the place: %v\n%s", res.StatusCode, strings.Contains(b, place), b)
	}
	if b := body(t, e.do(t, "admin", "POST", "/api/v1/tickets/"+string(code)+"/contact", url.Values{"json": {""}})); strings.Contains(b, place) {
		t.Errorf("the admin's API reveal shows the place:\n%s", b)
	}
	if got := e.auditActions(t, code); slices.Contains(got, "admin:"+tickets.AuditViewLocation) {
		t.Errorf("audit = %v: the admin was recorded as seeing the place", got)
	}
	if b := body(t, e.do(t, "focal", "POST", path+"/contact", url.Values{})); !strings.Contains(b, place) {
		t.Errorf("the department's reveal lacks the place")
	}
}
