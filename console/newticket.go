// SPDX-License-Identifier: Apache-2.0

package console

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/hotline-cchc/hotline/tickets"
)

// newView is the operator's form to file a ticket during a call.
type newView struct {
	base
	Branches  []tickets.Branch
	Branch    int
	Text      string
	Phone     string
	Anonymous bool
}

func (s *Server) newTicketPage(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	if !canFile(u) {
		s.forbidden(w, u)
		return
	}
	s.render(w, http.StatusOK, "new", newView{base: base{User: u, Title: "Tiếp nhận phản ánh qua điện thoại"}, Branches: s.cfg.Menu.Branches()})
}

func (s *Server) newTicket(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	if !canFile(u) {
		s.forbidden(w, u)
		return
	}
	branch, _ := strconv.Atoi(r.PostFormValue("branch"))
	v := newView{base: base{User: u, Title: "Tiếp nhận phản ánh qua điện thoại"}, Branches: s.cfg.Menu.Branches(),
		Branch: branch, Text: r.PostFormValue("text"), Phone: strings.TrimSpace(r.PostFormValue("phone")),
		Anonymous: r.PostFormValue("anonymous") != ""}
	switch {
	case branch == 0:
		v.Error = "Vui lòng chọn lĩnh vực."
	case strings.TrimSpace(v.Text) == "":
		v.Error = "Vui lòng nhập nội dung phản ánh."
	}
	if v.Error != "" {
		s.render(w, http.StatusBadRequest, "new", v)
		return
	}
	t, err := s.cfg.Service.Open(r.Context(), tickets.NewTicket{Branch: branch, Channel: tickets.ChannelOperator,
		Text: v.Text, Contact: v.Phone, Anonymous: v.Anonymous, Actor: u.Name})
	if tickets.ErrorCode(err) == tickets.EINVALID {
		v.Error = userMessages[tickets.EINVALID]
		s.render(w, http.StatusBadRequest, "new", v)
		return
	}
	if err != nil {
		s.fail(w, r, u, err)
		return
	}
	s.log.Info("console: ticket filed", "user", u.Name, "ticket", t.Code, "branch", t.Branch)
	http.Redirect(w, r, "/tickets/"+string(t.Code), http.StatusSeeOther)
}
