// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/hotline-cchc/hotline/tickets"
)

// ImportTickets stores ts (tickets.ImportStore): in one transaction if batch
// is 0, else in transactions of batch tickets each. A ticket whose Source
// is already stored is skipped and given the stored one's code.
func (db *DB) ImportTickets(ctx context.Context, ts []tickets.ImportedTicket, batch int, progress func(done int)) (int, error) {
	if batch <= 0 {
		batch = len(ts)
	}
	skipped := 0
	for from := 0; from < len(ts); from += batch {
		part := ts[from:min(from+batch, len(ts))]
		n := 0
		err := db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
			var err error
			n, err = importPart(ctx, db, tx, part, func(done int) {
				if progress != nil {
					progress(from + done)
				}
			})
			return err
		})
		if err != nil {
			if from > 0 {
				err = fmt.Errorf("%w (the %d tickets before were saved)", err, from)
			}
			return skipped, err
		}
		skipped += n
	}
	if progress != nil {
		progress(len(ts))
	}
	return skipped, nil
}

// importPart stores ts in tx and returns how many were there already.
func importPart(ctx context.Context, db *DB, tx *sql.Tx, ts []tickets.ImportedTicket, progress func(done int)) (skipped int, err error) {
	// A large import's pages stay in memory until the commit rather than
	// spill into the WAL as the default cache fills.
	if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -262144`); err != nil {
		return 0, fmt.Errorf("import tickets: %w", err)
	}
	defer tx.ExecContext(ctx, `PRAGMA cache_size = `+cacheSize)
	var stmts [3]*sql.Stmt
	for i, q := range []string{`SELECT code FROM tickets WHERE source = ?`, insertTicketSQL, insertHistorySQL} {
		if stmts[i], err = tx.PrepareContext(ctx, q); err != nil {
			return 0, fmt.Errorf("import tickets: %w", err)
		}
		defer stmts[i].Close()
	}
	find, ticket, history := stmts[0], stmts[1].ExecContext, stmts[2].ExecContext
	for i, it := range ts {
		t := it.Ticket
		switch err := find.QueryRowContext(ctx, t.Source).Scan(&t.Code); {
		case err == nil:
			skipped++
			continue
		case !errors.Is(err, sql.ErrNoRows):
			return 0, fmt.Errorf("import tickets: %w", err)
		}
		if err := db.insertCoded(ctx, ticket, t); err != nil {
			return 0, err
		}
		for _, h := range it.History {
			if err := insertHistoryWith(ctx, history, t.ID, h); err != nil {
				return 0, err
			}
		}
		if (i+1)%500 == 0 {
			progress(i + 1)
		}
	}
	return skipped, nil
}
