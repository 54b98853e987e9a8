// SPDX-License-Identifier: Apache-2.0

package console

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"slices"
	"strconv"

	"github.com/hotline-cchc/hotline/tickets"
)

// Archive gives the issued reports (tickets.ReportArchive); the SQLite store
// satisfies it.
type Archive interface {
	IssuedReports(ctx context.Context) ([]tickets.IssuedReport, error)
	IssuedReport(ctx context.Context, n int64) (*tickets.IssuedReport, []byte, error)
}

// issuedTypes are the content types of issued reports by format.
var issuedTypes = map[string]string{
	"csv":  "text/csv; charset=utf-8",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"html": "text/html; charset=utf-8",
	"text": "text/plain; charset=utf-8",
}

// issuedExt are the file extensions of issued reports by format.
var issuedExt = map[string]string{"csv": ".csv", "xlsx": ".xlsx", "html": ".html", "text": ".txt"}

// issuedReports returns the issued reports, newest first; none if the
// console has no archive.
func (s *Server) issuedReports(ctx context.Context) ([]tickets.IssuedReport, error) {
	if s.cfg.Archive == nil {
		return nil, nil
	}
	rs, err := s.cfg.Archive.IssuedReports(ctx)
	slices.Reverse(rs)
	return rs, err
}

// issuedReport downloads the bytes of an issued report as they were issued,
// checked against their hash by the store; the hash travels in Repr-Digest.
func (s *Server) issuedReport(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	if !canReport(u) {
		s.forbidden(w, u)
		return
	}
	n, err := strconv.ParseInt(r.PathValue("n"), 10, 64)
	if err != nil || s.cfg.Archive == nil {
		s.fail(w, r, u, tickets.Errorf(tickets.ENOTFOUND, "no such issued report"))
		return
	}
	ir, body, err := s.cfg.Archive.IssuedReport(r.Context(), n)
	if err != nil {
		s.fail(w, r, u, err)
		return
	}
	ctype, ok := issuedTypes[ir.Format]
	if !ok {
		ctype = "application/octet-stream"
	}
	sum := sha256.Sum256(body)
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", `attachment; filename="bao-cao-`+ir.Period+`-so-`+strconv.FormatInt(ir.Number, 10)+issuedExt[ir.Format]+`"`)
	h.Set("Repr-Digest", "sha-256=:"+base64.StdEncoding.EncodeToString(sum[:])+":")
	w.Write(body)
}
