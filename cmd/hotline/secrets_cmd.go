// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/secrets"
)

// maxSecretSize bounds what "secrets set" reads from standard input.
const maxSecretSize = 64 << 10

const secretsSynopsis = "hotline secrets set|get|delete NAME"

func secretsHelp() string {
	return `Usage: ` + secretsSynopsis + `

  set NAME      store NAME in the OS keyring (service ` + secrets.Service + `), reading the
                value from standard input (one trailing newline is trimmed):
                  hotline secrets set TELEGRAM_TOKEN < token.txt
  get NAME      print NAME's value and, on standard error, where it was found
  delete NAME   remove NAME from the OS keyring

NAME is one of ` + strings.Join(secrets.Names(), ", ") + ` (any case, '-' for '_').
A secret is looked up in HOTLINE_NAME, then in the file named by HOTLINE_NAME_FILE
(systemd credentials), then in the OS keyring.
`
}

type secretsSubcommand struct {
	run      func(m *Main, name string) error
	synopsis string
}

func secretsSubcommands() map[string]secretsSubcommand {
	return map[string]secretsSubcommand{
		"set":    {(*Main).secretsSet, "hotline secrets set NAME < value-file"},
		"get":    {(*Main).secretsGet, "hotline secrets get NAME"},
		"delete": {(*Main).secretsDelete, "hotline secrets delete NAME"},
	}
}

// runSecrets runs "hotline secrets set|get|delete NAME". Command-line
// arguments are never echoed: a value typed where the name belongs must not
// end up on a terminal or in a log.
func (m *Main) runSecrets(_ context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("secrets needs a subcommand; usage: %s", secretsSynopsis)
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(m.Stdout, secretsHelp())
		return nil
	}
	sub, ok := secretsSubcommands()[args[0]]
	if !ok {
		return usagef("unknown secrets subcommand; usage: %s", secretsSynopsis)
	}
	name, help, err := parseSecretsArgs(args[0], sub.synopsis, args[1:])
	if err != nil || help {
		if help {
			fmt.Fprint(m.Stdout, secretsHelp())
		}
		return err
	}
	return sub.run(m, name)
}

// parseSecretsArgs parses a subcommand's arguments: no flags, one NAME. It
// reports help when -h was given.
func parseSecretsArgs(sub, synopsis string, args []string) (name string, help bool, err error) {
	fs := flag.NewFlagSet("hotline secrets "+sub, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return "", true, nil
	} else if err != nil {
		// flag's message names the flag, never its value.
		return "", false, usagef("secrets %s: %v; usage: %s", sub, err, synopsis)
	}
	if fs.NArg() != 1 {
		return "", false, usagef("secrets %s takes exactly one NAME; usage: %s", sub, synopsis)
	}
	name, err = secrets.Canonical(fs.Arg(0))
	if err != nil {
		return "", false, usagef("secrets %s: %v", sub, err)
	}
	return name, false, nil
}

func (m *Main) secretsSet(name string) error {
	b, err := io.ReadAll(io.LimitReader(m.Stdin, maxSecretSize+1))
	if err != nil {
		return fmt.Errorf("secrets set %s: read standard input: %w", name, err)
	}
	if len(b) > maxSecretSize {
		return fmt.Errorf("secrets set %s: the value on standard input is over %d bytes", name, maxSecretSize)
	}
	if err := m.secretStore().Set(name, string(b)); err != nil {
		if errors.Is(err, secrets.ErrInvalidValue) {
			return fmt.Errorf("%w; the value is read from standard input: hotline secrets set %s < value-file", err, name)
		}
		return err
	}
	fmt.Fprintf(m.Stderr, "stored %s in the OS keyring (service %s)\n", name, secrets.Service)
	m.noteShadowingEnv(name)
	return nil
}

func (m *Main) secretsGet(name string) error {
	v, src, err := m.secretStore().Lookup(name)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, v)
	fmt.Fprintf(m.Stderr, "%s from %s\n", name, m.describeSecretSource(name, src))
	return nil
}

func (m *Main) secretsDelete(name string) error {
	if err := m.secretStore().Delete(name); err != nil {
		return err
	}
	fmt.Fprintf(m.Stderr, "deleted %s from the OS keyring (service %s)\n", name, secrets.Service)
	m.noteShadowingEnv(name)
	return nil
}

// noteShadowingEnv tells the operator when the environment, which wins over
// the keyring, also sets the secret.
func (m *Main) noteShadowingEnv(name string) {
	for _, v := range []string{secrets.EnvVar(name), secrets.FileEnvVar(name)} {
		if m.Getenv != nil && m.Getenv(v) != "" {
			fmt.Fprintf(m.Stderr, "note: %s is set in this environment and takes precedence over the keyring\n", v)
		}
	}
}

// describeSecretSource says where a secret came from, without its value.
func (m *Main) describeSecretSource(name string, src secrets.Source) string {
	switch src {
	case secrets.SourceEnv:
		return "the environment variable " + secrets.EnvVar(name)
	case secrets.SourceFile:
		return fmt.Sprintf("the file %s (%s)", m.Getenv(secrets.FileEnvVar(name)), secrets.FileEnvVar(name))
	default:
		return fmt.Sprintf("the OS keyring (service %s)", secrets.Service)
	}
}
