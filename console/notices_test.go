// SPDX-License-Identifier: Apache-2.0

package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/console"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

// A reminder shows in the user's notice list and as an unread count in the
// menu until the user marks it read; another user sees none of it.
func TestNoticesPage(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, func(c *console.Config) { c.Notices = c.Store.(*sqlite.DB) })
	code := e.open(t, 1)
	focal, err := e.db.User(ctx, "focal")
	if err != nil {
		t.Fatal(err)
	}
	tk, err := e.db.Ticket(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.db.SaveReminders(ctx, e.clock.T, []tickets.ReminderUpdate{{Ticket: tk.ID, NextAt: tk.Deadline,
		New: []tickets.NewReminder{{Level: tickets.ShareLevel(50), Department: "so-noi-vu", DueAt: e.clock.T, Users: []int64{focal.ID}}}}})
	if err != nil {
		t.Fatal(err)
	}
	page := body(t, e.do(t, "focal", "GET", "/notices", nil))
	for _, want := range []string{code.Grouped(), "đã dùng 50% thời hạn xử lý", `<span class="badge overdue" title="chưa đọc">1</span>`, "1</strong> thông báo chưa đọc"} {
		if !strings.Contains(page, want) {
			t.Errorf("notices lack %q:\n%s", want, page)
		}
	}
	if other := body(t, e.do(t, "other", "GET", "/notices", nil)); strings.Contains(other, code.Grouped()) || strings.Contains(other, `title="chưa đọc"`) {
		t.Errorf("another department's user sees the notice:\n%s", other)
	}
	if res := e.do(t, "focal", "POST", "/notices/read", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark read: %d", res.StatusCode)
	}
	if page := body(t, e.do(t, "focal", "GET", "/", nil)); strings.Contains(page, `title="chưa đọc"`) {
		t.Errorf("the menu still counts unread notices:\n%s", page)
	}
}

// A user sets the address their reminders are mailed to; a malformed one
// is refused with the reason and changes nothing.
func TestAccountEmail(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, func(c *console.Config) { c.Notices = c.Store.(*sqlite.DB) })
	res := e.do(t, "focal", "POST", "/account", url.Values{"email": {"không phải địa chỉ"}})
	if b := body(t, res); res.StatusCode != http.StatusBadRequest || !strings.Contains(b, "không hợp lệ") {
		t.Errorf("bad address: %d\n%s", res.StatusCode, b)
	}
	res = e.do(t, "focal", "POST", "/account", url.Values{"email": {" cb1@tinh.gov.vn "}})
	if b := body(t, res); res.StatusCode != http.StatusOK || !strings.Contains(b, "Đã lưu") {
		t.Errorf("good address: %d\n%s", res.StatusCode, b)
	}
	if u, err := e.db.User(ctx, "focal"); err != nil || u.Email != "cb1@tinh.gov.vn" {
		t.Errorf("stored address %q (%v)", u.Email, err)
	}
	if b := body(t, e.do(t, "focal", "GET", "/account", nil)); !strings.Contains(b, `value="cb1@tinh.gov.vn"`) {
		t.Errorf("account page:\n%s", b)
	}
}
