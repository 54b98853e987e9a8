// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"os"
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

// The report due at start is written once; its delivery, which fails while
// the Telegram channel is off, is tried again at every start.
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
	file := filepath.Join(dataDir(env), "reports", "bao-cao-"+due.Key()+".html")
	notDelivered := regexp.MustCompile(`msg="report not delivered; it is tried again at the next start" component=reports period=` + due.Key())

	first := serveUntil(t, bin, env, notDelivered)
	for _, want := range []string{"msg=\"monthly report scheduled\"", "msg=\"report written\"", "telegram channel is off"} {
		if !strings.Contains(first, want) {
			t.Errorf("first start: log lacks %q:\n%s", want, first)
		}
	}
	data, err := os.ReadFile(file)
	if err != nil || !strings.Contains(string(data), "Kỳ báo cáo: "+due.Label()) {
		t.Fatalf("report file %s: %v", file, err)
	}
	second := serveUntil(t, bin, env, notDelivered)
	if strings.Contains(second, "report written") {
		t.Errorf("second start wrote the report again:\n%s", second)
	}
}
