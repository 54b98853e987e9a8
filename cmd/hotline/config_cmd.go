// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"fmt"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
	"github.com/hotline-cchc/hotline/cmd/hotline/internal/secrets"
)

// unknownVariables returns the HOTLINE_* variables of the environment that
// are neither a setting nor a secret.
func (m *Main) unknownVariables(cfg *config.Config) []config.Problem {
	if m.Environ == nil {
		return nil
	}
	var known []string
	for _, n := range secrets.Names() {
		known = append(known, secrets.EnvVar(n), secrets.FileEnvVar(n))
	}
	return config.UnknownVariables(cfg, m.Environ(), known...)
}

const configSynopsis = "hotline config check|print [--config FILE]"

// runConfig runs "hotline config check" (every problem, with file and line,
// exit 1 if any) and "hotline config print" (the effective configuration as
// TOML; secrets are never part of it).
func (m *Main) runConfig(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("config needs a subcommand; usage: %s", configSynopsis)
	}
	sub := args[0]
	if sub != "check" && sub != "print" {
		if sub == "-h" || sub == "--help" || sub == "help" {
			fmt.Fprintf(m.Stdout, "Usage: %s\n", configSynopsis)
			return nil
		}
		return usagef("unknown config subcommand %q; usage: %s", sub, configSynopsis)
	}
	fs := newFlagSet("hotline config "+sub, configSynopsis, m.Stderr)
	path := fs.String("config", "", "config file (default: $HOTLINE_CONFIG, else the embedded default)")
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return handled(err)
	}
	if len(pos) > 0 {
		return usagef("config %s takes no arguments; usage: %s", sub, configSynopsis)
	}
	cfg, err := m.loadConfig(*path)
	if err != nil {
		return err
	}
	if sub == "print" {
		fmt.Fprintf(m.Stdout, "# database: %s\n", databaseState(ctx, cfg))
		return config.Print(m.Stdout, cfg)
	}
	for _, p := range m.unknownVariables(cfg) {
		fmt.Fprintf(m.Stdout, "warning: %s\n", p)
	}
	fmt.Fprintf(m.Stdout, "%s: ok (%d branches, %d departments, %d holidays)\n",
		cfg.Path(), len(cfg.Branches), len(cfg.Departments), len(cfg.Holidays))
	return nil
}
