// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// ReminderTickets returns up to limit tickets whose reminders are due at
// now: those of reminder_queue whose next_at has come, read by the queue's
// index, never by scanning the tickets. A ticket no longer open, or no
// longer there, comes back Gone.
func (db *DB) ReminderTickets(ctx context.Context, now time.Time, limit int) ([]tickets.ReminderTicket, error) {
	rows, err := db.read.QueryContext(ctx, reminderScan, formatTime(now), limit)
	if err != nil {
		return nil, fmt.Errorf("read reminders due: %w", err)
	}
	defer rows.Close()
	var out []tickets.ReminderTicket
	for rows.Next() {
		var t tickets.ReminderTicket
		var code, dept, status, text, deadline, created sql.NullString
		if err := rows.Scan(&t.ID, &code, &dept, &status, &text, &deadline, &created); err != nil {
			return nil, fmt.Errorf("read reminders due: %w", err)
		}
		t.Code, t.Department, t.Status, t.Text = tickets.Code(code.String), dept.String, tickets.Status(status.String), text.String
		if t.Gone = !code.Valid || !t.Status.Open(); !t.Gone {
			if t.Deadline, err = parseTime(deadline.String); err == nil {
				t.CreatedAt, err = parseTime(created.String)
			}
			if err != nil {
				return nil, fmt.Errorf("ticket %s: %w", t.Code, err)
			}
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// reminderScan is the reminder pass's query; a test checks its plan.
const reminderScan = `SELECT q.ticket_id, t.code, t.department, t.status, t.text, t.deadline, t.created_at
	FROM reminder_queue q INDEXED BY reminder_queue_due LEFT JOIN tickets t ON t.id = q.ticket_id
	WHERE q.next_at <= ? ORDER BY q.next_at LIMIT ?`

// ReminderScanPlan returns SQLite's plan of the reminder pass's query, one
// line a step, for the test that it reads by an index.
func (db *DB) ReminderScanPlan(ctx context.Context) ([]string, error) {
	return db.plan(ctx, reminderScan, formatTime(time.Now()), 1000)
}

func (db *DB) plan(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := db.read.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		return nil, fmt.Errorf("query plan: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return nil, fmt.Errorf("query plan: %w", err)
		}
		out = append(out, detail)
	}
	return out, rows.Err()
}

// SaveReminders records one pass's decisions in one transaction: each new
// reminder once per ticket and level — one already made is skipped with its
// notices, so that nothing is told twice whatever the restarts — with its
// console notices and its outbox messages; then when to look at each ticket
// again, or that it needs no more looks. It returns how many reminders it made.
func (db *DB) SaveReminders(ctx context.Context, at time.Time, us []tickets.ReminderUpdate) (int, error) {
	made := 0
	if len(us) == 0 {
		return 0, nil
	}
	err := db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		made = 0
		rt, err := prepareReminders(ctx, tx)
		if err != nil {
			return err
		}
		defer rt.close()
		for _, u := range us {
			for _, r := range u.New {
				ok, err := rt.save(ctx, u.Ticket, at, r)
				if err != nil {
					return err
				}
				if ok {
					made++
				}
			}
			if u.NextAt.IsZero() {
				_, err = rt.drop.ExecContext(ctx, u.Ticket)
			} else {
				_, err = rt.next.ExecContext(ctx, formatTime(u.NextAt), u.Ticket)
			}
			if err != nil {
				return fmt.Errorf("save reminders: %w", err)
			}
		}
		return nil
	})
	return made, err
}

// reminderTx holds SaveReminders' statements, prepared once a transaction:
// preparing them for each row was a quarter of a pass's time.
type reminderTx struct {
	reminder, notice, outbox, drop, next *sql.Stmt
}

func prepareReminders(ctx context.Context, tx *sql.Tx) (*reminderTx, error) {
	rt := &reminderTx{}
	for _, p := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&rt.reminder, `INSERT INTO reminders (ticket_id, level, department, due_at, created_at, digest_day)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`},
		{&rt.notice, `INSERT INTO user_notices (user_id, reminder_id) VALUES (?, ?) ON CONFLICT DO NOTHING`},
		{&rt.outbox, insertNoticeSQL},
		{&rt.drop, `DELETE FROM reminder_queue WHERE ticket_id = ?`},
		{&rt.next, `UPDATE reminder_queue SET next_at = ? WHERE ticket_id = ?`},
	} {
		st, err := tx.PrepareContext(ctx, p.sql)
		if err != nil {
			rt.close()
			return nil, fmt.Errorf("save reminders: %w", err)
		}
		*p.stmt = st
	}
	return rt, nil
}

func (rt *reminderTx) close() {
	for _, st := range []*sql.Stmt{rt.reminder, rt.notice, rt.outbox, rt.drop, rt.next} {
		if st != nil {
			st.Close()
		}
	}
}

