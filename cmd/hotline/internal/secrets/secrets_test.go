// SPDX-License-Identifier: Apache-2.0

package secrets_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/secrets"
	"github.com/hotline-cchc/hotline/cmd/hotline/internal/secrets/secretstest"
)

func TestCanonical(t *testing.T) {
	for _, in := range []string{"ARI_PASSWORD", "ari-password", "Ari_Password", " ari-PASSWORD "} {
		got, err := secrets.Canonical(in)
		if err != nil {
			t.Fatalf("Canonical(%q): %v", in, err)
		}
		if want := secrets.ARIPassword; got != want {
			t.Errorf("Canonical(%q) = %q, want %q", in, got, want)
		}
	}
	for _, n := range secrets.Names() {
		if got, err := secrets.Canonical(strings.ToLower(n)); err != nil || got != n {
			t.Errorf("Canonical(%q) = %q, %v; want %q", strings.ToLower(n), got, err, n)
		}
	}
}

func TestCanonical_ErrUnknownName(t *testing.T) {
	_, err := secrets.Canonical("ari-pasword")
	if !errors.Is(err, secrets.ErrUnknownName) {
		t.Fatalf("err = %v, want ErrUnknownName", err)
	}
	msg := err.Error()
	for _, want := range append(secrets.Names(), `"ari-pasword"`) {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
}

func TestCanonical_ValueNotEchoed(t *testing.T) {
	const value = "123456:AAH-s3cr3t-token"
	_, err := secrets.Canonical(value)
	if !errors.Is(err, secrets.ErrUnknownName) {
		t.Fatalf("err = %v, want ErrUnknownName", err)
	}
	if strings.Contains(err.Error(), value) {
		t.Errorf("error %q echoes what looks like a value", err)
	}
}

// env returns a Getenv over m.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// writeFile writes content to a new file in tb.TempDir and returns its path.
func writeFile(tb testing.TB, content string) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "secret")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

func TestStore_Lookup(t *testing.T) {
	file := writeFile(t, "from-file\n")
	kr := secretstest.NewKeyring(map[string]string{secrets.ARIPassword: "from-keyring"})
	tests := []struct {
		name       string
		env        map[string]string
		value      string
		source     secrets.Source
		sourceName string
	}{
		{"Env", map[string]string{"HOTLINE_ARI_PASSWORD": "from-env"}, "from-env", secrets.SourceEnv, "env"},
		{"EnvBeatsFile", map[string]string{"HOTLINE_ARI_PASSWORD": "from-env", "HOTLINE_ARI_PASSWORD_FILE": file}, "from-env", secrets.SourceEnv, "env"},
		{"File", map[string]string{"HOTLINE_ARI_PASSWORD_FILE": file}, "from-file", secrets.SourceFile, "file"},
		{"Keyring", nil, "from-keyring", secrets.SourceKeyring, "keyring"},
		{"OtherSecretIgnored", map[string]string{"HOTLINE_TELEGRAM_TOKEN": "tok"}, "from-keyring", secrets.SourceKeyring, "keyring"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &secrets.Store{Getenv: env(tt.env), Keyring: kr}
			value, source, err := s.Lookup("ari-password")
			if err != nil {
				t.Fatal(err)
			}
			if value != tt.value || source != tt.source {
				t.Errorf("Lookup = %q, %v; want %q, %v", value, source, tt.value, tt.source)
			}
			if got := source.String(); got != tt.sourceName {
				t.Errorf("source.String() = %q, want %q", got, tt.sourceName)
			}
		})
	}
}

func TestStore_Lookup_FileTrimsOneNewline(t *testing.T) {
	for content, want := range map[string]string{
		"tok":        "tok",
		"tok\n":      "tok",
		"tok\r\n":    "tok",
		"tok\n\n":    "tok\n",
		" tok \n":    " tok ",
		"dòng một\n": "dòng một",
	} {
		s := &secrets.Store{
			Getenv:   env(map[string]string{"HOTLINE_TELEGRAM_TOKEN_FILE": "/run/credentials/hotline/tok"}),
			ReadFile: func(string) ([]byte, error) { return []byte(content), nil },
		}
		got, _, err := s.Lookup(secrets.TelegramToken)
		if err != nil {
			t.Fatalf("content %q: %v", content, err)
		}
		if got != want {
			t.Errorf("content %q: got %q, want %q", content, got, want)
		}
	}
}

