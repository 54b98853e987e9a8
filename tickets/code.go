// SPDX-License-Identifier: Apache-2.0

package tickets

import (
	"crypto/rand"
	"encoding/binary"
	"strconv"
	"strings"
)

// CodeLen is the number of digits in a ticket code: eight random digits (the
// first never 0) and a Damm check digit.
const CodeLen = 9

// Code is a ticket's public handle: digits only, so that a caller can type it
// on a keypad and the IVR can read it out. Codes are random, not sequential,
// and end in a Damm check digit that catches every single-digit error and every
// swap of two adjacent digits.
type Code string

// dammTable is the quasigroup of order 10 from H. Michael Damm's thesis (2004).
var dammTable = [10][10]byte{
	{0, 3, 1, 7, 5, 9, 8, 6, 4, 2},
	{7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
	{4, 2, 0, 6, 8, 7, 1, 3, 5, 9},
	{1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
	{6, 1, 2, 3, 0, 4, 5, 9, 7, 8},
	{3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
	{5, 8, 6, 9, 7, 2, 0, 1, 3, 4},
	{8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
	{9, 4, 3, 8, 6, 1, 7, 2, 0, 5},
	{2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
}

// damm returns the interim digit of the digits in s; it is 0 exactly when s
// ends in a valid check digit. s must hold ASCII digits only.
func damm(s string) byte {
	var interim byte
	for i := 0; i < len(s); i++ {
		interim = dammTable[interim][s[i]-'0']
	}
	return interim
}

// NewCode returns a fresh random code. Uniqueness is the store's job: it
// retries on the rare collision.
func NewCode() Code {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("tickets: crypto/rand failed: " + err.Error()) // crypto/rand never fails on Linux
	}
	const span = 90_000_000 // 8 digits, the first 1–9
	body := strconv.FormatUint(10_000_000+binary.BigEndian.Uint64(b[:])%span, 10)
	return Code(body + string('0'+damm(body)))
}

// ParseCode reads a code as a person typed or said it: spaces, dots and dashes
// between digit groups are ignored. It returns an EINVALID *Error, before any
// look-up, when the input has anything but digits, the wrong length or a wrong
// check digit.
func ParseCode(s string) (Code, error) {
	digits := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', '-', '\t':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return "", Errorf(EINVALID, "a ticket code has digits only")
		}
	}
	if len(digits) != CodeLen {
		return "", Errorf(EINVALID, "a ticket code has %d digits, not %d", CodeLen, len(digits))
	}
	if damm(digits) != 0 {
		return "", Errorf(EINVALID, "the code %s is mistyped: its check digit does not match", digits)
	}
	return Code(digits), nil
}

// Grouped returns the code in groups of three for reading aloud and printing:
// "482 913 075".
func (c Code) Grouped() string {
	s := string(c)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// String returns the code's digits.
func (c Code) String() string { return string(c) }
