// SPDX-License-Identifier: Apache-2.0

// Command hotline runs a provincial administrative-reform (CCHC) hotline: the
// phone line over ARI, the chat bots, the ticket store, the web console and the
// reports. It is the only package that wires concrete parts together and the
// only one that reads flags, the environment, the config file and secrets; it
// may import every package of the module.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// Version is set at build time with -ldflags "-X main.Version=…".
var Version = "dev"

// Main is the program: its standard streams, environment and keyring are
// fields so that tests run the real commands in-process.
type Main struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// Environ lists the environment as NAME=value pairs, to find mistyped
	// HOTLINE_* variables; nil means none.
	Environ func() []string
	// Keyring is the OS keyring (Secret Service); tests may swap in a fake.
	Keyring Keyring

	// dataDir is the global --data option: the data folder, over the
	// config file and HOTLINE_DATA.
	dataDir string
}

// NewMain returns a Main on the process's streams, environment and OS keyring.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Environ: os.Environ, Keyring: osKeyring{}}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := NewMain().Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// usageError is a mistake in the command line; it exits 2 and tells the user
// what to try.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

type command struct {
	run     func(m *Main, ctx context.Context, args []string) error
	summary string
}

func commands() map[string]command {
	cs := map[string]command{
		"serve":   {(*Main).runServe, "run the hotline: store, HTTP, phone and chat channels"},
		"tickets": {(*Main).runTickets, "create, list, show and move tickets"},
		"report":  {(*Main).runReport, "write the statistics of a month or a period (text, csv, xlsx, html)"},
		"config":  {(*Main).runConfig, "check or print the effective configuration"},
		"secrets": {(*Main).runSecrets, "set, get or delete a secret in the OS keyring"},
		"users":   {(*Main).runUsers, "add, list and disable console users; passwords and API tokens"},
		"version": {(*Main).runVersion, "print the version"},
		"call":    {(*Main).runCall, "place a simulated phone call through a fake Asterisk"},
		"sounds":  {(*Main).runSounds, "install the phone prompts for Asterisk, or check them"},
		"outbox":  {(*Main).runOutbox, "list the messages waiting or failed on the chat channels; send failed ones again"},
		"migrate": {(*Main).runMigrate, "create the database or bring it to this version's schema (--dry-run)"},
		"backup":  {(*Main).runBackup, "write a compressed, checksummed copy of the database, also while serving"},
		"zalo":    {(*Main).runZalo, "authorise the Zalo OA (first time, or after its refresh token died)"},
		"restore": {(*Main).runRestore, "replace the database with a backup's, keeping the old one aside"},
	}
	cs["departments"] = command{(*Main).runDepartments, "list departments; rename or merge one from a date"}
	return cs
}

// Run runs the command in args and returns the process exit status: 0 on
// success, 1 on failure, 2 on a usage error.
func (m *Main) Run(ctx context.Context, args []string) int {
	err := m.dispatch(ctx, args)
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(m.Stderr, "hotline: %s\n", ue.msg)
		return exitUsage
	default:
		fmt.Fprintf(m.Stderr, "hotline: %s\n", userMessage(err))
		return exitFailure
	}
}

func (m *Main) dispatch(ctx context.Context, args []string) error {
	args, err := m.globalOptions(args)
	if err != nil {
		return err
	}
	cmds := commands()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(m.Stdout, usage(cmds))
		if len(args) == 0 {
			return usagef("no command given")
		}
		return nil
	}
	c, ok := cmds[args[0]]
	if !ok {
		return usagef("unknown command %q; run \"hotline help\" for the list", args[0])
	}
	return c.run(m, ctx, args[1:])
}

// globalOptions takes the options that come before the command: --data DIR
// (or --data=DIR), the data folder every command uses, over the config file
// and HOTLINE_DATA.
func (m *Main) globalOptions(args []string) ([]string, error) {
	for len(args) > 0 {
		name, value, hasValue := strings.Cut(args[0], "=")
		if name != "--data" && name != "-data" {
			return args, nil
		}
		if !hasValue {
			if len(args) < 2 {
				return nil, usagef("--data needs a folder: hotline --data DIR COMMAND …")
			}
			value, args = args[1], args[1:]
		}
		if value == "" {
			return nil, usagef("--data needs a folder: hotline --data DIR COMMAND …")
		}
		m.dataDir, args = value, args[1:]
	}
	return args, nil
}

func usage(cmds map[string]command) string {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("Usage: hotline [--data DIR] COMMAND [ARGS]\n\n--data DIR  the data folder, over the config file and HOTLINE_DATA\n\nCommands:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-8s %s\n", n, cmds[n].summary)
	}
	b.WriteString("\nRun \"hotline COMMAND -h\" for a command's options.\n")
	return b.String()
}

func (m *Main) runVersion(_ context.Context, _ []string) error {
	fmt.Fprintf(m.Stdout, "hotline %s\n", Version)
	return nil
}
