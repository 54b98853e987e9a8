// SPDX-License-Identifier: Apache-2.0

package console

import (
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/hotline-cchc/hotline/tickets"
)

// attachment serves the n-th file a citizen sent with a ticket, fetched from
// the channel that keeps it, to those who work the ticket, and records who
// opened it. Files are always downloaded, never shown inline.
func (s *Server) attachment(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	t, ok := s.workable(w, r, u)
	if !ok {
		return
	}
	as, err := s.cfg.Store.Attachments(r.Context(), t.Code)
	if err != nil {
		s.fail(w, r, u, err)
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 || n >= len(as) || as[n].FileID == "" || s.cfg.Download == nil {
		s.fail(w, r, u, tickets.Errorf(tickets.ENOTFOUND, "no such file"))
		return
	}
	a := as[n]
	b, err := s.cfg.Download(r.Context(), t.Channel, a.FileID)
	if err != nil {
		s.fail(w, r, u, err)
		return
	}
	e := tickets.AuditEntry{At: s.now(), Actor: u.Name, Action: tickets.AuditOpenAttachment, Ticket: t.Code}
	if err := s.cfg.Store.Audit(r.Context(), e); err != nil {
		s.fail(w, r, u, err)
		return
	}
	ctype := "application/octet-stream"
	if mt, _, err := mime.ParseMediaType(a.MIMEType); err == nil && !strings.ContainsAny(mt, "\r\n") {
		ctype = mt
	}
	name := a.Name
	if name == "" {
		name = string(a.Kind)
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Write(b)
}
