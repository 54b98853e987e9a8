// SPDX-License-Identifier: Apache-2.0

package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A user changes their own password in the console: the rules are said in
// Vietnamese, and a change ends their other sessions and API tokens.
func TestChangePassword(t *testing.T) {
	e := newEnv(t)
	const next = "trăng sáng trên sông Hương"
	tests := []struct {
		name                 string
		current, new, repeat string
		status               int
		want                 string
	}{
		{"ErrShort", testPassword, "ngắn quá", "ngắn quá", http.StatusBadRequest, "ít nhất 12 ký tự"},
		{"ErrCommon", testPassword, "matkhau@2024", "matkhau@2024", http.StatusBadRequest, "phổ biến"},
		{"ErrRepeat", testPassword, next, next + "!", http.StatusBadRequest, "không khớp"},
		{"ErrCurrent", "không phải mật khẩu", next, next, http.StatusBadRequest, "Mật khẩu hiện tại không đúng"},
		{"OK", testPassword, next, next, http.StatusOK, "Đã đổi mật khẩu"},
	}
	var cookie string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := e.do(t, "focal", "POST", "/password", url.Values{"current": {tt.current}, "new": {tt.new}, "repeat": {tt.repeat}})
			if b := body(t, res); res.StatusCode != tt.status || !strings.Contains(b, tt.want) {
				t.Errorf("status %d, want %d saying %q\n%s", res.StatusCode, tt.status, tt.want, b)
			}
			for _, c := range res.Cookies() {
				cookie = c.Value
			}
		})
	}
	if res := e.do(t, "focal", "GET", "/api/v1/tickets", nil); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the API token after the change: %d, want 401", res.StatusCode)
	}
	if res := e.do(t, "focal", "GET", "/", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the old session after the change: %d, want 303", res.StatusCode)
	}
	e.cookies["focal"] = cookie
	if res := e.do(t, "focal", "GET", "/", nil); res.StatusCode != http.StatusOK {
		t.Errorf("the new session of this browser: %d, want 200", res.StatusCode)
	}
	if res := e.login(t, t.Context(), "focal", next, "203.0.113.9"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-in with the new password: %s", res.Status)
	}
}
