// SPDX-License-Identifier: Apache-2.0

package tickets

import (
	"context"
	"strings"
	"time"
)

// Role is what a console user may do.
type Role string

// The roles.
const (
	// RoleAdmin sees and changes every ticket and manages users.
	RoleAdmin Role = "admin"
	// RoleManager (lãnh đạo) reads every department's tickets and the reports.
	RoleManager Role = "manager"
	// RoleFocal (cán bộ đầu mối) works the tickets of one department.
	RoleFocal Role = "focal"
	// RoleOperator (tổng đài viên) files tickets from calls and sees new ones.
	RoleOperator Role = "operator"
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleManager, RoleFocal, RoleOperator}

var roleNames = map[Role]string{
	RoleAdmin:    "Quản trị",
	RoleManager:  "Lãnh đạo",
	RoleFocal:    "Cán bộ đầu mối",
	RoleOperator: "Tổng đài viên",
}

// Vietnamese returns the role's name as shown to staff.
func (r Role) Vietnamese() string {
	if n, ok := roleNames[r]; ok {
		return n
	}
	return string(r)
}

// ParseRole returns the role named s; EINVALID if there is none.
func ParseRole(s string) (Role, error) {
	if _, ok := roleNames[Role(s)]; ok {
		return Role(s), nil
	}
	return "", Errorf(EINVALID, "unknown role %q (want admin, manager, focal or operator)", s)
}

// User is a person who signs in to the console or calls the API.
type User struct {
	ID   int64
	Name string
	Role Role
	// Department is the department a focal point works for; empty for the
	// other roles.
	Department string
	// PasswordHash is the encoded password hash (argon2id); the store never
	// sees a password.
	PasswordHash string
	Disabled     bool
	// FailedLogins counts the failed sign-ins since the last success.
	FailedLogins int
	// LockedUntil is when a lock-out after repeated failures ends; zero if
	// the user is not locked out.
	LockedUntil time.Time
	CreatedAt   time.Time
	// Email is where reminders and reports are mailed; empty: none.
	Email string
	// Head marks a focal point as the head of their department, told of
	// its overdue tickets rather than reminded before the deadline.
	Head bool
}

// Validate checks that the user's role and department go together: a focal
// point needs a department, the other roles have none. It returns EINVALID.
func (u *User) Validate() error {
	if _, err := ParseRole(string(u.Role)); err != nil {
		return err
	}
	if u.Name == "" || len(u.Name) > 64 {
		return Errorf(EINVALID, "a user name needs 1 to 64 characters")
	}
	switch {
	case u.Role == RoleFocal && u.Department == "":
		return Errorf(EINVALID, "a focal point needs a department")
	case u.Role != RoleFocal && u.Department != "":
		return Errorf(EINVALID, "only a focal point has a department")
	case u.Head && u.Role != RoleFocal:
		return Errorf(EINVALID, "only a department's user (role focal) can be its head")
	}
	return ValidEmail(u.Email)
}

// ValidEmail checks that s is empty or a plain address such as
// "ten@tinh.gov.vn": one @, no spaces or angle brackets; EINVALID.
func ValidEmail(s string) error {
	if s == "" {
		return nil
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") ||
		strings.ContainsAny(s, " \t\r\n<>,;\"()[]") || strings.Contains(domain, "@") || len(s) > 254 {
		return Errorf(EINVALID, "%q is not an e-mail address such as ten@tinh.gov.vn", s)
	}
	return nil
}

// Session is a signed-in console user. The store keeps only the hash of the
// session's secret, which lives in the browser's cookie.
type Session struct {
	Hash      string // hex SHA-256 of the cookie's value
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

// AuditEntry records that a user saw a citizen's personal data: a phone
// number, a call recording or a file the citizen sent.
type AuditEntry struct {
	At     time.Time
	Actor  string // the user's name
	Action string // AuditViewContact, AuditViewLocation, AuditPlayRecording, AuditOpenAttachment
	Ticket Code
}

// Audit actions.
const (
	AuditViewContact    = "view_contact"
	AuditViewLocation   = "view_location" // an exact place the citizen sent
	AuditPlayRecording  = "play_recording"
	AuditOpenAttachment = "open_attachment"
)

// UserStore keeps console users, their sessions and API tokens, and the
// audit of personal data views. Secrets are stored only as hashes.
type UserStore interface {
	// CreateUser stores u and sets u.ID; ECONFLICT if the name is taken.
	CreateUser(ctx context.Context, u *User) error
	// User returns the user with name; ENOTFOUND if there is none.
	User(ctx context.Context, name string) (*User, error)
	// Users returns every user, by name.
	Users(ctx context.Context) ([]*User, error)
	// SetPassword replaces the user's password hash, clears a lock-out and
	// ends the user's sessions and API tokens; ENOTFOUND for an unknown user.
	SetPassword(ctx context.Context, name, hash string) error
	// DisableUser disables the user and ends their sessions and tokens;
	// ENOTFOUND for an unknown user.
	DisableUser(ctx context.Context, name string) error
	// LoginFailed counts a failed sign-in of the user at now and, when the
	// count reaches limit, locks the user out until now+lockFor and resets
	// the count. It returns the lock-out's end, zero if none began.
	LoginFailed(ctx context.Context, userID int64, now time.Time, limit int, lockFor time.Duration) (time.Time, error)
	// CreateSession stores s for a successful sign-in and clears the user's
	// failure count.
	CreateSession(ctx context.Context, s Session) error
	// SessionUser returns the enabled user of the unexpired session with
	// hash at now; ENOTFOUND otherwise.
	SessionUser(ctx context.Context, hash string, now time.Time) (*User, error)
	// DeleteSession ends the session with hash; no error if there is none.
	DeleteSession(ctx context.Context, hash string) error
	// CreateToken stores the hash of a new API token of the user.
	CreateToken(ctx context.Context, userID int64, hash string, now time.Time) error
	// RevokeTokens revokes every API token of the user; ENOTFOUND for an
	// unknown user.
	RevokeTokens(ctx context.Context, name string, now time.Time) error
	// TokenUser returns the enabled user of the unrevoked token with hash;
	// ENOTFOUND otherwise.
	TokenUser(ctx context.Context, hash string) (*User, error)
	// Audit appends e to the audit log.
	Audit(ctx context.Context, e AuditEntry) error
	// AuditLog returns the audit entries of the ticket, oldest first.
	AuditLog(ctx context.Context, code Code) ([]AuditEntry, error)
}
