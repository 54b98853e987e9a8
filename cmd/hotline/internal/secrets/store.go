// SPDX-License-Identifier: Apache-2.0

package secrets

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// Store looks secrets up in the environment, in files and in the keyring, and
// stores them in the keyring.
type Store struct {
	// Getenv reads the environment; nil reads an empty environment.
	Getenv func(string) string
	// ReadFile reads a file named by HOTLINE_<NAME>_FILE; nil means os.ReadFile.
	ReadFile func(string) ([]byte, error)
	// Keyring is the OS keyring; nil behaves as an unavailable keyring.
	Keyring Keyring
}

// Lookup returns the secret name (in any case, '-' for '_') and where it was
// found. The order is: the environment variable HOTLINE_<NAME>, the file named
// by HOTLINE_<NAME>_FILE (one trailing newline trimmed), the keyring (service
// Service, user the canonical name).
//
// Errors: ErrUnknownName for a name not in Names(); an error naming the
// variable and the file when that file is unreadable or empty; ErrNotSet when
// the secret is nowhere, with a message naming the three ways to set it;
// ErrUnavailable when the environment has nothing and the keyring cannot be
// reached. No error contains the value.
func (s *Store) Lookup(name string) (value string, source Source, err error) {
	name, err = Canonical(name)
	if err != nil {
		return "", 0, err
	}
	if v := s.getenv(EnvVar(name)); v != "" {
		return v, SourceEnv, nil
	}
	if path := s.getenv(FileEnvVar(name)); path != "" {
		v, err := s.readFile(name, path)
		if err != nil {
			return "", 0, err
		}
		return v, SourceFile, nil
	}
	v, err := s.keyring().Get(Service, name)
	switch {
	case err == nil:
		return v, SourceKeyring, nil
	case errors.Is(err, ErrNotFound):
		return "", 0, notSetError{name}
	case errors.Is(err, ErrUnavailable):
		return "", 0, fmt.Errorf("secret %s is not in the environment and %w; set %s, point %s at a file (systemd: LoadCredential), or run \"hotline secrets set %s\" where a keyring is reachable (a desktop session or dbus-run-session)",
			name, err, EnvVar(name), FileEnvVar(name), name)
	default:
		return "", 0, fmt.Errorf("look up secret %s in the OS keyring: %w", name, err)
	}
}

func (s *Store) readFile(name, path string) (string, error) {
	read := s.ReadFile
	if read == nil {
		read = os.ReadFile
	}
	b, err := read(path)
	if err != nil {
		// os.ReadFile's error names the path and the cause, never the content.
		return "", fmt.Errorf("secret %s: read the file named by %s: %w", name, FileEnvVar(name), err)
	}
	v := trimNewline(string(b))
	if strings.TrimSpace(v) == "" {
		return "", fmt.Errorf("secret %s: the file %s named by %s is empty", name, path, FileEnvVar(name))
	}
	return v, nil
}

// Set stores value as the secret name in the keyring, after trimming one
// trailing newline (so that `echo token | hotline secrets set …` works).
//
// Errors: ErrUnknownName for a name not in Names(); ErrInvalidValue for a value
// that is empty or blank, contains a NUL byte or has more than one line; the
// keyring's error (ErrUnavailable among them), wrapped. No error contains the
// value.
func (s *Store) Set(name, value string) error {
	name, err := Canonical(name)
	if err != nil {
		return err
	}
	value = trimNewline(value)
	switch {
	case strings.TrimSpace(value) == "":
		return fmt.Errorf("%w for %s: it is empty", ErrInvalidValue, name)
	case strings.ContainsRune(value, 0):
		return fmt.Errorf("%w for %s: it contains a NUL byte", ErrInvalidValue, name)
	case strings.ContainsAny(value, "\r\n"):
		return fmt.Errorf("%w for %s: it has more than one line", ErrInvalidValue, name)
	}
	if err := s.keyring().Set(Service, name, value); err != nil {
		return fmt.Errorf("store secret %s in the OS keyring: %w", name, err)
	}
	return nil
}

// Delete removes the secret name from the keyring. It does not touch the
// environment or files.
//
// Errors: ErrUnknownName for a name not in Names(); ErrNotFound when the
// keyring does not hold it; the keyring's error (ErrUnavailable among them),
// wrapped.
func (s *Store) Delete(name string) error {
	name, err := Canonical(name)
	if err != nil {
		return err
	}
	if err := s.keyring().Delete(Service, name); err != nil {
		return fmt.Errorf("delete secret %s from the OS keyring (service %s): %w", name, Service, err)
	}
	return nil
}

func (s *Store) getenv(key string) string {
	if s.Getenv == nil {
		return ""
	}
	return s.Getenv(key)
}

func (s *Store) keyring() Keyring {
	if s.Keyring == nil {
		return noKeyring{}
	}
	return s.Keyring
}

// noKeyring stands for a Store without a keyring.
type noKeyring struct{}

var errNoKeyring = fmt.Errorf("%w: no keyring configured", ErrUnavailable)

func (noKeyring) Get(string, string) (string, error) { return "", errNoKeyring }
func (noKeyring) Set(string, string, string) error   { return errNoKeyring }
func (noKeyring) Delete(string, string) error        { return errNoKeyring }

// notSetError is Lookup's error when a secret is nowhere.
type notSetError struct{ name string }

func (e notSetError) Error() string {
	return fmt.Sprintf("secret %s is not set: set %s, point %s at a file, or run \"hotline secrets set %s\"",
		e.name, EnvVar(e.name), FileEnvVar(e.name), e.name)
}

func (e notSetError) Is(target error) bool { return target == ErrNotSet }

// trimNewline removes one trailing "\n" or "\r\n".
func trimNewline(s string) string {
	s, ok := strings.CutSuffix(s, "\n")
	if ok {
		s = strings.TrimSuffix(s, "\r")
	}
	return s
}
