// SPDX-License-Identifier: Apache-2.0

package console

import (
	_ "embed" // the list of common passwords
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/hotline-cchc/hotline/tickets"
)

// Password limits.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

// maxNameLen is the longest user name, in bytes, as tickets.User allows.
const maxNameLen = 64

var folder = cases.Fold()

// nameKey is name as looked up: trimmed, inner spaces collapsed, NFC,
// case-folded. It does not check that the name is allowed.
func nameKey(name string) string {
	name = strings.Join(strings.Fields(name), " ")
	return norm.NFC.String(folder.String(norm.NFC.String(name)))
}

// NormalizeName returns the form under which a user name is stored and
// looked up (see nameKey). It returns EINVALID, with the reason in
// Vietnamese, for an empty or too long name, a character other than a
// letter, an ASCII digit, a space or one of . - _ @, and letters of more
// than one script (a Latin name with a Cyrillic "а" looks like another).
func NormalizeName(name string) (string, error) {
	k := nameKey(name)
	switch {
	case k == "":
		return "", tickets.Errorf(tickets.EINVALID, "Tên đăng nhập không được để trống.")
	case len(k) > maxNameLen:
		return "", tickets.Errorf(tickets.EINVALID, "Tên đăng nhập quá dài (tối đa %d byte).", maxNameLen)
	}
	var script string
	for _, r := range k {
		switch {
		case r >= '0' && r <= '9', strings.ContainsRune(" .-_@", r), unicode.Is(unicode.Mn, r):
			continue
		case !unicode.IsLetter(r):
			return "", tickets.Errorf(tickets.EINVALID,
				"Tên đăng nhập chỉ gồm chữ cái, chữ số, dấu cách và các dấu . - _ @ (không dùng được %q).", r)
		}
		s := scriptOf(r)
		if script != "" && s != script {
			return "", tickets.Errorf(tickets.EINVALID,
				"Tên đăng nhập trộn chữ của nhiều hệ chữ viết (%s và %s), dễ bị giả mạo: hãy dùng một hệ chữ.", script, s)
		}
		script = s
	}
	return k, nil
}

// scriptOf names the script of letter r.
func scriptOf(r rune) string {
	if unicode.Is(unicode.Latin, r) {
		return "Latin" // the common case, first
	}
	for name, t := range unicode.Scripts {
		if name != "Common" && name != "Inherited" && unicode.Is(t, r) {
			return name
		}
	}
	return "Unknown"
}

//go:generate go run gen_passwords.go

//go:embed common-passwords.txt
var commonPasswordList string

// commonPasswords is the set of commonPasswordList's lines.
var commonPasswords = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool, 8192)
	for _, l := range strings.Split(commonPasswordList, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			m[l] = true
		}
	}
	return m
})

// IsCommonPassword reports whether password, ignoring case and spaces at
// its ends, is in the shipped list of common passwords.
func IsCommonPassword(password string) bool {
	return commonPasswords()[nameKey(password)]
}

// CheckNewPassword says whether password may be set: it returns EINVALID,
// with the reason in Vietnamese, for fewer than MinPasswordLen characters,
// more than MaxPasswordLen bytes, or a common password.
func CheckNewPassword(password string) error {
	switch {
	case utf8.RuneCountInString(password) < MinPasswordLen:
		return tickets.Errorf(tickets.EINVALID, "Mật khẩu phải có ít nhất %d ký tự.", MinPasswordLen)
	case len(password) > MaxPasswordLen:
		return tickets.Errorf(tickets.EINVALID, "Mật khẩu quá dài (tối đa %d byte).", MaxPasswordLen)
	case IsCommonPassword(password):
		return tickets.Errorf(tickets.EINVALID,
			"Mật khẩu này nằm trong danh sách mật khẩu phổ biến, dễ bị đoán: hãy chọn mật khẩu khác.")
	}
	return nil
}
