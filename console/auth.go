// SPDX-License-Identifier: Apache-2.0

package console

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/hotline-cchc/hotline/tickets"
)

// argon2id parameters (RFC 9106's second recommended option, lighter on
// memory: 64 MiB, 3 passes).
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
	argonSaltLen = 16
)

// Password limits.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
)

// HashPassword returns the PHC-style encoded argon2id hash of password. It
// returns EINVALID for a password of fewer than MinPasswordLen characters or
// more than MaxPasswordLen bytes.
func HashPassword(password string) (string, error) {
	if utf8.RuneCountInString(password) < MinPasswordLen || len(password) > MaxPasswordLen {
		return "", tickets.Errorf(tickets.EINVALID, "a password needs %d to %d characters", MinPasswordLen, MaxPasswordLen)
	}
	salt := make([]byte, argonSaltLen)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches the encoded hash; a hash it
// cannot read matches nothing.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || len(password) > MaxPasswordLen {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > 1<<20 || t > 10 || p == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	key, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(key) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

// NewSecret returns a fresh random secret, for a session cookie or an API
// token, and the hex SHA-256 hash under which the store keeps it.
func NewSecret(prefix string) (secret, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret)
}

// HashSecret returns the hex SHA-256 of a session or token secret.
func HashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// TokenPrefix starts every API token, so that a leaked one is recognisable.
const TokenPrefix = "hlt_"

// Lock-out after repeated failed sign-ins.
const (
	MaxFailedLogins = 5
	LockOutFor      = 15 * time.Minute
)

// Errors of Login. Both are shown to the user as one message, so that a
// guesser learns nothing about which names exist.
var (
	ErrBadLogin = errors.New("console: wrong name or password")
	ErrLocked   = errors.New("console: too many failed sign-ins; the account is locked for a while")
)

// dummyHash is checked against when the user does not exist, so that the
// answer takes as long as for a real user.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("not a real password, only for timing")
	return h
})

// Login checks name and password at now and, if they match an enabled user
// that is not locked out, starts a session of length ttl: it returns the
// user and the session's secret, for the cookie. A wrong password counts
// towards a lock-out. It returns ErrBadLogin, ErrLocked, or a store error.
func Login(ctx context.Context, us tickets.UserStore, name, password string, now time.Time, ttl time.Duration) (*tickets.User, string, error) {
	u, err := us.User(ctx, name)
	if tickets.ErrorCode(err) == tickets.ENOTFOUND {
		CheckPassword(dummyHash(), password)
		return nil, "", ErrBadLogin
	}
	if err != nil {
		return nil, "", err
	}
	if now.Before(u.LockedUntil) {
		return nil, "", ErrLocked
	}
	if !CheckPassword(u.PasswordHash, password) || u.Disabled {
		if _, err := us.LoginFailed(ctx, u.ID, now, MaxFailedLogins, LockOutFor); err != nil {
			return nil, "", err
		}
		return nil, "", ErrBadLogin
	}
	secret, hash := NewSecret("")
	s := tickets.Session{Hash: hash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := us.CreateSession(ctx, s); err != nil {
		return nil, "", err
	}
	return u, secret, nil
}
