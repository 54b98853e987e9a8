// SPDX-License-Identifier: Apache-2.0

package main

import (
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"sync"
	"time"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
)

// tlsListener returns ln serving TLS with the certificate and key files of c,
// or ln itself when c names none. The files are read now, so that a bad pair
// stops serve before it listens, and read again at a handshake after either
// changed, so that a renewed certificate needs no restart.
func tlsListener(ln net.Listener, c config.TLS) (net.Listener, error) {
	if c.CertFile == "" {
		return ln, nil
	}
	kp := &keyPair{cert: c.CertFile, key: c.KeyFile}
	if _, err := kp.get(nil); err != nil {
		return nil, err
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: kp.get, NextProtos: []string{"http/1.1"}}
	return tls.NewListener(ln, cfg), nil
}

// keyPair is a certificate and key read from files, read again when either
// file's modification time changes.
type keyPair struct {
	cert, key string

	mu       sync.Mutex
	loaded   *tls.Certificate
	modTimes [2]time.Time
}

func (k *keyPair) get(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	var mod [2]time.Time
	for i, f := range []string{k.cert, k.key} {
		st, err := os.Stat(f)
		if err != nil {
			return nil, fmt.Errorf("tls: %w", err)
		}
		mod[i] = st.ModTime()
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.loaded != nil && mod == k.modTimes {
		return k.loaded, nil
	}
	c, err := tls.LoadX509KeyPair(k.cert, k.key)
	if err != nil {
		if k.loaded != nil {
			return k.loaded, nil // a renewal half written: keep serving the old pair
		}
		return nil, fmt.Errorf("tls: tls.cert_file %s and tls.key_file %s: %w", k.cert, k.key, err)
	}
	k.loaded, k.modTimes = &c, mod
	return k.loaded, nil
}
