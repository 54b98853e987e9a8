// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one embedded SQL file, named NNNN_what.sql.
type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var ms []migration
	for _, n := range names {
		base := strings.TrimPrefix(n, "migrations/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil || v != len(ms)+1 {
			return nil, fmt.Errorf("migration %s: want number %04d", base, len(ms)+1)
		}
		b, err := migrationFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{v, base, string(b)})
	}
	return ms, nil
}

// migrate brings the database, at schema version current when it was
// opened, to this program's newest, one migration per transaction; the
// database's user_version names its schema version. A database newer than
// this program is refused rather than touched.
//
// Several programs may open a new data folder at once (a server and CLI
// commands started together): each migration's transaction takes the write
// lock first (BEGIN IMMEDIATE, the DSN's _txlock) and reads the version
// again under it, so each migration is applied once, by whichever comes
// first, and the others find it done.
func migrate(ctx context.Context, db *sql.DB, current int) (int, error) {
	ms, err := migrations()
	if err != nil {
		return 0, err
	}
	for current < len(ms) {
		if current, err = applyNext(ctx, db, ms); err != nil {
			return 0, err
		}
	}
	if current > len(ms) {
		return 0, newerSchema(current, len(ms))
	}
	return current, nil
}

func newerSchema(current, known int) error {
	return fmt.Errorf("the database has schema version %d; this hotline knows only up to %d: upgrade hotline", current, known)
}

// applyNext applies, under the write lock, the migration that follows the
// database's version, if any, and returns the version the database is at.
func applyNext(ctx context.Context, db *sql.DB, ms []migration) (int, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("begin migration: %w", err)
	}
	defer tx.Rollback()
	var current int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	if current >= len(ms) {
		return current, nil
	}
	m := ms[current]
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return 0, fmt.Errorf("migration %s: %w", m.name, err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return 0, fmt.Errorf("migration %s: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("migration %s: commit: %w", m.name, err)
	}
	return m.version, nil
}
