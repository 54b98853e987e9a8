// SPDX-License-Identifier: Apache-2.0

package console_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/console"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

// lawEnv is newEnv with the law's case types: every branch feedback by
// default.
func lawEnv(t *testing.T) *env {
	t.Helper()
	m, err := ticketstest.Menu(t).WithCaseTypes([]tickets.CaseType{
		{ID: "phan-anh", Name: "Phản ánh, kiến nghị"},
		{ID: "khieu-nai", Name: "Khiếu nại", LimitDays: 30, CalendarDays: true, Extensions: []int{15}, Source: "Luật Khiếu nại 2011, Điều 28"},
	})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(c *console.Config) { c.Menu = m })
	e.svc.Menu = m
	return e
}

// The ticket page changes the case type and extends the deadline; an
// extension past the law's limit is refused with the limit and the law.
func TestTicketPageCaseTypeAndExtension(t *testing.T) {
	e := lawEnv(t)
	code := e.open(t, 1)
	page := body(t, e.do(t, "focal", "GET", "/tickets/"+string(code), nil))
	for _, want := range []string{"Phản ánh, kiến nghị", `<option value="khieu-nai">Khiếu nại</option>`} {
		if !strings.Contains(page, want) {
			t.Errorf("ticket page lacks %q", want)
		}
	}
	if strings.Contains(page, "/extend") {
		t.Error("the page offers to extend feedback, which the law does not extend")
	}
	res := e.do(t, "focal", "POST", "/tickets/"+string(code)+"/case-type", url.Values{"case_type": {"khieu-nai"}, "reason": {"Công dân khiếu nại quyết định"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("case type: %d %s", res.StatusCode, body(t, res))
	}
	if page = body(t, e.do(t, "focal", "GET", "/tickets/"+string(code), nil)); !strings.Contains(page, `action="/tickets/`+string(code)+`/extend"`) {
		t.Error("the page of a complaint does not offer its extension")
	}
	res = e.do(t, "focal", "POST", "/tickets/"+string(code)+"/extend", url.Values{"until": {"2026-12-18"}, "reason": {"Phức tạp"}})
	page = body(t, res)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "chỉ được đến hết ngày 17/12/2026") || !strings.Contains(page, "Luật Khiếu nại 2011, Điều 28") {
		t.Errorf("extension past the limit: %d\n%s", res.StatusCode, page)
	}
	res = e.do(t, "focal", "POST", "/tickets/"+string(code)+"/extend", url.Values{"until": {"2026-12-17"}, "reason": {"Phức tạp"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("extension: %d %s", res.StatusCode, body(t, res))
	}
	page = body(t, e.do(t, "focal", "GET", "/tickets/"+string(code), nil))
	for _, want := range []string{"Khiếu nại", "(đã gia hạn 1 lần)", "Gia hạn lần 1 đến 17/12/2026 (hạn cũ 02/12/2026). Lý do: Phức tạp", "Đổi loại vụ việc"} {
		if !strings.Contains(page, want) {
			t.Errorf("ticket page after the extension lacks %q", want)
		}
	}
	if strings.Contains(page, `/extend"`) {
		t.Error("the page offers a second extension of a complaint")
	}
}

// The API extends a ticket the caller works on, and refuses others'.
func TestAPIExtension(t *testing.T) {
	e := lawEnv(t)
	code := e.open(t, 1)
	post := func(user, path, js string) *http.Response {
		return e.do(t, user, "POST", "/api/v1/tickets/"+string(code)+path, url.Values{"json": {js}})
	}
	if res := post("focal", "/case-type", `{"case_type": "khieu-nai", "reason": "Khiếu nại"}`); res.StatusCode != 200 {
		t.Fatalf("case type: %d %s", res.StatusCode, body(t, res))
	}
	res := post("focal", "/extension", `{"until": "2026-12-20", "reason": "Phức tạp"}`)
	var e1 struct{ Error, Message string }
	if err := json.NewDecoder(res.Body).Decode(&e1); err != nil || res.StatusCode != 400 || e1.Error != tickets.EINVALID || !strings.Contains(e1.Message, "17/12/2026") {
		t.Errorf("extension past the limit: %d %+v %v", res.StatusCode, e1, err)
	}
	if res := post("other", "/extension", `{"until": "2026-12-10", "reason": "x"}`); res.StatusCode != http.StatusNotFound {
		t.Errorf("another department's focal point: %d, want 404", res.StatusCode)
	}
	res = post("focal", "/extension", `{"until": "2026-12-10", "reason": "Phức tạp"}`)
	var got struct {
		CaseType   string `json:"case_type"`
		Extensions int    `json:"extensions"`
	}
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil || res.StatusCode != 200 || got.CaseType != "khieu-nai" || got.Extensions != 1 {
		t.Errorf("extension: %d %+v %v", res.StatusCode, got, err)
	}
}
