// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/hotline-cchc/hotline/reports"
	"github.com/hotline-cchc/hotline/tickets"
)

// reportsDir is the folder of the scheduled reports inside the data folder.
const reportsDir = "reports"

// startReports runs the monthly report on the configured cron schedule, in
// the reports' time zone, and at once the runs due and not made (every month
// missed while hotline was down). Each run writes the file and queues it for
// the managers' chats in the outbox, which the chat channel delivers. stop
// waits for a run in progress; ctx ending cancels it.
func (m *Main) startReports(ctx context.Context, a *app, log *slog.Logger) (stop func(), err error) {
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
	if len(a.cfg.Reports.Chats) > 0 && a.telegram == nil {
		log.Warn("telegram channel is off: reports wait in the outbox until it is on; store the bot token with \"hotline secrets set TELEGRAM_TOKEN\"")
	}
	monthly := &reports.Monthly{
		Builder: &reports.Builder{Source: a.db, Menu: a.menu, Target: a.cfg.Survey.Target},
		Runs:    a.db, Dir: filepath.Join(a.cfg.Data, reportsDir), Format: format,
		Chats: a.cfg.Reports.Chats, Channel: tickets.ChannelTelegram, Loc: loc, Log: log,
		Archive: a.db, Activity: a.db,
	}
	var mailer *reportMailer
	if a.mail != nil {
		mailer = &reportMailer{a: a, builder: monthly.Builder, dir: monthly.Dir, wake: a.mail.bot.Wake}
	}
	var runs sync.WaitGroup
	run := func(ps ...reports.Period) {
		defer runs.Done()
		for _, p := range ps {
			runMonth(ctx, monthly, mailer, p, log)
		}
	}
	c := cron.New(cron.WithLocation(loc))
	c.Schedule(sched, cron.FuncJob(func() { runs.Add(1); run(monthly.LastMonth()) }))
	runs.Add(1)
	go func() {
		due := monthly.DueMonth(func(t time.Time) time.Time { return sched.Next(t.In(loc)) })
		missed, err := monthly.Missed(ctx, due)
		if err != nil {
			log.Error("monthly report: find missed months", "err", err)
			missed = []reports.Period{due}
		}
		run(missed...)
	}()
	c.Start()
	log.Info("monthly report scheduled", "schedule", a.cfg.Reports.Schedule, "time_zone", loc.String(),
		"format", string(format), "chats", len(a.cfg.Reports.Chats), "next", sched.Next(time.Now().In(loc)).Format(time.RFC3339))
	return func() {
		<-c.Stop().Done()
		runs.Wait()
	}, nil
}

// runMonth makes and sends the report of p, then mails it to the managers
// when mail is on (mailer not nil); failures are logged, not returned: the
// next start makes a missed month again.
func runMonth(ctx context.Context, monthly *reports.Monthly, mailer *reportMailer, p reports.Period, log *slog.Logger) {
	if err := monthly.Run(ctx, p); err != nil && ctx.Err() == nil {
		log.Error("monthly report", "period", p.Key(), "err", err)
	}
	if mailer == nil {
		return
	}
	if n, err := mailer.mail(ctx, p); err != nil && ctx.Err() == nil {
		log.Error("monthly report: mail to the managers", "period", p.Key(), "err", err)
	} else if n > 0 {
		log.Info("monthly report mailed to the managers", "period", p.Key(), "mails", n)
	}
}
