// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/robfig/cron/v3"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/backup"
)

// scheduledPrefix names the scheduled backups, which alone are rotated:
// backups made by hand are the operator's to remove.
const scheduledPrefix = "scheduled-"

// backupSchedule takes the scheduled backups while serve runs and keeps the
// state that /readyz and /metrics show.
type backupSchedule struct {
	db, dir string
	keep    int
	log     *slog.Logger
	now     func() time.Time
	loc     *time.Location // the province's, for messages

	mu          sync.Mutex
	lastSuccess time.Time
	lastFailure time.Time
	lastErr     error
	lastSize    int64
}

// newBackupSchedule returns the schedule of a's configuration; nil if
// backup.schedule is empty.
func newBackupSchedule(a *app, log *slog.Logger) (*backupSchedule, error) {
	if a.cfg.Backup.Schedule == "" {
		return nil, nil
	}
	dir, err := backupDir(a.cfg)
	if err != nil {
		return nil, err
	}
	return &backupSchedule{db: a.db.Path(), dir: dir, keep: a.cfg.Backup.Keep,
		log: log.With("component", "backup"), now: time.Now, loc: a.cal.Location()}, nil
}

// startBackups runs the scheduled backups on backup.schedule in the
// province's time zone, into a.backups, until stop, which waits for a backup
// in progress. With no schedule a.backups stays nil and stop does nothing;
// check and register accept a nil *backupSchedule.
func (a *app) startBackups(log *slog.Logger) (stop func(), err error) {
	s, err := newBackupSchedule(a, log)
	if err != nil || s == nil {
		return func() {}, err
	}
	loc, err := time.LoadLocation(a.cfg.TimeZone)
	if err != nil {
		return nil, err
	}
	c := cron.New(cron.WithLocation(loc))
	if _, err := c.AddFunc(a.cfg.Backup.Schedule, func() { s.run(context.Background()) }); err != nil {
		return nil, fmt.Errorf("backup.schedule: %w", err)
	}
	c.Start()
	a.backups = s
	s.log.Info("backups scheduled", "schedule", a.cfg.Backup.Schedule, "dir", s.dir, "keep", s.keep)
	return func() { <-c.Stop().Done() }, nil
}

// run takes one backup, removes the scheduled ones beyond keep and records
// the outcome; it logs a failure, which check then reports.
func (s *backupSchedule) run(ctx context.Context) {
	start := s.now()
	r, err := s.take(ctx, start)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.lastFailure, s.lastErr = start, err
		s.log.Error("scheduled backup failed", "err", err)
		return
	}
	s.lastSuccess, s.lastErr, s.lastSize = start, nil, r.Size
	s.log.Info("scheduled backup", "file", r.Path, "bytes", r.Size, "sha256", r.SHA256)
}

func (s *backupSchedule) take(ctx context.Context, now time.Time) (backup.Result, error) {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return backup.Result{}, fmt.Errorf("backup folder: %w", err)
	}
	name := scheduledPrefix + now.UTC().Format("20060102T150405Z") + ".db.gz"
	r, err := backup.Create(ctx, s.db, filepath.Join(s.dir, name))
	if err != nil {
		return r, err
	}
	return r, s.rotate()
}

// rotate removes the oldest scheduled backups (and their checksum files)
// beyond keep. Their names sort by time.
func (s *backupSchedule) rotate() error {
	files, err := filepath.Glob(filepath.Join(s.dir, scheduledPrefix+"*.db.gz"))
	if err != nil {
		return err
	}
	slices.Sort(files)
	var errs []error
	for _, f := range files[:max(0, len(files)-s.keep)] {
		errs = append(errs, os.Remove(f), os.Remove(f+backup.SumSuffix))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("remove old backups: %w", err)
	}
	return nil
}

// check is the "backup" part of /readyz: an error while the last scheduled
// backup failed.
func (s *backupSchedule) check(context.Context) error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lastErr != nil {
		return fmt.Errorf("the last scheduled backup failed at %s: %w", s.lastFailure.In(s.loc).Format(time.RFC3339), s.lastErr)
	}
	return nil
}

// register adds the backup gauges to reg: the time of the last scheduled
// backup that succeeded and of the last that failed (0: none since start),
// and the last one's size.
func (s *backupSchedule) register(reg prometheus.Registerer) error {
	if s == nil {
		return nil
	}
	gauge := func(name, help string, v func() float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 {
			s.mu.Lock()
			defer s.mu.Unlock()
			return v()
		})
	}
	unix := func(t time.Time) float64 {
		if t.IsZero() {
			return 0
		}
		return float64(t.UnixNano()) / 1e9
	}
	for _, c := range []prometheus.Collector{
		gauge("hotline_backup_last_success_timestamp_seconds", "When the last scheduled backup that succeeded began; 0: none since start.", func() float64 { return unix(s.lastSuccess) }),
		gauge("hotline_backup_last_failure_timestamp_seconds", "When the last scheduled backup that failed began; 0: none since start.", func() float64 { return unix(s.lastFailure) }),
		gauge("hotline_backup_last_size_bytes", "Size of the last scheduled backup that succeeded.", func() float64 { return float64(s.lastSize) }),
	} {
		if err := reg.Register(c); err != nil {
			return fmt.Errorf("backup metrics: %w", err)
		}
	}
	return nil
}
