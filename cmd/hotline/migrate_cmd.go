// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/backup"
	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

// backupsDir is the default folder of backups inside the data folder.
const backupsDir = "backups"

// backupDir returns where backups go: backup.dir, made absolute, or
// <data>/backups.
func backupDir(cfg *config.Config) (string, error) {
	if cfg.Backup.Dir == "" {
		return filepath.Join(cfg.Data, backupsDir), nil
	}
	return filepath.Abs(cfg.Backup.Dir)
}

// preMigrationName is the file name of the backup taken before migrating
// from one schema version to another.
func preMigrationName(s sqlite.Schema, now time.Time) string {
	return fmt.Sprintf("pre-migrate-v%d-to-v%d-%s.db.gz", s.Version, s.Latest, now.UTC().Format("20060102T150405Z"))
}

// preMigrationBackup backs up cfg's database into the backup folder if it
// exists and has migrations pending; it returns nil if there is nothing to
// migrate. A newer schema than this program's is left to sqlite.Open to
// refuse.
func preMigrationBackup(ctx context.Context, cfg *config.Config, now time.Time) (*backup.Result, error) {
	s, err := sqlite.Inspect(ctx, dbPath(cfg))
	if err != nil || s.Version == 0 || len(s.Pending) == 0 {
		return nil, nil // nothing to back up, or for sqlite.Open to refuse
	}
	dir, err := backupDir(cfg)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("backup before migration: %w", err)
	}
	r, err := backup.Create(ctx, dbPath(cfg), filepath.Join(dir, preMigrationName(s, now)))
	if err != nil {
		return nil, fmt.Errorf("backup before migration (nothing was migrated): %w", err)
	}
	return &r, nil
}

const migrateSynopsis = "hotline migrate [--dry-run] [--config FILE]"

// runMigrate creates the database, or brings it to this program's schema
// after a backup; with --dry-run it says what it would do and changes
// nothing. It takes the data folder's lock: not beside a running serve.
func (m *Main) runMigrate(ctx context.Context, args []string) error {
	flags := newFlagSet("hotline migrate", migrateSynopsis, m.Stderr)
	path := flags.String("config", "", configFlagHelp)
	dry := flags.Bool("dry-run", false, "say what would change and change nothing")
	if pos, err := parseArgs(flags, args); err != nil {
		return handled(err)
	} else if len(pos) > 0 {
		return usagef("migrate takes no arguments; usage: %s", migrateSynopsis)
	}
	cfg, err := m.loadConfig(*path)
	if err != nil {
		return err
	}
	db := dbPath(cfg)
	s, err := sqlite.Inspect(ctx, db)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("open store %s: %w", db, err)
	}
	if *dry {
		return m.printPlan(cfg, s, err != nil)
	}
	a, closeApp, err := openLocked(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeApp()
	if a.preMigration != nil {
		fmt.Fprintf(m.Stdout, "backup before migration: %s\n", a.preMigration.Path)
	}
	if len(s.Pending) == 0 && s.Version > 0 {
		fmt.Fprintf(m.Stdout, "%s: schema version %d, the newest this hotline knows; nothing to do\n", db, s.Version)
		return nil
	}
	fmt.Fprintf(m.Stdout, "%s: schema version %d (was %d)\n", db, a.db.SchemaVersion(), s.Version)
	return nil
}

// printPlan writes what migrate would do to the database of cfg, whose
// schema is s (missing: there is no file).
func (m *Main) printPlan(cfg *config.Config, s sqlite.Schema, missing bool) error {
	db := dbPath(cfg)
	if missing {
		s = sqlite.Fresh()
		fmt.Fprintf(m.Stdout, "%s does not exist: migrate would create it at schema version %d:\n", db, s.Latest)
	} else if len(s.Pending) == 0 {
		fmt.Fprintf(m.Stdout, "%s: schema version %d, the newest this hotline knows; nothing to do\n", db, s.Version)
		return nil
	} else {
		fmt.Fprintf(m.Stdout, "%s: schema version %d; migrate would apply:\n", db, s.Version)
	}
	for _, p := range s.Pending {
		fmt.Fprintf(m.Stdout, "  %s  %s\n", p.Name, p.Summary)
	}
	if !missing && s.Version > 0 {
		dir, err := backupDir(cfg)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "after a backup to %s\n", filepath.Join(dir, preMigrationName(s, time.Now())))
	}
	return nil
}
