// SPDX-License-Identifier: Apache-2.0

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
	"github.com/hotline-cchc/hotline/cmd/hotline/internal/secrets/secretstest"
	"github.com/hotline-cchc/hotline/ivr"
	"github.com/hotline-cchc/hotline/ivr/aritest"
	"github.com/hotline-cchc/hotline/sounds"
	"github.com/hotline-cchc/hotline/tickets"
)

func TestCall(t *testing.T) {
	run := cli(t)
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"Ticket", []string{"--keys", "4", "--at", "2026-11-02 09:00"},
			[]string{"▶ greeting", "▶ branch-9", "☎ key 4", "▶ record-notice", "▶ record-invite", "● recording", "▶ ticket-code", "▶ repeat", "▶ goodbye",
				"outcome: ticket, ticket ", "branch 4 Cải cách thủ tục hành chính → Văn phòng UBND tỉnh, due 16/11/2026"}},
		{"AfterHours", []string{"--keys", "1", "--at", "2026-11-02 20:00"}, []string{"▶ after-hours", "Hiện đang ngoài giờ làm việc", "outcome: ticket, ticket"}},
		{"SilentCaller", []string{"--say", "0s", "--at", "2026-11-02 09:00"}, []string{"▶ no-input", "▶ no-input-offer", "▶ no-speech", "outcome: no_input"}},
		{"OperatorNotConfigured", []string{"--keys", "0", "--hangup-after", "20s", "--at", "2026-11-02 09:00"},
			[]string{"note: key 0 is not offered: ari.operator_endpoint is not set", "--operator-answers 5s"}},
		{"OperatorSimulated", []string{"--keys", "0", "--operator-answers", "5s", "--at", "2026-11-02 09:00"},
			[]string{"this simulation dials PJSIP/operator", "⇄ talking to an operator", "outcome: operator"}},
		{"OperatorAfterHours", []string{"--keys", "0", "--operator-answers", "5s", "--hangup-after", "20s", "--at", "2026-11-02 20:00"},
			[]string{"key 0 is offered only in business hours", `try --at "2026-11-03 09:00"`}},
		{"HangupAtMenu", []string{"--hangup-after", "5s", "--at", "2026-11-02 09:00"}, []string{"✕ the caller hangs up", "outcome: abandoned_menu"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := run("", append([]string{"call"}, tc.args...)...)
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
	if code != 0 || !strings.Contains(out, "installed 86 prompts") {
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

// sounds check --ari asks Asterisk (GET /ari/sounds?lang=vi) and names
// every prompt it lacks with its file.
func TestSoundsCheckARI(t *testing.T) {
	known := map[string]bool{}
	for _, id := range ivr.Prompts(mustDefaultMenu(t)) {
		known[sounds.SoundPrefix+id] = id != "greeting"
	}
	check := func(known map[string]bool) (int, string, string) {
		fake, err := aritest.New(aritest.Options{User: "hotline", Password: "pw", Sounds: known})
		if err != nil {
			t.Fatal(err)
		}
		defer fake.Close()
		env := map[string]string{"HOTLINE_DATA": t.TempDir(), "HOTLINE_ARI_URL": fake.URL(), "HOTLINE_ARI_USER": "hotline", "HOTLINE_ARI_PASSWORD": "pw"}
		m := &Main{Getenv: mapEnv(env), Keyring: secretstest.NewKeyring(nil)}
		return secretsRun(t, m, "", "sounds", "check", "--ari")
	}
	code, out, errs := check(known)
	if code != 1 || !strings.Contains(out, "missing on Asterisk: vi/hotline/greeting.wav") || strings.Contains(out, "goodbye") ||
		!strings.Contains(errs, "hotline sounds install") {
		t.Errorf("exit %d: %s\n%s", code, out, errs)
	}
	known[sounds.SoundPrefix+"greeting"] = true
	if code, out, errs := check(known); code != 0 || !strings.Contains(out, "has every prompt") {
		t.Errorf("exit %d: %s\n%s", code, out, errs)
	}
}

func mustDefaultMenu(t *testing.T) *tickets.Menu {
	t.Helper()
	cfg, err := config.Load("", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	menu, err := cfg.Menu()
	if err != nil {
		t.Fatal(err)
	}
	return menu
}

// With the default prompts and menu the whole menu, greeting and operator
// included, plays in under 45 s.
func TestMenuUnder45s(t *testing.T) {
	var total time.Duration
	for _, id := range append([]string{ivr.PromptGreeting}, ivr.MenuPrompts(mustDefaultMenu(t), true)...) {
		total += promptLength(sounds.Set{})("sound:" + sounds.SoundPrefix + id)
	}
	if total >= 45*time.Second {
		t.Errorf("the menu plays for %s", total)
	}
	t.Logf("the menu plays for %s", total)
}

// Renaming a branch in config makes its prompt stale; sounds generate
// speaks it (only it) into ari.sounds_dir with espeak-ng, and then the
// check passes and install copies it.
func TestSoundsGenerate(t *testing.T) {
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng is not installed (.ci/deps installs it)")
	}
	dir := t.TempDir()
	cfg := filepath.Join(t.TempDir(), "hotline.toml")
	os.WriteFile(cfg, []byte("[ari]\nsounds_dir = \""+filepath.ToSlash(dir)+"\"\n"), 0o644)
	run := cli(t)
	env := []string{"sounds", "--config", cfg}
	if code, out, errs := run("", append(env, "check")...); code != 0 {
		t.Fatalf("check: exit %d: %s %s", code, out, errs)
	}
	os.WriteFile(cfg, []byte("[ari]\nsounds_dir = \""+filepath.ToSlash(dir)+"\"\n"+
		"recording_notice_text = \"Cuộc gọi được ghi âm.\"\n"+
		"[[branches]]\nkey = 4\nname = \"Thủ tục hành chính\"\ndepartment = \"van-phong-ubnd-tinh\"\n"), 0o644)
	if code, out, errs := run("", append(env, "check")...); code != 1 || !strings.Contains(out, "stale: branch-4") ||
		!strings.Contains(out, "stale: record-notice") {
		t.Errorf("check after a rename: exit %d: %s %s", code, out, errs)
	}
	code, out, errs := run("", append(env, "generate")...)
	if code != 0 || !strings.Contains(out, "spoke branch-4: Thủ tục hành chính") || !strings.Contains(out, "spoke record-notice: Cuộc gọi được ghi âm.") ||
		!strings.Contains(out, "2 prompts generated") {
		t.Fatalf("generate: exit %d: %s %s", code, out, errs)
	}
	if code, out, errs := run("", append(env, "check")...); code != 0 {
		t.Errorf("check after generate: exit %d: %s %s", code, out, errs)
	}
	dst := t.TempDir()
	if code, out, errs := run("", append(env, "install", dst)...); code != 0 {
		t.Fatalf("install: exit %d: %s %s", code, out, errs)
	}
	got, _ := os.ReadFile(filepath.Join(dst, "vi", "hotline", "branch-4.wav"))
	want, _ := os.ReadFile(filepath.Join(dir, "vi", "hotline", "branch-4.wav"))
	if len(got) == 0 || string(got) != string(want) {
		t.Errorf("the generated branch-4 was not installed (%d bytes)", len(got))
	}
}
