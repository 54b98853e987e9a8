// SPDX-License-Identifier: Apache-2.0

package reports

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// Archive keeps issued reports byte for byte; *sqlite.DB satisfies it.
type Archive interface {
	// IssueReport stores body as a new issued report (tickets.ReportArchive).
	IssueReport(ctx context.Context, r tickets.IssuedReport, body []byte) (*tickets.IssuedReport, error)
	// LastIssued returns the latest report of period in format issued by
	// source, and its bytes; ENOTFOUND if there is none.
	LastIssued(ctx context.Context, period, format, source string) (*tickets.IssuedReport, []byte, error)
}

// Activity tells when the hotline's records begin; *sqlite.DB satisfies it.
type Activity interface {
	// FirstActivity returns when the first ticket was received or the first
	// call started; the zero time if there is neither.
	FirstActivity(ctx context.Context) (time.Time, error)
}

// Issue renders r in format f and stores the bytes in a as a new issued
// report from source, correcting report replaces if that is not 0. It
// returns the record and the bytes issued; errors as Archive.IssueReport.
func Issue(ctx context.Context, a Archive, r *Report, f Format, source string, replaces int64, at time.Time) (*tickets.IssuedReport, []byte, error) {
	var b bytes.Buffer
	if err := r.Write(&b, f); err != nil {
		return nil, nil, err
	}
	ir, err := a.IssueReport(ctx, tickets.IssuedReport{Period: r.Period.Key(), Label: r.Period.Label(), Format: string(f),
		Source: source, IssuedAt: at, Replaces: replaces}, b.Bytes())
	if err != nil {
		return nil, nil, err
	}
	return ir, b.Bytes(), nil
}

// beforeActivity reports whether p ends before the first ticket or call,
// or there is none: a report of it would be empty and is not made.
func (m *Monthly) beforeActivity(ctx context.Context, p Period) (bool, error) {
	if m.Activity == nil {
		return false, nil
	}
	first, err := m.Activity.FirstActivity(ctx)
	if err != nil {
		return false, err
	}
	return first.IsZero() || !first.Before(p.To), nil
}

// body returns the bytes of p's report: those issued earlier by the
// schedule if the archive has them, else the report built now, issued to
// the archive if there is one.
func (m *Monthly) body(ctx context.Context, p Period) (name string, body []byte, err error) {
	if m.Archive != nil {
		ir, b, err := m.Archive.LastIssued(ctx, p.Key(), string(m.Format), tickets.ReportSourceSchedule)
		switch {
		case err == nil:
			m.Log.Info("report taken from the archive", "period", ir.Period, "number", ir.Number)
			return fileName(p, m.Format), b, nil
		case tickets.ErrorCode(err) != tickets.ENOTFOUND:
			return "", nil, err
		}
	}
	r, err := m.Builder.Build(ctx, p)
	if err != nil {
		return "", nil, err
	}
	if m.Archive == nil {
		var b bytes.Buffer
		err := r.Write(&b, m.Format)
		return r.FileName(m.Format), b.Bytes(), err
	}
	ir, b, err := Issue(ctx, m.Archive, r, m.Format, tickets.ReportSourceSchedule, 0, m.now())
	if err != nil {
		return "", nil, err
	}
	m.Log.Info("report issued", "period", ir.Period, "number", ir.Number, "sha256", ir.SHA256)
	return r.FileName(m.Format), b, nil
}

// WriteFile writes r in format f to path atomically: readers see the old
// file or the whole new one, never a part.
func WriteFile(path string, r *Report, f Format) error {
	var b bytes.Buffer
	if err := r.Write(&b, f); err != nil {
		return err
	}
	return WriteBytes(path, b.Bytes())
}

// WriteBytes writes b to path atomically, making its folder if needed.
func WriteBytes(path string, b []byte) (err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(b); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}
