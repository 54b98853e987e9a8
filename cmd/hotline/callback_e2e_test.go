// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/ivr/aritest"
	"github.com/hotline-cchc/hotline/tickets"
)

// alwaysOpen are business hours around the clock every day, and a single
// holiday long past, so that the call-back may run whenever the test does.
var alwaysOpen = []string{"HOTLINE_HOURS_MONDAY=00:00-24:00", "HOTLINE_HOURS_TUESDAY=00:00-24:00",
	"HOTLINE_HOURS_WEDNESDAY=00:00-24:00", "HOTLINE_HOURS_THURSDAY=00:00-24:00", "HOTLINE_HOURS_FRIDAY=00:00-24:00",
	"HOTLINE_HOURS_SATURDAY=00:00-24:00", "HOTLINE_HOURS_SUNDAY=00:00-24:00", "HOTLINE_HOLIDAYS=2000-01-01"}

// Through the binary: a phone ticket resolved by the CLI is called back
// through the fake Asterisk; the citizen does not answer twice, then picks
// up, hears the greeting, the code and the answer, and presses 5; every
// attempt is recorded, and the month's report says 100 % satisfied.
func TestServeCallback(t *testing.T) {
	bin, env := binary(t)
	fake := callbackFake(t, aritest.Callee{Cause: 19, Ring: 3 * time.Second}, aritest.Callee{Cause: 19, Ring: 3 * time.Second},
		aritest.Callee{Keys: []string{"5"}, Pause: 2 * time.Second})
	env = append(env, alwaysOpen...)
	env = append(env, "HOTLINE_ARI_URL="+fake.URL(), "HOTLINE_ARI_USER=hotline", "HOTLINE_ARI_PASSWORD=pw",
		"HOTLINE_CALLBACK_ENDPOINT=PJSIP/{number}@trunk", "HOTLINE_CALLBACK_CALLER_ID=02363822222", "HOTLINE_CALLBACK_INTERVAL=1s")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	run := func(stdin string, args ...string) string {
		t.Helper()
		st, out := hotline(t, ctx, bin, env, stdin, args...)
		if st != 0 {
			t.Fatalf("hotline %v: %s", args, out)
		}
		return out
	}
	var tk struct{ Code tickets.Code }
	out := run("", "tickets", "new", "--branch", "4", "--channel", "phone", "--phone", "0939 015 599", "--text", "Hồ sơ trễ hẹn", "--json")
	if err := json.Unmarshal([]byte(out), &tk); err != nil || tk.Code == "" {
		t.Fatalf("tickets new: %q, %v", out, err)
	}
	code := string(tk.Code)
	run("mưa rơi trên phố cổ\n", "users", "add", "lan", "--role", "admin")
	srv := startServe(t, ctx, bin, env)
	stop := sync.OnceFunc(func() { srv.stop(t) })
	defer stop()
	run("", "tickets", "assign", code, "--department", "van-phong-ubnd-tinh")
	run("", "tickets", "start", code)
	run("", "tickets", "resolve", code, "--note", "Hồ sơ của ông đã có kết quả, mời ông đến nhận.")
	calls := waitCallbacks(t, ctx, fake, 3)
	played := calls[2].Played()
	if len(played) < 4 || played[0] != "sound:hotline/callback-greeting" || played[1] != "sound:hotline/ticket-code" ||
		!slices.Contains(played, "sound:hotline/answer-intro") || !slices.Contains(played, "sound:hotline/survey-thanks") ||
		calls[0].Dialstring() != "0939015599@trunk" || calls[2].Number() != "02363822222" {
		t.Fatalf("the answered call-back to %s played %v", calls[0].Dialstring(), played)
	}
	// The answered attempt is recorded once the call has ended.
	page := consolePage(t, "http://"+srv.addr, "lan", "mưa rơi trên phố cổ", "/tickets/"+code)
	for strings.Contains(page, "Đang gọi") && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
		page = consolePage(t, "http://"+srv.addr, "lan", "mưa rơi trên phố cổ", "/tickets/"+code)
	}
	if strings.Count(page, "Không nghe máy (mã 19)") != 2 || !strings.Contains(page, "Công dân đã nghe máy") {
		t.Errorf("the ticket page does not list the call-backs:\n%s", page)
	}
	if m := get(t, "http://"+srv.addr+"/metrics"); !strings.Contains(m, `hotline_callback_attempts_total{outcome="no_answer"} 2`) {
		t.Errorf("/metrics lacks the call-backs:\n%s", grepLines(m, "hotline_callback"))
	}
	stop()
	if strings.Contains(srv.logs.String(), "0939015599") {
		t.Errorf("the log shows the citizen's number")
	}
	month := time.Now().In(mustHCM(t)).Format("2006-01")
	if out := run("", "report", "--month", month, "--format", "csv"); !strings.Contains(out, "tỷ lệ hài lòng (hài lòng và rất hài lòng) là 100,0%, đạt mục tiêu 80%") {
		t.Errorf("the report does not say 100 %% satisfied:\n%s", out)
	}
}

// callbackFake is a fake Asterisk whose call-backs reach script's callees
// in turn, the last one for every further call.
func callbackFake(t *testing.T, script ...aritest.Callee) *aritest.Server {
	t.Helper()
	var mu sync.Mutex
	n := 0
	fake, err := aritest.New(aritest.Options{User: "hotline", Password: "pw", Speed: 20,
		Callees: func(string) (aritest.Callee, bool) {
			mu.Lock()
			defer mu.Unlock()
			n++
			return script[min(n, len(script))-1], true
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fake.Close() })
	return fake
}

// waitCallbacks waits until n call-backs were placed and the last has ended.
func waitCallbacks(t *testing.T, ctx context.Context, fake *aritest.Server, n int) []*aritest.Call {
	t.Helper()
	calls := fake.Originated()
	for ; len(calls) < n; calls = fake.Originated() {
		select {
		case <-ctx.Done():
			t.Fatalf("%d call-backs placed, want %d", len(calls), n)
		case <-time.After(20 * time.Millisecond):
		}
	}
	select {
	case <-calls[n-1].Done():
	case <-ctx.Done():
		t.Fatalf("call-back %d did not end: %v", n, calls[n-1].Log())
	}
	return calls
}

func mustHCM(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
