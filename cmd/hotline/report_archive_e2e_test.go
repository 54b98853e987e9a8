// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// seedCall stores a call that started at, so that the months from its own
// on have something to report.
func seedCall(t *testing.T, env []string, at time.Time) {
	t.Helper()
	db := openData(t, dataDir(env))
	defer db.Close()
	c := &tickets.Call{ChannelID: "seed", StartedAt: at, EndedAt: at.Add(time.Minute), Branch: 4, Outcome: tickets.OutcomeOperator}
	if err := db.CreateCall(context.Background(), c); err != nil {
		t.Fatal(err)
	}
}

// Issued reports through the binary: numbered, listed with their hashes,
// given back byte for byte, corrected under a new number, never replaced
// twice.
func TestReportIssueListGet(t *testing.T) {
	bin, env := binary(t)
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "r.xlsx")
	code, out, errs := runBinary(t, bin, env, "report", "--month", "2026-10", "--issue", "--out", xlsx)
	if code != 0 || !strings.HasPrefix(out, "issued report 1: 2026-10, xlsx, sha256 ") {
		t.Fatalf("report --issue: exit %d\n%s%s", code, out, errs)
	}
	issuedBytes, err := os.ReadFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(issuedBytes)
	if code, out, errs = runBinary(t, bin, env, "report", "--month", "2026-10", "--format", "csv", "--issue", "--replaces", "1"); code != 0 ||
		!strings.Contains(errs, "issued report 2: 2026-10, csv") || !strings.Contains(errs, "replaces 1") || !strings.Contains(out, "Cuộc gọi") {
		t.Fatalf("correction: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = runBinary(t, bin, env, "report", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 3 || !strings.Contains(lines[1], hex.EncodeToString(sum[:])) ||
		!regexp.MustCompile(`^1 +2026-10 +xlsx +\d\d/\d\d/\d{4} \d\d:\d\d:\d\d +command +[0-9a-f]{64} +- +2$`).MatchString(lines[1]) ||
		!regexp.MustCompile(` 1 +-$`).MatchString(lines[2]) {
		t.Errorf("report list: exit %d\n%s%s", code, out, errs)
	}
	back := filepath.Join(dir, "back.xlsx")
	if code, out, errs = runBinary(t, bin, env, "report", "get", "1", "--out", back); code != 0 {
		t.Fatalf("report get: exit %d\n%s%s", code, out, errs)
	}
	if got, err := os.ReadFile(back); err != nil || !bytes.Equal(got, issuedBytes) {
		t.Errorf("report get wrote other bytes (%v)", err)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"report", "--month", "2026-10", "--issue", "--replaces", "1"}, 1, "already replaced by number 2"},
		{[]string{"report", "--month", "2026-09", "--issue", "--replaces", "2"}, 1, "a correction is of the same period"},
		{[]string{"report", "--replaces", "2"}, 2, "--replaces goes with --issue"},
		{[]string{"report", "get", "9", "--out", back}, 1, "there is no issued report number 9"},
		{[]string{"report", "get", "1", "--out", "-"}, 2, "give --out report.xlsx"},
	} {
		if code, out, errs := runBinary(t, bin, env, tc.args...); code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, want %d with %q\n%s%s", tc.args, code, tc.code, tc.want, out, errs)
		}
	}
}

// serve on a fresh, empty database makes no report for the last month
// (issue 14): there is nothing before the first ticket or call to report.
func TestServeMakesNoReportOnAnEmptyDatabase(t *testing.T) {
	bin, env := binary(t)
	env = append(env, "HOTLINE_REPORTS_CHATS=-1001234567890")
	logs := serveUntil(t, bin, env, regexp.MustCompile(`msg="no report: the period ends before the first ticket or call"`))
	if strings.Contains(logs, "report written") {
		t.Errorf("serve wrote a report of an empty database:\n%s", logs)
	}
	if entries, err := os.ReadDir(filepath.Join(dataDir(env), "reports")); err == nil && len(entries) > 0 {
		t.Errorf("the reports folder holds %d files", len(entries))
	}
	if _, out, _ := runBinary(t, bin, env, "report", "list"); strings.Count(out, "\n") != 1 {
		t.Errorf("report list after serve on an empty database:\n%s", out)
	}
}
