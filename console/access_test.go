// SPDX-License-Identifier: Apache-2.0

package console_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/hotline-cchc/hotline/tickets"
)

// A malformed code, a code no ticket has and another department's ticket
// get the very same answer, in the API and in the console.
func TestNotFoundIsOneAnswer(t *testing.T) {
	e := newEnv(t)
	theirs := e.open(t, 1) // so-noi-vu's; "other" works for so-tu-phap
	var unknown tickets.Code
	for unknown == "" {
		c := tickets.NewCode()
		if _, err := e.db.Ticket(context.Background(), c); tickets.ErrorCode(err) == tickets.ENOTFOUND {
			unknown = c
		}
	}
	for _, prefix := range []string{"/api/v1/tickets/", "/tickets/"} {
		var first string
		for _, code := range []string{string(theirs), string(unknown), "123456789", "abc"} {
			res := e.do(t, "other", "GET", prefix+code, nil)
			got := res.Status + " " + body(t, res)
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("%s%s: %s, want 404", prefix, code, res.Status)
			}
			if first == "" {
				first = got
			} else if got != first {
				t.Errorf("%s%s answers\n%s\nbut another department's ticket\n%s", prefix, code, got, first)
			}
		}
	}
}

// A new password ends the user's API tokens and console sessions.
func TestSetPasswordRevokesTokensAndSessions(t *testing.T) {
	e := newEnv(t)
	if res := e.do(t, "focal", "GET", "/api/v1/tickets", nil); res.StatusCode != http.StatusOK {
		t.Fatalf("before: %d", res.StatusCode)
	}
	if err := e.db.SetPassword(context.Background(), "focal", testHash(t)); err != nil {
		t.Fatal(err)
	}
	if res := e.do(t, "focal", "GET", "/api/v1/tickets", nil); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("API token after a password change: %d, want 401", res.StatusCode)
	}
	if res := e.do(t, "focal", "GET", "/", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("session after a password change: %d, want 303 to the sign-in page", res.StatusCode)
	}
}
