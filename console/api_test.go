// SPDX-License-Identifier: Apache-2.0

package console_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/tickets"
)

type apiList struct {
	Tickets []struct {
		Code       string `json:"code"`
		Department string `json:"department"`
		Contact    string `json:"contact"`
		Status     string `json:"status"`
	} `json:"tickets"`
	Next string `json:"next"`
}

func TestAPIList(t *testing.T) {
	e := newEnv(t)
	mine := map[string]bool{string(e.open(t, 1)): true, string(e.open(t, 1)): true}
	e.open(t, 2)
	seen := map[string]bool{}
	target := "/api/v1/tickets?limit=1"
	for range 5 {
		res := e.do(t, "focal", "GET", target, nil)
		var l apiList
		if err := json.NewDecoder(res.Body).Decode(&l); err != nil || res.StatusCode != 200 {
			t.Fatalf("list: %d %v", res.StatusCode, err)
		}
		for _, tk := range l.Tickets {
			if tk.Department != "so-noi-vu" || tk.Contact != "*******234" {
				t.Errorf("ticket %+v: another department's or unmasked", tk)
			}
			seen[tk.Code] = true
		}
		if l.Next == "" {
			break
		}
		target = "/api/v1/tickets?limit=1&after=" + l.Next
	}
	if len(seen) != len(mine) {
		t.Errorf("pages held %v, want %v", seen, mine)
	}
	for _, bad := range []string{"?limit=0", "?after=x"} {
		if res := e.do(t, "focal", "GET", "/api/v1/tickets"+bad, nil); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", bad, res.StatusCode)
		}
	}
}

func TestAPITokens(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	call := func(auth string) int {
		r := httptest.NewRequest("GET", "/api/v1/tickets", nil)
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, r)
		return w.Code
	}
	tests := []struct {
		name, auth string
		want       int
	}{
		{"OK", "Bearer " + e.tokens["focal"], 200},
		{"ErrNoHeader", "", 401},
		{"ErrUnknownToken", "Bearer hlt_nothing", 401},
		{"ErrBasic", "Basic Zm9jYWw6eA==", 401},
		{"ErrSessionCookieIsNotAToken", "Bearer " + e.cookies["focal"], 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := call(tt.auth); got != tt.want {
				t.Errorf("status %d, want %d", got, tt.want)
			}
		})
	}
	if err := e.db.RevokeTokens(ctx, "focal", e.clock.T); err != nil {
		t.Fatal(err)
	}
	if got := call("Bearer " + e.tokens["focal"]); got != 401 {
		t.Errorf("revoked token: %d, want 401", got)
	}
}

func TestAPITransition(t *testing.T) {
	e := newEnv(t)
	code := string(e.open(t, 1))
	post := func(body string) (int, map[string]any) {
		r := httptest.NewRequest("POST", "/api/v1/tickets/"+code+"/transitions", strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+e.tokens["focal"])
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, r)
		var m map[string]any
		json.Unmarshal(w.Body.Bytes(), &m)
		return w.Code, m
	}
	steps := []struct {
		body   string
		status int
		field  string // a field of the answer and its expected value
		value  string
	}{
		{`{"action":"take"}`, 200, "status", "assigned"},
		{`{"action":"resolve"}`, 409, "error", tickets.ECONFLICT},
		{`{"action":"start"}`, 200, "status", "in_progress"},
		{`{"action":"answer","note":"Đã xử lý"}`, 200, "status", "in_progress"},
		{`{"action":"fly"}`, 400, "error", tickets.EINVALID},
		{`not json`, 400, "error", tickets.EINVALID},
		{`{"action":"resolve","note":"Xong"}`, 200, "status", "resolved"},
	}
	for _, s := range steps {
		status, m := post(s.body)
		if status != s.status || m[s.field] != s.value {
			t.Errorf("%s: %d %v, want %d with %s=%s", s.body, status, m, s.status, s.field, s.value)
		}
	}
	res := e.do(t, "focal", "GET", "/api/v1/tickets/"+code, nil)
	var got struct {
		Status  string `json:"status"`
		History []struct {
			Action string `json:"action"`
			Actor  string `json:"actor"`
		} `json:"history"`
	}
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil || got.Status != "resolved" || len(got.History) != 5 || got.History[4].Actor != "focal" {
		t.Errorf("ticket after the calls: %+v, %v", got, err)
	}
}

// The API answers times in the province's zone with its offset, as the CLI
// does: the deadline is the end of its last working day, 23:59:59+07:00.
func TestAPITimesLocal(t *testing.T) {
	e := newEnv(t)
	code := string(e.open(t, 1))
	var got struct {
		Deadline  string `json:"deadline"`
		CreatedAt string `json:"created_at"`
		UpdatedAt string `json:"updated_at"`
		History   []struct{ At string }
	}
	res := e.do(t, "focal", "GET", "/api/v1/tickets/"+code, nil)
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil || len(got.History) != 1 {
		t.Fatalf("ticket: %+v, %v", got, err)
	}
	for name, v := range map[string]string{"deadline": got.Deadline, "created_at": got.CreatedAt, "updated_at": got.UpdatedAt, "history.at": got.History[0].At} {
		if !strings.HasSuffix(v, "+07:00") {
			t.Errorf("%s = %q, want local time with +07:00", name, v)
		}
	}
	if !strings.HasSuffix(got.Deadline, "T23:59:59+07:00") {
		t.Errorf("deadline = %q, want the end of a local day", got.Deadline)
	}
	b := body(t, e.do(t, "focal", "GET", "/api/v1/tickets", nil))
	if strings.Contains(b, "Z\"") || !strings.Contains(b, "+07:00\"") {
		t.Errorf("list: want local times only\n%s", b)
	}
}
