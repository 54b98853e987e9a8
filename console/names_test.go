// SPDX-License-Identifier: Apache-2.0

package console_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/console"
	"github.com/hotline-cchc/hotline/tickets"
)

func TestNormalizeName(t *testing.T) {
	tests := []struct {
		name, in, want, errHas string
	}{
		{"OKTrimmedFolded", "  Nguyen.Van.A ", "nguyen.van.a", ""},
		{"OKVietnameseNFC", "Tr\u0061\u0302\u0300n  Thị Lan", "trần thị lan", ""}, // decomposed "ầ", two spaces
		{"OKDigits", "lan-2026_so@noivu", "lan-2026_so@noivu", ""},
		{"ErrLatinAndCyrillic", "l\u0430n", "", "nhiều hệ chữ viết"}, // Cyrillic а
		{"ErrGreekOmicron", "h\u03bftline", "", "nhiều hệ chữ viết"},
		{"ErrEmpty", "   ", "", "không được để trống"},
		{"ErrControl", "lan\u200b", "", "chỉ gồm chữ cái"},
		{"ErrTooLong", strings.Repeat("a", 65), "", "quá dài"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := console.NormalizeName(tt.in)
			if tt.errHas != "" {
				if tickets.ErrorCode(err) != tickets.EINVALID || !strings.Contains(tickets.ErrorMessage(err), tt.errHas) {
					t.Errorf("NormalizeName(%q) = %q, %v; want EINVALID saying %q", tt.in, got, err, tt.errHas)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("NormalizeName(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestCheckNewPassword(t *testing.T) {
	tests := []struct {
		name, password, errHas string
	}{
		{"OK", "mưa rơi trên phố cổ", ""},
		{"ErrShort", "ngắn quá 11", "ít nhất 12 ký tự"},
		{"ErrCommon", "Password1234", "phổ biến"},
		{"ErrCommonVietnamese", "anhyeuem123456", "phổ biến"},
		{"ErrDigitRun", "123456789012", "phổ biến"},
		{"ErrTooLong", strings.Repeat("x", 257), "quá dài"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := console.CheckNewPassword(tt.password)
			if tt.errHas == "" {
				if err != nil {
					t.Errorf("CheckNewPassword(%q) = %v", tt.password, err)
				}
				return
			}
			if tickets.ErrorCode(err) != tickets.EINVALID || !strings.Contains(tickets.ErrorMessage(err), tt.errHas) {
				t.Errorf("CheckNewPassword(%q) = %v; want EINVALID saying %q", tt.password, err, tt.errHas)
			}
		})
	}
}

// A user stored before names were normalised ("Trần Lan", capitals,
// decomposed marks) is still found, and signs in, by any form of the name.
func TestLegacyNameFindable(t *testing.T) {
	e := newEnv(t)
	legacy := "Tr\u0061\u0302\u0300n Lan"
	e.addUser(t, tickets.User{Name: legacy, Role: tickets.RoleManager})
	for _, typed := range []string{"trần lan", " TRẦN LAN", legacy} {
		u, err := console.FindUser(context.Background(), e.db, typed)
		if err != nil || u.Name != legacy {
			t.Errorf("FindUser(%q) = %v, %v", typed, u, err)
		}
	}
	if res := e.login(t, context.Background(), "TRẦN LAN", testPassword, "203.0.113.40"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-in of a legacy name: %s, want 303", res.Status)
	}
	if _, err := console.FindUser(context.Background(), e.db, "trần lâm"); tickets.ErrorCode(err) != tickets.ENOTFOUND {
		t.Errorf("FindUser of another name: %v, want ENOTFOUND", err)
	}
}
