// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/secrets"
	"github.com/hotline-cchc/hotline/cmd/hotline/internal/secrets/secretstest"
)

// secretsRun runs "hotline ARGS…" in-process and returns its exit status,
// standard output and standard error.
func secretsRun(tb testing.TB, m *Main, stdin string, args ...string) (code int, stdout, stderr string) {
	tb.Helper()
	var out, errb bytes.Buffer
	m.Stdin, m.Stdout, m.Stderr = strings.NewReader(stdin), &out, &errb
	code = m.Run(context.Background(), args)
	return code, out.String(), errb.String()
}

func mapEnv(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

func TestRunSecrets(t *testing.T) {
	file := filepath.Join(t.TempDir(), "ari")
	if err := os.WriteFile(file, []byte("pw-from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const notSet = `secret ARI_PASSWORD is not set: set HOTLINE_ARI_PASSWORD, point HOTLINE_ARI_PASSWORD_FILE at a file, or run "hotline secrets set ARI_PASSWORD"`
	tests := []struct {
		name        string
		args        []string
		stdin       string
		env         map[string]string
		keyring     map[string]string // before
		unavailable bool
		code        int
		stdout      string            // exact
		stderr      []string          // substrings
		absent      []string          // must appear in neither stream
		after       map[string]string // keyring afterwards; nil: unchanged
	}{
		{name: "SetOK", args: []string{"set", "telegram-token"}, stdin: "123:tok\n",
			code: exitOK, stderr: []string{"stored TELEGRAM_TOKEN in the OS keyring (service hotline)\n"}, absent: []string{"123:tok"},
			after: map[string]string{"TELEGRAM_TOKEN": "123:tok"}},
		{name: "SetReplaces", args: []string{"set", "ARI_PASSWORD"}, stdin: "new", keyring: map[string]string{"ARI_PASSWORD": "old"},
			code: exitOK, after: map[string]string{"ARI_PASSWORD": "new"}},
		{name: "SetNotesShadowingEnv", args: []string{"set", "ARI_PASSWORD"}, stdin: "new",
			env:  map[string]string{"HOTLINE_ARI_PASSWORD_FILE": file},
			code: exitOK, stderr: []string{"note: HOTLINE_ARI_PASSWORD_FILE is set"}},
		{name: "SetErrEmpty", args: []string{"set", "ARI_PASSWORD"}, stdin: "\n",
			code: exitFailure, stderr: []string{"ARI_PASSWORD", "empty", "standard input"}, after: map[string]string{}},
		{name: "SetErrTwoLines", args: []string{"set", "ARI_PASSWORD"}, stdin: "zz9a\nzz9b\n",
			code: exitFailure, stderr: []string{"more than one line"}, absent: []string{"zz9"}, after: map[string]string{}},
		{name: "SetErrTooBig", args: []string{"set", "ARI_PASSWORD"}, stdin: strings.Repeat("x", maxSecretSize+1),
			code: exitFailure, stderr: []string{"over"}, after: map[string]string{}},
		{name: "SetErrUnavailable", args: []string{"set", "ARI_PASSWORD"}, stdin: "pw", unavailable: true,
			code: exitFailure, stderr: []string{"unavailable"}},
		{name: "SetUsageValueAsArgument", args: []string{"set", "ARI_PASSWORD", "zz9-value"},
			code: exitUsage, stderr: []string{"exactly one NAME", "hotline secrets set NAME < value-file"}, absent: []string{"zz9"}, after: map[string]string{}},
		{name: "SetUsageValueAsName", args: []string{"set", "zz9:value-typed-as-name"},
			code: exitUsage, stderr: []string{"unknown secret", "ARI_PASSWORD, TELEGRAM_TOKEN, TELEGRAM_WEBHOOK_SECRET"}, absent: []string{"zz9"}},
		{name: "SetUsageUnknownName", args: []string{"set", "ari-pasword"},
			code: exitUsage, stderr: []string{`unknown secret "ari-pasword"`, "TELEGRAM_WEBHOOK_SECRET"}},
		{name: "SetUsageNoName", args: []string{"set"}, code: exitUsage, stderr: []string{"exactly one NAME"}},
		{name: "SetUsageUnknownFlag", args: []string{"set", "-value=zz9", "ARI_PASSWORD"},
			code: exitUsage, stderr: []string{"-value", "usage: hotline secrets set"}, absent: []string{"zz9"}},
		{name: "SetHelp", args: []string{"set", "-h"}, code: exitOK, stdout: secretsHelp()},
		{name: "GetKeyring", args: []string{"get", "ari-password"}, keyring: map[string]string{"ARI_PASSWORD": "Mật khẩu ✓"},
			code: exitOK, stdout: "Mật khẩu ✓\n", stderr: []string{"ARI_PASSWORD from the OS keyring (service hotline)\n"}},
		{name: "GetEnv", args: []string{"get", "ARI_PASSWORD"}, keyring: map[string]string{"ARI_PASSWORD": "kr"},
			env:  map[string]string{"HOTLINE_ARI_PASSWORD": "pw-env", "HOTLINE_ARI_PASSWORD_FILE": file},
			code: exitOK, stdout: "pw-env\n", stderr: []string{"from the environment variable HOTLINE_ARI_PASSWORD\n"}},
		{name: "GetFile", args: []string{"get", "ARI_PASSWORD"}, env: map[string]string{"HOTLINE_ARI_PASSWORD_FILE": file},
			code: exitOK, stdout: "pw-from-file\n", stderr: []string{"from the file " + file + " (HOTLINE_ARI_PASSWORD_FILE)"}},
		{name: "GetErrFile", args: []string{"get", "ARI_PASSWORD"}, env: map[string]string{"HOTLINE_ARI_PASSWORD_FILE": file + ".missing"},
			code: exitFailure, stderr: []string{"HOTLINE_ARI_PASSWORD_FILE", file + ".missing"}},
		{name: "GetErrNotSet", args: []string{"get", "ARI_PASSWORD"},
			code: exitFailure, stderr: []string{notSet}},
		{name: "GetErrUnavailable", args: []string{"get", "ARI_PASSWORD"}, unavailable: true,
			code: exitFailure, stderr: []string{"the OS keyring is unavailable", "HOTLINE_ARI_PASSWORD_FILE"}, absent: []string{"is not set:"}},
		{name: "GetUsage", args: []string{"get"}, code: exitUsage, stderr: []string{"usage: hotline secrets get NAME"}},
		{name: "DeleteOK", args: []string{"delete", "telegram-webhook-secret"}, keyring: map[string]string{"TELEGRAM_WEBHOOK_SECRET": "s"},
			code: exitOK, stderr: []string{"deleted TELEGRAM_WEBHOOK_SECRET from the OS keyring"}, after: map[string]string{}},
		{name: "DeleteErrNotFound", args: []string{"delete", "ARI_PASSWORD"},
			code: exitFailure, stderr: []string{"ARI_PASSWORD", "not found"}},
		{name: "DeleteUsage", args: []string{"delete", "ARI_PASSWORD", "TELEGRAM_TOKEN"}, code: exitUsage, stderr: []string{"exactly one NAME"}},
		{name: "UsageNoSubcommand", args: nil, code: exitUsage, stderr: []string{"usage: hotline secrets set|get|delete NAME"}},
		{name: "UsageUnknownSubcommand", args: []string{"zz9"}, code: exitUsage, stderr: []string{"unknown secrets subcommand"}, absent: []string{"zz9"}},
		{name: "Help", args: []string{"-h"}, code: exitOK, stdout: secretsHelp()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr := secretstest.NewKeyring(tt.keyring)
			kr.Unavailable = tt.unavailable
			m := &Main{Getenv: mapEnv(tt.env), Keyring: kr}
			code, stdout, stderr := secretsRun(t, m, tt.stdin, append([]string{"secrets"}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit status = %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			if stdout != tt.stdout {
				t.Errorf("stdout = %q, want %q", stdout, tt.stdout)
			}
			for _, want := range tt.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr %q does not contain %q", stderr, want)
				}
			}
			for _, bad := range tt.absent {
				if strings.Contains(stdout+stderr, bad) {
					t.Errorf("output contains %q:\nstdout %q\nstderr %q", bad, stdout, stderr)
				}
			}
			if tt.after == nil {
				return
			}
			kr.Unavailable = false
			for _, n := range secrets.Names() {
				got, err := kr.Get(secrets.Service, n)
				if want, ok := tt.after[n]; ok != (err == nil) || got != want {
					t.Errorf("keyring %s = %q, %v; want %q (present %v)", n, got, err, want, ok)
				}
			}
		})
	}
}

func TestKeyringError(t *testing.T) {
	if err := keyringError(nil); err != nil {
		t.Errorf("keyringError(nil) = %v", err)
	}
	if err := keyringError(keyring.ErrNotFound); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("not found: %v, want secrets.ErrNotFound", err)
	}
	err := keyringError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	if !errors.Is(err, secrets.ErrUnavailable) || !strings.Contains(err.Error(), "org.freedesktop.secrets") {
		t.Errorf("no Secret Service: %v, want secrets.ErrUnavailable with the cause", err)
	}
}

// TestSecretsNoSessionBus runs this test binary again as the real program,
// with the real OS keyring and a D-Bus session address that leads nowhere.
func TestSecretsNoSessionBus(t *testing.T) {
	if os.Getenv("HOTLINE_TEST_NO_BUS_CHILD") == "1" {
		m := NewMain()
		m.Getenv = mapEnv(nil)
		os.Exit(m.Run(context.Background(), []string{"secrets", "get", "TELEGRAM_TOKEN"}))
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var base []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") && !strings.HasPrefix(kv, "XDG_RUNTIME_DIR=") {
			base = append(base, kv)
		}
	}
	for _, tt := range []struct {
		name, env, want string
	}{
		{"BusThatLeadsNowhere", "DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(t.TempDir(), "no-bus"), "the OS keyring is unavailable"},
		// No bus at all: reported without autolaunching one.
		{"NoBus", "XDG_RUNTIME_DIR=" + t.TempDir(), "no D-Bus session bus"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(exe, "-test.run=^TestSecretsNoSessionBus$")
			cmd.Env = append(append([]string(nil), base...), "HOTLINE_TEST_NO_BUS_CHILD=1", tt.env)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != exitFailure {
				t.Fatalf("child: %v, want exit status %d; stderr:\n%s", err, exitFailure, stderr.String())
			}
			if got := stderr.String(); !strings.Contains(got, tt.want) || strings.Contains(got, "is not set:") {
				t.Errorf("stderr = %q, want %q, not the secret unset", got, tt.want)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", stdout.String())
			}
		})
	}
}

