// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/mattn/go-sqlite3"
)

// dataFiles are the database file and the two files SQLite keeps beside it
// in WAL mode; all three hold personal data.
func dataFiles(path string) []string { return []string{path, path + "-wal", path + "-shm"} }

// createFile makes the data folder, mode 0700, and an empty database file,
// mode 0600, where they do not exist yet. SQLite gives the -wal and -shm
// files it creates the database file's mode, so they are 0600 too. An
// existing folder keeps its mode: it may be the operator's own (the current
// directory, a systemd StateDirectory), and the files in it are closed
// anyway.
func createFile(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create data folder: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("create database file: %w", err)
	}
	return f.Close()
}

// closeFiles takes the group's and others' permissions off the data files
// that have them (made by an older hotline, or copied in with a loose
// umask), so that only the owner can read them. A file it cannot change is
// an error: the store does not run on personal data that others may read.
func closeFiles(path string) error {
	for _, name := range dataFiles(path) {
		fi, err := os.Stat(name)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return err
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			if err := os.Chmod(name, perm&^0o077); err != nil {
				return fmt.Errorf("%s is readable by others and cannot be closed (chmod 600 it): %w", name, err)
			}
		}
	}
	return nil
}

// schemaVersion reads the database's user_version through a connection
// that sets no journal mode and only reads, and refuses a database newer
// than this program: one in rollback-journal mode is not switched to WAL
// (which rewrites its header) before it is refused, so it is left untouched.
// (The connection is not read-only so that, on a database in WAL mode, it
// removes the -wal and -shm files it made when it closes.)
func schemaVersion(ctx context.Context, path string) (int, error) {
	ms, err := migrations()
	if err != nil {
		return 0, err
	}
	db, err := sql.Open("sqlite3", plainDSN(path))
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	if v > len(ms) {
		return 0, newerSchema(v, len(ms))
	}
	return v, nil
}

// useWAL switches the database to WAL mode, once in its life (the mode is
// kept in the file; the DSN's pragma is then a no-op). While another
// connection reads the file, SQLite refuses the switch with SQLITE_BUSY at
// once, without waiting (upgrading its read lock could deadlock), as happens
// when programs open a new data folder together; the switch is retried for
// up to busyTimeout.
func useWAL(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite3", plainDSN(path))
	if err != nil {
		return err
	}
	defer db.Close()
	deadline := time.Now().Add(busyTimeout)
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		var mode string
		err := db.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode)
		switch {
		case err == nil && mode == "wal":
			return nil
		case err == nil:
			return fmt.Errorf("switch to WAL: the journal mode stays %q", mode)
		case !isBusy(err) || time.Now().After(deadline):
			return fmt.Errorf("switch to WAL: %w", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

func isBusy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrBusy
}

// plainDSN connects with the busy timeout and no other setting: no journal
// mode, nothing that writes.
func plainDSN(path string) string {
	return fileDSN(path, url.Values{"_busy_timeout": {busyMillis()}})
}

func busyMillis() string { return strconv.FormatInt(busyTimeout.Milliseconds(), 10) }
