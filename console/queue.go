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
	// Delivery holds the delivery problems of Tickets, by code.
	Delivery map[tickets.Code]tickets.DeliveryProblem
}

// Undelivered returns the answer to the citizen of the ticket code that did
// not reach them; nil if there is none. The queue does not show an answer
// that may have arrived twice: the ticket's page does.
func (v queueView) Undelivered(code tickets.Code) *tickets.DeliveryProblem {
	if p, ok := v.Delivery[code]; ok && p.Failed() {
		return &p
	}
	return nil
}

func (s *Server) queue(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	p, err := s.queuePage(r, u, 0)
	var ps map[tickets.Code]tickets.DeliveryProblem
	if err == nil {
		ps, err = s.deliveryProblems(r.Context(), p.Tickets)
	}
	if err != nil {
		s.fail(w, r, u, err)
		return
	}
	v := queueView{base: base{User: u, Title: "Phiếu cần xử lý"}, Tickets: p.Tickets, Next: p.Next.String(), Heading: "Tất cả cơ quan",
		Delivery: ps}
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
