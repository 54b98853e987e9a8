// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

var _ tickets.UserStore = (*DB)(nil)

const selectUser = `SELECT id, name, role, department, password_hash, disabled, failed_logins, locked_until, created_at, email, head FROM users`

func scanUser(row scanner) (*tickets.User, error) {
	var u tickets.User
	var locked sql.NullString
	var created string
	err := row.Scan(&u.ID, &u.Name, &u.Role, &u.Department, &u.PasswordHash, &u.Disabled, &u.FailedLogins, &locked, &created, &u.Email, &u.Head)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tickets.Errorf(tickets.ENOTFOUND, "there is no such user")
	}
	if err != nil {
		return nil, fmt.Errorf("read user: %w", err)
	}
	if u.LockedUntil, err = parseNullTime(locked); err == nil {
		u.CreatedAt, err = parseTime(created)
	}
	if err != nil {
		return nil, fmt.Errorf("user %s: %w", u.Name, err)
	}
	return &u, nil
}

// CreateUser implements tickets.UserStore.
func (db *DB) CreateUser(ctx context.Context, u *tickets.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO users (name, role, department, password_hash, disabled, created_at, email, head)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, u.Name, u.Role, u.Department, u.PasswordHash, u.Disabled, formatTime(u.CreatedAt), u.Email, u.Head)
		if isUnique(err) {
			return tickets.Errorf(tickets.ECONFLICT, "a user named %q exists", u.Name)
		}
		if err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
		u.ID, err = res.LastInsertId()
		return err
	})
}

// User implements tickets.UserStore.
func (db *DB) User(ctx context.Context, name string) (*tickets.User, error) {
	return scanUser(db.read.QueryRowContext(ctx, selectUser+" WHERE name = ?", name))
}

// Users implements tickets.UserStore.
func (db *DB) Users(ctx context.Context) ([]*tickets.User, error) {
	rows, err := db.read.QueryContext(ctx, selectUser+" ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var us []*tickets.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		us = append(us, u)
	}
	return us, rows.Err()
}

// changeUser runs fn on the id of the user named name in a transaction and
// then ends the user's sessions; ENOTFOUND if no user has that name.
func (db *DB) changeUser(ctx context.Context, name string, fn func(tx *sql.Tx, id int64) error) error {
	return db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE name = ?`, name).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return tickets.Errorf(tickets.ENOTFOUND, "there is no user named %q", name)
		}
		if err != nil {
			return fmt.Errorf("find user: %w", err)
		}
		if err := fn(tx, id); err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		return nil
	})
}

// SetPassword implements tickets.UserStore. A new password ends what the
// old one opened: the user's sessions and API tokens, in the same
// transaction, since whoever knew the old password may hold either.
func (db *DB) SetPassword(ctx context.Context, name, hash string) error {
	return db.changeUser(ctx, name, func(tx *sql.Tx, id int64) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?`, hash, id); err != nil {
			return err
		}
		return revokeTokens(ctx, tx, id)
	})
}

// DisableUser implements tickets.UserStore.
func (db *DB) DisableUser(ctx context.Context, name string) error {
	return db.changeUser(ctx, name, func(tx *sql.Tx, id int64) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = 1 WHERE id = ?`, id); err != nil {
			return err
		}
		return revokeTokens(ctx, tx, id)
	})
}

// revokeTokens revokes the unrevoked API tokens of the user with id.
func revokeTokens(ctx context.Context, tx *sql.Tx, id int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`,
		formatTime(time.Now()), id)
	return err
}

// LoginFailed implements tickets.UserStore.
func (db *DB) LoginFailed(ctx context.Context, userID int64, now time.Time, limit int, lockFor time.Duration) (time.Time, error) {
	var until time.Time
	err := db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var n int
		err := tx.QueryRowContext(ctx, `UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins`, userID).Scan(&n)
		if err != nil {
			return fmt.Errorf("count failed login: %w", err)
		}
		if n < limit {
			return nil
		}
		until = now.Add(lockFor)
		_, err = tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ?`, formatTime(until), userID)
		return err
	})
	return until, err
}

// CreateSession implements tickets.UserStore.
func (db *DB) CreateSession(ctx context.Context, s tickets.Session) error {
	return db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			s.Hash, s.UserID, formatTime(s.CreatedAt), formatTime(s.ExpiresAt)); err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		// Expired sessions of the user go as a new one begins.
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND expires_at < ?`, s.UserID, formatTime(s.CreatedAt)); err != nil {
			return fmt.Errorf("delete expired sessions: %w", err)
		}
		_, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?`, s.UserID)
		return err
	})
}

// SessionUser implements tickets.UserStore.
func (db *DB) SessionUser(ctx context.Context, hash string, now time.Time) (*tickets.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, `SELECT u.id, u.name, u.role, u.department, u.password_hash, u.disabled,
		u.failed_logins, u.locked_until, u.created_at, u.email, u.head FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.hash = ? AND s.expires_at > ? AND u.disabled = 0`, hash, formatTime(now)))
	if tickets.ErrorCode(err) == tickets.ENOTFOUND {
		return nil, tickets.Errorf(tickets.ENOTFOUND, "no such session")
	}
	return u, err
}

// DeleteSession implements tickets.UserStore.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	return db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE hash = ?`, hash)
		return err
	})
}

