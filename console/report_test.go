// SPDX-License-Identifier: Apache-2.0

package console_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/hotline-cchc/hotline/console"
	"github.com/hotline-cchc/hotline/tickets"
)

// A period longer than MaxReportDays is refused before anything is read,
// with the reason in Vietnamese, in the console and in the API.
func TestReportPeriodLimit(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name, query string
		status      int
	}{
		{"OKLeapYear", "from=2024-01-01&to=2024-12-31", http.StatusOK},
		{"OK366Days", "from=2025-06-01&to=2026-06-01", http.StatusOK},
		{"Err367Days", "from=2025-06-01&to=2026-06-02", http.StatusBadRequest},
		{"ErrCenturies", "from=1500-01-01&to=2499-12-31", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := e.do(t, "manager", "GET", "/reports/html?"+tt.query, nil)
			b := body(t, res)
			if res.StatusCode != tt.status || (tt.status == http.StatusBadRequest && !strings.Contains(b, "quá giới hạn 366 ngày")) {
				t.Errorf("console: %d, want %d\n%s", res.StatusCode, tt.status, b)
			}
			res = e.do(t, "manager", "GET", "/api/v1/reports/csv?"+tt.query, nil)
			var got struct{ Error, Message string }
			json.NewDecoder(res.Body).Decode(&got)
			if res.StatusCode != tt.status || (tt.status == http.StatusBadRequest && !strings.Contains(got.Message, "quá giới hạn 366 ngày")) {
				t.Errorf("API: %d %+v, want %d", res.StatusCode, got, tt.status)
			}
		})
	}
}

// A user renders one report at a time: a second download while the first
// is being built gets 429 at once, and nothing more is built.
func TestReportOneAtATimePerUser(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	var mu sync.Mutex
	builds := 0
	e := newEnv(t, func(c *console.Config) {
		c.Report = func(ctx context.Context, from, to tickets.Date, format string, w io.Writer) error {
			mu.Lock()
			builds++
			mu.Unlock()
			started <- struct{}{}
			<-release
			_, err := io.WriteString(w, "report")
			return err
		}
	})
	first := make(chan int)
	go func() { first <- e.do(t, "manager", "GET", "/reports/csv?month=2026-10", nil).StatusCode }()
	<-started
	res := e.do(t, "manager", "GET", "/api/v1/reports/csv?month=2026-10", nil)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Errorf("second report of the same user: %d, Retry-After %q; want 429", res.StatusCode, res.Header.Get("Retry-After"))
	}
	second := make(chan int)
	go func() { second <- e.do(t, "admin", "GET", "/reports/csv?month=2026-10", nil).StatusCode }()
	<-started // another user is not held up by the first
	close(release)
	if a, b := <-first, <-second; a != http.StatusOK || b != http.StatusOK {
		t.Errorf("the admitted reports: %d, %d; want 200", a, b)
	}
	if builds != 2 {
		t.Errorf("%d reports built, want 2", builds)
	}
}

// With every report slot busy, a third user's download waits a little and
// then gets 429.
func TestReportSlots(t *testing.T) {
	started, release := make(chan struct{}, 3), make(chan struct{})
	e := newEnv(t, func(c *console.Config) {
		c.Report = func(ctx context.Context, from, to tickets.Date, format string, w io.Writer) error {
			started <- struct{}{}
			<-release
			return nil
		}
	})
	e.addUser(t, tickets.User{Name: "manager2", Role: tickets.RoleManager})
	var wg sync.WaitGroup
	for _, u := range []string{"admin", "manager"} {
		wg.Go(func() { e.do(t, u, "GET", "/reports/csv?month=2026-10", nil) })
	}
	<-started
	<-started
	if res := e.do(t, "manager2", "GET", "/reports/csv?month=2026-10", nil); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("third report while two are built: %d, want 429", res.StatusCode)
	}
	close(release)
	wg.Wait()
}
