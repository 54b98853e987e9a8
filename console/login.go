// SPDX-License-Identifier: Apache-2.0

package console

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
)

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if u, _, err := s.sessionUser(r); err == nil && u != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.render(w, http.StatusOK, "login", base{Title: "Đăng nhập"})
}

// login admits the attempt through the sign-in guard, then checks the
// password. Known and unknown names get the same answers.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	name, password := r.PostFormValue("name"), r.PostFormValue("password")
	addr, key := s.clientAddr(r), nameKey(name)
	a, err := s.guard.begin(r.Context(), key, addr, s.now())
	if err != nil {
		s.refuseLogin(w, r, key, addr, err)
		return
	}
	u, secret, err := Login(r.Context(), s.cfg.Store, name, password, s.now(), s.cfg.SessionTTL)
	a.done(err == nil, s.now())
	switch {
	case errors.Is(err, ErrBadLogin):
		s.log.Warn("console: sign-in failed", "user", truncate(key, 64), "client_addr", addr, "failures", a.failures)
		s.render(w, http.StatusUnauthorized, "login", base{Title: "Đăng nhập", Error: "Sai tên đăng nhập hoặc mật khẩu."})
		return
	case err != nil:
		s.fail(w, r, nil, err)
		return
	}
	s.log.Info("console: signed in", "user", u.Name, "role", u.Role, "client_addr", addr)
	s.setSession(w, r, secret)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// refuseLogin answers an attempt the guard did not admit: 429 with
// Retry-After, or nothing for a client that left.
func (s *Server) refuseLogin(w http.ResponseWriter, r *http.Request, key, addr string, err error) {
	var t *ThrottledError
	if !errors.As(err, &t) {
		s.log.Info("console: sign-in abandoned by the client", "client_addr", addr, "err", err)
		return
	}
	s.log.Warn("console: sign-in throttled", "user", truncate(key, 64), "client_addr", addr, "retry_after", t.RetryAfter)
	w.Header().Set("Retry-After", strconv.Itoa(t.seconds()))
	s.render(w, http.StatusTooManyRequests, "login", base{Title: "Đăng nhập",
		Error: "Có quá nhiều lần đăng nhập. Vui lòng thử lại sau " + strconv.Itoa(t.seconds()) + " giây."})
}

// truncate cuts s to at most n bytes, for logging what a client typed.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
