// SPDX-License-Identifier: Apache-2.0

package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/secrets/secretstest"
)

func TestCall(t *testing.T) {
	run := cli(t)
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"Ticket", []string{"--keys", "4", "--at", "2026-11-02 09:00"},
			[]string{"▶ greeting", "▶ branch-9", "☎ key 4", "▶ record-invite", "● recording", "▶ ticket-code", "▶ repeat", "▶ goodbye",
				"outcome: ticket, ticket ", "branch 4 Cải cách thủ tục hành chính → Văn phòng UBND tỉnh, due 16/11/2026"}},
		{"AfterHours", []string{"--keys", "1", "--at", "2026-11-02 20:00"}, []string{"▶ after-hours", "Hiện đang ngoài giờ làm việc", "outcome: ticket, ticket"}},
		{"SilentCaller", []string{"--at", "2026-11-02 09:00"}, []string{"▶ no-input", "outcome: failed"}},
		{"HangupAtMenu", []string{"--hangup-after", "5s", "--at", "2026-11-02 09:00"}, []string{"✕ the caller hangs up", "outcome: abandoned_menu"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := run("", append([]string{"call"}, tc.args...)...)
			if tc.name == "SilentCaller" {
				code = 0 // a failed call exits 1 and says so
			}
			if code != 0 {
				t.Fatalf("exit %d: %s\n%s", code, errs, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// With --store the ticket stays, and a second call reads its status back.
func TestCallStoreThenStatus(t *testing.T) {
	run := cli(t)
	code, out, errs := run("", "call", "--store", "--keys", "2", "--at", "2026-11-02 09:00")
	m := regexp.MustCompile(`ticket (\d{3} \d{3} \d{3})`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("exit %d: %s\n%s", code, errs, out)
	}
	ticket := strings.ReplaceAll(m[1], " ", "")
	code, out, errs = run("", "call", "--store", "--keys", "*,"+ticket+"#")
	if code != 0 || !strings.Contains(out, "▶ code-enter") || !strings.Contains(out, "▶ status-received") || !strings.Contains(out, "outcome: status_check") {
		t.Errorf("exit %d: %s\n%s", code, errs, out)
	}
}

func TestCallOperator(t *testing.T) {
	env := map[string]string{"HOTLINE_DATA": t.TempDir(), "HOTLINE_ARI_OPERATOR_ENDPOINT": "PJSIP/operator", "HOTLINE_ARI_OPERATOR_TIMEOUT": "10s"}
	m := &Main{Getenv: mapEnv(env), Keyring: secretstest.NewKeyring(nil)}
	secretsRun(t, m, "", "migrate")
	code, out, errs := secretsRun(t, m, "", "call", "--keys", "0", "--operator-answers", "4s", "--at", "2026-11-02 09:00")
	if code != 0 || !strings.Contains(out, "▶ operator-wait") || !strings.Contains(out, "⇄ talking to an operator") || !strings.Contains(out, "outcome: operator") {
		t.Errorf("exit %d: %s\n%s", code, errs, out)
	}
	code, out, errs = secretsRun(t, m, "", "call", "--keys", "0,7", "--say", "3s", "--at", "2026-11-02 09:00")
	if code != 0 || !strings.Contains(out, "▶ operator-busy") || !strings.Contains(out, "branch 7") {
		t.Errorf("exit %d: %s\n%s", code, errs, out)
	}
}

func TestSounds(t *testing.T) {
	run := cli(t)
	dir := t.TempDir()
	code, out, errs := run("", "sounds", "install", dir)
	if code != 0 || !strings.Contains(out, "installed 72 prompts") {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "vi", "hotline", "branch-4.wav")); err != nil {
		t.Error(err)
	}
	// Every prompt the flow can play with the default menu is there.
	if code, out, errs := run("", "sounds", "check"); code != 0 {
		t.Errorf("sounds check: exit %d: %s %s", code, out, errs)
	}
	cfg := filepath.Join(t.TempDir(), "hotline.toml")
	os.WriteFile(cfg, []byte("[[departments]]\nid = \"so-moi\"\nname = \"Sở Mới\"\n\n[[branches]]\nkey = 1\nname = \"Mới\"\ndepartment = \"so-moi\"\n"), 0o644)
	if code, _, errs := run("", "sounds", "check", "--config", cfg); code != 1 || !strings.Contains(errs, "dept-so-moi") {
		t.Errorf("sounds check with a new department: exit %d: %s", code, errs)
	}
}
