// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hotline-cchc/hotline/reports"
	"github.com/hotline-cchc/hotline/tickets"
)

// reportMailer mails the monthly report to each manager with an address:
// the XLSX and the HTML attached, the report's summary sentence in the
// body, through the outbox's mail channel.
type reportMailer struct {
	a       *app
	builder *reports.Builder
	dir     string
	wake    func()
}

// mail writes p's XLSX and HTML and queues one mail per manager, once per
// period: a marker file written after the queueing says it is done, and
// the outbox's key keeps a manager from getting the month twice. It
// returns how many mails it queued.
func (rm *reportMailer) mail(ctx context.Context, p reports.Period) (int, error) {
	marker := filepath.Join(rm.dir, ".mailed-"+p.Key())
	if _, err := os.Stat(marker); err == nil {
		return 0, nil
	}
	users, err := rm.a.db.Users(ctx)
	if err != nil {
		return 0, err
	}
	var managers []*tickets.User
	for _, u := range users {
		if u.Role == tickets.RoleManager && !u.Disabled && u.Email != "" {
			managers = append(managers, u)
		}
	}
	if len(managers) == 0 {
		return 0, nil
	}
	r, err := rm.builder.Build(ctx, p)
	if err != nil {
		return 0, err
	}
	var files []tickets.MailAttachment
	for _, f := range []struct {
		format reports.Format
		ctype  string
	}{{reports.FormatXLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}, {reports.FormatHTML, "text/html"}} {
		path := filepath.Join(rm.dir, r.FileName(f.format))
		if err := reports.WriteFile(path, r, f.format); err != nil {
			return 0, err
		}
		files = append(files, tickets.MailAttachment{Name: filepath.Base(path), ContentType: f.ctype, Path: path})
	}
	subject := fmt.Sprintf("[Tổng đài CCHC] %s %s", reports.Title, p.Label())
	text := r.Summary + "\n\nBáo cáo đầy đủ được đính kèm (bảng tính XLSX và trang HTML)."
	var ns []tickets.Notice
	for _, u := range managers {
		ns = append(ns, tickets.Notice{Recipient: tickets.Recipient{Channel: tickets.ChannelMail, ID: u.Email}, Kind: tickets.NoticeMail,
			Body: mailBody(fmt.Sprintf("report-%s-u%d", p.Key(), u.ID), subject, text, files...),
			Key:  "report:" + p.Key() + ":" + u.Email})
	}
	if err := rm.a.db.QueueNotices(context.WithoutCancel(ctx), time.Now(), ns); err != nil {
		return 0, fmt.Errorf("queue report mail: %w", err)
	}
	if err := os.WriteFile(marker, nil, 0o640); err != nil {
		return 0, fmt.Errorf("report mail: %w", err)
	}
	if rm.wake != nil {
		rm.wake()
	}
	return len(ns), nil
}
