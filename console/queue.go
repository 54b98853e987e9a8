// SPDX-License-Identifier: Apache-2.0

package console

import (
	"net/http"

	"github.com/hotline-cchc/hotline/tickets"
)

// queueView is the work queue page.
type queueView struct {
	base
	Tickets []*tickets.Ticket
	Next    string // the cursor of the next page; "" on the last
	Heading string
	// Departments and Department: the filter managers and admins may set.
	Departments []tickets.Department
	Department  string
}

func (s *Server) queue(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	p, err := s.queuePage(r, u, 0)
	if err != nil {
		s.fail(w, r, u, err)
		return
	}
	v := queueView{base: base{User: u, Title: "Phiếu cần xử lý"}, Tickets: p.Tickets, Next: p.Next.String(), Heading: "Tất cả cơ quan"}
	switch u.Role {
	case tickets.RoleAdmin, tickets.RoleManager:
		v.Departments, v.Department = s.cfg.Menu.Departments(), r.URL.Query().Get("department")
		if d, err := s.cfg.Menu.Department(v.Department); err == nil {
			v.Heading = d.Name
		}
	case tickets.RoleFocal:
		if d, err := s.cfg.Menu.Department(u.Department); err == nil {
			v.Heading = d.Name
		}
	case tickets.RoleOperator:
		v.Heading = "Phiếu mới tiếp nhận"
	}
	s.render(w, http.StatusOK, "queue", v)
}

// queuePage reads the page of u's queue, of limit tickets (0: the default),
// that the request's "after" names;
// managers and admins may narrow it to one "department". EINVALID for a bad
// cursor or an unknown department.
func (s *Server) queuePage(r *http.Request, u *tickets.User, limit int) (tickets.QueuePage, error) {
	q := r.URL.Query()
	after, err := tickets.ParseQueueCursor(q.Get("after"))
	if err != nil {
		return tickets.QueuePage{}, err
	}
	f := queueFilter(u)
	f.Now, f.After, f.Limit = s.now(), after, limit
	if d := q.Get("department"); d != "" && (u.Role == tickets.RoleAdmin || u.Role == tickets.RoleManager) {
		if _, err := s.cfg.Menu.Department(d); err != nil {
			return tickets.QueuePage{}, tickets.Errorf(tickets.EINVALID, "%s", tickets.ErrorMessage(err))
		}
		f.Department = d
	}
	return s.cfg.Store.Queue(r.Context(), f)
}
