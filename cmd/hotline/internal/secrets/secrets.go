// SPDX-License-Identifier: Apache-2.0

// Package secrets finds the hotline's secrets — the ARI password, the Telegram
// bot token and the Telegram webhook secret — in the environment, in files
// named by the environment (systemd credentials) or in the OS keyring, and
// stores them in the keyring. It never puts a value in an error message.
//
// It imports only the standard library; the OS keyring is reached through the
// Keyring interface, which cmd/hotline adapts to zalando/go-keyring.
package secrets

import (
	"errors"
	"fmt"
	"strings"
)

// The names of the secrets hotline knows. A name in the environment is
// prefixed with HOTLINE_ (HOTLINE_ARI_PASSWORD); in the keyring it is the user
// under the service Service.
const (
	ARIPassword           = "ARI_PASSWORD"
	TelegramToken         = "TELEGRAM_TOKEN"
	TelegramWebhookSecret = "TELEGRAM_WEBHOOK_SECRET"
	MailPassword          = "MAIL_PASSWORD"
	// ZaloAppSecret is the Zalo app's secret key (token requests, webhook signatures).
	ZaloAppSecret = "ZALO_APP_SECRET"
	// ZaloOASecretKey is the OA secret key that signs webhook events.
	ZaloOASecretKey = "ZALO_OA_SECRET_KEY"
	// ZaloRefreshToken is the first refresh token; later ones live in the database.
	ZaloRefreshToken = "ZALO_REFRESH_TOKEN"
)

// Service is the keyring service under which every secret is stored.
const Service = "hotline"

// Names returns the canonical names of all known secrets, in a fixed order.
func Names() []string {
	return []string{ARIPassword, TelegramToken, TelegramWebhookSecret, MailPassword, ZaloAppSecret, ZaloOASecretKey, ZaloRefreshToken}
}

var (
	// ErrUnknownName is wrapped by the error for a name that is not one of
	// Names().
	ErrUnknownName = errors.New("unknown secret")

	// ErrNotFound is returned by a Keyring when it holds no secret for the
	// service and user. Adapters map their own not-found error to it.
	ErrNotFound = errors.New("secret not found")

	// ErrUnavailable is wrapped by a Keyring's error when the keyring cannot be
	// reached at all (no D-Bus session, no Secret Service running), as opposed
	// to not holding the secret.
	ErrUnavailable = errors.New("the OS keyring is unavailable")

	// ErrNotSet is matched (errors.Is) by Lookup's error when a secret is in
	// none of the environment, a file or the keyring.
	ErrNotSet = errors.New("secret is not set")

	// ErrInvalidValue is wrapped by Set's error for a value that cannot be a
	// secret: empty, blank, with a NUL byte or with more than one line.
	ErrInvalidValue = errors.New("invalid secret value")
)

// Keyring is the OS keyring, in the shape of zalando/go-keyring. Get and
// Delete return an error matching ErrNotFound when there is no such secret;
// any method returns an error matching ErrUnavailable when the keyring cannot
// be reached.
type Keyring interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

// Canonical returns the canonical form of a secret name: upper case, with '-'
// read as '_' ("ari-password" is ARI_PASSWORD). A name that is not one of
// Names() is an error wrapping ErrUnknownName that lists the known names.
func Canonical(name string) (string, error) {
	c := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(name), "-", "_"))
	for _, n := range Names() {
		if c == n {
			return c, nil
		}
	}
	return "", fmt.Errorf("%w %s; known secrets: %s", ErrUnknownName, quoteName(name), strings.Join(Names(), ", "))
}

// quoteName quotes a mistyped name for an error message unless it does not
// look like a name at all: an operator who types the value where the name
// belongs must not see it echoed into a terminal log.
func quoteName(name string) string {
	if len(name) == 0 || len(name) > 40 {
		return "name"
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || r == '-') {
			return "name"
		}
	}
	return fmt.Sprintf("%q", name)
}

// EnvVar returns the environment variable that holds the secret name
// (canonical): HOTLINE_ARI_PASSWORD.
func EnvVar(name string) string { return "HOTLINE_" + name }

// FileEnvVar returns the environment variable that names a file holding the
// secret name (canonical): HOTLINE_ARI_PASSWORD_FILE.
func FileEnvVar(name string) string { return EnvVar(name) + "_FILE" }

// Source says where Lookup found a secret. It is safe to log; the value
// never is.
type Source int

// The places a secret is looked up, in order.
const (
	SourceEnv Source = iota + 1
	SourceFile
	SourceKeyring
)

// String returns "env", "file" or "keyring".
func (s Source) String() string {
	switch s {
	case SourceEnv:
		return "env"
	case SourceFile:
		return "file"
	case SourceKeyring:
		return "keyring"
	}
	return fmt.Sprintf("Source(%d)", int(s))
}
