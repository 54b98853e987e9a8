// SPDX-License-Identifier: Apache-2.0

package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

// filesHolding returns, for each file of dir whose raw bytes hold one of the
// needles, the file and the needle.
func filesHolding(t *testing.T, dir string, needles ...string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range needles {
			if bytes.Contains(b, []byte(n)) {
				found = append(found, fmt.Sprintf("%s (%d bytes): %s", e.Name(), len(b), n))
			}
		}
	}
	return found
}

// chatTicket is a chat that files tickets as the chat bot stores them.
type chatTicket struct {
	svc         *tickets.Service
	db          *sqlite.DB
	chat, phone string
	update      int64
}

const complaint = "Cán bộ một cửa đòi tiền bồi dưỡng"

func (c *chatTicket) commit(t testing.TB, state, draft string, code tickets.Code, replies ...string) {
	t.Helper()
	c.update++
	cc := &tickets.ChatCommit{Channel: tg, UpdateID: strconv.FormatInt(c.update, 10), Chat: c.chat, State: state, Draft: []byte(draft),
		Ticket: code, At: time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC)}
	if code != "" {
		cc.Transcript = []tickets.ChatLine{{At: cc.At, Text: complaint}}
	}
	for _, r := range replies {
		cc.Replies = append(cc.Replies, tickets.Notice{Recipient: tickets.Recipient{Channel: tg, ID: c.chat}, Kind: tickets.NoticeReply, Body: r})
	}
	if _, err := c.db.CommitChat(context.Background(), cc); err != nil {
		t.Fatal(err)
	}
}

