// SPDX-License-Identifier: Apache-2.0

package tickets

import (
	"context"
	"time"
)

// IssuedReport is a report as it was issued: sent by the monthly schedule or
// issued from the command line. Its bytes are kept unchanged under its
// number; a correction is a new issued report that names the one it
// replaces, never a change to it.
type IssuedReport struct {
	Number   int64
	Period   string // the period's key: "2026-10", or "2026-09-07_2026-10-31"
	Label    string // the period in Vietnamese: "tháng 10/2026"
	Format   string // "html", "xlsx", "csv" or "text"
	Source   string // ReportSourceSchedule or ReportSourceCommand
	IssuedAt time.Time
	SHA256   string // hex of the bytes' SHA-256
	Size     int64
	// Replaces is the number of the report this one corrects; 0 if none.
	Replaces int64
	// ReplacedBy is the number of the correction of this report; 0 if none.
	ReplacedBy int64
}

// Where an issued report came from.
const (
	ReportSourceSchedule = "schedule" // the monthly schedule
	ReportSourceCommand  = "command"  // hotline report --issue
)

// ReportArchive keeps issued reports; the SQLite store implements it.
type ReportArchive interface {
	// IssueReport stores body as a new issued report described by r
	// (Period, Label, Format, Source, IssuedAt, Replaces) and returns it
	// with its number and hash. It returns ENOTFOUND if r.Replaces names no
	// issued report, EINVALID if that one is of another period, and
	// ECONFLICT if it is already replaced.
	IssueReport(ctx context.Context, r IssuedReport, body []byte) (*IssuedReport, error)
	// IssuedReports returns every issued report, by number.
	IssuedReports(ctx context.Context) ([]IssuedReport, error)
	// IssuedReport returns report n and its bytes, checked against its
	// hash; ENOTFOUND if there is none, EINTERNAL if the bytes do not match.
	IssuedReport(ctx context.Context, n int64) (*IssuedReport, []byte, error)
}
