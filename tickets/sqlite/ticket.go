// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/mattn/go-sqlite3"
)

// codeAttempts bounds the retries on a code collision; with 90 million codes
// and a million tickets, one collision in a hundred creations is expected and
// five in a row practically never.
const codeAttempts = 8

// CreateTicket implements tickets.Store.
func (db *DB) CreateTicket(ctx context.Context, t *tickets.Ticket, h tickets.HistoryEntry) error {
	return db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if t.Source != "" {
			old, err := scanTicket(tx.QueryRowContext(ctx, selectTicket+" WHERE source = ?", t.Source))
			if err == nil {
				*t = *old
				return nil
			}
			if tickets.ErrorCode(err) != tickets.ENOTFOUND {
				return err
			}
		}
		if err := db.insertCoded(ctx, txExec(tx, insertTicketSQL), t); err != nil {
			return err
		}
		if err := insertHistory(ctx, tx, t.ID, h); err != nil {
			return err
		}
		return insertNotices(ctx, tx, t.ID, h.At, h.Notices)
	})
}

// insertCoded inserts t under a new code, drawing another on a collision.
func (db *DB) insertCoded(ctx context.Context, exec execer, t *tickets.Ticket) error {
	for range codeAttempts {
		t.Code = db.newCode()
		err := insertTicket(ctx, exec, t)
		if isUnique(err) && strings.Contains(err.Error(), "tickets.code") {
			continue
		}
		if err != nil {
			return fmt.Errorf("insert ticket: %w", err)
		}
		return nil
	}
	return fmt.Errorf("insert ticket: no free code after %d attempts", codeAttempts)
}

const insertTicketSQL = `INSERT INTO tickets
	(code, branch, department, channel, status, text, contact, anonymous, recording, deadline, created_at, updated_at, resolved_at, source,
	case_type, extensions)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// execer runs a statement with args: a transaction's ExecContext with the
// statement's text bound, or a prepared statement's.
type execer func(ctx context.Context, args ...any) (sql.Result, error)

// txExec returns the execer of query in tx.
func txExec(tx *sql.Tx, query string) execer {
	return func(ctx context.Context, args ...any) (sql.Result, error) { return tx.ExecContext(ctx, query, args...) }
}

func insertTicket(ctx context.Context, exec execer, t *tickets.Ticket) error {
	res, err := exec(ctx, t.Code, t.Branch, t.Department, t.Channel, t.Status, t.Text, nullString(t.Contact, !t.Anonymous),
		t.Anonymous, t.Recording, formatTime(t.Deadline), formatTime(t.CreatedAt), formatTime(t.UpdatedAt),
		formatNullTime(t.ResolvedAt), nullString(t.Source, t.Source != ""), t.CaseType, t.Extensions)
	if err != nil {
		return err
	}
	t.ID, err = res.LastInsertId()
	return err
}

const insertHistorySQL = `INSERT INTO history
	(ticket_id, at, actor, action, from_status, to_status, from_department, to_department, note)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`

func insertHistory(ctx context.Context, tx *sql.Tx, ticketID int64, h tickets.HistoryEntry) error {
	return insertHistoryWith(ctx, txExec(tx, insertHistorySQL), ticketID, h)
}

func insertHistoryWith(ctx context.Context, exec execer, ticketID int64, h tickets.HistoryEntry) error {
	_, err := exec(ctx, ticketID, formatTime(h.At), h.Actor, h.Action, h.FromStatus, h.ToStatus, h.FromDepartment, h.ToDepartment, h.Note)
	if err != nil {
		return fmt.Errorf("insert history: %w", err)
	}
	return nil
}

// UpdateTicket implements tickets.Store.
func (db *DB) UpdateTicket(ctx context.Context, code tickets.Code, change func(*tickets.Ticket) (tickets.HistoryEntry, error)) (*tickets.Ticket, error) {
	var t *tickets.Ticket
	err := db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var err error
		if t, err = scanTicket(tx.QueryRowContext(ctx, selectTicket+" WHERE code = ?", code)); err != nil {
			return err
		}
		h, err := change(t)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE tickets SET department = ?, status = ?, updated_at = ?, resolved_at = ?,
			deadline = ?, case_type = ?, extensions = ? WHERE id = ?`,
			t.Department, t.Status, formatTime(t.UpdatedAt), formatNullTime(t.ResolvedAt),
			formatTime(t.Deadline), t.CaseType, t.Extensions, t.ID)
		if err != nil {
			return fmt.Errorf("update ticket: %w", err)
		}
		if err := insertHistory(ctx, tx, t.ID, h); err != nil {
			return err
		}
		return insertNotices(ctx, tx, t.ID, h.At, h.Notices)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

const (
	selectTicketColumns = `SELECT id, code, branch, department, channel, status, text, contact, anonymous,
	recording, deadline, created_at, updated_at, resolved_at, source, case_type, extensions`
	selectTicket = selectTicketColumns + ` FROM tickets`
)

type scanner interface{ Scan(dest ...any) error }

