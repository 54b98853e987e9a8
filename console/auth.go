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

// HashPassword returns the PHC-style encoded argon2id hash of password. It
// returns CheckNewPassword's EINVALID for a password that may not be set.
func HashPassword(password string) (string, error) {
	if err := CheckNewPassword(password); err != nil {
		return "", err
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

// ErrBadLogin is the one answer to a wrong name, a wrong password and a
// disabled user, so that a guesser learns nothing about which names exist.
var ErrBadLogin = errors.New("console: wrong name or password")

// dummyHash is checked against when the user does not exist, so that the
// answer takes as long as for a real user.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("not a real password, only for timing")
	return h
})

// Login checks name and password at now and, if they match an enabled
// user, starts a session of length ttl: it returns the user and the
// session's secret, for the cookie. An unknown or malformed name costs the
// same password check as a known one. Login does not throttle: the caller
// admits the attempt first (the console's sign-in guard). It returns
// ErrBadLogin or a store error.
func Login(ctx context.Context, us tickets.UserStore, name, password string, now time.Time, ttl time.Duration) (*tickets.User, string, error) {
	u, err := FindUser(ctx, us, name)
	if tickets.ErrorCode(err) == tickets.ENOTFOUND || tickets.ErrorCode(err) == tickets.EINVALID {
		CheckPassword(dummyHash(), password)
		return nil, "", ErrBadLogin
	}
	if err != nil {
		return nil, "", err
	}
	if !CheckPassword(u.PasswordHash, password) || u.Disabled {
		return nil, "", ErrBadLogin
	}
	secret, hash := NewSecret("")
	s := tickets.Session{Hash: hash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := us.CreateSession(ctx, s); err != nil {
		return nil, "", err
	}
	return u, secret, nil
}

// FindUser returns the user whose name, normalised (NormalizeName), is
// name's. Users added before names were normalised keep their stored name;
// they are found by a scan of all users when the direct look-up misses. It
// returns NormalizeName's EINVALID or ENOTFOUND.
func FindUser(ctx context.Context, us tickets.UserStore, name string) (*tickets.User, error) {
	key, err := NormalizeName(name)
	if err != nil {
		return nil, err
	}
	u, err := us.User(ctx, key)
	if tickets.ErrorCode(err) != tickets.ENOTFOUND {
		return u, err
	}
	all, lerr := us.Users(ctx)
	if lerr != nil {
		return nil, lerr
	}
	for _, u := range all {
		if nameKey(u.Name) == key {
			return u, nil
		}
	}
	return nil, err
}
