// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
)

// Migration is an embedded migration: its file name and the first line of its
// leading comment, which says what it changes.
type Migration struct {
	Name    string
	Summary string
}

// Schema says where a database file's schema stands against this program.
type Schema struct {
	Version int         // the file's schema version (0: empty file)
	Latest  int         // the newest version this program knows
	Pending []Migration // what Open would apply, oldest first
	// Integrity is PRAGMA integrity_check's verdict, "ok" for a sound file;
	// set only by Check.
	Integrity string
}

// openFile opens the existing database file at path read-only, for a look
// that must neither create nor change it; os.ErrNotExist (wrapped) if there
// is no file.
func openFile(path string) (*sql.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// Inspect returns the schema of the existing database file at path without
// changing it. It returns an error wrapping os.ErrNotExist if there is no
// file, and one saying "upgrade hotline" if the file is newer than this
// program.
func Inspect(ctx context.Context, path string) (Schema, error) {
	db, err := openFile(path)
	if err != nil {
		return Schema{}, err
	}
	defer db.Close()
	return inspect(ctx, db)
}

func inspect(ctx context.Context, db *sql.DB) (Schema, error) {
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return Schema{}, fmt.Errorf("read schema version: %w", err)
	}
	return schemaAt(v)
}

// Fresh returns the schema of a database not created yet: every migration
// pending.
func Fresh() Schema {
	s, _ := schemaAt(0)
	return s
}

func schemaAt(version int) (Schema, error) {
	ms, err := migrations()
	if err != nil {
		return Schema{}, err
	}
	s := Schema{Version: version, Latest: len(ms)}
	if s.Version > s.Latest {
		return s, fmt.Errorf("the database has schema version %d; this hotline knows only up to %d: upgrade hotline", s.Version, s.Latest)
	}
	for _, m := range ms[s.Version:] {
		s.Pending = append(s.Pending, Migration{Name: m.name, Summary: summary(m.sql)})
	}
	return s, nil
}

// summary returns the first sentence of a migration's leading comment, its
// licence header left out, as one line.
func summary(sqlText string) string {
	var words []string
	for _, line := range strings.Split(sqlText, "\n") {
		c, ok := strings.CutPrefix(strings.TrimSpace(line), "--")
		if !ok {
			break
		}
		if !strings.Contains(c, "SPDX-") {
			words = append(words, strings.Fields(c)...)
		}
	}
	text := strings.Join(words, " ")
	if i := strings.Index(text, ". "); i >= 0 {
		text = text[:i+1]
	}
	return text
}

// Check inspects the existing database file at path as Inspect does and runs
// PRAGMA integrity_check on it; the verdict is in Schema.Integrity. An
// unreadable or non-SQLite file is an error.
func Check(ctx context.Context, path string) (Schema, error) {
	db, err := openFile(path)
	if err != nil {
		return Schema{}, err
	}
	defer db.Close()
	s, err := inspect(ctx, db)
	if err != nil {
		return s, err
	}
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&s.Integrity); err != nil {
		return s, fmt.Errorf("integrity check: %w", err)
	}
	return s, nil
}

// Snapshot writes a consistent copy of the existing database file at src to
// dst, which must not exist, with VACUUM INTO: one read transaction, so it
// runs beside a server that keeps writing (WAL lets readers and the writer
// go on together) and copies exactly the commits made before it began. The
// copy is compact, in rollback-journal mode, and not synced: the caller
// syncs what it makes of it.
func Snapshot(ctx context.Context, src, dst string) error {
	if _, err := os.Lstat(dst); err == nil {
		return fmt.Errorf("snapshot: %s already exists", dst)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("snapshot: %w", err)
	}
	db, err := openFile(src)
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", dst); err != nil {
		return fmt.Errorf("snapshot %s: %w", src, err)
	}
	return nil
}
