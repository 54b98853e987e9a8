// SPDX-License-Identifier: Apache-2.0

package tickets_test

import (
	"testing"

	"github.com/hotline-cchc/hotline/tickets"
)

func TestNewCode(t *testing.T) {
	// 1,000 codes from 90 million: a repeat is expected once in ~180 runs,
	// three repeats practically never; the store retries on a repeat.
	seen, repeats := map[tickets.Code]bool{}, 0
	firsts := map[byte]bool{}
	for range 1_000 {
		c := tickets.NewCode()
		if len(c) != tickets.CodeLen || c[0] == '0' {
			t.Fatalf("NewCode() = %q: want %d digits not starting with 0", c, tickets.CodeLen)
		}
		if got, err := tickets.ParseCode(string(c)); err != nil || got != c {
			t.Fatalf("ParseCode(%q) = %q, %v", c, got, err)
		}
		if seen[c] {
			repeats++
		}
		seen[c], firsts[c[0]] = true, true
	}
	if repeats > 2 {
		t.Errorf("NewCode() repeated %d times in 1,000 codes: not random enough", repeats)
	}
	if len(firsts) != 9 {
		t.Errorf("first digits used: %d of 9", len(firsts))
	}
}

// Every single-digit error and every swap of two adjacent different digits
// must be rejected: that is the point of the Damm check digit.
func TestParseCodeRejectsTypos(t *testing.T) {
	for range 200 {
		c := string(tickets.NewCode())
		for i := range len(c) {
			for d := byte('0'); d <= '9'; d++ {
				if d == c[i] {
					continue
				}
				typo := c[:i] + string(d) + c[i+1:]
				if _, err := tickets.ParseCode(typo); err == nil {
					t.Fatalf("ParseCode(%q) accepted a one-digit typo of %q", typo, c)
				}
			}
			if i+1 < len(c) && c[i] != c[i+1] {
				swap := c[:i] + string(c[i+1]) + string(c[i]) + c[i+2:]
				if _, err := tickets.ParseCode(swap); err == nil {
					t.Fatalf("ParseCode(%q) accepted a swap in %q", swap, c)
				}
			}
		}
	}
}

func TestParseCode(t *testing.T) {
	for _, tt := range []struct {
		name, in, want string
	}{
		{"OK", "572306141", "572306141"},
		{"OKGrouped", " 572 306 141 ", "572306141"},
		{"OKDashes", "572-306-141", "572306141"},
		{"ErrBadCheckDigit", "572306148", ""},
		{"ErrTooShort", "57230614", ""},
		{"ErrTooLong", "5723061410", ""},
		{"ErrLetters", "57230614a", ""},
		{"ErrEmpty", "", ""},
		{"ErrUnicodeDigits", "５７２３０６１４１", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tickets.ParseCode(tt.in)
			if tt.want == "" {
				if err == nil || tickets.ErrorCode(err) != tickets.EINVALID {
					t.Fatalf("ParseCode(%q) = %q, %v; want an EINVALID error", tt.in, got, err)
				}
				return
			}
			if err != nil || string(got) != tt.want {
				t.Fatalf("ParseCode(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestCodeGrouped(t *testing.T) {
	if got, want := tickets.Code("572306141").Grouped(), "572 306 141"; got != want {
		t.Errorf("Grouped() = %q, want %q", got, want)
	}
}

func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"572306141", "572 306 141", "", "0000000000", "5723061a8", "５７２"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := tickets.ParseCode(s)
		if err != nil {
			if tickets.ErrorCode(err) != tickets.EINVALID {
				t.Fatalf("ParseCode(%q): error code %q, want EINVALID", s, tickets.ErrorCode(err))
			}
			return
		}
		if len(c) != tickets.CodeLen {
			t.Fatalf("ParseCode(%q) = %q: wrong length", s, c)
		}
		again, err := tickets.ParseCode(c.Grouped())
		if err != nil || again != c {
			t.Fatalf("ParseCode(Grouped(%q)) = %q, %v", c, again, err)
		}
	})
}
