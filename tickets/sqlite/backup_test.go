// SPDX-License-Identifier: Apache-2.0

package sqlite_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

func TestInspect(t *testing.T) {
	ctx := context.Background()
	missing := filepath.Join(t.TempDir(), "none", "hotline.db")
	if _, err := sqlite.Inspect(ctx, missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Inspect of no file: %v, want fs.ErrNotExist", err)
	}
	if _, err := os.Stat(filepath.Dir(missing)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Inspect created %s", filepath.Dir(missing))
	}
	fresh := sqlite.Fresh()
	if fresh.Version != 0 || fresh.Latest < 6 || len(fresh.Pending) != fresh.Latest || fresh.Pending[0].Name != "0001_init.sql" ||
		fresh.Pending[0].Summary != "Tickets, their append-only history, and phone calls." {
		t.Errorf("Fresh = %+v", fresh)
	}
	path := filepath.Join(t.TempDir(), "hotline.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := sqlite.Check(ctx, path)
	if err != nil || s.Version != fresh.Latest || len(s.Pending) != 0 || s.Integrity != "ok" {
		t.Errorf("Check = %+v, %v", s, err)
	}
}

// A snapshot taken while the store commits holds every ticket committed
// before it began, and is a sound database of the same schema.
func TestSnapshotWhileWriting(t *testing.T) {
	ctx := context.Background()
	svc, _ := ticketstest.Service(t)
	db := svc.Store.(*sqlite.DB)
	var before []tickets.Code
	for range 50 {
		tk, err := svc.Open(ctx, tickets.NewTicket{Branch: 4, Channel: tickets.ChannelPhone, Text: "trước"})
		if err != nil {
			t.Fatal(err)
		}
		before = append(before, tk.Code)
	}
	stop := make(chan struct{})
	done := make(chan error)
	go func() {
		for {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			if _, err := svc.Open(ctx, tickets.NewTicket{Branch: 9, Channel: tickets.ChannelPhone, Text: "trong lúc sao lưu"}); err != nil {
				done <- err
				return
			}
		}
	}()
	dst := filepath.Join(t.TempDir(), "snap.db")
	err := sqlite.Snapshot(ctx, db.Path(), dst)
	close(stop)
	if werr := <-done; werr != nil {
		t.Fatal(werr)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlite.Snapshot(ctx, db.Path(), dst); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("a second snapshot onto the same file: %v", err)
	}
	if s, err := sqlite.Check(ctx, dst); err != nil || s.Integrity != "ok" || s.Version != sqlite.Fresh().Latest {
		t.Fatalf("Check of the snapshot = %+v, %v", s, err)
	}
	snap, err := sqlite.Open(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close()
	for _, c := range before {
		if _, err := snap.Ticket(ctx, c); err != nil {
			t.Errorf("ticket %s, committed before the snapshot: %v", c, err)
		}
	}
}
