// SPDX-License-Identifier: Apache-2.0

package console

import (
	"net/http"

	"github.com/hotline-cchc/hotline/tickets"
)

// contact shows a ticket's page with the citizen's full phone number or chat
// id, to those who work the ticket, and records who saw it. It is a POST, as
// it writes the audit: no link or prefetch reveals a number by accident.
func (s *Server) contact(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	t, ok := s.workable(w, r, u)
	if !ok {
		return
	}
	v, err := s.ticketPage(r, u, t)
	if err != nil {
		s.fail(w, r, u, err)
		return
	}
	if t.Contact != "" {
		e := tickets.AuditEntry{At: s.now(), Actor: u.Name, Action: tickets.AuditViewContact, Ticket: t.Code}
		if err := s.cfg.Store.Audit(r.Context(), e); err != nil {
			s.fail(w, r, u, err)
			return
		}
		v.Contact, v.ContactShown = t.Contact, true
	}
	s.render(w, http.StatusOK, "ticket", v)
}
