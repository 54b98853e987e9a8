// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/mattn/go-sqlite3"
)

// RateTicket implements tickets.SurveyStore.
func (db *DB) RateTicket(ctx context.Context, code tickets.Code, s *tickets.Survey, check func(*tickets.Ticket) error) error {
	return db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		t, err := scanTicket(tx.QueryRowContext(ctx, selectTicket+" WHERE code = ?", code))
		if err != nil {
			return err
		}
		if err := check(t); err != nil {
			return err
		}
		s.Ticket, s.Department, s.Branch = t.Code, t.Department, t.Branch
		_, err = tx.ExecContext(ctx, `INSERT INTO surveys (ticket_id, rating, channel, comment, department, branch, rated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, t.ID, s.Rating, s.Channel, s.Comment, s.Department, s.Branch, formatTime(s.At))
		if isUniqueOrPrimary(err) {
			return tickets.Errorf(tickets.ECONFLICT, "the ticket is already rated")
		}
		if err != nil {
			return fmt.Errorf("insert survey: %w", err)
		}
		return nil
	})
}

// CommentSurvey implements tickets.SurveyStore.
func (db *DB) CommentSurvey(ctx context.Context, code tickets.Code, comment string) error {
	return db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var old string
		err := tx.QueryRowContext(ctx, `SELECT s.comment FROM surveys s JOIN tickets t ON t.id = s.ticket_id
			WHERE t.code = ?`, code).Scan(&old)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return tickets.Errorf(tickets.ENOTFOUND, "the ticket is not rated")
		case err != nil:
			return fmt.Errorf("read survey: %w", err)
		case old != "":
			return tickets.Errorf(tickets.ECONFLICT, "the survey has a comment already")
		}
		_, err = tx.ExecContext(ctx, `UPDATE surveys SET comment = ?
			WHERE ticket_id = (SELECT id FROM tickets WHERE code = ?)`, comment, code)
		if err != nil {
			return fmt.Errorf("comment survey: %w", err)
		}
		return nil
	})
}

// Survey implements tickets.SurveyStore.
func (db *DB) Survey(ctx context.Context, code tickets.Code) (*tickets.Survey, error) {
	var s tickets.Survey
	var at string
	err := db.read.QueryRowContext(ctx, `SELECT t.code, s.rating, s.channel, s.comment, s.department, s.branch, s.rated_at
		FROM surveys s JOIN tickets t ON t.id = s.ticket_id WHERE t.code = ?`, code).
		Scan(&s.Ticket, &s.Rating, &s.Channel, &s.Comment, &s.Department, &s.Branch, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tickets.Errorf(tickets.ENOTFOUND, "the ticket is not rated")
	}
	if err != nil {
		return nil, fmt.Errorf("read survey: %w", err)
	}
	if s.At, err = parseTime(at); err != nil {
		return nil, fmt.Errorf("read survey: %w", err)
	}
	return &s, nil
}

// isUniqueOrPrimary reports whether err is a unique or primary-key violation.
func isUniqueOrPrimary(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}

// ratingCounts counts the surveys rated in [from, to) by department, branch
// and level.
func ratingCounts(ctx context.Context, conn *sql.Conn, from, to time.Time, s *tickets.PeriodStats) error {
	rows, err := conn.QueryContext(ctx, `SELECT department, branch, rating, count(*) FROM surveys
		WHERE rated_at >= ? AND rated_at < ? GROUP BY department, branch, rating ORDER BY department, branch, rating`,
		formatTime(from), formatTime(to))
	if err != nil {
		return fmt.Errorf("count ratings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c tickets.RatingCount
		if err := rows.Scan(&c.Department, &c.Branch, &c.Rating, &c.N); err != nil {
			return fmt.Errorf("count ratings: %w", err)
		}
		s.Ratings = append(s.Ratings, c)
	}
	return rows.Err()
}

// CountRatings returns the number of surveys ever rated, by the department
// of their ticket when rated and level; Branch is 0.
func (db *DB) CountRatings(ctx context.Context) ([]tickets.RatingCount, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT department, rating, count(*) FROM surveys
		GROUP BY department, rating ORDER BY department, rating`)
	if err != nil {
		return nil, fmt.Errorf("count ratings: %w", err)
	}
	defer rows.Close()
	var out []tickets.RatingCount
	for rows.Next() {
		var c tickets.RatingCount
		if err := rows.Scan(&c.Department, &c.Rating, &c.N); err != nil {
			return nil, fmt.Errorf("count ratings: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// FlaggedSurveys returns up to limit surveys rated 1 or 2, newest first:
// the tickets for the department head's review.
func (db *DB) FlaggedSurveys(ctx context.Context, limit int) ([]tickets.Survey, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT t.code, s.rating, s.channel, s.comment, s.department, s.branch, s.rated_at
		FROM surveys s JOIN tickets t ON t.id = s.ticket_id WHERE s.rating <= 2 ORDER BY s.rated_at DESC, s.ticket_id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("read flagged surveys: %w", err)
	}
	defer rows.Close()
	var out []tickets.Survey
	for rows.Next() {
		var s tickets.Survey
		var at string
		if err := rows.Scan(&s.Ticket, &s.Rating, &s.Channel, &s.Comment, &s.Department, &s.Branch, &at); err != nil {
			return nil, fmt.Errorf("read flagged surveys: %w", err)
		}
		if s.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("read flagged surveys: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// branchResolved counts the tickets resolved in [from, to) by branch (a
// ticket's branch never changes), each once however often it was resolved.
func branchResolved(ctx context.Context, conn *sql.Conn, from, to time.Time, s *tickets.PeriodStats) error {
	rows, err := conn.QueryContext(ctx, `SELECT t.branch, count(DISTINCT h.ticket_id) FROM history h JOIN tickets t ON t.id = h.ticket_id
		WHERE h.action = 'resolve' AND h.at >= ? AND h.at < ? GROUP BY t.branch ORDER BY t.branch`, formatTime(from), formatTime(to))
	if err != nil {
		return fmt.Errorf("count resolutions by branch: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c tickets.BranchCount
		if err := rows.Scan(&c.Branch, &c.N); err != nil {
			return fmt.Errorf("count resolutions by branch: %w", err)
		}
		s.BranchResolved = append(s.BranchResolved, c)
	}
	return rows.Err()
}

// surveyCounts counts what the survey's part of a report needs.
func surveyCounts(ctx context.Context, conn *sql.Conn, from, to time.Time, s *tickets.PeriodStats) error {
	for _, count := range []func(context.Context, *sql.Conn, time.Time, time.Time, *tickets.PeriodStats) error{
		ratingCounts, branchResolved, callbackCounts} {
		if err := count(ctx, conn, from, to, s); err != nil {
			return err
		}
	}
	return nil
}
