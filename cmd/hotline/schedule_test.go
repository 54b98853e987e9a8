// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/hotline-cchc/hotline/reports"
)

// serveUntil runs "hotline serve" until its log has a line matching re,
// then stops it and returns the whole log.
func serveUntil(t *testing.T, bin string, env []string, re *regexp.Regexp) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p := startServe(t, ctx, bin, env)
	for !re.MatchString(p.logs.String()) {
		select {
		case <-ctx.Done():
			t.Fatalf("no log line matching %s:\n%s", re, p.logs)
		case <-time.After(10 * time.Millisecond):
		}
	}
	p.stop(t)
	return p.logs.String()
}

// The report due at start is written once and queued once for the
// managers' chat; while the Telegram channel is off it waits in the outbox.
func TestServeMakesUpTheMonthlyReport(t *testing.T) {
	bin, env := binary(t)
	env = append(env, "HOTLINE_REPORTS_CHATS=-1001234567890")
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	sched, err := cron.ParseStandard("0 7 1 * *")
	if err != nil {
		t.Fatal(err)
	}
	due := (&reports.Monthly{Loc: loc}).DueMonth(func(t time.Time) time.Time { return sched.Next(t.In(loc)) })
	seedCall(t, env, due.From)
	file := filepath.Join(dataDir(env), "reports", "bao-cao-"+due.Key()+".html")
	queued := regexp.MustCompile(`msg="report queued for the managers' chats" component=reports period=` + due.Key())

	first := serveUntil(t, bin, env, queued)
	for _, want := range []string{"msg=\"monthly report scheduled\"", "msg=\"report written\"", "telegram channel is off"} {
		if !strings.Contains(first, want) {
			t.Errorf("first start: log lacks %q:\n%s", want, first)
		}
	}
	data, err := os.ReadFile(file)
	if err != nil || !strings.Contains(string(data), "Kỳ báo cáo: "+due.Label()) {
		t.Fatalf("report file %s: %v", file, err)
	}
	second := serveUntil(t, bin, env, queued)
	if strings.Contains(second, "report written") {
		t.Errorf("second start wrote the report again:\n%s", second)
	}
	if _, out, _ := runBinary(t, bin, env, "report", "list"); !regexp.MustCompile(`\n1 +` + due.Key() + ` +html .* schedule `).MatchString(out) {
		t.Errorf("the scheduled report is not in the archive:\n%s", out)
	}
	list := exec.Command(bin, "outbox", "list")
	list.Env = env
	out, err := list.CombinedOutput()
	if err != nil || strings.Count(string(out), " report ") != 1 || !strings.Contains(string(out), "queued") {
		t.Errorf("outbox list: %v\n%s", err, out)
	}
}
