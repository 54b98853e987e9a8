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
	"github.com/hotline-cchc/hotline/cmd/hotline/internal/datalock"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

const backupSynopsis = "hotline backup [--out FILE] [--config FILE]"

// configFlagHelp is the help of every command's --config flag.
const configFlagHelp = "config file (default: $HOTLINE_CONFIG, else " + systemConfig + " if it exists, else the embedded default)"

// runBackup writes a compressed, checksummed copy of the database; it runs
// beside a serving hotline.
func (m *Main) runBackup(ctx context.Context, args []string) error {
	flags := newFlagSet("hotline backup", backupSynopsis, m.Stderr)
	path := flags.String("config", "", configFlagHelp)
	out := flags.String("out", "", "the backup file to write, FILE.sha256 beside it (default: the backup folder, hotline-TIME.db.gz)")
	if pos, err := parseArgs(flags, args); err != nil {
		return handled(err)
	} else if len(pos) > 0 {
		return usagef("backup takes no arguments; usage: %s", backupSynopsis)
	}
	cfg, err := m.loadConfig(*path)
	if err != nil {
		return err
	}
	if _, err := sqlite.Inspect(ctx, dbPath(cfg)); errors.Is(err, fs.ErrNotExist) {
		_, err = existingDatabase(ctx, cfg)
		return err
	}
	file, err := backupFile(cfg, *out, time.Now())
	if err != nil {
		return err
	}
	r, err := backup.Create(ctx, dbPath(cfg), file)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "%s: backup of %s (schema version %d, %d bytes, SHA-256 %s)\n",
		r.Path, dbPath(cfg), r.Schema, r.Size, r.SHA256)
	return nil
}

// backupFile returns out made absolute or, if it is empty, a new file named
// after now in the backup folder, which it creates.
func backupFile(cfg *config.Config, out string, now time.Time) (string, error) {
	if out != "" {
		return filepath.Abs(out)
	}
	dir, err := backupDir(cfg)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("backup folder: %w", err)
	}
	return filepath.Join(dir, "hotline-"+now.UTC().Format("20060102T150405Z")+".db.gz"), nil
}

const restoreSynopsis = "hotline restore FILE [--config FILE]"

// runRestore replaces the data folder's database with a backup's, after
// checking it, keeping the old files aside. It refuses while a server holds
// the data folder.
func (m *Main) runRestore(ctx context.Context, args []string) error {
	flags := newFlagSet("hotline restore", restoreSynopsis, m.Stderr)
	path := flags.String("config", "", configFlagHelp)
	pos, err := parseArgs(flags, args)
	if err != nil {
		return handled(err)
	}
	if len(pos) != 1 {
		return usagef("restore takes one backup file; usage: %s", restoreSynopsis)
	}
	cfg, err := m.loadConfig(*path)
	if err != nil {
		return err
	}
	lock, err := datalock.Acquire(cfg.Data)
	if err != nil {
		return fmt.Errorf("restore refused: %w", err)
	}
	defer lock.Release()
	aside, s, err := backup.Restore(ctx, pos[0], dbPath(cfg), time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "%s restored from %s (schema version %d, integrity ok)\n", dbPath(cfg), pos[0], s.Version)
	if aside != "" {
		fmt.Fprintf(m.Stdout, "the replaced database is kept in %s\n", aside)
	}
	if len(s.Pending) > 0 {
		fmt.Fprintf(m.Stdout, "its schema is older than this hotline's: \"hotline migrate\" or \"hotline serve\" upgrades it\n")
	}
	return nil
}
