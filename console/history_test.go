// SPDX-License-Identifier: Apache-2.0

package console_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/console"
	"github.com/hotline-cchc/hotline/tickets"
)

// longHistory files a ticket and answers it until its history has n
// entries; the k-th answer's note is "Trả lời số k".
func longHistory(tb testing.TB, e *env, n int) tickets.Code {
	tb.Helper()
	code := e.open(tb, 1)
	for k := 1; k < n; k++ {
		c := tickets.Change{Action: tickets.ActionAnswer, Actor: "focal", Note: fmt.Sprintf("Trả lời số %d", k)}
		if _, err := e.svc.Move(context.Background(), code, c); err != nil {
			tb.Fatal(err)
		}
	}
	return code
}

var notePattern = regexp.MustCompile(`Trả lời số (\d+)<`)

// A ticket's page shows its history a page at a time, oldest first; the
// pages' links lead through every entry exactly once.
func TestTicketPageHistoryPaged(t *testing.T) {
	e := newEnv(t)
	const n = 2*console.HistoryPageSize + 30
	code := longHistory(t, e, n)
	seen := map[string]bool{}
	target, pages := "/tickets/"+string(code), 0
	for target != "" {
		res := e.do(t, "focal", "GET", target, nil)
		b := body(t, res)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", target, res.StatusCode)
		}
		ms := notePattern.FindAllStringSubmatch(b, -1)
		if len(ms) > console.HistoryPageSize {
			t.Errorf("%s shows %d entries, want at most %d", target, len(ms), console.HistoryPageSize)
		}
		for _, m := range ms {
			if seen[m[1]] {
				t.Errorf("answer %s shown twice", m[1])
			}
			seen[m[1]] = true
		}
		target = ""
		if m := regexp.MustCompile(`href="(/tickets/\d+\?history_after=\d+)" rel="next"`).FindStringSubmatch(b); m != nil {
			target = m[1]
		}
		pages++
	}
	if len(seen) != n-1 || pages != 3 {
		t.Errorf("%d answers seen over %d pages, want %d over 3", len(seen), pages, n-1)
	}
	if res := e.do(t, "focal", "GET", "/tickets/"+string(code)+"?history_after=x", nil); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad cursor: %d, want 400", res.StatusCode)
	}
}

// The API pages the history the same way, with history_limit and
// history_next.
func TestAPIHistoryPaged(t *testing.T) {
	e := newEnv(t)
	const n = 75
	code := longHistory(t, e, n)
	var notes []string
	after := ""
	for range n {
		res := e.do(t, "focal", "GET", "/api/v1/tickets/"+string(code)+"?history_limit=20&history_after="+after, nil)
		var got struct {
			History []struct{ Note string } `json:"history"`
			Next    string                  `json:"history_next"`
		}
		if err := json.NewDecoder(res.Body).Decode(&got); err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("status %d: %v", res.StatusCode, err)
		}
		if len(got.History) > 20 {
			t.Fatalf("a page of %d entries, want at most 20", len(got.History))
		}
		for _, h := range got.History {
			notes = append(notes, h.Note)
		}
		if after = got.Next; after == "" {
			break
		}
	}
	if len(notes) != n || notes[1] != "Trả lời số 1" || notes[n-1] != fmt.Sprintf("Trả lời số %d", n-1) {
		t.Errorf("%d entries, want %d oldest first: %s", len(notes), n, strings.Join(notes, " | "))
	}
}