func TestStore_Lookup_FileErrors(t *testing.T) {
	const secret = "s3cr3t-do-not-print"
	missing := filepath.Join(t.TempDir(), "missing")
	tests := []struct {
		name    string
		path    string
		read    func(string) ([]byte, error)
		wantErr error
	}{
		{"ErrNotExist", missing, nil, fs.ErrNotExist},
		{"ErrPermission", "/run/credentials/x", func(p string) ([]byte, error) {
			return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrPermission}
		}, fs.ErrPermission},
		{"Empty", writeFile(t, ""), nil, nil},
		{"NewlineOnly", writeFile(t, "\n"), nil, nil},
		{"BlankLine", writeFile(t, "  \n"), nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &secrets.Store{
				Getenv:   env(map[string]string{"HOTLINE_TELEGRAM_WEBHOOK_SECRET_FILE": tt.path}),
				ReadFile: tt.read,
				Keyring:  secretstest.NewKeyring(map[string]string{secrets.TelegramWebhookSecret: secret}),
			}
			_, _, err := s.Lookup(secrets.TelegramWebhookSecret)
			if err == nil {
				t.Fatal("Lookup succeeded; a bad file must not fall through to the keyring")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			for _, want := range []string{"HOTLINE_TELEGRAM_WEBHOOK_SECRET_FILE", tt.path} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not name %q", err, want)
				}
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q contains the secret", err)
			}
		})
	}
}

func TestStore_Lookup_ErrNotSet(t *testing.T) {
	s := &secrets.Store{Getenv: env(nil), Keyring: secretstest.NewKeyring(nil)}
	_, _, err := s.Lookup("ari-password")
	if !errors.Is(err, secrets.ErrNotSet) {
		t.Fatalf("err = %v, want ErrNotSet", err)
	}
	want := `secret ARI_PASSWORD is not set: set HOTLINE_ARI_PASSWORD, point HOTLINE_ARI_PASSWORD_FILE at a file, or run "hotline secrets set ARI_PASSWORD"`
	if got := err.Error(); got != want {
		t.Errorf("error:\n got %s\nwant %s", got, want)
	}
	if errors.Is(err, secrets.ErrUnavailable) {
		t.Error("not-set error matches ErrUnavailable")
	}
}

func TestStore_Lookup_ErrUnavailable(t *testing.T) {
	for name, kr := range map[string]secrets.Keyring{
		"Fake":      &secretstest.Keyring{Unavailable: true},
		"NoKeyring": nil,
	} {
		t.Run(name, func(t *testing.T) {
			s := &secrets.Store{Getenv: env(nil), Keyring: kr}
			_, _, err := s.Lookup(secrets.TelegramToken)
			if !errors.Is(err, secrets.ErrUnavailable) {
				t.Fatalf("err = %v, want ErrUnavailable", err)
			}
			if errors.Is(err, secrets.ErrNotSet) {
				t.Error("unavailable error matches ErrNotSet")
			}
			for _, want := range []string{"unavailable", "HOTLINE_TELEGRAM_TOKEN", "HOTLINE_TELEGRAM_TOKEN_FILE", `hotline secrets set TELEGRAM_TOKEN`} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
		})
	}
}

func TestStore_Lookup_ErrUnavailableNotReachedWithEnv(t *testing.T) {
	s := &secrets.Store{
		Getenv:  env(map[string]string{"HOTLINE_TELEGRAM_TOKEN": "tok"}),
		Keyring: &secretstest.Keyring{Unavailable: true},
	}
	if v, src, err := s.Lookup(secrets.TelegramToken); err != nil || v != "tok" || src != secrets.SourceEnv {
		t.Errorf("Lookup = %q, %v, %v; want tok, env, nil", v, src, err)
	}
}

