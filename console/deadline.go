// SPDX-License-Identifier: Apache-2.0

package console

import (
	"encoding/json"
	"net/http"

	"github.com/hotline-cchc/hotline/tickets"
)

// deadlineRoutes adds the case type and extension actions of the ticket
// page and the API.
func (s *Server) deadlineRoutes(m *http.ServeMux) {
	m.Handle("POST /tickets/{code}/extend", s.page(s.extendForm))
	m.Handle("POST /tickets/{code}/case-type", s.page(s.caseTypeForm))
	m.Handle("POST /api/v1/tickets/{code}/extension", s.api(s.apiExtend))
	m.Handle("POST /api/v1/tickets/{code}/case-type", s.api(s.apiCaseType))
}

// CaseTypeName names the ticket's case type; "Chưa phân loại" for none.
func (v ticketView) CaseTypeName() string {
	for _, ct := range v.CaseTypes {
		if ct.ID == v.Ticket.CaseType {
			return ct.Name
		}
	}
	return "Chưa phân loại"
}

// canChangeDeadline reports whether the ticket page offers action: a case
// type change for an open ticket when there are other types, an extension
// when its case type allows one more.
func (v ticketView) canChangeDeadline(action string) bool {
	if !v.Ticket.Status.Open() {
		return false
	}
	for _, ct := range v.CaseTypes {
		if action == "case_type" && ct.ID != v.Ticket.CaseType {
			return true
		}
		if action == "extend" && ct.ID == v.Ticket.CaseType {
			return v.Ticket.Extensions < len(ct.Extensions)
		}
	}
	return false
}

// extend extends t's deadline to the day until ("2006-01-02").
func (s *Server) extend(r *http.Request, u *tickets.User, t *tickets.Ticket, until, reason string) (*tickets.Ticket, error) {
	d, err := tickets.ParseDate(until)
	if err != nil {
		return nil, tickets.Errorf(tickets.EINVALID, "Vui lòng chọn ngày gia hạn.")
	}
	t, err = s.cfg.Service.Extend(r.Context(), t.Code, tickets.Extension{Until: d, Reason: reason, Actor: u.Name, Within: within(u)})
	if err == nil {
		s.log.Info("console: deadline extended", "user", u.Name, "ticket", t.Code, "until", until)
	}
	return t, err
}

// setCaseType gives t the case type id.
func (s *Server) setCaseType(r *http.Request, u *tickets.User, t *tickets.Ticket, id, reason string) (*tickets.Ticket, error) {
	t, err := s.cfg.Service.SetCaseType(r.Context(), t.Code, tickets.CaseTypeChange{CaseType: id, Reason: reason, Actor: u.Name, Within: within(u)})
	if err == nil {
		s.log.Info("console: case type changed", "user", u.Name, "ticket", t.Code, "case_type", id)
	}
	return t, err
}

func (s *Server) extendForm(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	s.deadlineForm(w, r, u, func(t *tickets.Ticket) (*tickets.Ticket, error) {
		return s.extend(r, u, t, r.PostFormValue("until"), r.PostFormValue("reason"))
	})
}

func (s *Server) caseTypeForm(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	s.deadlineForm(w, r, u, func(t *tickets.Ticket) (*tickets.Ticket, error) {
		return s.setCaseType(r, u, t, r.PostFormValue("case_type"), r.PostFormValue("reason"))
	})
}

// deadlineForm applies do to the ticket u works on and shows the ticket
// again; a refusal is shown on the page with the domain's Vietnamese
// message (the legal limit, the reason missing).
func (s *Server) deadlineForm(w http.ResponseWriter, r *http.Request, u *tickets.User, do func(*tickets.Ticket) (*tickets.Ticket, error)) {
	t, ok := s.workable(w, r, u)
	if !ok {
		return
	}
	_, err := do(t)
	if err == nil {
		http.Redirect(w, r, "/tickets/"+string(t.Code), http.StatusSeeOther)
		return
	}
	if code := tickets.ErrorCode(err); code == tickets.EINTERNAL || code == tickets.ENOTFOUND && tickets.ErrorMessage(err) == "there is no ticket with this code" {
		s.fail(w, r, u, err)
		return
	}
	v, verr := s.ticketPage(r, u, t)
	if verr != nil {
		s.fail(w, r, u, verr)
		return
	}
	v.Error = tickets.ErrorMessage(err)
	s.render(w, httpStatus(tickets.ErrorCode(err)), "ticket", v)
}

// apiExtend applies {"until": "2006-01-02", "reason": "…"} to a ticket the
// caller works on.
func (s *Server) apiExtend(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	var in struct{ Until, Reason string }
	s.apiDeadline(w, r, u, &in, func(t *tickets.Ticket) (*tickets.Ticket, error) {
		return s.extend(r, u, t, in.Until, in.Reason)
	})
}

// apiCaseType applies {"case_type": "khieu-nai", "reason": "…"}.
func (s *Server) apiCaseType(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	var in struct {
		CaseType string `json:"case_type"`
		Reason   string
	}
	s.apiDeadline(w, r, u, &in, func(t *tickets.Ticket) (*tickets.Ticket, error) {
		return s.setCaseType(r, u, t, in.CaseType, in.Reason)
	})
}

// apiDeadline reads the body into in and applies do to the ticket the
// caller works on.
func (s *Server) apiDeadline(w http.ResponseWriter, r *http.Request, u *tickets.User, in any, do func(*tickets.Ticket) (*tickets.Ticket, error)) {
	t, err := s.readable(r, u)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if !canWork(u, t) {
		writeJSON(w, http.StatusForbidden, apiErr{Error: "forbidden", Message: "your role may not change this ticket"})
		return
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(in); err != nil {
		s.apiError(w, r, tickets.Errorf(tickets.EINVALID, "the body must be a JSON object"))
		return
	}
	if t, err = do(t); err != nil {
		s.apiError(w, r, err)
		return
	}
	a, err := s.apiTicketOf(r.Context(), t)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}
