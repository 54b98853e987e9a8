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
	var mu sync.Mutex
	n := 0
	fake, err := aritest.New(aritest.Options{User: "hotline", Password: "pw", Speed: 20,
		Callees: func(string) (aritest.Callee, bool) {
			mu.Lock()
			defer mu.Unlock()
			if n++; n <= 2 {
				return aritest.Callee{Cause: 19, Ring: 3 * time.Second}, true
			}
			return aritest.Callee{Keys: []string{"5"}, Pause: 2 * time.Second}, true
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	env = append(env, alwaysOpen...)
	env = append(env, "HOTLINE_ARI_URL="+fake.URL(), "HOTLINE_ARI_USER=hotline", "HOTLINE_ARI_PASSWORD=pw",
		"HOTLINE_CALLBACK_ENDPOINT=PJSIP/{number}@trunk", "HOTLINE_CALLBACK_CALLER_ID=02363822222", "HOTLINE_CALLBACK_INTERVAL=1s")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	run := func(args ...string) string {
		t.Helper()
		st, out := hotline(t, ctx, bin, env, "", args...)
		if st != 0 {
			t.Fatalf("hotline %v: %s", args, out)
		}
		return out
	}
	out := run("tickets", "new", "--branch", "4", "--channel", "phone", "--phone", "0939 015 599", "--text", "Hồ sơ trễ hẹn", "--json")
	var tk struct{ Code tickets.Code }
	if err := json.Unmarshal([]byte(out), &tk); err != nil || tk.Code == "" {
		t.Fatalf("tickets new: %q, %v", out, err)
	}
	code := tk.Code
	if st, out := hotline(t, ctx, bin, env, "mưa rơi trên phố cổ\n", "users", "add", "lan", "--role", "admin"); st != 0 {
		t.Fatalf("users add: %s", out)
	}
	srv := startServe(t, ctx, bin, env)
	stopped := false
	defer func() {
		if !stopped {
			srv.stop(t)
		}
	}()
	run("tickets", "assign", string(code), "--department", "van-phong-ubnd-tinh")
	run("tickets", "start", string(code))
	run("tickets", "resolve", string(code), "--note", "Hồ sơ của ông đã có kết quả, mời ông đến nhận.")
	var calls []*aritest.Call
	for calls = fake.Originated(); len(calls) < 3; calls = fake.Originated() {
		select {
		case <-ctx.Done():
			t.Fatalf("%d call-backs placed\n%s", len(calls), srv.logs)
		case <-time.After(20 * time.Millisecond):
		}
	}
	select {
	case <-calls[2].Done():
	case <-ctx.Done():
		t.Fatalf("the answered call-back did not end: %v", calls[2].Log())
	}
	played := calls[2].Played()
	if len(played) < 4 || played[0] != "sound:hotline/callback-greeting" || played[1] != "sound:hotline/ticket-code" ||
		!slices.Contains(played, "sound:hotline/answer-intro") || !slices.Contains(played, "sound:hotline/survey-thanks") ||
		calls[0].Dialstring() != "0939015599@trunk" || calls[2].Number() != "02363822222" {
		t.Fatalf("the answered call-back to %s played %v", calls[0].Dialstring(), played)
	}
	// The answered attempt is recorded once the call has ended.
	page := consolePage(t, ctx, "http://"+srv.addr, "lan", "mưa rơi trên phố cổ", "/tickets/"+string(code))
	for strings.Contains(page, "Đang gọi") && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
		page = consolePage(t, ctx, "http://"+srv.addr, "lan", "mưa rơi trên phố cổ", "/tickets/"+string(code))
	}
	if strings.Count(page, "Không nghe máy (mã 19)") != 2 || !strings.Contains(page, "Công dân đã nghe máy") {
		t.Errorf("the ticket page does not list the call-backs:\n%s", page)
	}
	srv.stop(t)
	stopped = true
	db := openData(t, dataDir(env))
	as, err := db.CallbackAttempts(ctx, code)
	db.Close()
	var outcomes []string
	for _, a := range as {
		outcomes = append(outcomes, string(a.Outcome))
	}
	if err != nil || !slices.Equal(outcomes, []string{"no_answer", "no_answer", "answered"}) {
		t.Errorf("attempts = %v, %v", outcomes, err)
	}
	if strings.Contains(srv.logs.String(), "0939015599") {
		t.Errorf("the log shows the citizen's number")
	}
	month := time.Now().In(mustHCM(t)).Format("2006-01")
	if out := run("report", "--month", month, "--format", "csv"); !strings.Contains(out, "tỷ lệ hài lòng (hài lòng và rất hài lòng) là 100,0%, đạt mục tiêu 80%") {
		t.Errorf("the report does not say 100 %% satisfied:\n%s", out)
	}
}

func mustHCM(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
