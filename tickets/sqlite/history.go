// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"fmt"

	"github.com/hotline-cchc/hotline/tickets"
)

// HistoryPage returns up to limit history entries of the ticket with code,
// oldest first, after the entry whose cursor is after (0: from the first),
// and the cursor of the last entry returned when more follow (0 when this
// page is the last). The cursor is the entry's row id: keyset paging on the
// index history (ticket_id, id), so a page deep in a long history costs no
// more than the first, and entries appended meanwhile never shift a page.
// An unknown code has no entries; the caller looks the ticket up first.
func (db *DB) HistoryPage(ctx context.Context, code tickets.Code, after int64, limit int) ([]tickets.HistoryEntry, int64, error) {
	if limit < 1 {
		return nil, 0, tickets.Errorf(tickets.EINVALID, "a history page needs a positive limit")
	}
	rows, err := db.read.QueryContext(ctx, `SELECT h.id, h.at, h.actor, h.action, h.from_status, h.to_status,
		h.from_department, h.to_department, h.note
		FROM history h WHERE h.ticket_id = (SELECT id FROM tickets WHERE code = ?) AND h.id > ?
		ORDER BY h.id LIMIT ?`, code, after, limit+1)
	if err != nil {
		return nil, 0, fmt.Errorf("read history page: %w", err)
	}
	defer rows.Close()
	var hs []tickets.HistoryEntry
	var ids []int64
	for rows.Next() {
		var h tickets.HistoryEntry
		var id int64
		var at string
		if err := rows.Scan(&id, &at, &h.Actor, &h.Action, &h.FromStatus, &h.ToStatus, &h.FromDepartment, &h.ToDepartment, &h.Note); err != nil {
			return nil, 0, fmt.Errorf("read history page: %w", err)
		}
		if h.At, err = parseTime(at); err != nil {
			return nil, 0, fmt.Errorf("read history page: %w", err)
		}
		hs, ids = append(hs, h), append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("read history page: %w", err)
	}
	if len(hs) <= limit {
		return hs, 0, nil
	}
	return hs[:limit], ids[limit-1], nil
}
