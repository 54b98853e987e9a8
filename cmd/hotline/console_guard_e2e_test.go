// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// clientFrom is an HTTP client whose connections come from the loopback
// address ip, so that a test can be two clients at two addresses.
func clientFrom(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{
		Transport:     &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 32},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Through the binary: 30 parallel guesses from one address get no more
// password checks than the free attempts, and the user signs in from
// another address meanwhile; a report period of a thousand years is
// refused at once; a code that does not exist and a malformed one get the
// same answer.
func TestServeConsoleGuards(t *testing.T) {
	bin, env := binary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if code, out := hotline(t, ctx, bin, env, "mưa rơi trên phố cổ\n", "users", "add", "minh", "--role", "manager"); code != 0 {
		t.Fatalf("users add: %s", out)
	}
	_, token := hotline(t, ctx, bin, env, "", "users", "token", "minh")
	srv := startServe(t, ctx, bin, env)
	defer srv.stop(t)
	base := "http://" + srv.addr
	login := func(c *http.Client, password string) int {
		form := url.Values{"name": {"minh"}, "password": {password}}
		res, err := c.PostForm(base+"/login", form)
		if err != nil {
			t.Error(err)
			return 0
		}
		res.Body.Close()
		return res.StatusCode
	}
	attacker := clientFrom("127.0.0.1")
	statuses := inParallel(30, func() int { return login(attacker, "đoán bừa một mật khẩu") })
	if statuses[http.StatusUnauthorized] > 3 || statuses[http.StatusTooManyRequests] == 0 {
		t.Errorf("30 parallel guesses were answered %v; want at most 3 checked (401), the rest 429", statuses)
	}
	if got := login(clientFrom("127.0.0.2"), "mưa rơi trên phố cổ"); got != http.StatusSeeOther {
		t.Errorf("the user from another address: %d, want 303", got)
	}
	get := func(path string) (int, string) {
		req, _ := http.NewRequestWithContext(ctx, "GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(token))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, b := get("/api/v1/reports/html?from=1500-01-01&to=2499-12-31"); code != http.StatusBadRequest || !strings.Contains(b, "366 ngày") {
		t.Errorf("a thousand-year report: %d %s", code, b)
	}
	c1, b1 := get("/api/v1/tickets/" + string(tickets.NewCode())) // the store has no ticket
	c2, b2 := get("/api/v1/tickets/abc")
	if c1 != http.StatusNotFound || c1 != c2 || b1 != b2 {
		t.Errorf("two missing tickets answered differently:\n%d %s\n%d %s", c1, b1, c2, b2)
	}
	if !strings.Contains(srv.logs.String(), "client_addr=127.0.0.1") {
		t.Errorf("the log does not name the address of the failed sign-ins")
	}
}

// inParallel runs f n times at once and counts its results.
func inParallel(n int, f func() int) map[int]int {
	var mu sync.Mutex
	counts := map[int]int{}
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			r := f()
			mu.Lock()
			counts[r]++
			mu.Unlock()
		})
	}
	wg.Wait()
	return counts
}

// Behind a reverse proxy every client comes from the proxy's address: with
// http.trust_proxy the guard counts the client's address the proxy appended
// to X-Forwarded-For, so guesses from one client do not slow the user at
// another; without it X-Forwarded-For is ignored (a client could forge it)
// and every attempt through the proxy counts as one address.
func TestServeConsoleTrustProxy(t *testing.T) {
	for _, trust := range []bool{true, false} {
		bin, env := binary(t)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		if code, out := hotline(t, ctx, bin, env, "mưa rơi trên phố cổ\n", "users", "add", "minh", "--role", "manager"); code != 0 {
			t.Fatalf("users add: %s", out)
		}
		if trust {
			env = append(env, "HOTLINE_HTTP_TRUST_PROXY=true")
		}
		srv := startServe(t, ctx, bin, env)
		proxy := clientFrom("127.0.0.1")
		login := func(client, password string) int {
			req, _ := http.NewRequestWithContext(ctx, "POST", "http://"+srv.addr+"/login",
				strings.NewReader(url.Values{"name": {"minh"}, "password": {password}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", "198.51.100.7, "+client) // as nginx appends the peer
			res, err := proxy.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		for range 4 {
			login("203.0.113.1", "đoán bừa một mật khẩu")
		}
		guesser, user := login("203.0.113.1", "đoán bừa một mật khẩu"), login("203.0.113.2", "mưa rơi trên phố cổ")
		srv.stop(t)
		cancel()
		if guesser != http.StatusTooManyRequests {
			t.Errorf("trust_proxy %v: the guesser's fifth attempt: %d, want 429", trust, guesser)
		}
		if trust && user != http.StatusSeeOther {
			t.Errorf("trust_proxy: the user at another client address: %d, want 303", user)
		}
		if !trust && user != http.StatusTooManyRequests {
			t.Errorf("no trust_proxy: X-Forwarded-For was believed: the user got %d, want 429 (same peer)", user)
		}
	}
}