// TestSecretsRealKeyring drives the secrets commands against the real Secret
// Service; .ci/keyring-session provides one.
func TestSecretsRealKeyring(t *testing.T) {
	if os.Getenv("HOTLINE_TEST_SECRET_SERVICE") != "1" {
		t.Skip("needs a Secret Service on the D-Bus session bus; run under .ci/keyring-session (sets HOTLINE_TEST_SECRET_SERVICE=1)")
	}
	const name = secrets.TelegramWebhookSecret
	const value = "Đường dây nóng CCHC tỉnh – mật khẩu: Hà Nội ✓ 123:ABC"
	kr := osKeyring{}
	if _, err := kr.Get(secrets.Service, name); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("before the test, Get(%s) = %v; want secrets.ErrNotFound (refusing to overwrite a real secret)", name, err)
	}
	t.Cleanup(func() { _ = kr.Delete(secrets.Service, name) })
	m := &Main{Getenv: mapEnv(nil), Keyring: kr}

	if code, _, stderr := secretsRun(t, m, value+"\n", "secrets", "set", "telegram-webhook-secret"); code != exitOK {
		t.Fatalf("set: exit status %d; stderr:\n%s", code, stderr)
	}
	code, stdout, stderr := secretsRun(t, m, "", "secrets", "get", name)
	if code != exitOK || stdout != value+"\n" {
		t.Fatalf("get: exit status %d, stdout %q; want 0, %q; stderr:\n%s", code, stdout, value+"\n", stderr)
	}
	if !strings.Contains(stderr, "from the OS keyring (service hotline)") {
		t.Errorf("get: stderr %q does not name the keyring", stderr)
	}
	got, src, err := m.secretStore().Lookup(name)
	if err != nil || got != value || src != secrets.SourceKeyring {
		t.Errorf("Lookup = %q, %v, %v; want %q, keyring, nil", got, src, err, value)
	}
	if code, _, stderr := secretsRun(t, m, "", "secrets", "delete", name); code != exitOK {
		t.Fatalf("delete: exit status %d; stderr:\n%s", code, stderr)
	}
	code, stdout, stderr = secretsRun(t, m, "", "secrets", "get", name)
	want := `secret TELEGRAM_WEBHOOK_SECRET is not set: set HOTLINE_TELEGRAM_WEBHOOK_SECRET, point HOTLINE_TELEGRAM_WEBHOOK_SECRET_FILE at a file, or run "hotline secrets set TELEGRAM_WEBHOOK_SECRET"`
	if code != exitFailure || stdout != "" || !strings.Contains(stderr, want) {
		t.Errorf("get after delete: exit status %d, stdout %q, stderr %q; want 1, nothing, %q", code, stdout, stderr, want)
	}
	if _, _, err := m.secretStore().Lookup(name); !errors.Is(err, secrets.ErrNotSet) {
		t.Errorf("Lookup after delete: %v, want secrets.ErrNotSet", err)
	}
	if code, _, stderr := secretsRun(t, m, "", "secrets", "delete", name); code != exitFailure || !strings.Contains(stderr, "not found") {
		t.Errorf("second delete: exit status %d, stderr %q; want 1 and not found", code, stderr)
	}
}
