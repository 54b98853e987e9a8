// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/backup"
	"github.com/hotline-cchc/hotline/cmd/hotline/internal/secrets/secretstest"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

// migrated runs "hotline migrate" with run, which creates the database.
func migrated(tb testing.TB, run func(stdin string, args ...string) (int, string, string)) {
	tb.Helper()
	if code, out, errs := run("", "migrate"); code != 0 {
		tb.Fatalf("hotline migrate: exit %d: %s%s", code, out, errs)
	}
}

// bare returns a data folder with no database and a function that runs
// "hotline ARGS…" on it.
func bare(tb testing.TB) (dir string, run func(stdin string, args ...string) (int, string, string)) {
	tb.Helper()
	dir = filepath.Join(tb.TempDir(), "data")
	env := map[string]string{"HOTLINE_DATA": dir, "USER": "tester"}
	return dir, func(stdin string, args ...string) (int, string, string) {
		tb.Helper()
		return secretsRun(tb, &Main{Getenv: mapEnv(env), Keyring: secretstest.NewKeyring(nil)}, stdin, args...)
	}
}

// latest is the newest schema version this program knows.
var latest = sqlite.Fresh().Latest

func TestCommandsNeverCreateADatabase(t *testing.T) {
	dir, run := bare(t)
	for _, args := range [][]string{
		{"tickets", "list"}, {"tickets", "new", "--branch", "4", "--text", "x"}, {"report"},
		{"users", "list"}, {"call", "--store", "--keys", "4"}, {"backup"},
	} {
		code, _, errs := run("", args...)
		if want := filepath.Join(dir, "hotline.db"); code != 1 || !strings.Contains(errs, "no database at "+want) ||
			!strings.Contains(errs, "HOTLINE_DATA") || !strings.Contains(errs, "hotline migrate") {
			t.Errorf("%v: exit %d: %s", args, code, errs)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Fatalf("%v created %s (%v)", args, dir, err)
		}
	}
}

func TestConfigPrintNamesTheDatabase(t *testing.T) {
	dir, run := bare(t)
	want := "# database: " + filepath.Join(dir, "hotline.db")
	if code, out, errs := run("", "config", "print"); code != 0 || !strings.Contains(out, want+" (does not exist)") {
		t.Errorf("exit %d: %s%s", code, out, errs)
	}
	migrated(t, run)
	if code, out, errs := run("", "config", "print"); code != 0 || !strings.Contains(out, want+fmt.Sprintf(" (schema version %[1]d of %[1]d)", latest)) {
		t.Errorf("exit %d: %s%s", code, out, errs)
	}
}

func TestDebugLogNamesTheDatabase(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"HOTLINE_DATA": dir, "HOTLINE_LOG_LEVEL": "debug"}
	m := &Main{Getenv: mapEnv(env), Keyring: secretstest.NewKeyring(nil)}
	secretsRun(t, m, "", "migrate")
	if code, _, errs := secretsRun(t, m, "", "tickets", "list"); code != 0 || !strings.Contains(errs, "msg=database path="+filepath.Join(dir, "hotline.db")) {
		t.Errorf("exit %d, log: %s", code, errs)
	}
}

// oldDatabase makes, in dir, a database at schema version 5 by running the
// first five migration files as the program of that version did.
func oldDatabase(tb testing.TB, dir string) string {
	tb.Helper()
	path := filepath.Join(dir, "hotline.db")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		tb.Fatal(err)
	}
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	files, _ := filepath.Glob("../../tickets/sqlite/migrations/000[1-5]_*.sql")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := db.Exec(string(b)); err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
	}
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", len(files))); err != nil || len(files) != 5 {
		tb.Fatalf("user_version: %v (%d files)", err, len(files))
	}
	return path
}

