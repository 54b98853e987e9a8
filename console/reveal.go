// SPDX-License-Identifier: Apache-2.0

package console

import (
	"context"
	"net/http"

	"github.com/hotline-cchc/hotline/tickets"
)

// personal is the citizen's personal data on a ticket besides its text: the
// contact it came with (a caller's number, or a chat's id), the phone number
// the citizen shared in the chat for a call-back, and the exact places they
// sent. Only those who work the ticket see the numbers, and only the
// ticket's department (its focal points, not an admin) the places, each
// time through the audited reveal (POST …/contact); everyone else, and the
// ticket's page before the reveal, get them masked and without the places.
type personal struct {
	Contact   string   `json:"contact,omitempty"`
	Phone     string   `json:"phone,omitempty"`
	Locations []string `json:"locations,omitempty"`
}

// seesPlaces reports whether u may be shown the exact places of t: a focal
// point of t's department. An admin runs the system, not the case.
func seesPlaces(u *tickets.User, t *tickets.Ticket) bool {
	return u.Role == tickets.RoleFocal && t.Department == u.Department
}

// personalOf collects the personal data of t and its attachments that u may
// be shown by the reveal.
func personalOf(u *tickets.User, t *tickets.Ticket, as []tickets.Attachment) personal {
	p := personal{Contact: t.Contact}
	places := seesPlaces(u, t)
	for _, a := range as {
		switch {
		case a.Kind == tickets.AttachContact:
			p.Phone = a.Value
		case a.Kind == tickets.AttachLocation && places:
			p.Locations = append(p.Locations, a.Value)
		}
	}
	return p
}

// masked is p as shown without the reveal: numbers masked, no places.
func (p personal) masked() personal {
	return personal{Contact: tickets.MaskContact(p.Contact), Phone: tickets.MaskContact(p.Phone)}
}

// hideValues returns a copy of as in which a shared phone number is masked
// unless showPhone, and a place left out unless showPlaces.
func hideValues(as []tickets.Attachment, showPhone, showPlaces bool) []tickets.Attachment {
	out := make([]tickets.Attachment, len(as))
	for i, a := range as {
		switch {
		case a.Kind == tickets.AttachContact && !showPhone:
			a.Value = tickets.MaskContact(a.Value)
		case a.Kind == tickets.AttachLocation && !showPlaces:
			a.Value = ""
		}
		out[i] = a
	}
	return out
}

// auditReveal records that u is shown p of the ticket code: one entry for
// the numbers, one for the places. Nothing may be shown if it fails.
func (s *Server) auditReveal(ctx context.Context, u *tickets.User, code tickets.Code, p personal) error {
	var actions []string
	if p.Contact != "" || p.Phone != "" {
		actions = append(actions, tickets.AuditViewContact)
	}
	if len(p.Locations) > 0 {
		actions = append(actions, tickets.AuditViewLocation)
	}
	at := s.now()
	for _, a := range actions {
		if err := s.cfg.Store.Audit(ctx, tickets.AuditEntry{At: at, Actor: u.Name, Action: a, Ticket: code}); err != nil {
			return err
		}
	}
	return nil
}

// apiContact answers POST /api/v1/tickets/CODE/contact with the citizen's
// personal data in full, to those who work the ticket, and records who saw
// it, as the console's reveal does.
func (s *Server) apiContact(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	t, ok := s.apiWorkable(w, r, u, "your role may not see the citizen's contact")
	if !ok {
		return
	}
	as, err := s.cfg.Store.Attachments(r.Context(), t.Code)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	p := personalOf(u, t, as)
	if err := s.auditReveal(r.Context(), u, t.Code, p); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Code tickets.Code `json:"code"`
		personal
	}{t.Code, p})
}
