-- SPDX-License-Identifier: Apache-2.0
-- Issued reports: each report the monthly schedule sends and each one issued
-- with "hotline report --issue", kept byte for byte under a number. The bytes
-- live here, not in files, so that a number, its hash and its bytes are
-- written in one transaction and every backup of the database carries them.
CREATE TABLE issued_reports (
	number    INTEGER PRIMARY KEY AUTOINCREMENT,
	period    TEXT    NOT NULL, -- "2026-10", or "2026-09-07_2026-10-31"
	label     TEXT    NOT NULL, -- "tháng 10/2026"
	format    TEXT    NOT NULL,
	source    TEXT    NOT NULL CHECK (source IN ('schedule', 'command')),
	issued_at TEXT    NOT NULL,
	sha256    TEXT    NOT NULL, -- hex
	size      INTEGER NOT NULL,
	body      BLOB    NOT NULL,
	-- The report this one corrects; a report is corrected at most once, and
	-- a later correction replaces the correction.
	replaces  INTEGER UNIQUE REFERENCES issued_reports (number)
);

CREATE INDEX issued_reports_period ON issued_reports (period, format);

-- An issued report is never changed nor removed.
CREATE TRIGGER issued_reports_no_update BEFORE UPDATE ON issued_reports
BEGIN
	SELECT RAISE(ABORT, 'an issued report is never changed: issue a correction');
END;
CREATE TRIGGER issued_reports_no_delete BEFORE DELETE ON issued_reports
BEGIN
	SELECT RAISE(ABORT, 'an issued report is never removed');
END;
