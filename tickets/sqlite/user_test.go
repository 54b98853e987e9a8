// SPDX-License-Identifier: Apache-2.0

package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

func TestUsers(t *testing.T) {
	ctx := context.Background()
	db := ticketstest.Open(t)
	now := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		user tickets.User
		want string // error code
	}{
		{"OKFocal", tickets.User{Name: "lan", Role: tickets.RoleFocal, Department: "so-noi-vu", PasswordHash: "h"}, ""},
		{"OKManager", tickets.User{Name: "minh", Role: tickets.RoleManager, PasswordHash: "h"}, ""},
		{"ErrTaken", tickets.User{Name: "lan", Role: tickets.RoleOperator, PasswordHash: "h"}, tickets.ECONFLICT},
		{"ErrFocalWithoutDepartment", tickets.User{Name: "x", Role: tickets.RoleFocal, PasswordHash: "h"}, tickets.EINVALID},
		{"ErrManagerWithDepartment", tickets.User{Name: "y", Role: tickets.RoleManager, Department: "so-noi-vu"}, tickets.EINVALID},
		{"ErrRole", tickets.User{Name: "z", Role: "boss"}, tickets.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := tt.user
			u.CreatedAt = now
			if got := tickets.ErrorCode(db.CreateUser(ctx, &u)); got != tt.want {
				t.Fatalf("CreateUser: code %q, want %q", got, tt.want)
			}
			if tt.want != "" {
				return
			}
			got, err := db.User(ctx, u.Name)
			if err != nil || got.ID != u.ID || got.Role != u.Role || got.Department != u.Department || !got.CreatedAt.Equal(now) {
				t.Errorf("User = %+v, %v; want %+v", got, err, u)
			}
		})
	}
	us, err := db.Users(ctx)
	if err != nil || len(us) != 2 || us[0].Name != "lan" || us[1].Name != "minh" {
		t.Errorf("Users = %v, %v", us, err)
	}
	if _, err := db.User(ctx, "nobody"); tickets.ErrorCode(err) != tickets.ENOTFOUND {
		t.Errorf("User(nobody) = %v, want ENOTFOUND", err)
	}
}

func TestSessionsAndTokens(t *testing.T) {
	ctx := context.Background()
	db := ticketstest.Open(t)
	now := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	u := &tickets.User{Name: "lan", Role: tickets.RoleFocal, Department: "so-noi-vu", PasswordHash: "h", CreatedAt: now}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateSession(ctx, tickets.Session{Hash: "s1", UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateToken(ctx, u.ID, "t1", now); err != nil {
		t.Fatal(err)
	}
	check := func(name string, err error, want string) {
		t.Helper()
		if got := tickets.ErrorCode(err); got != want {
			t.Errorf("%s: code %q, want %q (%v)", name, got, want, err)
		}
	}
	_, err := db.SessionUser(ctx, "s1", now.Add(time.Minute))
	check("OKSession", err, "")
	_, err = db.SessionUser(ctx, "s1", now.Add(2*time.Hour))
	check("ErrSessionExpired", err, tickets.ENOTFOUND)
	_, err = db.SessionUser(ctx, "s2", now)
	check("ErrSessionUnknown", err, tickets.ENOTFOUND)
	_, err = db.TokenUser(ctx, "t1")
	check("OKToken", err, "")

	check("OKRevoke", db.RevokeTokens(ctx, "lan", now), "")
	_, err = db.TokenUser(ctx, "t1")
	check("ErrTokenRevoked", err, tickets.ENOTFOUND)
	check("ErrRevokeUnknownUser", db.RevokeTokens(ctx, "nobody", now), tickets.ENOTFOUND)

	db.CreateToken(ctx, u.ID, "t1b", now)
	check("OKSetPassword", db.SetPassword(ctx, "lan", "h2"), "")
	_, err = db.SessionUser(ctx, "s1", now)
	check("ErrSessionEndedByNewPassword", err, tickets.ENOTFOUND)
	_, err = db.TokenUser(ctx, "t1b")
	check("ErrTokenRevokedByNewPassword", err, tickets.ENOTFOUND)

	db.CreateSession(ctx, tickets.Session{Hash: "s3", UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)})
	db.CreateToken(ctx, u.ID, "t2", now)
	check("OKDisable", db.DisableUser(ctx, "lan"), "")
	_, err = db.SessionUser(ctx, "s3", now)
	check("ErrSessionOfDisabled", err, tickets.ENOTFOUND)
	_, err = db.TokenUser(ctx, "t2")
	check("ErrTokenOfDisabled", err, tickets.ENOTFOUND)
	check("ErrDisableUnknown", db.DisableUser(ctx, "nobody"), tickets.ENOTFOUND)
}

func TestLoginFailedLocksOut(t *testing.T) {
	ctx := context.Background()
	db := ticketstest.Open(t)
	now := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	u := &tickets.User{Name: "lan", Role: tickets.RoleOperator, PasswordHash: "h", CreatedAt: now}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		until, err := db.LoginFailed(ctx, u.ID, now, 3, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := !until.IsZero(), i == 3; got != want {
			t.Errorf("failure %d: locked = %v, want %v", i, got, want)
		}
	}
	got, _ := db.User(ctx, "lan")
	if !got.LockedUntil.Equal(now.Add(time.Minute)) || got.FailedLogins != 0 {
		t.Errorf("after lock-out: %+v", got)
	}
	db.CreateSession(ctx, tickets.Session{Hash: "s", UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)})
	if got, _ := db.User(ctx, "lan"); !got.LockedUntil.IsZero() {
		t.Errorf("a session did not clear the lock-out: %+v", got)
	}
}

func TestAudit(t *testing.T) {
	ctx := context.Background()
	db := ticketstest.Open(t)
	now := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	e := tickets.AuditEntry{At: now, Actor: "lan", Action: tickets.AuditViewContact, Ticket: "123456789"}
	if err := db.Audit(ctx, e); err != nil {
		t.Fatal(err)
	}
	es, err := db.AuditLog(ctx, "123456789")
	if err != nil || len(es) != 1 || es[0] != e {
		t.Errorf("AuditLog = %+v, %v", es, err)
	}
}
