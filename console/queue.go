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
}

func (s *Server) queue(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	p, err := s.queuePage(r, u)
	if err != nil {
		s.fail(w, r, u, err)
		return
	}
	v := queueView{base: base{User: u, Title: "Phiếu cần xử lý"}, Tickets: p.Tickets, Next: p.Next.String(), Heading: "Tất cả cơ quan"}
	switch u.Role {
	case tickets.RoleFocal:
		if d, err := s.cfg.Menu.Department(u.Department); err == nil {
			v.Heading = d.Name
		}
	case tickets.RoleOperator:
		v.Heading = "Phiếu mới tiếp nhận"
	}
	s.render(w, http.StatusOK, "queue", v)
}

// queuePage reads the page of u's queue that the request's "after" names.
func (s *Server) queuePage(r *http.Request, u *tickets.User) (tickets.QueuePage, error) {
	after, err := tickets.ParseQueueCursor(r.URL.Query().Get("after"))
	if err != nil {
		return tickets.QueuePage{}, err
	}
	f := queueFilter(u)
	f.Now, f.After = s.now(), after
	return s.cfg.Store.Queue(r.Context(), f)
}
