// SPDX-License-Identifier: Apache-2.0

package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets/sqlite"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

func TestZaloInbox(t *testing.T) {
	ctx := context.Background()
	db := ticketstest.Open(t)
	at := time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC)
	id, fresh, err := db.StoreEvent(ctx, "msg:1", "u1", []byte(`{"a":1}`), at)
	if err != nil || !fresh || id == 0 {
		t.Fatalf("StoreEvent = %d, %v, %v", id, fresh, err)
	}
	t.Run("DuplicateStoredOnce", func(t *testing.T) {
		again, fresh, err := db.StoreEvent(ctx, "msg:1", "u1", []byte(`{"a":1}`), at.Add(time.Minute))
		if err != nil || fresh || again != id {
			t.Fatalf("StoreEvent again = %d, %v, %v; want %d, false", again, fresh, err, id)
		}
		if es, _ := db.PendingEvents(ctx, 10); len(es) != 1 || string(es[0].Body) != `{"a":1}` || es[0].Sender != "u1" {
			t.Fatalf("PendingEvents = %+v", es)
		}
	})
	t.Run("LastMessage", func(t *testing.T) {
		db.StoreEvent(ctx, "msg:2", "u1", []byte(`{}`), at.Add(time.Hour))
		if last, ok, err := db.LastMessage(ctx, "u1"); err != nil || !ok || !last.Equal(at.Add(time.Hour)) {
			t.Fatalf("LastMessage = %v, %v, %v", last, ok, err)
		}
		if _, ok, err := db.LastMessage(ctx, "u2"); err != nil || ok {
			t.Fatalf("LastMessage(u2) = %v, %v", ok, err)
		}
	})
	t.Run("HandledLeavesPendingAndBody", func(t *testing.T) {
		if err := db.EventsHandled(ctx, []int64{id}, []string{"handled"}, at); err != nil {
			t.Fatal(err)
		}
		es, _ := db.PendingEvents(ctx, 10)
		if len(es) != 1 || es[0].ID == id {
			t.Fatalf("PendingEvents = %+v", es)
		}
		if _, fresh, _ := db.StoreEvent(ctx, "msg:1", "u1", nil, at); fresh {
			t.Fatal("a handled event stored again")
		}
		if n, err := db.ForgetEvents(ctx, at.Add(time.Minute)); err != nil || n != 1 {
			t.Fatalf("ForgetEvents = %d, %v", n, err)
		}
	})
}

func TestZaloToken(t *testing.T) {
	ctx := context.Background()
	db := ticketstest.Open(t)
	if _, ok, err := db.ZaloToken(ctx); err != nil || ok {
		t.Fatalf("ZaloToken on an empty store = %v, %v", ok, err)
	}
	at := time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC)
	for i, r := range []string{"r1", "r2"} {
		tok := sqlite.ZaloToken{Access: "a" + r, Refresh: r, Expires: at.Add(25 * time.Hour), RefreshExpires: at.Add(90 * 24 * time.Hour),
			CreatedAt: at.Add(time.Duration(i) * time.Minute), Source: "refresh"}
		if err := db.SaveZaloToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	got, ok, err := db.ZaloToken(ctx)
	if err != nil || !ok || got.Refresh != "r2" || got.Access != "ar2" || !got.RefreshExpires.Equal(at.Add(90*24*time.Hour)) {
		t.Fatalf("ZaloToken = %+v, %v, %v", got, ok, err)
	}
}
