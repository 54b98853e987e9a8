// SPDX-License-Identifier: Apache-2.0

package console_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/console"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

func TestHashPassword(t *testing.T) {
	h, err := console.HashPassword("mật khẩu đủ dài")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") {
		t.Errorf("hash %q is not argon2id", h)
	}
	tests := []struct {
		name, hash, password string
		want                 bool
	}{
		{"OK", h, "mật khẩu đủ dài", true},
		{"ErrWrongPassword", h, "mật khẩu đủ dàj", false},
		{"ErrGarbageHash", "$argon2id$x", "mật khẩu đủ dài", false},
		{"ErrEmptyHash", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := console.CheckPassword(tt.hash, tt.password); got != tt.want {
				t.Errorf("CheckPassword = %v, want %v", got, tt.want)
			}
		})
	}
	if _, err := console.HashPassword("short"); tickets.ErrorCode(err) != tickets.EINVALID {
		t.Errorf("short password: %v, want EINVALID", err)
	}
}

func TestLogin(t *testing.T) {
	ctx := context.Background()
	db := ticketstest.Open(t)
	now := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	u := &tickets.User{Name: "lan", Role: tickets.RoleFocal, Department: "so-noi-vu", PasswordHash: testHash(t), CreatedAt: now}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	got, secret, err := console.Login(ctx, db, "lan", testPassword, now, time.Hour)
	if err != nil || got.ID != u.ID || secret == "" {
		t.Fatalf("Login = %v, %q, %v", got, secret, err)
	}
	if su, err := db.SessionUser(ctx, console.HashSecret(secret), now); err != nil || su.Name != "lan" {
		t.Errorf("session of the login: %v, %v", su, err)
	}
	if _, _, err := console.Login(ctx, db, "nobody", testPassword, now, time.Hour); !errors.Is(err, console.ErrBadLogin) {
		t.Errorf("unknown user: %v, want ErrBadLogin", err)
	}
	// Login itself never locks a user out: the sign-in guard throttles.
	for i := range 6 {
		if _, _, err := console.Login(ctx, db, "lan", "wrong password", now, time.Hour); !errors.Is(err, console.ErrBadLogin) {
			t.Fatalf("failure %d: %v, want ErrBadLogin", i, err)
		}
	}
	if _, _, err := console.Login(ctx, db, " LAN ", testPassword, now.Add(time.Minute), time.Hour); err != nil {
		t.Errorf("right password after failures, name in another case: %v", err)
	}
	if err := db.DisableUser(ctx, "lan"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := console.Login(ctx, db, "lan", testPassword, now.Add(time.Hour), time.Hour); !errors.Is(err, console.ErrBadLogin) {
		t.Errorf("disabled user: %v, want ErrBadLogin", err)
	}
}