// save records r of ticket, with its notices, unless that level of the
// ticket is already recorded; it reports whether it recorded it.
func (rt *reminderTx) save(ctx context.Context, ticket int64, at time.Time, r tickets.NewReminder) (bool, error) {
	var day sql.NullString
	if r.DigestDay != (tickets.Date{}) {
		day = sql.NullString{String: r.DigestDay.String(), Valid: true}
	}
	res, err := rt.reminder.ExecContext(ctx, ticket, r.Level, r.Department, formatTime(r.DueAt), formatTime(at), day)
	if err != nil {
		return false, fmt.Errorf("save reminder: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return false, err
	}
	for _, u := range r.Users {
		if _, err := rt.notice.ExecContext(ctx, u, id); err != nil {
			return false, fmt.Errorf("save notice: %w", err)
		}
	}
	exec := func(ctx context.Context, _ string, args ...any) (sql.Result, error) {
		return rt.outbox.ExecContext(ctx, args...)
	}
	return true, queueNotices(ctx, exec, ticket, at, r.Notices)
}

// MailedToday counts, by department, the reminders made since since whose
// mail went on its own (not held for a digest): the day's count that the
// digest threshold is measured against.
func (db *DB) MailedToday(ctx context.Context, since time.Time) (map[string]int, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT department, count(*) FROM reminders
		WHERE created_at >= ? AND digest_day IS NULL GROUP BY department`, formatTime(since))
	if err != nil {
		return nil, fmt.Errorf("count reminders: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var d string
		var n int
		if err := rows.Scan(&d, &n); err != nil {
			return nil, fmt.Errorf("count reminders: %w", err)
		}
		out[d] = n
	}
	return out, rows.Err()
}

// HeldReminders returns the reminders held for the digests of days up to
// and including day, not yet sent in one, by department and ticket.
func (db *DB) HeldReminders(ctx context.Context, day tickets.Date) ([]tickets.HeldReminder, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT r.id, coalesce(t.code, ''), r.level, r.department, coalesce(t.deadline, r.due_at), r.due_at, r.digest_day
		FROM reminders r INDEXED BY reminders_held LEFT JOIN tickets t ON t.id = r.ticket_id
		WHERE r.digest_day IS NOT NULL AND r.digested_at IS NULL AND r.digest_day <= ? ORDER BY r.department, r.id`, day.String())
	if err != nil {
		return nil, fmt.Errorf("read held reminders: %w", err)
	}
	defer rows.Close()
	var out []tickets.HeldReminder
	for rows.Next() {
		var h tickets.HeldReminder
		var deadline, due, d string
		if err := rows.Scan(&h.ID, &h.Ticket, &h.Level, &h.Department, &deadline, &due, &d); err != nil {
			return nil, fmt.Errorf("read held reminders: %w", err)
		}
		if h.Deadline, err = parseTime(deadline); err == nil {
			if h.DueAt, err = parseTime(due); err == nil {
				h.Day, err = tickets.ParseDate(d)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("read held reminders: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// SaveDigest marks the reminders ids as sent in a digest and queues its
// messages ns, in one transaction.
func (db *DB) SaveDigest(ctx context.Context, at time.Time, ids []int64, ns []tickets.Notice) error {
	return db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE reminders SET digested_at = ? WHERE id = ?`, formatTime(at), id); err != nil {
				return fmt.Errorf("save digest: %w", err)
			}
		}
		return insertNotices(ctx, tx, 0, at, ns)
	})
}

// UserNotices returns the user's latest limit notices, newest first, and
// how many of all their notices are unread.
func (db *DB) UserNotices(ctx context.Context, userID int64, limit int) ([]tickets.UserNotice, int, error) {
	unread, err := db.UnreadNotices(ctx, userID)
	if err != nil {
		return nil, 0, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT n.id, coalesce(t.code, ''), r.level, coalesce(t.deadline, r.due_at), r.created_at, n.read_at IS NOT NULL
		FROM user_notices n JOIN reminders r ON r.id = n.reminder_id LEFT JOIN tickets t ON t.id = r.ticket_id
		WHERE n.user_id = ? ORDER BY n.id DESC LIMIT ?`, userID, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("read notices: %w", err)
	}
	defer rows.Close()
	var out []tickets.UserNotice
	for rows.Next() {
		var n tickets.UserNotice
		var deadline, at string
		if err := rows.Scan(&n.ID, &n.Ticket, &n.Level, &deadline, &at, &n.Read); err != nil {
			return nil, 0, fmt.Errorf("read notices: %w", err)
		}
		if n.Deadline, err = parseTime(deadline); err == nil {
			n.At, err = parseTime(at)
		}
		if err != nil {
			return nil, 0, fmt.Errorf("read notices: %w", err)
		}
		out = append(out, n)
	}
	return out, unread, rows.Err()
}

// UnreadNotices counts the user's unread notices.
func (db *DB) UnreadNotices(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM user_notices WHERE user_id = ? AND read_at IS NULL`, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count notices: %w", err)
	}
	return n, nil
}

// ReadNotices marks every unread notice of the user read at at.
func (db *DB) ReadNotices(ctx context.Context, userID int64, at time.Time) error {
	return db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE user_notices SET read_at = ? WHERE user_id = ? AND read_at IS NULL`, formatTime(at), userID)
		if err != nil {
			return fmt.Errorf("read notices: %w", err)
		}
		return nil
	})
}
