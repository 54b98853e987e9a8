// SPDX-License-Identifier: Apache-2.0

package console

import (
	"net/http"

	"github.com/hotline-cchc/hotline/tickets"
)

// contact shows a ticket's page with the citizen's full phone number or chat
// id, the phone number they shared and the places they sent, to those who
// work the ticket, and records who saw it. It is a POST, as
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
	p := personalOf(u, t, v.attachments)
	if err := s.auditReveal(r.Context(), u, t.Code, p); err != nil {
		s.fail(w, r, u, err)
		return
	}
	v.reveal(p)
	s.render(w, http.StatusOK, "ticket", v)
}