// scanTicket reads one row of selectTicket; ENOTFOUND for no row.
func scanTicket(row scanner) (*tickets.Ticket, error) {
	var t tickets.Ticket
	var contact, resolved, source sql.NullString
	var deadline, created, updated string
	err := row.Scan(&t.ID, &t.Code, &t.Branch, &t.Department, &t.Channel, &t.Status, &t.Text, &contact,
		&t.Anonymous, &t.Recording, &deadline, &created, &updated, &resolved, &source, &t.CaseType, &t.Extensions)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tickets.Errorf(tickets.ENOTFOUND, "there is no ticket with this code")
	}
	if err != nil {
		return nil, fmt.Errorf("read ticket: %w", err)
	}
	t.Contact, t.Source = contact.String, source.String
	t.Deadline, err = parseTime(deadline)
	if err == nil {
		t.CreatedAt, err = parseTime(created)
	}
	if err == nil {
		t.UpdatedAt, err = parseTime(updated)
	}
	if err == nil {
		t.ResolvedAt, err = parseNullTime(resolved)
	}
	if err != nil {
		return nil, fmt.Errorf("ticket %s: %w", t.Code, err)
	}
	return &t, nil
}

// Ticket implements tickets.Store.
func (db *DB) Ticket(ctx context.Context, code tickets.Code) (*tickets.Ticket, error) {
	return scanTicket(db.read.QueryRowContext(ctx, selectTicket+" WHERE code = ?", code))
}

// Tickets implements tickets.Store. A filter on exactly the open statuses uses
// the partial index of each department's work queue.
func (db *DB) Tickets(ctx context.Context, f tickets.Filter) (tickets.Page, error) {
	where, args, err := ticketWhere(f)
	if err != nil {
		return tickets.Page{}, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = tickets.DefaultPageSize
	}
	limit = min(limit, tickets.MaxPageSize)
	q := selectTicket + where + " ORDER BY id DESC LIMIT ?"
	rows, err := db.read.QueryContext(ctx, q, append(args, limit+1)...)
	if err != nil {
		return tickets.Page{}, fmt.Errorf("list tickets: %w", err)
	}
	defer rows.Close()
	var p tickets.Page
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return tickets.Page{}, err
		}
		p.Tickets = append(p.Tickets, t)
	}
	if err := rows.Err(); err != nil {
		return tickets.Page{}, fmt.Errorf("list tickets: %w", err)
	}
	if len(p.Tickets) > limit {
		p.Tickets = p.Tickets[:limit]
		p.Next = p.Tickets[limit-1].ID
	}
	return p, nil
}

// ticketWhere builds the WHERE clause of f. Statuses are written as literals,
// in lifecycle order, after validation, so that the open set reads exactly as
// the partial index's condition does.
func ticketWhere(f tickets.Filter) (string, []any, error) {
	var conds []string
	var args []any
	if f.Department != "" {
		conds, args = append(conds, "department = ?"), append(args, f.Department)
	}
	if len(f.Statuses) > 0 {
		lits, err := statusLiterals(f.Statuses)
		if err != nil {
			return "", nil, err
		}
		conds = append(conds, "status IN ("+lits+")")
	}
	if f.Branch != 0 {
		conds, args = append(conds, "branch = ?"), append(args, f.Branch)
	}
	if f.Channel != "" {
		conds, args = append(conds, "channel = ?"), append(args, f.Channel)
	}
	if f.After > 0 {
		conds, args = append(conds, "id < ?"), append(args, f.After)
	}
	if len(conds) == 0 {
		return "", nil, nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

func statusLiterals(ss []tickets.Status) (string, error) {
	want := map[tickets.Status]bool{}
	for _, s := range ss {
		if _, err := tickets.ParseStatus(string(s)); err != nil {
			return "", err
		}
		want[s] = true
	}
	var lits []string
	for _, s := range tickets.Statuses {
		if want[s] {
			lits = append(lits, "'"+string(s)+"'")
		}
	}
	return strings.Join(lits, ", "), nil
}

// History implements tickets.Store.
func (db *DB) History(ctx context.Context, code tickets.Code) ([]tickets.HistoryEntry, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT h.at, h.actor, h.action, h.from_status, h.to_status,
		h.from_department, h.to_department, h.note
		FROM tickets t JOIN history h ON h.ticket_id = t.id WHERE t.code = ? ORDER BY h.id`, code)
	if err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	defer rows.Close()
	var hs []tickets.HistoryEntry
	for rows.Next() {
		var h tickets.HistoryEntry
		var at string
		if err := rows.Scan(&at, &h.Actor, &h.Action, &h.FromStatus, &h.ToStatus, &h.FromDepartment, &h.ToDepartment, &h.Note); err != nil {
			return nil, fmt.Errorf("read history: %w", err)
		}
		if h.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("read history: %w", err)
		}
		hs = append(hs, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	if len(hs) == 0 {
		return nil, tickets.Errorf(tickets.ENOTFOUND, "there is no ticket with this code")
	}
	return hs, nil
}

// CountTickets implements tickets.Store.
func (db *DB) CountTickets(ctx context.Context) ([]tickets.Count, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT department, status, count(*) FROM tickets GROUP BY department, status ORDER BY department, status`)
	if err != nil {
		return nil, fmt.Errorf("count tickets: %w", err)
	}
	defer rows.Close()
	var cs []tickets.Count
	for rows.Next() {
		var c tickets.Count
		if err := rows.Scan(&c.Department, &c.Status, &c.N); err != nil {
			return nil, fmt.Errorf("count tickets: %w", err)
		}
		cs = append(cs, c)
	}
	return cs, rows.Err()
}

func isUnique(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique
}

func nullString(s string, valid bool) sql.NullString { return sql.NullString{String: s, Valid: valid} }
