// SPDX-License-Identifier: Apache-2.0

package console

import (
	"errors"
	"net/http"
)

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if u, _, err := s.sessionUser(r); err == nil && u != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.render(w, http.StatusOK, "login", base{Title: "Đăng nhập"})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	name, password := r.PostFormValue("name"), r.PostFormValue("password")
	u, secret, err := Login(r.Context(), s.cfg.Store, name, password, s.now(), s.cfg.SessionTTL)
	switch {
	case errors.Is(err, ErrBadLogin):
		s.log.Info("console: sign-in failed", "user", name)
		s.render(w, http.StatusUnauthorized, "login", base{Title: "Đăng nhập", Error: "Sai tên đăng nhập hoặc mật khẩu."})
		return
	case errors.Is(err, ErrLocked):
		s.log.Warn("console: sign-in of a locked-out user", "user", name)
		s.render(w, http.StatusTooManyRequests, "login", base{Title: "Đăng nhập",
			Error: "Tài khoản tạm khoá vì đăng nhập sai nhiều lần. Vui lòng thử lại sau 15 phút."})
		return
	case err != nil:
		s.fail(w, r, nil, err)
		return
	}
	s.log.Info("console: signed in", "user", u.Name, "role", u.Role)
	s.setSession(w, r, secret)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