func TestMigrate(t *testing.T) {
	dir, run := bare(t)
	t.Run("OKDryRunOnNothing", func(t *testing.T) {
		code, out, errs := run("", "migrate", "--dry-run")
		if code != 0 || !strings.Contains(out, fmt.Sprintf("does not exist: migrate would create it at schema version %d", latest)) || !strings.Contains(out, "0006_transcripts.sql") {
			t.Errorf("exit %d: %s%s", code, out, errs)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("a dry run created %s", dir)
		}
	})
	path := oldDatabase(t, dir)
	t.Run("ErrCommandOnOldSchema", func(t *testing.T) {
		if code, _, errs := run("", "tickets", "list"); code != 1 || !strings.Contains(errs, fmt.Sprintf("schema version 5 and this hotline needs %d: run \"hotline migrate\"", latest)) {
			t.Errorf("exit %d: %s", code, errs)
		}
	})
	t.Run("OKDryRunListsPending", func(t *testing.T) {
		code, out, errs := run("", "migrate", "--dry-run")
		if code != 0 || !strings.Contains(out, "schema version 5; migrate would apply:\n  0006_transcripts.sql  The chat conversation") ||
			strings.Contains(out, "0005_") || !strings.Contains(out, "after a backup to "+filepath.Join(dir, "backups", fmt.Sprintf("pre-migrate-v5-to-v%d-", latest))) {
			t.Errorf("exit %d: %s%s", code, out, errs)
		}
		if s, err := sqlite.Inspect(context.Background(), path); err != nil || s.Version != 5 {
			t.Errorf("after a dry run: version %d, %v", s.Version, err)
		}
	})
	t.Run("OKBacksUpThenMigrates", func(t *testing.T) {
		code, out, errs := run("", "migrate")
		if code != 0 || !strings.Contains(out, fmt.Sprintf("schema version %d (was 5)", latest)) {
			t.Fatalf("exit %d: %s%s", code, out, errs)
		}
		files, _ := filepath.Glob(filepath.Join(dir, "backups", fmt.Sprintf("pre-migrate-v5-to-v%d-*.db.gz", latest)))
		if len(files) != 1 || !strings.Contains(out, "backup before migration: "+files[0]) {
			t.Fatalf("backups %v, output %s", files, out)
		}
		s, err := backup.Unpack(context.Background(), files[0], filepath.Join(t.TempDir(), "old.db"))
		if err != nil || s.Version != 5 {
			t.Errorf("the backup holds version %d, %v", s.Version, err)
		}
		if code, out, _ := run("", "migrate"); code != 0 || !strings.Contains(out, "nothing to do") {
			t.Errorf("second migrate: exit %d: %s", code, out)
		}
	})
}

// An older hotline refuses a database written by a newer one, and touches
// nothing.
func TestNewerDatabaseRefused(t *testing.T) {
	dir, run := bare(t)
	migrated(t, run)
	db, err := sql.Open("sqlite3", filepath.Join(dir, "hotline.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, args := range [][]string{{"serve"}, {"tickets", "list"}, {"migrate"}, {"migrate", "--dry-run"}} {
		if code, _, errs := run("", args...); code != 1 || !strings.Contains(errs, fmt.Sprintf("schema version 99; this hotline knows only up to %d: upgrade hotline", latest)) {
			t.Errorf("%v: exit %d: %s", args, code, errs)
		}
	}
	if s, err := sqlite.Inspect(context.Background(), filepath.Join(dir, "hotline.db")); err == nil || s.Version != 99 {
		t.Errorf("after the refusals: version %d, %v", s.Version, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "backups")); !os.IsNotExist(err) {
		t.Errorf("a refused start wrote a backup: %v", err)
	}
}

// The README's table of commands, which stands for a man page, lists every
// command "hotline help" lists.
func TestREADMEListsEveryCommand(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for name := range commands() {
		if !strings.Contains(string(b), "| `hotline "+name) {
			t.Errorf("README's table of commands lacks hotline %s", name)
		}
	}
}
