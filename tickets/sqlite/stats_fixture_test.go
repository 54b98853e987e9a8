// SPDX-License-Identifier: Apache-2.0

package sqlite

// The report benchmark's history fixture and its baseline statements.

// historyFixture writes each fixture ticket's history in time order, as
// the service would have: created; assigned 5 minutes later (one in 33 moved
// there from another department) unless new; started 10 minutes later
// unless new or assigned; for one in 50 done tickets a first resolution
// half-way and a reopening a minute later; resolved at resolved_at; closed a
// day later if closed. About 4.6 million entries.
var historyFixture = func() []string {
	const ts = `strftime('%Y-%m-%dT%H:%M:%fZ', `
	const insert = `INSERT INTO history (ticket_id, at, actor, action, from_status, to_status, from_department, to_department) `
	const done = `status IN ('resolved', 'closed')`
	half := ts + `(julianday(created_at) + julianday(resolved_at)) / 2`
	return []string{
		insert + `SELECT id, created_at, 'bench', 'create', '', 'new', '', department FROM tickets`,
		insert + `SELECT id, ` + ts + `created_at, '+300 seconds'), 'bench', 'assign', 'new', 'assigned',
			CASE WHEN id % 33 = 0 THEN (CASE department WHEN 'so-tu-phap' THEN 'so-noi-vu' ELSE 'so-tu-phap' END) ELSE '' END,
			CASE WHEN id % 33 = 0 THEN department ELSE '' END
			FROM tickets WHERE status != 'new'`,
		insert + `SELECT id, ` + ts + `created_at, '+600 seconds'), 'bench', 'start', 'assigned', 'in_progress', '', ''
			FROM tickets WHERE status NOT IN ('new', 'assigned')`,
		insert + `SELECT id, ` + half + `), 'bench', 'resolve', 'in_progress', 'resolved', '', ''
			FROM tickets WHERE ` + done + ` AND id % 50 = 7`,
		insert + `SELECT id, ` + half + `, '+60 seconds'), 'bench', 'reopen', 'resolved', 'in_progress', '', ''
			FROM tickets WHERE ` + done + ` AND id % 50 = 7`,
		insert + `SELECT id, resolved_at, 'bench', 'resolve', 'in_progress', 'resolved', '', '' FROM tickets WHERE ` + done,
		insert + `SELECT id, ` + ts + `resolved_at, '+1 day'), 'bench', 'close', 'resolved', 'closed', '', ''
			FROM tickets WHERE status = 'closed'`,
	}
}()

// The baseline: the statements reports ran before they read the history,
// over the tickets' current state only (status, department and last
// resolution now). The history-based report is measured against them.
const (
	// offset modifier, from, to
	baselineReceivedSQL = `SELECT strftime('%Y-%m-%d', created_at, ?) AS day, department, channel, count(*)
		FROM tickets WHERE created_at >= ? AND created_at < ?
		GROUP BY day, department, channel`
	// from, to. Nearest rank: ceil(n/2) and ceil(9n/10).
	baselineResolvedSQL = `WITH r AS (
			SELECT department, resolved_at <= deadline AS on_time,
				CAST(round((julianday(resolved_at) - julianday(created_at)) * 86400000) AS INTEGER) AS ms
			FROM tickets
			WHERE resolved_at >= ? AND resolved_at < ? AND status IN ('resolved', 'closed')),
		ranked AS (
			SELECT department, ms,
				row_number() OVER (PARTITION BY department ORDER BY ms) AS rank,
				count(*) OVER (PARTITION BY department) AS n,
				sum(on_time) OVER (PARTITION BY department) AS on_time
			FROM r)
		SELECT department, n, on_time, rank = (n + 1) / 2, rank = (9 * n + 9) / 10, ms
		FROM ranked WHERE rank = (n + 1) / 2 OR rank = (9 * n + 9) / 10`
	// to (×2), to (×2). Open now and created before the end, or resolved
	// only after it.
	baselineOpenSQL = `SELECT department, count(*), sum(deadline < ?) FROM (
			SELECT department, deadline FROM tickets
			WHERE created_at < ? AND status IN ('new', 'assigned', 'in_progress')
			UNION ALL
			SELECT department, deadline FROM tickets
			WHERE resolved_at >= ? AND status IN ('resolved', 'closed') AND created_at < ?)
		GROUP BY department`
	baselineOverdueColumns = `SELECT code, branch, department, channel, status, created_at, deadline, resolved_at FROM tickets`
	// from, to; to (×2); to (×3)
	baselineOverdueSQL = baselineOverdueColumns + `
		WHERE resolved_at >= ? AND resolved_at < ? AND status IN ('resolved', 'closed') AND resolved_at > deadline
		UNION ALL ` + baselineOverdueColumns + `
		WHERE created_at < ? AND status IN ('new', 'assigned', 'in_progress') AND deadline < ?
		UNION ALL ` + baselineOverdueColumns + `
		WHERE resolved_at >= ? AND status IN ('resolved', 'closed') AND created_at < ? AND deadline < ?
		ORDER BY department, deadline, code`
)
