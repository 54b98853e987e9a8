// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

// buildBinary builds the hotline binary once per test run.
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "hotline-e2e-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "hotline")
	out, err := exec.Command("go", "build", "-ldflags", "-X main.Version=e2e", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// binary returns the built binary's path and an environment with a fresh data
// folder and no ambient HOTLINE_* settings.
func binary(tb testing.TB) (bin string, env []string) {
	tb.Helper()
	if testing.Short() {
		tb.Skip("end-to-end test: builds and runs the binary")
	}
	bin, err := buildBinary()
	if err != nil {
		tb.Fatal(err)
	}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HOTLINE_") {
			env = append(env, kv)
		}
	}
	env = append(env, "HOTLINE_DATA="+tb.TempDir(), "HOTLINE_HTTP_ADDR=127.0.0.1:0")
	migrate := exec.Command(bin, "migrate")
	migrate.Env = env
	if out, err := migrate.CombinedOutput(); err != nil {
		tb.Fatalf("hotline migrate: %v\n%s", err, out)
	}
	return bin, env
}

func TestServeEndToEnd(t *testing.T) {
	bin, env := binary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p := startServe(t, ctx, bin, env)
	addr, logs := p.addr, p.logs

	body := get(t, "http://"+addr+"/healthz")
	var h health
	if err := json.Unmarshal([]byte(body), &h); err != nil || h.Status != "ok" || h.SchemaVersion != 9 || h.Phone != "off" {
		t.Errorf("/healthz = %s (%v)", body, err)
	}
	// The console asks for a sign-in, in Vietnamese.
	if page := get(t, "http://"+addr+"/"); !strings.Contains(page, "Đăng nhập") || !strings.Contains(page, `name="password"`) {
		t.Errorf("/ does not lead to the sign-in page:\n%s", page)
	}
	// A ticket created by another process shows in the metrics.
	cli := exec.CommandContext(ctx, bin, "tickets", "new", "--branch", "4", "--text", "Hồ sơ trễ hẹn")
	cli.Env = env
	if out, err := cli.CombinedOutput(); err != nil {
		t.Fatalf("tickets new: %v\n%s", err, out)
	}
	metrics := get(t, "http://"+addr+"/metrics")
	for _, want := range []string{`hotline_tickets{department="van-phong-ubnd-tinh",status="new"} 1`, `hotline_build_info{goversion=`, `version="e2e"`, "hotline_store_up 1"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	p.stop(t)
	for _, want := range []string{"phone channel off", "HOTLINE_ARI_URL", "telegram channel off", "hotline secrets set TELEGRAM_TOKEN", "msg=stopped"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
}

// A ticket code is acknowledged only after its commit: kill the process in
// the middle of a burst of creations and every acknowledged code must be
// there, once, with the text it was sent with, in a sound database.
func TestCrashKeepsAcknowledgedTickets(t *testing.T) {
	bin, env := binary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "tickets", "import", "--workers", "8")
	cmd.Env = env
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Four feeders write lines as fast as the process takes them.
	var feed sync.Mutex
	for g := range 4 {
		go func() {
			for i := 0; ; i++ {
				line := fmt.Sprintf(`{"branch":%d,"channel":"phone","text":"g%d-%d","phone":"0939%06d"}`+"\n", []int{1, 4, 9}[i%3], g, i, i)
				feed.Lock()
				_, err := io.WriteString(stdin, line)
				feed.Unlock()
				if err != nil {
					return
				}
			}
		}()
	}
	acked := map[tickets.Code]bool{}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && len(acked) < 400 {
		var r importResult
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil || r.Error != "" {
			t.Fatalf("import result %q: %v", sc.Text(), err)
		}
		if acked[tickets.Code(r.Code)] {
			t.Fatalf("code %s acknowledged twice", r.Code)
		}
		acked[tickets.Code(r.Code)] = true
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	for sc.Scan() { // results printed before the kill count too
		var r importResult
		if json.Unmarshal(sc.Bytes(), &r) == nil && r.Code != "" {
			acked[tickets.Code(r.Code)] = true
		}
	}
	cmd.Wait()
	stdin.Close()

	// The binary starts again on the crashed data folder.
	again := exec.CommandContext(ctx, bin, "tickets", "list", "--json", "--limit", "1")
	again.Env = env
	if out, err := again.CombinedOutput(); err != nil {
		t.Fatalf("restart after SIGKILL: %v\n%s", err, out)
	}
	checkStore(t, dataDir(env), acked)
}

func checkStore(t *testing.T, dir string, acked map[tickets.Code]bool) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if ok, err := db.IntegrityCheck(context.Background()); err != nil || ok != "ok" {
		t.Fatalf("integrity_check = %q, %v", ok, err)
	}
	seen := map[tickets.Code]bool{}
	total := 0
	for f := (tickets.Filter{Limit: tickets.MaxPageSize}); ; {
		p, err := db.Tickets(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range p.Tickets {
			if seen[tk.Code] {
				t.Fatalf("code %s stored twice", tk.Code)
			}
			seen[tk.Code] = true
			total++
		}
		if f.After = p.Next; p.Next == 0 {
			break
		}
	}
	for c := range acked {
		if !seen[c] {
			t.Errorf("acknowledged code %s lost in the crash", c)
		}
	}
	t.Logf("%d codes acknowledged, %d tickets stored", len(acked), total)
}

func dataDir(env []string) string {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "HOTLINE_DATA="); ok {
			return v
		}
	}
	return ""
}

