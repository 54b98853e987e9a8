// SPDX-License-Identifier: Apache-2.0

package reports

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// Deliver sends a report file to a managers' chat with a caption. cmd/hotline
// wires it to the Telegram channel.
type Deliver func(ctx context.Context, chatID int64, file string, caption string) error

// RunStore records scheduled runs and their deliveries; *sqlite.DB
// satisfies it.
type RunStore interface {
	// ReportRun returns the run of period in format; ENOTFOUND if none.
	ReportRun(ctx context.Context, period, format string) (*tickets.ReportRun, error)
	// SaveReportRun records that the run's file is written.
	SaveReportRun(ctx context.Context, r *tickets.ReportRun) error
	// RecordDelivery records an attempt to send a run to a chat: sent if
	// failure is empty.
	RecordDelivery(ctx context.Context, period, format string, chat int64, at time.Time, failure string) error
}

// Monthly writes a month's report into a folder and delivers it to the
// managers' chats, once: a run whose file is written and whose chats have
// all received it is not repeated, and a delivery that failed is tried again
// by the next Run of the same month. Its methods are safe to call from
// several goroutines; runs take turns.
type Monthly struct {
	Builder *Builder
	Runs    RunStore
	Dir     string // where report files are written
	Format  Format
	Chats   []int64 // managers' chats; none: the file is only written
	Deliver Deliver
	Loc     *time.Location // the schedule's time zone: month boundaries
	Log     *slog.Logger
	Now     func() time.Time // the clock; time.Now if nil

	mu sync.Mutex
}

// LastMonth returns the last calendar month, in Loc, that has ended at now.
func (m *Monthly) LastMonth() Period {
	now := m.now().In(m.Loc)
	return Month(now.Year(), now.Month()-1, m.Loc)
}

// DueMonth returns the latest month whose scheduled run is due at now: the
// last month if the schedule's first time after that month's end has come,
// else the month before it. next is the schedule: the first time after t.
// Running DueMonth at start makes up a run missed while hotline was down
// without running early one that is not due yet.
func (m *Monthly) DueMonth(next func(t time.Time) time.Time) Period {
	p := m.LastMonth()
	if next(p.To.Add(-time.Second)).After(m.now()) {
		return p.Previous()
	}
	return p
}

func (m *Monthly) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// Run makes sure the report of p is written and has reached every chat. It
// writes the file unless an earlier run's file is still there, then sends it
// to each chat that has not received it, recording each attempt. It returns
// the delivery errors joined (the other chats are still tried), or the first
// error that stopped the run.
func (m *Monthly) Run(ctx context.Context, p Period) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	run, err := m.file(ctx, p)
	if err != nil {
		return err
	}
	var errs []error
	caption := fmt.Sprintf("%s %s", Title, p.Label())
	for _, chat := range m.Chats {
		if _, sent := run.Sent[chat]; sent {
			continue
		}
		if err := ctx.Err(); err != nil { // shutting down: the next start goes on
			return errors.Join(append(errs, err)...)
		}
		derr := errors.New("no delivery function")
		if m.Deliver != nil {
			derr = m.Deliver(ctx, chat, run.File, caption)
		}
		failure := ""
		if derr != nil {
			failure = derr.Error()
			// The chat id is configuration, not a citizen's: it may be logged.
			m.Log.Warn("report not delivered; it is tried again at the next start", "period", run.Period, "chat_id", chat, "err", derr)
			errs = append(errs, fmt.Errorf("deliver report %s to chat %d: %w", run.Period, chat, derr))
		} else {
			m.Log.Info("report delivered", "period", run.Period, "chat_id", chat)
		}
		// A report sent is recorded even if shutdown began meanwhile, so that
		// the next start does not send it again.
		if err := m.Runs.RecordDelivery(context.WithoutCancel(ctx), run.Period, run.Format, chat, m.now(), failure); err != nil {
			return errors.Join(append(errs, fmt.Errorf("record delivery: %w", err))...)
		}
	}
	return errors.Join(errs...)
}

// file returns the run of p, writing its file first if no earlier run wrote
// one that is still there.
func (m *Monthly) file(ctx context.Context, p Period) (*tickets.ReportRun, error) {
	run, err := m.Runs.ReportRun(ctx, p.Key(), string(m.Format))
	switch {
	case err == nil:
		if _, serr := os.Stat(run.File); serr == nil {
			return run, nil
		}
		m.Log.Warn("report file missing; writing it again", "period", run.Period, "file", run.File)
	case tickets.ErrorCode(err) != tickets.ENOTFOUND:
		return nil, err
	default:
		run = &tickets.ReportRun{Period: p.Key(), Format: string(m.Format), Sent: map[int64]time.Time{}}
	}
	r, err := m.Builder.Build(ctx, p)
	if err != nil {
		return nil, err
	}
	run.File = filepath.Join(m.Dir, r.FileName(m.Format))
	if err := WriteFile(run.File, r, m.Format); err != nil {
		return nil, err
	}
	run.CreatedAt = m.now()
	if err := m.Runs.SaveReportRun(ctx, run); err != nil {
		return nil, err
	}
	m.Log.Info("report written", "period", run.Period, "file", run.File)
	return run, nil
}

// WriteFile writes r in format f to path atomically: readers see the old
// file or the whole new one, never a part.
func WriteFile(path string, r *Report, f Format) (err error) {
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
	if err := r.Write(tmp, f); err != nil {
		return err
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
