// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/hotline-cchc/hotline/tickets"
)

// ImportTickets stores ts in one transaction (tickets.ImportStore): every
// ticket with its history, or none. A ticket whose Source is already stored
// is skipped and given the stored one's code.
func (db *DB) ImportTickets(ctx context.Context, ts []tickets.ImportedTicket, progress func(done int)) (int, error) {
	skipped := 0
	err := db.update(ctx, func(ctx context.Context, tx *sql.Tx) error {
		skipped = 0
		find, err := tx.PrepareContext(ctx, `SELECT code FROM tickets WHERE source = ?`)
		if err != nil {
			return fmt.Errorf("import tickets: %w", err)
		}
		defer find.Close()
		for i, it := range ts {
			t := it.Ticket
			switch err := find.QueryRowContext(ctx, t.Source).Scan(&t.Code); {
			case err == nil:
				skipped++
				continue
			case !errors.Is(err, sql.ErrNoRows):
				return fmt.Errorf("import tickets: %w", err)
			}
			if err := db.insertCoded(ctx, tx, t); err != nil {
				return err
			}
			for _, h := range it.History {
				if err := insertHistory(ctx, tx, t.ID, h); err != nil {
					return err
				}
			}
			if progress != nil && (i+1)%500 == 0 {
				progress(i + 1)
			}
		}
		if progress != nil {
			progress(len(ts))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return skipped, nil
}
