// SPDX-License-Identifier: Apache-2.0

package sqlite_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

// openAtVersion makes a database at path with the embedded migrations up to
// version, as a hotline of that schema left it, and returns it open without
// the store.
func openAtVersion(t *testing.T, path string, version int) *sql.DB {
	t.Helper()
	names, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(names) < version {
		t.Fatalf("migrations: %v, %d files", err, len(names))
	}
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	for _, n := range names[:version] {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(string(b)); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}
	if _, err := raw.Exec("PRAGMA user_version = " + strconv.Itoa(version)); err != nil {
		t.Fatal(err)
	}
	return raw
}

// The updates a schema-13 hotline handled (Telegram's integer update ids)
// are still handled after the upgrade, under their decimal keys, so an
// update Telegram sends again across the upgrade is not handled twice; and
// keys are compared as text from then on.
func TestUpdateKeysMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hotline.db")
	raw := openAtVersion(t, path, 13)
	at := time.Now().UTC().Format(time.RFC3339Nano)
	for _, id := range []int64{123, 987654321012} {
		if _, err := raw.Exec(`INSERT INTO chat_updates (channel, update_id, handled_at) VALUES ('telegram', ?, ?)`, id, at); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, key := range []string{"123", "987654321012"} {
		if ok, err := db.Handled(ctx, tickets.ChannelTelegram, key); err != nil || !ok {
			t.Errorf("Handled(%q) after the upgrade = %v, %v; want true", key, ok, err)
		}
		c := &tickets.ChatCommit{Channel: tickets.ChannelTelegram, UpdateID: key, Chat: "42", KeepState: true, At: time.Now()}
		if fresh, err := db.CommitChat(ctx, c); err != nil || fresh {
			t.Errorf("CommitChat(%q) after the upgrade = %v, %v; want a repeat", key, fresh, err)
		}
	}
	if ok, _ := db.Handled(ctx, tickets.ChannelZalo, "123"); ok {
		t.Error("Telegram's update 123 is handled on Zalo too")
	}
	// Keys a numeric column would take for one another.
	for _, key := range []string{"0123", "1e3", "msg:abc/0"} {
		c := &tickets.ChatCommit{Channel: tickets.ChannelTelegram, UpdateID: key, Chat: "42", KeepState: true, At: time.Now()}
		if fresh, err := db.CommitChat(ctx, c); err != nil || !fresh {
			t.Errorf("CommitChat(%q) = %v, %v; want a new update", key, fresh, err)
		}
	}
	if ok, _ := db.Handled(ctx, tickets.ChannelTelegram, "1000"); ok {
		t.Error(`Handled("1000") = true after "1e3" only`)
	}
	check, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	var kinds string
	if err := check.QueryRow(`SELECT group_concat(DISTINCT typeof(update_id)) FROM chat_updates`).Scan(&kinds); err != nil || kinds != "text" {
		t.Errorf("stored key types = %q, %v; want text", kinds, err)
	}
}
