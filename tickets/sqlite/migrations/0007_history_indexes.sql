-- SPDX-License-Identifier: Apache-2.0
-- Reports read the past from the append-only history: what happened in a
-- period, and what changed after its end. Each index serves one range.

-- Every entry at or after a period's end: a ticket's first one tells its
-- status at the end (from_status), its first move its department then
-- (from_department).
CREATE INDEX history_at ON history (at, ticket_id, from_status, from_department);
-- Resolutions and reopenings in a period.
CREATE INDEX history_resolutions ON history (at, ticket_id) WHERE action = 'resolve';
CREATE INDEX history_reopenings ON history (at, ticket_id) WHERE action = 'reopen';
-- A ticket's moves to another department, in order: the first move after a
-- moment names the department that held it then.
CREATE INDEX history_moves ON history (ticket_id, id, at, from_department) WHERE from_department != '';
