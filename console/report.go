// SPDX-License-Identifier: Apache-2.0

package console

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// reportTypes are the download formats and their content types.
var reportTypes = map[string]string{
	"csv":  "text/csv; charset=utf-8",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"html": "text/html; charset=utf-8",
}

// MaxReportDays is the longest period a report download may cover.
const MaxReportDays = 366

// reportPeriod reads ?month=YYYY-MM, or ?from=YYYY-MM-DD&to=YYYY-MM-DD;
// EINVALID, with the reason in Vietnamese, if neither is well formed or the
// period is longer than MaxReportDays.
func reportPeriod(q map[string][]string) (from, to tickets.Date, err error) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	if m := get("month"); m != "" {
		t, perr := time.Parse("2006-01", m)
		if perr != nil {
			return from, to, tickets.Errorf(tickets.EINVALID, "Tháng báo cáo không hợp lệ: cần month=YYYY-MM.")
		}
		end := t.AddDate(0, 1, -1)
		return tickets.Date{Year: t.Year(), Month: t.Month(), Day: 1}, tickets.Date{Year: end.Year(), Month: end.Month(), Day: end.Day()}, nil
	}
	f, err1 := time.Parse("2006-01-02", get("from"))
	t, err2 := time.Parse("2006-01-02", get("to"))
	if err1 != nil || err2 != nil || t.Before(f) {
		return from, to, tickets.Errorf(tickets.EINVALID, "Kỳ báo cáo không hợp lệ: cần from=YYYY-MM-DD và to=YYYY-MM-DD, to không trước from.")
	}
	if days := int(t.Sub(f).Hours()/24) + 1; days > MaxReportDays {
		return from, to, tickets.Errorf(tickets.EINVALID,
			"Kỳ báo cáo dài %d ngày, quá giới hạn %d ngày: hãy chọn kỳ ngắn hơn.", days, MaxReportDays)
	}
	return tickets.Date{Year: f.Year(), Month: f.Month(), Day: f.Day()}, tickets.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}, nil
}

// writeReport renders the report the request asks for into a buffer, so
// that a failure still yields a clean error status. A user renders one
// report at a time and the server reportSlots, so a link followed many
// times costs no more than that; it returns a *busyError otherwise.
func (s *Server) writeReport(ctx context.Context, u *tickets.User, format string, q map[string][]string) (*bytes.Buffer, string, error) {
	ctype, ok := reportTypes[format]
	if !ok || s.cfg.Report == nil {
		return nil, "", tickets.Errorf(tickets.ENOTFOUND, "no such report format")
	}
	from, to, err := reportPeriod(q)
	if err != nil {
		return nil, "", err
	}
	release, err := s.reports.enter(ctx, u.ID)
	if err != nil {
		return nil, "", err
	}
	defer release()
	var b bytes.Buffer
	if err := s.cfg.Report(ctx, from, to, format, &b); err != nil {
		return nil, "", err
	}
	return &b, ctype, nil
}

// sendReport writes a rendered report; HTML is shown in the page, the
// others are downloaded.
func sendReport(w http.ResponseWriter, b *bytes.Buffer, ctype, format string) {
	w.Header().Set("Content-Type", ctype)
	if format == "html" {
		// The report is a document of its own with inline styles and SVG
		// charts, shown alone or in the dashboard's frame.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'")
		w.Header().Set("X-Frame-Options", "SAMEORIGIN")
	} else {
		w.Header().Set("Content-Disposition", `attachment; filename="bao-cao.`+format+`"`)
	}
	b.WriteTo(w)
}

func (s *Server) report(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	if !canReport(u) {
		s.forbidden(w, u)
		return
	}
	format := r.PathValue("format")
	b, ctype, err := s.writeReport(r.Context(), u, format, r.URL.Query())
	var busy *busyError
	switch {
	case errors.As(err, &busy):
		w.Header().Set("Retry-After", strconv.Itoa(busy.seconds()))
		s.render(w, http.StatusTooManyRequests, "error", base{User: u, Title: "Báo cáo", Error: busy.message()})
		return
	case tickets.ErrorCode(err) == tickets.EINVALID:
		s.render(w, http.StatusBadRequest, "error", base{User: u, Title: "Báo cáo", Error: tickets.ErrorMessage(err)})
		return
	case err != nil:
		s.fail(w, r, u, err)
		return
	}
	sendReport(w, b, ctype, format)
}