// waitForLine reads r until a line matches re and returns its first group.
func waitForLine(tb testing.TB, r io.Reader, re *regexp.Regexp) string {
	tb.Helper()
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			return m[1]
		}
	}
	tb.Fatalf("no line matching %s", re)
	return ""
}

func get(tb testing.TB, url string) string {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		tb.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return string(b)
}

// syncBuffer is a strings.Builder safe for a writer and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A call a dead run left active is closed at start even with the phone
// channel off, so that /metrics and the reports count it once, as failed.
func TestServeClosesStaleCallsWithPhoneOff(t *testing.T) {
	bin, env := binary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	db := openData(t, dataDir(env))
	if err := db.CreateCall(ctx, &tickets.Call{ChannelID: "died", StartedAt: time.Now().Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	p := startServe(t, ctx, bin, env)
	metrics := get(t, "http://"+p.addr+"/metrics")
	p.stop(t)
	if !strings.Contains(metrics, `hotline_calls_total{outcome="fault"} 1`) || strings.Contains(metrics, `outcome="active"`) {
		t.Errorf("/metrics after start:\n%s", grepLines(metrics, "hotline_calls_total"))
	}
	if !strings.Contains(p.logs.String(), "calls left active by an earlier run closed as a fault") {
		t.Errorf("log lacks the closing:\n%s", p.logs)
	}
}

// grepLines returns the lines of s that contain sub.
func grepLines(s, sub string) string {
	var out []string
	for l := range strings.Lines(s) {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "")
}

// A mistyped variable is named, with the one meant, by config check.
func TestConfigCheckUnknownVariable(t *testing.T) {
	bin, env := binary(t)
	cmd := exec.Command(bin, "config", "check")
	cmd.Env = append(env, "HOTLINE_HTTP_ADRR=0.0.0.0:80", "HOTLINE_TELEGRAM_TOKEN_FILE=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("config check: %v\n%s", err, out)
	}
	if want := "warning: HOTLINE_HTTP_ADRR: unknown variable, ignored (did you mean HOTLINE_HTTP_ADDR?)"; !strings.Contains(string(out), want) {
		t.Errorf("config check said:\n%s\nwant a line %q", out, want)
	}
	if strings.Contains(string(out), "TELEGRAM_TOKEN_FILE") {
		t.Errorf("config check warns about a secret's variable:\n%s", out)
	}
}
