// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/ivr/aritest"
	"github.com/hotline-cchc/hotline/tickets"
)

// onData runs the binary on the data folder dir and returns its output; a
// failure fails the test.
func onData(t *testing.T, dir string, args ...string) string {
	t.Helper()
	bin, env := binary(t)
	c := exec.Command(bin, args...)
	c.Env = append(env, "HOTLINE_DATA="+dir)
	out, err := c.CombinedOutput()
	if err != nil {
		t.Fatalf("hotline %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// Through the binary: a phone ticket resolved with a text answer; the
// citizen calls, presses * and the code, hears the status and the answer
// (synthesised by espeak-ng, fetched by Asterisk from hotline over HTTP),
// and presses 5; the rating is stored.
func TestServePhoneStatusAnswerSurvey(t *testing.T) {
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng is not installed (.ci/deps installs it)")
	}
	fake, err := aritest.New(aritest.Options{User: "hotline", Password: "pw", Speed: 20})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	var code tickets.Code
	addr, logs, stop, dir := servePhone(t, fake, "pw", func(dir string) {
		out := onData(t, dir, "tickets", "new", "--branch", "4", "--channel", "phone", "--phone", "0939015599", "--text", "Hồ sơ trễ hẹn")
		m := regexp.MustCompile(`\d{9}`).FindString(strings.ReplaceAll(out, " ", ""))
		code = tickets.Code(m)
		onData(t, dir, "tickets", "assign", m, "--department", "van-phong-ubnd-tinh")
		onData(t, dir, "tickets", "start", m)
		onData(t, dir, "tickets", "resolve", m, "--note", "Hồ sơ của ông đã được trả kết quả ngày hôm qua.")
	})
	stop = sync.OnceFunc(stop)
	defer stop()
	phoneState(t, addr, "connected")
	k := fake.Call("hotline", aritest.Caller{Number: "0939015599", Keys: []string{"*", string(code) + "#", "5"}})
	select {
	case <-k.Done():
	case <-time.After(time.Minute):
		t.Fatalf("the call did not end: %v", k.Log())
	}
	played := k.Played()
	media := regexp.MustCompile(`^sound:http://127\.0\.0\.1:\d+/media/answers/[0-9a-f]{32}\.wav$`)
	i := slices.IndexFunc(played, media.MatchString)
	if i < 0 || played[i-1] != "sound:hotline/answer-intro" || !slices.Contains(played[i:], "sound:hotline/survey-ask") ||
		!slices.Contains(played, "sound:hotline/survey-thanks") {
		t.Fatalf("played %v", played)
	}
	var fetched bool
	for _, e := range k.Log() {
		fetched = fetched || e.What == "fetch" && strings.HasPrefix(e.Arg, "200 ")
	}
	if !fetched {
		t.Errorf("Asterisk could not fetch the answer's audio: %v", k.Log())
	}
	stop()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	month := time.Now().In(loc).Format("2006-01")
	if out := onData(t, dir, "report", "--month", month, "--format", "csv"); !strings.Contains(out, "tỷ lệ hài lòng (hài lòng và rất hài lòng) là 100,0%, đạt mục tiêu 80%") {
		t.Errorf("the report does not say 100 %% satisfied:\n%s", out)
	}
	db := openData(t, dir)
	defer db.Close()
	if sv, err := db.Survey(context.Background(), code); err != nil || sv.Rating != 5 || sv.Channel != tickets.ChannelPhone {
		t.Errorf("survey = %+v, %v\n%s", sv, err, logs)
	}
}
