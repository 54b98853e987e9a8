// SPDX-License-Identifier: Apache-2.0

package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

// openAndWrite opens the store at path, writes a ticket (so that SQLite
// makes its -wal and -shm files) and returns the store, still open.
func openAndWrite(t *testing.T, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	tk := &tickets.Ticket{Branch: 1, Department: "d", Channel: tickets.ChannelWeb, Status: tickets.StatusNew, Text: "x"}
	if err := db.CreateTicket(context.Background(), tk, tickets.HistoryEntry{Actor: "t", Action: tickets.ActionCreate}); err != nil {
		t.Fatal(err)
	}
	return db
}

func wantMode(t *testing.T, name string, want fs.FileMode) {
	t.Helper()
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s has mode %o, want %o", filepath.Base(name), got, want)
	}
}

// Only the owner can read the data files, whatever the umask; a data
// folder the store makes is the owner's alone, and an existing one keeps
// its mode.
func TestOpenFileModes(t *testing.T) {
	old := syscall.Umask(0o002) // as loose as a shared workstation's
	t.Cleanup(func() { syscall.Umask(old) })
	t.Run("OKNewFolder", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "data")
		path := filepath.Join(dir, "hotline.db")
		openAndWrite(t, path)
		wantMode(t, dir, 0o700)
		for _, name := range []string{path, path + "-wal", path + "-shm"} {
			wantMode(t, name, 0o600)
		}
	})
	t.Run("OKLooseFilesClosed", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "hotline.db")
		openAndWrite(t, path).Close()
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		names := []string{path, path + "-wal", path + "-shm"}
		for _, name := range names[1:] { // as an older hotline left them after a crash, empty
			if err := os.WriteFile(name, nil, 0o664); err != nil {
				t.Fatal(err)
			}
		}
		for _, name := range names {
			if err := os.Chmod(name, 0o664); err != nil {
				t.Fatal(err)
			}
		}
		openAndWrite(t, path)
		wantMode(t, dir, 0o755)
		for _, name := range names {
			wantMode(t, name, 0o600)
		}
	})
}

// A database newer than this program is refused before anything is
// written: one in rollback-journal mode keeps every byte (it was switched to
// WAL, 6 header bytes changed, before its version was read).
func TestOpenRefusesNewerRollbackJournalUntouched(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hotline.db")
	raw, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=DELETE")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"CREATE TABLE future (x)", "INSERT INTO future VALUES (1)", "PRAGMA user_version = 999"} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sqlite.Open(context.Background(), path); err == nil || !strings.Contains(err.Error(), "upgrade hotline") {
		t.Fatalf("Open of a newer schema: %v, want a refusal", err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		for i := range before {
			if before[i] != after[i] {
				t.Errorf("byte %d changed: %#x → %#x", i, before[i], after[i])
			}
		}
	}
	wantMode(t, path, 0o644)
	for _, name := range []string{path + "-wal", path + "-shm"} {
		if _, err := os.Stat(name); err == nil {
			t.Errorf("%s made for a refused database", filepath.Base(name))
		}
	}
}

// Programs that open a new data folder together (a server and CLI commands
// started at once) all succeed: each migration is applied once.
func TestOpenConcurrentFirstStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "hotline.db")
	const n = 8
	dbs := make([]*sqlite.DB, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { dbs[i], errs[i] = sqlite.Open(context.Background(), path) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Errorf("open %d: %v", i, errs[i])
			continue
		}
		if got, want := dbs[i].SchemaVersion(), 9; got != want {
			t.Errorf("open %d: SchemaVersion = %d, want %d", i, got, want)
		}
		if ok, err := dbs[i].IntegrityCheck(context.Background()); err != nil || ok != "ok" {
			t.Errorf("open %d: IntegrityCheck = %q, %v", i, ok, err)
		}
		dbs[i].Close()
	}
}
