// SPDX-License-Identifier: Apache-2.0

package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/secrets"
)

// Keyring is the OS keyring as Main sees it; see secrets.Keyring.
type Keyring = secrets.Keyring

// osKeyring is the OS keyring through zalando/go-keyring: on Linux the Secret
// Service (gnome-keyring, KeePassXC) on the D-Bus session bus. Its errors
// match secrets.ErrNotFound when the item is missing and secrets.ErrUnavailable
// when the keyring cannot be used at all.
type osKeyring struct{}

// keyringTimeout bounds one keyring call: a locked keyring on a machine
// without a desktop waits for a prompt nobody can answer.
const keyringTimeout = time.Minute

func (osKeyring) Get(service, user string) (string, error) {
	var v string
	err := withKeyringTimeout(func() error {
		var err error
		v, err = keyring.Get(service, user)
		return err
	})
	return v, err
}

func (osKeyring) Set(service, user, password string) error {
	return withKeyringTimeout(func() error { return keyring.Set(service, user, password) })
}

func (osKeyring) Delete(service, user string) error {
	return withKeyringTimeout(func() error { return keyring.Delete(service, user) })
}

// sessionBus reports whether a D-Bus session bus is there to ask. Without
// one, the D-Bus library would autolaunch a bus (and with it a keyring
// daemon) that outlives hotline: a server without a desktop session gets
// "unavailable" instead.
func sessionBus() bool {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return true
	}
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		return false
	}
	_, err := os.Stat(filepath.Join(dir, "bus"))
	return err == nil
}

// withKeyringTimeout runs f, maps its error for package secrets and gives up
// after keyringTimeout; f then finishes (or not) in the background.
func withKeyringTimeout(f func() error) error {
	if !sessionBus() {
		return fmt.Errorf("%w: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)", secrets.ErrUnavailable)
	}
	done := make(chan error, 1)
	go func() { done <- f() }()
	t := time.NewTimer(keyringTimeout)
	defer t.Stop()
	select {
	case err := <-done:
		return keyringError(err)
	case <-t.C:
		return fmt.Errorf("%w: no answer from the Secret Service in %v (is the keyring locked?)", secrets.ErrUnavailable, keyringTimeout)
	}
}

// keyringError maps go-keyring's errors to package secrets' contract. The
// errors come from D-Bus and never contain the secret.
func keyringError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return secrets.ErrNotFound
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return err
	default:
		return fmt.Errorf("%w: %v", secrets.ErrUnavailable, err)
	}
}

// secretStore returns the secrets as this Main sees them: its environment,
// the files that environment names, and its keyring.
func (m *Main) secretStore() *secrets.Store {
	return &secrets.Store{Getenv: m.Getenv, ReadFile: os.ReadFile, Keyring: m.Keyring}
}
