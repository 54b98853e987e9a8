// SPDX-License-Identifier: Apache-2.0

package console

import (
	"net/http"
	"strings"

	"github.com/hotline-cchc/hotline/tickets"
)

// change turns a console action on t into a change, or returns the message
// that tells the user what is missing.
func change(action string, t *tickets.Ticket, department, note string) (tickets.Change, string) {
	c := tickets.Change{Note: strings.TrimSpace(note)}
	switch action {
	case "take":
		c.Action, c.Department = tickets.ActionAssign, t.Department
	case "start":
		c.Action = tickets.ActionStart
	case "resolve":
		c.Action = tickets.ActionResolve
	case "reopen":
		if c.Note == "" {
			return c, "Vui lòng nêu lý do mở lại phiếu."
		}
		c.Action = tickets.ActionReopen
	case "close":
		c.Action = tickets.ActionClose
	case "answer":
		if c.Note == "" {
			return c, "Vui lòng nhập nội dung trả lời công dân."
		}
		c.Action = tickets.ActionAnswer
	case "reassign":
		if department == "" || department == t.Department {
			return c, "Vui lòng chọn cơ quan khác để chuyển phiếu."
		}
		if c.Note == "" {
			return c, "Vui lòng nêu lý do chuyển phiếu."
		}
		c.Action, c.Department = tickets.ActionAssign, department
	default:
		return c, "Thao tác không hợp lệ."
	}
	return c, ""
}

// within is the department a user's changes are limited to, checked again
// in the change's transaction: a focal point's own.
func within(u *tickets.User) string {
	if u.Role == tickets.RoleFocal {
		return u.Department
	}
	return ""
}

// move applies a form's action to a ticket u works on, then shows the
// ticket again (POST, redirect, GET).
func (s *Server) move(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	t, ok := s.workable(w, r, u)
	if !ok {
		return
	}
	var err error
	c, msg := change(r.PathValue("action"), t, r.PostFormValue("department"), r.PostFormValue("note"))
	if msg == "" {
		c.Actor, c.Within = u.Name, within(u)
		_, err = s.cfg.Service.Move(r.Context(), t.Code, c)
		if err == nil {
			s.log.Info("console: ticket moved", "user", u.Name, "ticket", t.Code, "action", c.Action)
			http.Redirect(w, r, "/tickets/"+string(t.Code), http.StatusSeeOther)
			return
		}
		if code := tickets.ErrorCode(err); code == tickets.EINTERNAL || code == tickets.ENOTFOUND {
			s.fail(w, r, u, err)
			return
		}
		msg = userMessages[tickets.ErrorCode(err)]
	}
	v, verr := s.ticketPage(r, u, t)
	if verr != nil {
		s.fail(w, r, u, verr)
		return
	}
	v.Error, v.Note = msg, r.PostFormValue("note")
	status := http.StatusBadRequest
	if err != nil {
		status = httpStatus(tickets.ErrorCode(err))
	}
	s.render(w, status, "ticket", v)
}