// CreateToken implements tickets.UserStore.
func (db *DB) CreateToken(ctx context.Context, userID int64, hash string, now time.Time) error {
	return db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (user_id, hash, created_at) VALUES (?, ?, ?)`, userID, hash, formatTime(now))
		if err != nil {
			return fmt.Errorf("insert token: %w", err)
		}
		return nil
	})
}

// RevokeTokens implements tickets.UserStore.
func (db *DB) RevokeTokens(ctx context.Context, name string, now time.Time) error {
	return db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ?
			WHERE revoked_at IS NULL AND user_id = (SELECT id FROM users WHERE name = ?)`, formatTime(now), name)
		if err != nil {
			return fmt.Errorf("revoke tokens: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var id int64
			if err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE name = ?`, name).Scan(&id); errors.Is(err, sql.ErrNoRows) {
				return tickets.Errorf(tickets.ENOTFOUND, "there is no user named %q", name)
			}
		}
		return nil
	})
}

// TokenUser implements tickets.UserStore.
func (db *DB) TokenUser(ctx context.Context, hash string) (*tickets.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, `SELECT u.id, u.name, u.role, u.department, u.password_hash, u.disabled,
		u.failed_logins, u.locked_until, u.created_at, u.email, u.head FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.hash = ? AND t.revoked_at IS NULL AND u.disabled = 0`, hash))
	if tickets.ErrorCode(err) == tickets.ENOTFOUND {
		return nil, tickets.Errorf(tickets.ENOTFOUND, "no such token")
	}
	return u, err
}

// Audit implements tickets.UserStore.
func (db *DB) Audit(ctx context.Context, e tickets.AuditEntry) error {
	return db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO audit (at, actor, action, ticket_code) VALUES (?, ?, ?, ?)`,
			formatTime(e.At), e.Actor, e.Action, e.Ticket)
		if err != nil {
			return fmt.Errorf("insert audit: %w", err)
		}
		return nil
	})
}

// AuditLog implements tickets.UserStore.
func (db *DB) AuditLog(ctx context.Context, code tickets.Code) ([]tickets.AuditEntry, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT at, actor, action, ticket_code FROM audit WHERE ticket_code = ? ORDER BY id`, code)
	if err != nil {
		return nil, fmt.Errorf("read audit: %w", err)
	}
	defer rows.Close()
	var es []tickets.AuditEntry
	for rows.Next() {
		var e tickets.AuditEntry
		var at string
		if err := rows.Scan(&at, &e.Actor, &e.Action, &e.Ticket); err != nil {
			return nil, fmt.Errorf("read audit: %w", err)
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("read audit: %w", err)
		}
		es = append(es, e)
	}
	return es, rows.Err()
}

// SetUserContact sets the user's e-mail address ("" for none) and whether
// they head their department; ENOTFOUND for an unknown user, EINVALID for a
// bad address or a head who is not a department's user. The user's
// sessions go on: neither changes what they may do.
func (db *DB) SetUserContact(ctx context.Context, name, email string, head bool) error {
	if err := tickets.ValidEmail(email); err != nil {
		return err
	}
	return db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var role string
		err := tx.QueryRowContext(ctx, `SELECT role FROM users WHERE name = ?`, name).Scan(&role)
		if errors.Is(err, sql.ErrNoRows) {
			return tickets.Errorf(tickets.ENOTFOUND, "there is no user named %q", name)
		}
		if err != nil {
			return fmt.Errorf("find user: %w", err)
		}
		if head && tickets.Role(role) != tickets.RoleFocal {
			return tickets.Errorf(tickets.EINVALID, "only a department's user (role focal) can be its head; %q is %s", name, role)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET email = ?, head = ? WHERE name = ?`, email, head, name); err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		return nil
	})
}
