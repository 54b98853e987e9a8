// SPDX-License-Identifier: Apache-2.0

// Package secretstest provides an in-memory secrets.Keyring for tests of the
// secrets package and of the commands that use it. It imports only the
// standard library and secrets.
package secretstest

import (
	"fmt"
	"sync"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/secrets"
)

// Keyring is an in-memory secrets.Keyring, safe for concurrent use. The zero
// value is an empty, available keyring.
type Keyring struct {
	mu    sync.Mutex
	items map[[2]string]string
	// Unavailable makes every method fail with an error matching
	// secrets.ErrUnavailable, as the OS keyring does without a Secret Service.
	Unavailable bool
}

// NewKeyring returns a keyring holding the given secrets, keyed by user,
// under the service secrets.Service.
func NewKeyring(users map[string]string) *Keyring {
	k := &Keyring{}
	for user, v := range users {
		_ = k.Set(secrets.Service, user, v)
	}
	return k
}

var errUnavailable = fmt.Errorf("%w: fake keyring switched off", secrets.ErrUnavailable)

// Get returns the secret, secrets.ErrNotFound if there is none.
func (k *Keyring) Get(service, user string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.Unavailable {
		return "", errUnavailable
	}
	v, ok := k.items[[2]string{service, user}]
	if !ok {
		return "", secrets.ErrNotFound
	}
	return v, nil
}

// Set stores the secret, replacing any previous one.
func (k *Keyring) Set(service, user, password string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.Unavailable {
		return errUnavailable
	}
	if k.items == nil {
		k.items = make(map[[2]string]string)
	}
	k.items[[2]string{service, user}] = password
	return nil
}

// Delete removes the secret, secrets.ErrNotFound if there is none.
func (k *Keyring) Delete(service, user string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.Unavailable {
		return errUnavailable
	}
	key := [2]string{service, user}
	if _, ok := k.items[key]; !ok {
		return secrets.ErrNotFound
	}
	delete(k.items, key)
	return nil
}

// Len returns the number of secrets held.
func (k *Keyring) Len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.items)
}
