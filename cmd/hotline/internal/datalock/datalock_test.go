// SPDX-License-Identifier: Apache-2.0

package datalock_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/datalock"
)

func TestAcquire(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	l, err := datalock.Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("ErrLocked", func(t *testing.T) {
		// A second open file description is refused as a second process is.
		_, err := datalock.Acquire(dir)
		var held *datalock.HeldError
		if !errors.As(err, &held) || !errors.Is(err, datalock.ErrLocked) {
			t.Fatalf("second Acquire: %v, want a HeldError", err)
		}
		if got, want := held.PID, os.Getpid(); got != want {
			t.Errorf("PID = %d, want %d", got, want)
		}
		if !strings.Contains(err.Error(), dir) {
			t.Errorf("error %q does not name the folder", err)
		}
	})
	t.Run("Modes", func(t *testing.T) {
		for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, datalock.Name): 0o600} {
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != want {
				t.Errorf("%s: mode %o, want %o", path, got, want)
			}
		}
	})
	t.Run("OKAfterRelease", func(t *testing.T) {
		if err := l.Release(); err != nil {
			t.Fatal(err)
		}
		l2, err := datalock.Acquire(dir)
		if err != nil {
			t.Fatalf("Acquire after Release: %v", err)
		}
		l2.Release()
	})
}
