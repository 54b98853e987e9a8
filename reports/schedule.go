// SPDX-License-Identifier: Apache-2.0

package reports

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// RunStore records scheduled runs and queues their deliveries; *sqlite.DB
// satisfies it.
type RunStore interface {
	// ReportRun returns the run of period in format; ENOTFOUND if none.
	ReportRun(ctx context.Context, period, format string) (*tickets.ReportRun, error)
	// SaveReportRun records that the run's file is written.
	SaveReportRun(ctx context.Context, r *tickets.ReportRun) error
	// QueueNotices puts notices in the outbox; one whose key is already
	// there is not queued again.
	QueueNotices(ctx context.Context, at time.Time, ns []tickets.Notice) error
}

// Monthly writes a month's report into a folder and queues it for the
// managers' chats in the outbox, which delivers it like any message: retried
// until it arrives, sent once. A run whose file is written is not built
// again, and a chat's copy is queued once per month and format whatever the
// number of runs. Its methods are safe to call from several goroutines; runs
// take turns.
type Monthly struct {
	Builder *Builder
	Runs    RunStore
	Dir     string // where report files are written
	Format  Format
	Chats   []int64 // managers' chats; none: the file is only written
	// Channel is the chat channel the managers' chats are on.
	Channel tickets.Channel
	Loc     *time.Location // the schedule's time zone: month boundaries
	Log     *slog.Logger
	Now     func() time.Time // the clock; time.Now if nil
	// Archive keeps each report the schedule issues, and gives its bytes
	// back when the file is lost; nil: none is kept.
	Archive Archive
	// Activity skips the months that end before the first ticket or call;
	// nil: none is skipped.
	Activity Activity

	mu sync.Mutex
}

// maxMissed bounds how many months back Missed looks for the last run.
const maxMissed = 12

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

// Missed returns the months whose runs are due at due and not yet made,
// oldest first: due and the months before it back to the last run made, so
// that every month missed while hotline was down is made — at most 12, and
// only due itself if no run was ever made (a fresh install).
func (m *Monthly) Missed(ctx context.Context, due Period) ([]Period, error) {
	ps := []Period{due}
	for p := due.Previous(); len(ps) <= maxMissed; p = p.Previous() {
		_, err := m.Runs.ReportRun(ctx, p.Key(), string(m.Format))
		switch {
		case err == nil:
			slices.Reverse(ps)
			return ps, nil
		case tickets.ErrorCode(err) != tickets.ENOTFOUND:
			return nil, err
		}
		ps = append(ps, p)
	}
	return []Period{due}, nil
}

// Run makes sure the report of p is written and queued for every chat. It
// writes the file unless an earlier run's file is still there, then queues
// it for each chat, once per chat whatever the number of runs.
func (m *Monthly) Run(ctx context.Context, p Period) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if skip, err := m.beforeActivity(ctx, p); err != nil || skip {
		if skip {
			m.Log.Info("no report: the period ends before the first ticket or call", "period", p.Key())
		}
		return err
	}
	run, err := m.file(ctx, p)
	if err != nil {
		return err
	}
	if len(m.Chats) == 0 {
		return nil
	}
	body, err := json.Marshal(tickets.ReportNotice{Period: run.Period, Format: run.Format, File: run.File,
		Caption: fmt.Sprintf("%s %s", Title, p.Label())})
	if err != nil {
		return fmt.Errorf("queue report: %w", err)
	}
	var ns []tickets.Notice
	for _, chat := range m.Chats {
		id := strconv.FormatInt(chat, 10)
		ns = append(ns, tickets.Notice{Recipient: tickets.Recipient{Channel: m.Channel, ID: id}, Kind: tickets.NoticeReport,
			Body: string(body), Key: "report:" + run.Period + ":" + run.Format + ":" + id})
	}
	// Queued even if shutdown began meanwhile: the file is written.
	if err := m.Runs.QueueNotices(context.WithoutCancel(ctx), m.now(), ns); err != nil {
		return fmt.Errorf("queue report: %w", err)
	}
	m.Log.Info("report queued for the managers' chats", "period", run.Period, "chats", len(m.Chats))
	return nil
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
	name, body, err := m.body(ctx, p)
	if err != nil {
		return nil, err
	}
	run.File = filepath.Join(m.Dir, name)
	if err := WriteBytes(run.File, body); err != nil {
		return nil, err
	}
	run.CreatedAt = m.now()
	if err := m.Runs.SaveReportRun(ctx, run); err != nil {
		return nil, err
	}
	m.Log.Info("report written", "period", run.Period, "file", run.File)
	return run, nil
}
