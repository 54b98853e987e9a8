// SPDX-License-Identifier: Apache-2.0

package console

import (
	"bytes"
	"context"
	"net/http"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// reportTypes are the download formats and their content types.
var reportTypes = map[string]string{
	"csv":  "text/csv; charset=utf-8",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"html": "text/html; charset=utf-8",
}

// reportPeriod reads ?month=YYYY-MM, or ?from=YYYY-MM-DD&to=YYYY-MM-DD;
// EINVALID if neither is well formed.
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
			return from, to, tickets.Errorf(tickets.EINVALID, "bad month")
		}
		end := t.AddDate(0, 1, -1)
		return tickets.Date{Year: t.Year(), Month: t.Month(), Day: 1}, tickets.Date{Year: end.Year(), Month: end.Month(), Day: end.Day()}, nil
	}
	f, err1 := time.Parse("2006-01-02", get("from"))
	t, err2 := time.Parse("2006-01-02", get("to"))
	if err1 != nil || err2 != nil || t.Before(f) {
		return from, to, tickets.Errorf(tickets.EINVALID, "bad period")
	}
	return tickets.Date{Year: f.Year(), Month: f.Month(), Day: f.Day()}, tickets.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}, nil
}

// writeReport renders the report the request asks for into a buffer, so
// that a failure still yields a clean error status.
func (s *Server) writeReport(ctx context.Context, format string, q map[string][]string) (*bytes.Buffer, string, error) {
	ctype, ok := reportTypes[format]
	if !ok || s.cfg.Report == nil {
		return nil, "", tickets.Errorf(tickets.ENOTFOUND, "no such report format")
	}
	from, to, err := reportPeriod(q)
	if err != nil {
		return nil, "", err
	}
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
	b, ctype, err := s.writeReport(r.Context(), format, r.URL.Query())
	if err != nil {
		s.fail(w, r, u, err)
		return
	}
	sendReport(w, b, ctype, format)
}