func TestStore_Lookup_ErrUnknownName(t *testing.T) {
	s := &secrets.Store{Getenv: env(map[string]string{"HOTLINE_ARI_PASWORD": "x"})}
	if _, _, err := s.Lookup("ARI_PASWORD"); !errors.Is(err, secrets.ErrUnknownName) {
		t.Errorf("err = %v, want ErrUnknownName", err)
	}
}

func TestStore_Set(t *testing.T) {
	for in, want := range map[string]string{
		"tok":                 "tok",
		"tok\n":               "tok",
		"tok\r\n":             "tok",
		"mật khẩu Việt Nam ✓": "mật khẩu Việt Nam ✓",
	} {
		kr := secretstest.NewKeyring(nil)
		s := &secrets.Store{Keyring: kr}
		if err := s.Set("telegram-token", in); err != nil {
			t.Fatalf("Set(%q): %v", in, err)
		}
		got, err := kr.Get(secrets.Service, secrets.TelegramToken)
		if err != nil || got != want {
			t.Errorf("Set(%q) stored %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestStore_Set_ErrInvalidValue(t *testing.T) {
	for name, value := range map[string]string{
		"Empty":       "",
		"NewlineOnly": "\n",
		"Newlines":    "\n\n",
		"Blank":       "  \t\n",
		"NUL":         "zz9\x00zz9",
		"TwoLines":    "zz9-one\nzz9-two\n",
	} {
		t.Run(name, func(t *testing.T) {
			kr := secretstest.NewKeyring(nil)
			s := &secrets.Store{Keyring: kr}
			err := s.Set(secrets.ARIPassword, value)
			if !errors.Is(err, secrets.ErrInvalidValue) {
				t.Fatalf("err = %v, want ErrInvalidValue", err)
			}
			if strings.Contains(err.Error(), "zz9") {
				t.Errorf("error %q contains the value", err)
			}
			if kr.Len() != 0 {
				t.Error("an invalid value was stored")
			}
		})
	}
}

func TestStore_Set_ErrUnknownName(t *testing.T) {
	s := &secrets.Store{Keyring: secretstest.NewKeyring(nil)}
	if err := s.Set("TELEGRAM", "tok"); !errors.Is(err, secrets.ErrUnknownName) {
		t.Errorf("err = %v, want ErrUnknownName", err)
	}
}

func TestStore_Set_ErrUnavailable(t *testing.T) {
	s := &secrets.Store{Keyring: &secretstest.Keyring{Unavailable: true}}
	err := s.Set(secrets.ARIPassword, "pw")
	if !errors.Is(err, secrets.ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
}

func TestStore_Delete(t *testing.T) {
	kr := secretstest.NewKeyring(map[string]string{secrets.ARIPassword: "pw"})
	s := &secrets.Store{Keyring: kr}
	if err := s.Delete("ari-password"); err != nil {
		t.Fatal(err)
	}
	if _, err := kr.Get(secrets.Service, secrets.ARIPassword); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("after Delete, Get err = %v, want ErrNotFound", err)
	}
}

func TestStore_Delete_ErrNotFound(t *testing.T) {
	s := &secrets.Store{Keyring: secretstest.NewKeyring(nil)}
	err := s.Delete(secrets.ARIPassword)
	if !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	if !strings.Contains(err.Error(), "ARI_PASSWORD") || !strings.Contains(err.Error(), "not found") {
		t.Errorf("error %q does not say what was not found", err)
	}
}

func TestStore_RoundTrip(t *testing.T) {
	s := &secrets.Store{Getenv: env(nil), Keyring: secretstest.NewKeyring(nil)}
	for _, n := range secrets.Names() {
		if err := s.Set(n, "value of "+n+"\n"); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range secrets.Names() {
		v, src, err := s.Lookup(n)
		if err != nil || v != "value of "+n || src != secrets.SourceKeyring {
			t.Errorf("Lookup(%s) = %q, %v, %v", n, v, src, err)
		}
	}
}
