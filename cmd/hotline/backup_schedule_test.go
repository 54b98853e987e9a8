// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

func TestScheduledBackups(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	env := map[string]string{"HOTLINE_DATA": dir, "HOTLINE_BACKUP_SCHEDULE": "30 2 * * *", "HOTLINE_BACKUP_KEEP": "2"}
	m := &Main{Getenv: mapEnv(env)}
	cfg, err := m.loadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	a, closeApp, err := openLocked(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer closeApp()
	stop, err := a.startBackups(slog.New(slog.NewTextHandler(io.Discard, nil)))
	s := a.backups
	if err != nil || s == nil {
		t.Fatalf("startBackups: %v, %v", s, err)
	}
	stop()
	reg := prometheus.NewRegistry()
	if err := s.register(reg); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 12, 1, 19, 30, 0, 0, time.UTC)
	for i := range 3 {
		s.now = func() time.Time { return day.AddDate(0, 0, i) }
		s.run(ctx)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "backups", "scheduled-*"))
	if want := []string{"scheduled-20261202T193000Z.db.gz", "scheduled-20261202T193000Z.db.gz.sha256",
		"scheduled-20261203T193000Z.db.gz", "scheduled-20261203T193000Z.db.gz.sha256"}; strings.Join(base(files), " ") != strings.Join(want, " ") {
		t.Errorf("kept %v, want %v", base(files), want)
	}
	if err := s.check(ctx); err != nil {
		t.Errorf("readiness after a good backup: %v", err)
	}
	if got, want := gauge(t, reg, "hotline_backup_last_success_timestamp_seconds"), float64(day.AddDate(0, 0, 2).Unix()); got != want {
		t.Errorf("last success = %v, want %v", got, want)
	}
	s.db = filepath.Join(dir, "gone.db")
	s.run(ctx)
	if err := s.check(ctx); err == nil || !strings.Contains(err.Error(), "the last scheduled backup failed at 2026-12-04T02:30:00+07:00") {
		t.Errorf("readiness after a failed backup: %v", err)
	}
	if n := gauge(t, reg, "hotline_backup_last_failure_timestamp_seconds"); n == 0 {
		t.Error("the failure is not in the metrics")
	}
}

func TestNoScheduledBackups(t *testing.T) {
	dir := t.TempDir()
	m := &Main{Getenv: mapEnv(map[string]string{"HOTLINE_DATA": dir})}
	cfg, err := m.loadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	a, closeApp, err := openLocked(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer closeApp()
	stop, err := a.startBackups(slog.New(slog.NewTextHandler(io.Discard, nil)))
	s := a.backups
	if err != nil || s != nil {
		t.Fatalf("startBackups without a schedule: %v, %v", s, err)
	}
	stop()
	if s.check(context.Background()) != nil || s.register(prometheus.NewRegistry()) != nil {
		t.Error("a nil schedule is not ready or not registrable")
	}
}

func base(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = filepath.Base(p)
	}
	return out
}

// gauge returns the value of the gathered gauge called name.
func gauge(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetGauge().GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}
