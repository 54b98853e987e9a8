-- SPDX-License-Identifier: Apache-2.0
-- Case types with their legal time limits (issue 13 item 1) and department
-- renames and merges (issue 13 item 4).

-- A ticket's case type ('' for tickets stored before case types) and how
-- many times its deadline was extended.
ALTER TABLE tickets ADD COLUMN case_type TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN extensions INTEGER NOT NULL DEFAULT 0 CHECK (extensions >= 0);

-- A department renamed (old_name, new_name) or merged into another (successor)
-- from a local date "2006-01-02". Append-only, like the history.
CREATE TABLE department_changes (
	id          INTEGER PRIMARY KEY,
	department  TEXT NOT NULL,
	from_date   TEXT NOT NULL,
	old_name    TEXT NOT NULL DEFAULT '',
	new_name    TEXT NOT NULL DEFAULT '',
	successor   TEXT NOT NULL DEFAULT '',
	at          TEXT NOT NULL,
	actor       TEXT NOT NULL,
	CHECK ((successor = '') != (new_name = ''))
);
CREATE TRIGGER department_changes_no_update BEFORE UPDATE ON department_changes
BEGIN SELECT RAISE(ABORT, 'department changes are append-only'); END;
CREATE TRIGGER department_changes_no_delete BEFORE DELETE ON department_changes
BEGIN SELECT RAISE(ABORT, 'department changes are append-only'); END;