// deliver marks every due reply of the chat sent, as the Telegram adapter does.
func (c *chatTicket) deliver(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	out, err := c.db.Outbox(ctx, tg, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range out {
		if o.Recipient.ID != c.chat {
			continue
		}
		if err := c.db.Delivered(ctx, o.ID, tickets.Delivery{State: tickets.StateSent, PartsSent: 1, At: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
}

// file stores what the chat bot does for a ticket: a draft with the text
// and the phone, the bot's replies (delivered), the ticket, then the commit
// that ends the conversation with replies that carry the code, left for
// deliver.
func (c *chatTicket) file(t testing.TB, anonymous bool) tickets.Code {
	t.Helper()
	draft := fmt.Sprintf(`{"branch":9,"text":%q,"phone":%q}`, complaint, c.phone)
	c.commit(t, "describe", `{"branch":9}`, "", "Mời nhập nội dung")
	c.deliver(t)
	c.commit(t, "confirm", draft, "", "Nội dung: "+complaint+"\nSố điện thoại: "+c.phone)
	c.deliver(t)
	tk, err := c.svc.Open(context.Background(), tickets.NewTicket{Branch: 9, Channel: tg, Text: complaint,
		Contact: c.chat, Anonymous: anonymous, Actor: "telegram", Source: fmt.Sprintf("telegram:draft:%d%v", c.update, anonymous)})
	if err != nil {
		t.Fatal(err)
	}
	c.commit(t, "", "", tk.Code, "✅ Đã gửi.", "Mã phiếu của bạn: "+string(tk.Code))
	return tk.Code
}

// fileAnonymous files an anonymous ticket from a chat in a fresh store and
// returns the chat, its last replies not yet delivered, and the data folder.
func fileAnonymous(t *testing.T) (*chatTicket, string) {
	t.Helper()
	svc, _ := ticketstest.Service(t)
	db := svc.Store.(*sqlite.DB)
	anon := &chatTicket{svc: svc, db: db, chat: "7350012345", phone: "0939876543"}
	anon.file(t, true)
	return anon, filepath.Dir(db.Path())
}

// Once an anonymous chat ticket is filed and the bot's replies are
// delivered, no byte of any file of the data folder — the database, its
// -wal and -shm — holds the chat id or the phone number: the rows that
// linked them are deleted, and the copies SQLite left in the WAL and in old
// pages are gone with them. A named ticket keeps its chat id, which shows
// that the search finds it.
func TestAnonymousChatLeavesNoCopyInFiles(t *testing.T) {
	anon, dir := fileAnonymous(t)
	if got := filesHolding(t, dir, anon.chat); len(got) == 0 {
		t.Fatalf("before delivery, no file holds the chat id: the search is broken")
	}
	anon.deliver(t)
	if got := filesHolding(t, dir, anon.chat, anon.phone); len(got) > 0 {
		t.Errorf("still in the files: %v", got)
	}
	named := &chatTicket{svc: anon.svc, db: anon.db, chat: "7350099999", phone: "0939111111", update: 100}
	named.file(t, false)
	named.deliver(t)
	if got := filesHolding(t, dir, named.chat); len(got) == 0 {
		t.Errorf("a named ticket's chat id is in no file")
	}
}

// A reader that holds an old snapshot while the links are deleted makes the
// checkpoint busy (the writer does not wait for it: Delivered returns); the
// writer tries again on its own, and once the reader ends no copy is left.
func TestAnonymousChatScrubWaitsForReaders(t *testing.T) {
	anon, dir := fileAnonymous(t)
	raw, err := sql.Open("sqlite3", "file:"+anon.db.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	reader, err := raw.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := reader.QueryRowContext(ctx, `SELECT count(*) FROM outbox`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	anon.deliver(t)
	if got := filesHolding(t, dir, anon.chat); len(got) == 0 {
		t.Fatalf("the checkpoint went through a reader's snapshot")
	}
	if err := reader.Rollback(); err != nil {
		t.Fatal(err)
	}
	for len(filesHolding(t, dir, anon.chat, anon.phone)) > 0 {
		select {
		case <-ctx.Done():
			t.Fatalf("after the reader ended, still in the files: %v", filesHolding(t, dir, anon.chat, anon.phone))
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// BenchmarkChatTicket files tickets from a chat one at a time, as the chat
// bot stores them (three chat commits, four delivered replies and the
// ticket: eight commits): anonymous, the last delivery also checkpoints with
// TRUNCATE; named, it does not. The difference is the price of erasing the
// copies.
func BenchmarkChatTicket(b *testing.B) {
	for _, anonymous := range []bool{false, true} {
		b.Run(fmt.Sprintf("anonymous=%v", anonymous), func(b *testing.B) {
			svc, _ := ticketstest.Service(b)
			c := &chatTicket{svc: svc, db: svc.Store.(*sqlite.DB), chat: "7350012345", phone: "0939876543"}
			for b.Loop() {
				c.file(b, anonymous)
				c.deliver(b)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tickets/s")
		})
	}
}

// A crash between the commit that deleted a chat's links and the checkpoint
// leaves copies in the -wal file; the next start erases them, even while
// another program has the database open. The crash is the files copied
// while a connection that wrote and deleted a draft, never checkpointing,
// still has them open.
func TestScrubAtStartAfterCrash(t *testing.T) {
	const chat = "7350012345"
	path := ticketstest.Open(t).Path()
	raw, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_secure_delete=on") // as the store writes
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	for _, q := range []string{
		"PRAGMA wal_autocheckpoint = 0",
		"INSERT INTO conversations (channel, chat, state, draft, updated_at) VALUES ('telegram', '" + chat + "', 'confirm', 'x', 'now')",
		"DELETE FROM conversations WHERE chat = '" + chat + "'",
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	crashed := t.TempDir()
	for _, name := range []string{"hotline.db", "hotline.db-wal"} {
		b, err := os.ReadFile(filepath.Join(filepath.Dir(path), name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(crashed, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if len(filesHolding(t, crashed, chat)) == 0 {
		t.Fatal("the crashed files hold no copy: the test shows nothing")
	}
	// Another program has the database open (a sqlite3 shell, idle): the
	// last connection to close does not checkpoint at the start.
	shell, err := sql.Open("sqlite3", "file:"+filepath.Join(crashed, "hotline.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer shell.Close()
	if err := shell.Ping(); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(crashed, "hotline.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ForgetHandled(context.Background(), tg, time.Time{}); err != nil { // any write
		t.Fatal(err)
	}
	if got := filesHolding(t, crashed, chat); len(got) > 0 {
		t.Errorf("after the start, still in the files: %v", got)
	}
}

// After a restart the store no longer knows which chats filed anonymous
// tickets: a chat whose replies were still undelivered is erased once they
// are delivered, as if it had.
func TestScrubAfterRestartWithPendingReplies(t *testing.T) {
	anon, dir := fileAnonymous(t)
	if err := anon.db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), anon.db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	anon.db = db
	anon.deliver(t)
	if got := filesHolding(t, dir, anon.chat, anon.phone); len(got) > 0 {
		t.Errorf("still in the files: %v", got)
	}
}
