// SPDX-License-Identifier: Apache-2.0

package main

import (
	"strings"
	"testing"
)

func TestRunUsers(t *testing.T) {
	run := cli(t)
	const pw = "mật khẩu đủ dài\n"
	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		outHas string
		errHas string
	}{
		{"OKAddFocal", pw, []string{"users", "add", "lan", "--role", "focal", "--department", "so-noi-vu"}, 0, "user lan added", ""},
		{"OKAddManager", pw, []string{"users", "add", "minh", "--role", "manager"}, 0, "user minh added", ""},
		{"ErrTaken", pw, []string{"users", "add", "lan", "--role", "operator"}, 1, "", "exists"},
		{"ErrFocalWithoutDepartment", pw, []string{"users", "add", "hoa", "--role", "focal"}, 2, "", "needs a department"},
		{"ErrUnknownDepartment", pw, []string{"users", "add", "hoa", "--role", "focal", "--department", "so-xyz"}, 1, "", "so-xyz"},
		{"ErrUnknownRole", pw, []string{"users", "add", "hoa", "--role", "boss"}, 2, "", "unknown role"},
		{"ErrShortPassword", "ngắn\n", []string{"users", "add", "hoa", "--role", "operator"}, 1, "", "ít nhất 12 ký tự"},
		{"ErrCommonPassword", "Qwerty123456\n", []string{"users", "add", "hoa", "--role", "operator"}, 1, "", "phổ biến"},
		{"ErrMixedScripts", pw, []string{"users", "add", "h\u043ea", "--role", "operator"}, 2, "", "nhiều hệ chữ viết"},
		{"ErrTakenInAnotherCase", pw, []string{"users", "add", " LAN ", "--role", "operator"}, 1, "", "exists"},
		{"OKAddNormalised", pw, []string{"users", "add", " HOA ", "--role", "operator"}, 0, "user hoa added", ""},
		{"OKPasswd", "mật khẩu mới đủ dài\n", []string{"users", "passwd", "Lan"}, 0, "sessions and API tokens are revoked", ""},
		{"ErrPasswdUnknown", pw, []string{"users", "passwd", "nobody"}, 1, "", "no such user"},
		{"OKToken", "", []string{"users", "token", "lan"}, 0, "hlt_", ""},
		{"OKRevoke", "", []string{"users", "token", "lan", "--revoke"}, 0, "", ""},
		{"OKDisable", "", []string{"users", "disable", "minh"}, 0, "", ""},
		{"ErrTokenOfDisabled", "", []string{"users", "token", "minh"}, 1, "", "disabled"},
		{"OKList", "", []string{"users", "list"}, 0, "lan   focal     so-noi-vu   active", ""},
		{"ErrUnknownSubcommand", "", []string{"users", "remove", "lan"}, 2, "", "unknown users subcommand"},
		{"OKAddWithEmail", pw, []string{"users", "add", "tuan", "--role", "focal", "--department", "so-noi-vu", "--email", "tuan@tinh.gov.vn", "--head"}, 0, "user tuan added", ""},
		{"ErrAddBadEmail", pw, []string{"users", "add", "binh", "--role", "manager", "--email", "binh at tinh"}, 2, "", "not an e-mail address"},
		{"ErrHeadNotFocal", pw, []string{"users", "add", "binh", "--role", "manager", "--head"}, 2, "", "only a department's user"},
		{"OKSetEmail", "", []string{"users", "set-email", "lan", "lan@tinh.gov.vn"}, 0, "lan is mailed at lan@tinh.gov.vn", ""},
		{"ErrSetBadEmail", "", []string{"users", "set-email", "lan", "lan@"}, 1, "", "not an e-mail address"},
		{"OKClearEmail", "", []string{"users", "set-email", "hoa", ""}, 0, "hoa has no e-mail address now", ""},
		{"OKSetHead", "", []string{"users", "set-head", "lan"}, 0, "lan now heads so-noi-vu", ""},
		{"OKSetHeadOff", "", []string{"users", "set-head", "tuan", "--off"}, 0, "tuan no longer heads so-noi-vu", ""},
		{"ErrSetHeadOfOperator", "", []string{"users", "set-head", "hoa"}, 1, "", "only a department's user"},
		{"OKListEmail", "", []string{"users", "list"}, 0, "so-noi-vu (head)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.outHas) || !strings.Contains(errs, tt.errHas) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tt.code, out, errs)
			}
		})
	}
	if _, out, _ := run("", "users", "list"); !strings.Contains(out, "minh") || !strings.Contains(out, "disabled") {
		t.Errorf("users list:\n%s", out)
	}
}
