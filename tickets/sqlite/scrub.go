// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// Anonymous tickets and the files
//
// A chat that files an anonymous ticket writes its link to the ticket (the
// draft with the text and the phone, the bot's replies with the code, next
// to the chat id) in rows that are deleted once the replies are delivered;
// secure_delete zeroes the live copy of a row, but SQLite has also written
// each changed page to the -wal file, and the database file may hold pages
// older than the deletion. So once the last such row of an anonymous
// ticket's chat is gone (its replies delivered or given up), the writer runs
// PRAGMA wal_checkpoint(TRUNCATE): the newest version of every page, the
// deleted rows zeroed, is copied into the database file and the -wal file
// is cut to nothing. The -shm file holds page numbers only.
//
// The checkpoint runs only then (and once at start, for what a crash may
// have left), not on every commit. It does not wait for readers: one that
// still reads an older snapshot makes it busy at once, and the writer tries
// again on a timer, backing off to once a second, until it succeeds. Until
// then the copies stay in the files; a backup taken meanwhile may hold them.

// chatRef names a chat of a channel.
type chatRef struct {
	channel tickets.Channel
	chat    string
}

// scrubState is owned by the writer goroutine.
type scrubState struct {
	chats map[chatRef]bool // chats of anonymous tickets whose replies are not all delivered
	due   bool             // links were deleted since the last successful checkpoint
	wait  time.Duration    // the back-off after a busy checkpoint
	next  time.Time        // not before then after a busy checkpoint
}

// maxScrubWait bounds the back-off between attempts at a busy checkpoint.
const maxScrubWait = time.Second

// loadScrub starts the scrub state at Open: every chat with undelivered
// replies may be an anonymous ticket's (the store does not remember which
// were), and a checkpoint is due for what a crash may have left.
func (db *DB) loadScrub(ctx context.Context) error {
	db.scrub = scrubState{chats: map[chatRef]bool{}, due: true}
	rows, err := db.write.QueryContext(ctx, `SELECT DISTINCT channel, recipient FROM outbox
		WHERE kind = 'reply' AND state IN ('queued', 'sending')`)
	if err != nil {
		return fmt.Errorf("read pending replies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r chatRef
		if err := rows.Scan(&r.channel, &r.chat); err != nil {
			return fmt.Errorf("read pending replies: %w", err)
		}
		db.scrub.chats[r] = true
	}
	return rows.Err()
}

// noteAnonymous remembers c's chat, in c's transaction, if c carries an
// anonymous ticket's code: its files are scrubbed once its replies are gone.
func (db *DB) noteAnonymous(ctx context.Context, tx *sql.Tx, c *tickets.ChatCommit) error {
	if c.Ticket == "" {
		return nil
	}
	var anonymous bool
	err := tx.QueryRowContext(ctx, `SELECT anonymous FROM tickets WHERE code = ?`, c.Ticket).Scan(&anonymous)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read ticket: %w", err)
	}
	if anonymous {
		db.scrub.chats[chatRef{c.Channel, c.Chat}] = true
	}
	return nil
}

// scrubFiles runs after each batch's commit and on the retry timer: it
// checkpoints with TRUNCATE at once if a remembered chat has no reply left
// to deliver, and otherwise if an earlier checkpoint is still owed and its
// back-off is over (a checkpoint that finds a reader copies pages and syncs
// the file for nothing: it is not tried again after every batch).
func (db *DB) scrubFiles(ctx context.Context) {
	unlinked := false
	for r := range db.scrub.chats {
		var pending bool
		err := db.write.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM outbox WHERE channel = ? AND recipient = ?
			AND kind = 'reply' AND state IN ('queued', 'sending'))`, r.channel, r.chat).Scan(&pending)
		if err == nil && !pending {
			delete(db.scrub.chats, r)
			db.scrub.due, unlinked = true, true
		}
	}
	if !db.scrub.due || !unlinked && time.Now().Before(db.scrub.next) {
		return
	}
	if done, err := checkpointTruncate(ctx, db.write); err == nil && done {
		db.scrub.due, db.scrub.wait = false, 0
		return
	}
	db.scrub.wait = min(max(2*db.scrub.wait, 10*time.Millisecond), maxScrubWait)
	db.scrub.next = time.Now().Add(db.scrub.wait)
}

// checkpointTruncate runs PRAGMA wal_checkpoint(TRUNCATE) on the writer's
// connection without waiting for other connections (busy timeout 0 for the
// pragma, so that a long report cannot stall the writes), and reports
// whether it completed: the WAL copied and cut to nothing.
func checkpointTruncate(ctx context.Context, w *sql.DB) (bool, error) {
	conn, err := w.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
		return false, err
	}
	var busy, logFrames, checkpointed int
	err = conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &checkpointed)
	if _, rerr := conn.ExecContext(ctx, "PRAGMA busy_timeout = "+busyMillis()); rerr != nil {
		// A writer that never waits would fail other programs' writes:
		// drop the connection; the next one gets the DSN's settings.
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		return false, errors.Join(err, rerr)
	}
	return err == nil && busy == 0, err
}
