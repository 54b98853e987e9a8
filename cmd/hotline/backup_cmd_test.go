// SPDX-License-Identifier: Apache-2.0

package main

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/datalock"
)

// takeBackup runs "hotline backup --out FILE" and returns FILE.
func takeBackup(tb testing.TB, run func(string, ...string) (int, string, string)) string {
	tb.Helper()
	file := filepath.Join(tb.TempDir(), "hotline.db.gz")
	if code, out, errs := run("", "backup", "--out", file); code != 0 || !strings.HasPrefix(out, file+": backup of ") {
		tb.Fatalf("backup: exit %d: %s%s", code, out, errs)
	}
	return file
}

func TestBackupAndRestore(t *testing.T) {
	dir, run := bare(t)
	migrated(t, run)
	kept := newTicket(t, run, "--branch", "4", "--text", "Hồ sơ trễ hẹn")
	file := takeBackup(t, run)
	sum, err := os.ReadFile(file + ".sha256")
	if b, _ := os.ReadFile(file); err != nil || !strings.HasPrefix(string(sum), hexSHA256(b)+"  hotline.db.gz\n") {
		t.Errorf("checksum file %q (%v) does not match the backup", sum, err)
	}
	check := exec.Command("sha256sum", "-c", filepath.Base(file)+".sha256")
	check.Dir = filepath.Dir(file)
	if out, err := check.CombinedOutput(); err != nil {
		t.Errorf("sha256sum -c: %v\n%s", err, out)
	}
	later := newTicket(t, run, "--branch", "9", "--text", "sau bản sao")

	code, out, errs := run("", "restore", file)
	if code != 0 || !strings.Contains(out, "restored from "+file) {
		t.Fatalf("restore: exit %d: %s%s", code, out, errs)
	}
	if code, _, _ := run("", "tickets", "show", kept.Code); code != 0 {
		t.Errorf("ticket %s, backed up, is not in the restored database", kept.Code)
	}
	if code, _, _ := run("", "tickets", "show", later.Code); code == 0 {
		t.Errorf("ticket %s, made after the backup, is in the restored database", later.Code)
	}
	aside := regexp.MustCompile(`kept in (\S+)`).FindStringSubmatch(out)
	if aside == nil || filepath.Dir(aside[1]) != dir {
		t.Fatalf("restore does not say where the old database is: %s", out)
	}
	// The old database, set aside, still holds the later ticket.
	old := map[string]string{"HOTLINE_DATA": aside[1]}
	if code, _, errs := secretsRun(t, &Main{Getenv: mapEnv(old)}, "", "tickets", "show", later.Code); code != 0 {
		t.Errorf("the replaced database lacks ticket %s: %s", later.Code, errs)
	}
}

func hexSHA256(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func TestRestoreRefuses(t *testing.T) {
	dir, run := bare(t)
	migrated(t, run)
	kept := newTicket(t, run, "--branch", "4", "--text", "Hồ sơ trễ hẹn")
	file := takeBackup(t, run)
	keeps := func(t *testing.T) {
		t.Helper()
		if code, _, errs := run("", "tickets", "show", kept.Code); code != 0 {
			t.Errorf("after a refused restore the ticket is gone: %s", errs)
		}
		if m, _ := filepath.Glob(filepath.Join(dir, "replaced-*")); len(m) > 0 {
			t.Errorf("a refused restore moved the database to %v", m)
		}
	}
	t.Run("ErrServerRunning", func(t *testing.T) {
		lock, err := datalock.Acquire(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer lock.Release()
		if code, _, errs := run("", "restore", file); code != 1 || !strings.Contains(errs, "restore refused: the data folder "+dir+" is in use") {
			t.Errorf("exit %d: %s", code, errs)
		}
		keeps(t)
	})
	t.Run("ErrChecksum", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "bad.db.gz")
		b, _ := os.ReadFile(file)
		b[len(b)/2] ^= 0xff
		os.WriteFile(bad, b, 0o600)
		sum, _ := os.ReadFile(file + ".sha256")
		os.WriteFile(bad+".sha256", sum, 0o600)
		if code, _, errs := run("", "restore", bad); code != 1 || !strings.Contains(errs, "does not match its checksum") {
			t.Errorf("exit %d: %s", code, errs)
		}
		keeps(t)
	})
	t.Run("ErrNoChecksumFile", func(t *testing.T) {
		lone := filepath.Join(t.TempDir(), "lone.db.gz")
		b, _ := os.ReadFile(file)
		os.WriteFile(lone, b, 0o600)
		if code, _, errs := run("", "restore", lone); code != 1 || !strings.Contains(errs, ".sha256") {
			t.Errorf("exit %d: %s", code, errs)
		}
		keeps(t)
	})
	t.Run("ErrNotADatabase", func(t *testing.T) {
		junk := filepath.Join(t.TempDir(), "junk.db.gz")
		f, _ := os.Create(junk)
		zw := gzip.NewWriter(f)
		zw.Write([]byte(strings.Repeat("không phải cơ sở dữ liệu ", 400)))
		zw.Close()
		f.Close()
		b, _ := os.ReadFile(junk)
		os.WriteFile(junk+".sha256", []byte(hexSHA256(b)+"  junk.db.gz\n"), 0o600)
		if code, _, errs := run("", "restore", junk); code != 1 || !strings.Contains(errs, "not a database") {
			t.Errorf("exit %d: %s", code, errs)
		}
		keeps(t)
	})
	t.Run("ErrBackupExists", func(t *testing.T) {
		if code, _, errs := run("", "backup", "--out", file); code != 1 || !strings.Contains(errs, "already exists") {
			t.Errorf("exit %d: %s", code, errs)
		}
	})
}
