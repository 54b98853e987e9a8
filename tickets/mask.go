// SPDX-License-Identifier: Apache-2.0

package tickets

import "unicode/utf8"

// MaskContact hides a phone number or chat id for listings, reports and logs,
// keeping the last three characters so staff can tell contacts apart:
// "0939015599" → "*******599". Contacts of three characters or fewer are
// hidden whole.
func MaskContact(s string) string {
	n := utf8.RuneCountInString(s)
	if n == 0 {
		return ""
	}
	keep := 3
	if n <= keep {
		keep = 0
	}
	out := make([]rune, 0, n)
	for i, r := range []rune(s) {
		if i < n-keep {
			r = '*'
		}
		out = append(out, r)
	}
	return string(out)
}
