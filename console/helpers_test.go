// SPDX-License-Identifier: Apache-2.0

package console_test

import (
	"sync"
	"testing"

	"github.com/hotline-cchc/hotline/console"
)

const testPassword = "mật khẩu thử nghiệm"

// hashOnce hashes testPassword once per test binary: argon2id is slow on
// purpose.
var hashOnce = sync.OnceValues(func() (string, error) { return console.HashPassword(testPassword) })

func testHash(tb testing.TB) string {
	tb.Helper()
	h, err := hashOnce()
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

func hashOf(secret string) string { return console.HashSecret(secret) }
