// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// DepartmentChanges returns the recorded department renames and merges, in
// the order they were recorded.
func (db *DB) DepartmentChanges(ctx context.Context) ([]tickets.DepartmentChange, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT department, from_date, old_name, new_name, successor, at, actor
		FROM department_changes ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("read department changes: %w", err)
	}
	defer rows.Close()
	var cs []tickets.DepartmentChange
	for rows.Next() {
		var c tickets.DepartmentChange
		var from, at string
		if err := rows.Scan(&c.Department, &from, &c.OldName, &c.NewName, &c.Into, &at, &c.Actor); err != nil {
			return nil, fmt.Errorf("read department changes: %w", err)
		}
		if c.From, err = tickets.ParseDate(from); err == nil {
			c.At, err = parseTime(at)
		}
		if err != nil {
			return nil, fmt.Errorf("read department changes: %w", err)
		}
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read department changes: %w", err)
	}
	return cs, nil
}

// RecordDepartmentChange stores c, which the menu has checked (see
// tickets.Menu.Prepare), and, for a merge, moves the open tickets of the
// merged department to its successor in the same transaction, each with a
// history entry (tickets.ActionMerge) whose note is note. It returns the
// number of tickets moved, and EINVALID for a change without its time.
func (db *DB) RecordDepartmentChange(ctx context.Context, c tickets.DepartmentChange, note string) (int, error) {
	if c.At.IsZero() {
		return 0, tickets.Errorf(tickets.EINVALID, "a department change needs the time it is recorded")
	}
	var moved int
	err := db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO department_changes
			(department, from_date, old_name, new_name, successor, at, actor) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			c.Department, c.From.String(), c.OldName, c.NewName, c.Into, formatTime(c.At), c.Actor)
		if err != nil {
			return fmt.Errorf("record department change: %w", err)
		}
		if c.Merge() {
			moved, err = moveOpen(ctx, tx, c.Department, c.Into, c.At, c.Actor, note)
		}
		return err
	})
	return moved, err
}

// MoveOpenTickets moves the open tickets of department from to department to
// with a history entry each (tickets.ActionMerge, note), for a merge of the
// config form; it returns how many it moved.
func (db *DB) MoveOpenTickets(ctx context.Context, from, to string, at time.Time, actor, note string) (int, error) {
	var moved int
	err := db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var err error
		moved, err = moveOpen(ctx, tx, from, to, at, actor, note)
		return err
	})
	return moved, err
}

// moveOpen moves from's open tickets (read by tickets_department_open) to to.
func moveOpen(ctx context.Context, tx *sql.Tx, from, to string, at time.Time, actor, note string) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, status FROM tickets
		WHERE department = ? AND status IN ('new', 'assigned', 'in_progress') ORDER BY id`, from)
	if err != nil {
		return 0, fmt.Errorf("move open tickets: %w", err)
	}
	type open struct {
		id     int64
		status tickets.Status
	}
	var ts []open
	for rows.Next() {
		var o open
		if err := rows.Scan(&o.id, &o.status); err != nil {
			rows.Close()
			return 0, fmt.Errorf("move open tickets: %w", err)
		}
		ts = append(ts, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("move open tickets: %w", err)
	}
	for _, o := range ts {
		if _, err := tx.ExecContext(ctx, `UPDATE tickets SET department = ?, updated_at = ? WHERE id = ?`, to, formatTime(at), o.id); err != nil {
			return 0, fmt.Errorf("move open tickets: %w", err)
		}
		h := tickets.HistoryEntry{At: at, Actor: actor, Action: tickets.ActionMerge, FromStatus: o.status, ToStatus: o.status,
			FromDepartment: from, ToDepartment: to, Note: note}
		if err := insertHistory(ctx, tx, o.id, h); err != nil {
			return 0, err
		}
	}
	return len(ts), nil
}
