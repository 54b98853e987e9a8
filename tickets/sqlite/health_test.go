// SPDX-License-Identifier: Apache-2.0

package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

func TestCountOverdue(t *testing.T) {
	ctx := context.Background()
	svc, clock := ticketstest.Service(t)
	open := func(branch int) *tickets.Ticket {
		tk, err := svc.Open(ctx, tickets.NewTicket{Branch: branch, Channel: tickets.ChannelPhone, Text: "phản ánh"})
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	first := []*tickets.Ticket{open(4), open(9), open(1)}
	resolved := open(1)
	for _, a := range []tickets.Action{tickets.ActionAssign, tickets.ActionStart, tickets.ActionResolve} {
		if _, err := svc.Move(ctx, resolved.Code, tickets.Change{Action: a, Department: resolved.Department, Note: "đã xử lý"}); err != nil {
			t.Fatal(err)
		}
	}
	db := svc.Store.(*sqlite.DB)
	earliest, latest := first[0].Deadline, first[0].Deadline
	for _, tk := range first {
		if tk.Deadline.Before(earliest) {
			earliest = tk.Deadline
		}
		if tk.Deadline.After(latest) {
			latest = tk.Deadline
		}
	}
	n, err := db.CountOverdue(ctx, earliest)
	if err != nil || len(n) != 0 {
		t.Fatalf("at the first deadline: %v, %v; want none", n, err)
	}
	clock.T = latest.Add(time.Second)
	n, err = db.CountOverdue(ctx, clock.T)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"so-noi-vu": 2, "van-phong-ubnd-tinh": 1}
	if len(n) != len(want) || n["so-noi-vu"] != 2 || n["van-phong-ubnd-tinh"] != 1 {
		t.Errorf("CountOverdue = %v, want %v (the resolved ticket is not overdue)", n, want)
	}
}

func TestProbeWrite(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "hotline.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	t.Run("OK", func(t *testing.T) {
		if err := db.ProbeWrite(ctx); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrReadOnly", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root writes read-only files")
		}
		if err := os.Chmod(path, 0o400); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(path, 0o600)
		if err := db.ProbeWrite(ctx); err == nil {
			t.Error("ProbeWrite on a read-only file succeeded")
		}
	})
}
