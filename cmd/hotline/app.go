// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
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
	// recordingFile fetches a call recording from Asterisk while serve runs
	// the phone channel; nil otherwise.
	recordingFile func(ctx context.Context, name string) ([]byte, error)
	// missingPrompts lists the prompts Asterisk lacked when the phone
	// channel last connected (for /readyz); nil when the phone is off.
	missingPrompts func() []string
}

// loadConfig reads the file named by path, or by HOTLINE_CONFIG when path is
// empty, or the embedded default when both are, with the environment on top.
func (m *Main) loadConfig(path string) (*config.Config, error) {
	if path == "" {
		path = m.Getenv("HOTLINE_CONFIG")
	}
	return config.Load(path, m.Getenv)
}

// openApp loads the configuration and opens the store in its data folder.
func (m *Main) openApp(ctx context.Context, configPath string) (*app, error) {
	cfg, err := m.loadConfig(configPath)
	if err != nil {
		return nil, err
	}
	return openAppConfig(ctx, cfg)
}

// openAppConfig opens the store in cfg's data folder.
func openAppConfig(ctx context.Context, cfg *config.Config) (*app, error) {
	menu, err := cfg.Menu()
	if err != nil {
		return nil, err
	}
	cal, err := cfg.Calendar()
	if err != nil {
		return nil, err
	}
	db, err := sqlite.Open(ctx, filepath.Join(cfg.Data, dbFile))
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	chats, _ := departmentChats(cfg)
	svc := &tickets.Service{Store: db, Menu: menu, Calendar: cal, Normalize: norm.NFC.String, DepartmentChats: chats}
	return &app{cfg: cfg, db: db, svc: svc, menu: menu, cal: cal}, nil
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
