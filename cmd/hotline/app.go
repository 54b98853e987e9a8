// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/backup"
	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
	"github.com/hotline-cchc/hotline/cmd/hotline/internal/datalock"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

// dbFile is the database's name inside the data folder.
const dbFile = "hotline.db"

// app is what the commands work with: the effective configuration, the store
// and the domain service over it.
type app struct {
	cfg  *config.Config
	db   *sqlite.DB
	svc  *tickets.Service
	menu *tickets.Menu
	cal  *tickets.Calendar
	// telegram is the Telegram bot while serve runs it; nil otherwise.
	telegram *telegramChannel
	// mail is staff mail while serve delivers it; nil otherwise.
	mail *mailChannel
	// zalo is the Zalo OA channel while serve runs it; nil otherwise.
	zalo *zaloChannel
	// recordingFile fetches a call recording from Asterisk while serve runs
	// the phone channel; nil otherwise.
	recordingFile func(ctx context.Context, name string) ([]byte, error)
	// missingPrompts lists the prompts Asterisk lacked when the phone
	// channel last connected (for /readyz); nil when the phone is off.
	missingPrompts func() []string
	// preMigration is the backup written before this start migrated the
	// database; nil if there was nothing to migrate.
	preMigration *backup.Result
	// backups are the scheduled backups while serve runs them; nil otherwise.
	backups *backupSchedule
	// voice voices answers for the phone while serve runs; nil otherwise.
	voice *answerVoice
}

// systemConfig is the config file of a packaged install, read when neither
// --config nor HOTLINE_CONFIG names one and the file exists.
const systemConfig = "/etc/hotline/hotline.toml"

// loadConfig reads the file named by path, or by HOTLINE_CONFIG when path is
// empty, or /etc/hotline/hotline.toml if it exists, or the embedded default,
// with the environment on top. A relative data folder is made absolute
// against the current folder, once, here.
func (m *Main) loadConfig(path string) (*config.Config, error) {
	if path == "" {
		path = m.Getenv("HOTLINE_CONFIG")
	}
	if _, err := os.Stat(systemConfig); path == "" && err == nil {
		path = systemConfig
	}
	cfg, err := config.Load(path, m.Getenv)
	if err != nil {
		return nil, err
	}
	if m.dataDir != "" {
		cfg.Data = m.dataDir
	}
	if cfg.Data, err = filepath.Abs(cfg.Data); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	return cfg, nil
}

// dbPath returns the database file of cfg's data folder.
func dbPath(cfg *config.Config) string { return filepath.Join(cfg.Data, dbFile) }

// openApp loads the configuration and opens the store in its data folder,
// which must hold a database at the schema this program writes: only serve
// and migrate create or upgrade one.
func (m *Main) openApp(ctx context.Context, configPath string) (*app, error) {
	cfg, err := m.loadConfig(configPath)
	if err != nil {
		return nil, err
	}
	s, err := existingDatabase(ctx, cfg)
	if err != nil {
		return nil, err
	}
	newLogger(m.Stderr, cfg.Log).Debug("database", "path", dbPath(cfg), "config", cfg.Path(), "schema_version", s.Version)
	return openAppConfig(ctx, cfg)
}

// existingDatabase returns the schema of cfg's database, or an error naming
// the absolute path looked at and how to point elsewhere if there is none,
// or what to run if it needs a migration.
func existingDatabase(ctx context.Context, cfg *config.Config) (sqlite.Schema, error) {
	path := dbPath(cfg)
	s, err := sqlite.Inspect(ctx, path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return s, fmt.Errorf("no database at %s (config: %s, HOTLINE_* variables on top); "+
			"only \"hotline serve\" and \"hotline migrate\" create one. Point to the right data folder "+
			"with hotline --data DIR, HOTLINE_DATA=DIR or the \"data\" key of a config file (--config FILE, HOTLINE_CONFIG, or %s); "+
			"a relative data folder is taken from the current folder", path, cfg.Path(), systemConfig)
	case err != nil:
		return s, fmt.Errorf("open store %s: %w", path, err)
	case len(s.Pending) > 0:
		return s, fmt.Errorf("the database %s has schema version %d and this hotline needs %d: "+
			"run \"hotline migrate\" (it backs the database up first) or start \"hotline serve\"", path, s.Version, s.Latest)
	}
	return s, nil
}

// databaseState names cfg's database file and says where it stands.
func databaseState(ctx context.Context, cfg *config.Config) string {
	s, err := sqlite.Inspect(ctx, dbPath(cfg))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return dbPath(cfg) + " (does not exist)"
	case err != nil:
		return fmt.Sprintf("%s (%v)", dbPath(cfg), err)
	}
	return fmt.Sprintf("%s (schema version %d of %d)", dbPath(cfg), s.Version, s.Latest)
}

// openAppConfig opens the store in cfg's data folder, creating it or
// applying pending migrations; before a migration of an existing database
// it writes a backup (app.preMigration). The caller holds the data lock.
func openAppConfig(ctx context.Context, cfg *config.Config) (*app, error) {
	menu, err := cfg.Menu()
	if err != nil {
		return nil, err
	}
	cal, err := cfg.Calendar()
	if err != nil {
		return nil, err
	}
	pre, err := preMigrationBackup(ctx, cfg, time.Now())
	if err != nil {
		return nil, err
	}
	db, err := sqlite.Open(ctx, dbPath(cfg))
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	if menu, err = withDepartmentChanges(ctx, cfg, db, menu, cal); err != nil {
		db.Close()
		return nil, err
	}
	chats, _ := departmentChats(cfg)
	svc := &tickets.Service{Store: db, Menu: menu, Calendar: cal, Normalize: norm.NFC.String, DepartmentChats: chats,
		PhoneCallback: cfg.Callback.Endpoint != ""}
	if cfg.Zalo.AppID != "" && cfg.Zalo.TemplateReceived != "" {
		svc.PhoneNotices = tickets.ChannelZalo // a phone caller's code and answers as Zalo templates
	}
	return &app{cfg: cfg, db: db, svc: svc, menu: menu, cal: cal, preMigration: pre}, nil
}

// openLocked takes the data folder's lock, as only one process that may
// create or migrate the database holds it, then opens the store as
// openAppConfig does; closeApp closes the store and releases the lock.
func openLocked(ctx context.Context, cfg *config.Config) (a *app, closeApp func(), err error) {
	lock, err := datalock.Acquire(cfg.Data)
	if err != nil {
		return nil, nil, err
	}
	if a, err = openAppConfig(ctx, cfg); err != nil {
		lock.Release()
		return nil, nil, err
	}
	return a, func() { a.Close(); lock.Release() }, nil
}

func (a *app) Close() error { return a.db.Close() }

// userMessage is what a failed command prints: a domain error's message, a
// config's list of problems, or the error itself (the CLI's user is the
// operator, who may see every detail).
func userMessage(err error) string {
	var te *tickets.Error
	if errors.As(err, &te) {
		return te.Message
	}
	return err.Error()
}

// newFlagSet returns a flag set that reports errors instead of exiting and
// prints its usage on -h to out.
func newFlagSet(name, synopsis string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: %s\n\nOptions:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseArgs parses flags that may stand before, between or after the
// positional arguments, and returns the positional ones. -h is not an error:
// it returns flag.ErrHelp, which callers pass to handled.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

// handled turns a flag-parsing error into the command's result: nil after
// -h, a usage error otherwise.
func handled(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return usagef("%s", strings.TrimSpace(err.Error()))
}
