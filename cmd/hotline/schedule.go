// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/hotline-cchc/hotline/reports"
)

// reportsDir is the folder of the scheduled reports inside the data folder.
const reportsDir = "reports"

// startReports runs the monthly report on the configured cron schedule, in
// the reports' time zone, and at once the run that is due and not complete
// (one missed while hotline was down, or a delivery that failed). stop waits
// for a run in progress; ctx ending cancels it.
func (m *Main) startReports(ctx context.Context, a *app, log *slog.Logger, deliver reports.Deliver) (stop func(), err error) {
	loc, err := a.cfg.ReportsLocation()
	if err != nil {
		return nil, err
	}
	format, err := reports.ParseFormat(a.cfg.Reports.Format)
	if err != nil {
		return nil, err
	}
	sched, err := cron.ParseStandard(a.cfg.Reports.Schedule)
	if err != nil {
		return nil, fmt.Errorf("reports.schedule: %w", err)
	}
	log = log.With("component", "reports")
	monthly := &reports.Monthly{
		Builder: &reports.Builder{Source: a.db, Menu: a.menu},
		Runs:    a.db, Dir: filepath.Join(a.cfg.Data, reportsDir), Format: format,
		Chats: a.cfg.Reports.Chats, Deliver: deliver, Loc: loc, Log: log,
	}
	var runs sync.WaitGroup
	run := func(p reports.Period) {
		defer runs.Done()
		if err := monthly.Run(ctx, p); err != nil && ctx.Err() == nil {
			log.Error("monthly report", "period", p.Key(), "err", err)
		}
	}
	c := cron.New(cron.WithLocation(loc))
	c.Schedule(sched, cron.FuncJob(func() { runs.Add(1); run(monthly.LastMonth()) }))
	runs.Add(1)
	go run(monthly.DueMonth(func(t time.Time) time.Time { return sched.Next(t.In(loc)) }))
	c.Start()
	log.Info("monthly report scheduled", "schedule", a.cfg.Reports.Schedule, "time_zone", loc.String(),
		"format", string(format), "chats", len(a.cfg.Reports.Chats), "next", sched.Next(time.Now().In(loc)).Format(time.RFC3339))
	return func() {
		<-c.Stop().Done()
		runs.Wait()
	}, nil
}

// errTelegramOff is what delivering a report says while the Telegram
// channel is off.
var errTelegramOff = errors.New("telegram channel is off: store the bot token with \"hotline secrets set TELEGRAM_TOKEN\"")

// maxReportSize bounds the report file sent as a Telegram document (the Bot
// API takes up to 50 MB).
const maxReportSize = 50 << 20

// sendTimeout bounds sending one report, which shutdown waits for.
const sendTimeout = 2 * time.Minute

// telegramDelivery is the reports' Deliver: the report file sent as a
// document through the bot. While the Telegram channel is off or not yet
// connected every delivery fails; the schedule logs and records that and
// tries again at the next start. The report file is written all the same.
func telegramDelivery(c *telegramChannel) reports.Deliver {
	return func(ctx context.Context, chat int64, file, caption string) error {
		if c == nil {
			return errTelegramOff
		}
		a, err := c.await(ctx, time.Minute)
		if err != nil {
			return err
		}
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, maxReportSize+1))
		if err != nil {
			return err
		}
		if len(data) > maxReportSize {
			return fmt.Errorf("report %s is larger than Telegram's 50 MB", filepath.Base(file))
		}
		// A send that has begun is finished even if shutdown begins: cut
		// off, it may reach the chat unrecorded and be sent again.
		send, cancel := context.WithTimeout(context.WithoutCancel(ctx), sendTimeout)
		defer cancel()
		return a.SendDocument(send, chat, filepath.Base(file), data, caption)
	}
}
