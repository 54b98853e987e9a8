// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/hotline-cchc/hotline/console"
	"github.com/hotline-cchc/hotline/reports"
	"github.com/hotline-cchc/hotline/tickets"
)

// recordingsDir is where, inside the data folder, the call recordings copied
// from the Asterisk server are looked for, as <name>.wav.
const recordingsDir = "recordings"

// newConsole builds the web console and the JSON API over a's store.
func newConsole(a *app, log *slog.Logger) (*console.Server, error) {
	loc, err := a.cfg.ReportsLocation()
	if err != nil {
		return nil, err
	}
	var voice console.VoiceAnswerFunc
	if a.voice != nil {
		voice = a.voice.keepVoice
	}
	return console.New(console.Config{
		Store: a.db, Service: a.svc, Menu: a.menu, Log: log.With("component", "console"), Location: loc,
		Report: consoleReport(a, loc), Archive: a.db, Recordings: filepath.Join(a.cfg.Data, recordingsDir),
		Download: a.download, RecordingFile: a.recordingFile, TrustProxy: a.cfg.HTTP.TrustProxy,
		Notices: a.db, VoiceAnswer: voice, PhoneCallback: a.svc.PhoneCallback,
	})
}

// download fetches a file a citizen sent, through the adapter of its channel.
func (a *app) download(ctx context.Context, ch tickets.Channel, fileID string) ([]byte, error) {
	switch {
	case ch == tickets.ChannelTelegram && a.telegram != nil:
		ad := a.telegram.adapter.Load()
		if ad == nil {
			return nil, fmt.Errorf("telegram channel is %s", a.telegram.State())
		}
		return ad.Download(ctx, fileID)
	case ch == tickets.ChannelZalo && a.zalo != nil:
		return a.zalo.adapter.Download(ctx, fileID)
	}
	return nil, tickets.Errorf(tickets.ENOTFOUND, "the %s channel is not running here", ch)
}

// consoleReport builds the report of a period for the console's downloads;
// a period of whole calendar month is reported as that month.
func consoleReport(a *app, loc *time.Location) console.ReportFunc {
	return func(ctx context.Context, from, to tickets.Date, format string, w io.Writer) error {
		f, err := reports.ParseFormat(format)
		if err != nil {
			return err
		}
		p, err := reports.Days(from, to, loc)
		if err != nil {
			return err
		}
		last := time.Date(from.Year, from.Month+1, 0, 0, 0, 0, 0, time.UTC)
		if from.Day == 1 && to == (tickets.Date{Year: last.Year(), Month: last.Month(), Day: last.Day()}) {
			p = reports.Month(from.Year, from.Month, loc)
		}
		r, err := (&reports.Builder{Source: a.db, Menu: a.menu, Target: a.cfg.Survey.Target}).Build(ctx, p)
		if err != nil {
			return err
		}
		return r.Write(w, f)
	}
}
