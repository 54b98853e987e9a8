// SPDX-License-Identifier: Apache-2.0

package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/secrets/secretstest"
)

// hotline --data DIR points every command at DIR, over HOTLINE_DATA: migrate
// creates the database there, a listing reads it, config print names it; a
// --data without a folder is a usage error.
func TestGlobalDataOption(t *testing.T) {
	elsewhere, dir := t.TempDir(), filepath.Join(t.TempDir(), "data")
	m := &Main{Getenv: mapEnv(map[string]string{"HOTLINE_DATA": elsewhere}), Keyring: secretstest.NewKeyring(nil)}
	if code, out, errs := secretsRun(t, m, "", "--data", dir, "migrate"); code != 0 || !strings.Contains(out, filepath.Join(dir, dbFile)) {
		t.Fatalf("migrate: exit %d: %s %s", code, out, errs)
	}
	m = &Main{Getenv: mapEnv(map[string]string{"HOTLINE_DATA": elsewhere}), Keyring: secretstest.NewKeyring(nil)}
	if code, out, errs := secretsRun(t, m, "", "--data="+dir, "config", "print"); code != 0 ||
		!strings.Contains(out, "# database: "+filepath.Join(dir, dbFile)+" (schema version") {
		t.Errorf("config print: exit %d: %s %s", code, out, errs)
	}
	m = &Main{Getenv: mapEnv(map[string]string{"HOTLINE_DATA": elsewhere}), Keyring: secretstest.NewKeyring(nil)}
	if code, out, errs := secretsRun(t, m, "", "--data", dir, "tickets", "list"); code != 0 {
		t.Errorf("tickets list: exit %d: %s %s", code, out, errs)
	}
	m = &Main{Getenv: mapEnv(map[string]string{"HOTLINE_DATA": dir}), Keyring: secretstest.NewKeyring(nil)}
	if code, _, errs := secretsRun(t, m, "", "--data", elsewhere, "tickets", "list"); code != 1 ||
		!strings.Contains(errs, "no database at "+filepath.Join(elsewhere, dbFile)) || !strings.Contains(errs, "--data DIR") {
		t.Errorf("tickets list on an empty folder: exit %d: %s", code, errs)
	}
	m = &Main{Getenv: mapEnv(nil), Keyring: secretstest.NewKeyring(nil)}
	if code, _, errs := secretsRun(t, m, "", "--data"); code != 2 || !strings.Contains(errs, "--data needs a folder") {
		t.Errorf("--data alone: exit %d: %s", code, errs)
	}
}
