// SPDX-License-Identifier: Apache-2.0

package console_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/console"
	"github.com/hotline-cchc/hotline/tickets"
)

// login posts the sign-in form from the client address addr.
func (e *env) login(tb testing.TB, ctx context.Context, name, password, addr string) *http.Response {
	tb.Helper()
	form := url.Values{"name": {name}, "password": {password}}
	r := httptest.NewRequestWithContext(ctx, "POST", "/login", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = addr + ":40000"
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	return w.Result()
}

// Thirty guesses at once, as one attacker can send them: the count comes
// before the check, so no more than FreeAttempts passwords are checked
// before the throttle answers.
func TestLoginParallelGuessesCounted(t *testing.T) {
	// Every admitted guess waits for its check, however slow the machine.
	e := newEnv(t, func(c *console.Config) { c.SignInWait = time.Hour })
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for range 30 {
		wg.Go(func() {
			res := e.login(t, context.Background(), "focal", "sai mật khẩu rồi nhé", "198.51.100.7")
			mu.Lock()
			statuses[res.StatusCode]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if got := statuses[http.StatusUnauthorized]; got != console.FreeAttempts {
		t.Errorf("%d of 30 parallel guesses had their password checked (want %d); statuses %v", got, console.FreeAttempts, statuses)
	}
	if statuses[http.StatusTooManyRequests] == 0 {
		t.Errorf("no guess was throttled: %v", statuses)
	}
}

// An unknown name and a known one get the same statuses, bodies and
// Retry-After for the same guesses.
func TestLoginSameAnswerForUnknownNames(t *testing.T) {
	e := newEnv(t)
	answers := func(name, addr string) []string {
		var out []string
		for range console.FreeAttempts + 3 {
			res := e.login(t, context.Background(), name, "sai mật khẩu rồi nhé", addr)
			out = append(out, res.Status+" "+res.Header.Get("Retry-After")+" "+body(t, res))
		}
		return out
	}
	known, unknown := answers("focal", "198.51.100.8"), answers("khong-ai-ten-nay", "198.51.100.9")
	for i := range known {
		if known[i] != unknown[i] {
			t.Errorf("attempt %d: known name answered\n%s\nunknown name answered\n%s", i+1, known[i], unknown[i])
		}
	}
	if !strings.HasPrefix(known[len(known)-1], "429 ") {
		t.Errorf("the last attempt was not throttled: %s", known[len(known)-1])
	}
}

// An outsider's failures, however many, keep neither the user at their
// usual address nor at a new one from signing in; and the outsider's own
// attempts wait longer and longer.
func TestLoginOutsiderCannotLockOut(t *testing.T) {
	var logs bytes.Buffer
	e := newEnv(t, func(c *console.Config) { c.Log = slog.New(slog.NewTextHandler(&logs, nil)) })
	if res := e.login(t, context.Background(), "focal", testPassword, "203.0.113.5"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first sign-in: %s", res.Status)
	}
	var retry []string
	for range 12 {
		res := e.login(t, context.Background(), "FOCAL", "đoán bừa một mật khẩu", "192.0.2.66")
		if res.StatusCode == http.StatusTooManyRequests {
			retry = append(retry, res.Header.Get("Retry-After"))
		}
		e.clock.T = e.clock.T.Add(30 * time.Second)
	}
	for _, addr := range []string{"203.0.113.5", "203.0.113.77"} {
		if res := e.login(t, context.Background(), "focal", testPassword, addr); res.StatusCode != http.StatusSeeOther {
			t.Errorf("sign-in from %s after the outsider's guesses: %s, want 303", addr, res.Status)
		}
	}
	if len(retry) < 2 || retry[0] == retry[len(retry)-1] {
		t.Errorf("the outsider's waits do not grow: Retry-After %v", retry)
	}
	if !strings.Contains(logs.String(), "client_addr=192.0.2.66") || strings.Contains(logs.String(), "đoán bừa") {
		t.Errorf("the log lacks the failed sign-in's client address, or shows the password:\n%s", logs.String())
	}
}

// One address gets a burst of attempts, then waits, whatever names it tries.
func TestLoginAddressRateLimit(t *testing.T) {
	e := newEnv(t)
	limited := 0
	for i := range 40 {
		res := e.login(t, context.Background(), "ten-"+string(rune('a'+i%26))+string(rune('a'+i/26)), "sai mật khẩu rồi nhé", "198.51.100.20")
		if res.StatusCode == http.StatusTooManyRequests {
			limited++
			if res.Header.Get("Retry-After") == "" {
				t.Errorf("429 without Retry-After")
			}
		}
	}
	if limited == 0 {
		t.Error("40 attempts with 40 names from one address: none limited")
	}
	if res := e.login(t, context.Background(), "focal", testPassword, "198.51.100.21"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("another address: %s, want 303", res.Status)
	}
}

// blockingStore holds each look-up of the user named block until release
// is closed, so that the password check slots stay taken.
type blockingStore struct {
	console.Store
	block   string
	entered chan string
	release chan struct{}
}

func (s *blockingStore) User(ctx context.Context, name string) (*tickets.User, error) {
	if name == s.block {
		s.entered <- name
		<-s.release
	}
	return s.Store.User(ctx, name)
}

// With every password check slot taken, an attempt waits a little and then
// gets 429 with Retry-After, but the user at their usual address takes the
// reserved slot; an attempt whose client has left costs no look-up and no
// hash.
func TestLoginSlots(t *testing.T) {
	bs := &blockingStore{block: "focal", entered: make(chan string), release: make(chan struct{})}
	e := newEnv(t, func(c *console.Config) { bs.Store = c.Store; c.Store = bs })
	if res := e.login(t, context.Background(), "manager", testPassword, "203.0.113.50"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first sign-in of manager: %s", res.Status)
	}
	var wg sync.WaitGroup
	for i := range console.HashSlots() {
		wg.Go(func() { e.login(t, context.Background(), "focal", testPassword, "192.0.2."+string(rune('1'+i))) })
		<-bs.entered
	}
	res := e.login(t, context.Background(), "manager", testPassword, "198.51.100.30")
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Errorf("with every slot busy: %s, Retry-After %q; want 429 with Retry-After", res.Status, res.Header.Get("Retry-After"))
	}
	if res := e.login(t, context.Background(), "manager", testPassword, "203.0.113.50"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("with every slot busy, from the usual address: %s, want 303", res.Status)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := make(chan *http.Response)
	go func() { done <- e.login(t, ctx, "focal", testPassword, "198.51.100.31") }()
	close(bs.release)
	select {
	case name := <-bs.entered:
		t.Errorf("the look-up of %q ran for a client that had left", name)
		<-done
	case res := <-done:
		if res.StatusCode == http.StatusSeeOther {
			t.Errorf("a client that left was signed in")
		}
	}
	wg.Wait()
}

// The user's usual address is not held up by the limit of that address:
// colleagues behind the same office address may have used it up.
func TestLoginUsualAddressSkipsAddressLimit(t *testing.T) {
	e := newEnv(t)
	const office = "203.0.113.60"
	if res := e.login(t, context.Background(), "focal", testPassword, office); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first sign-in: %s", res.Status)
	}
	limited := false
	for i := range 30 {
		res := e.login(t, context.Background(), "khach-"+string(rune('a'+i)), "sai mật khẩu rồi nhé", office)
		limited = limited || res.StatusCode == http.StatusTooManyRequests
	}
	if !limited {
		t.Fatal("30 attempts from one address were not limited")
	}
	if res := e.login(t, context.Background(), "focal", testPassword, office); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the user at their usual address: %s, want 303", res.Status)
	}
	if res := e.login(t, context.Background(), "manager", testPassword, office); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("another user, new at that address: %s, want 429", res.Status)
	}
}
