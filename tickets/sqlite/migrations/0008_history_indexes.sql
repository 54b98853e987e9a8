-- SPDX-License-Identifier: Apache-2.0
-- Reports read the past from the append-only history: what happened in a
-- period, and what changed after its end. Each index serves one range.

-- Reopenings in a period, or since a moment: the few tickets whose
-- resolutions (history_ticket_resolutions) and state (history_ticket) are
-- read from their history.
CREATE INDEX history_reopenings ON history (at, ticket_id) WHERE action = 'reopen';
CREATE INDEX history_ticket_resolutions ON history (ticket_id, at) WHERE action = 'resolve';
-- Moves to another department: after a period's end (each ticket's first
-- one names the department that held it at the end), and one ticket's in
-- order (the first after a resolution names the department that resolved).
CREATE INDEX history_moved_at ON history (at, ticket_id, from_department) WHERE from_department != '';
CREATE INDEX history_moves ON history (ticket_id, id, at, from_department) WHERE from_department != '';
-- Every entry at or after a period's end: a ticket's first one tells its
-- status at the end (from_status), for the overdue list.
CREATE INDEX history_at ON history (at, ticket_id, from_status);
