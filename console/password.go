// SPDX-License-Identifier: Apache-2.0

package console

import (
	"errors"
	"net/http"

	"github.com/hotline-cchc/hotline/tickets"
)

// passwordView is the form on which a signed-in user changes their password.
type passwordView struct {
	base
	Done bool
}

const passwordTitle = "Đổi mật khẩu"

func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	s.render(w, http.StatusOK, "password", passwordView{base: base{User: u, Title: passwordTitle}})
}

// changePassword checks the current password, as a sign-in does (through
// the guard), sets the new one if the rules allow it, which ends every
// session and API token of the user, and signs this browser in again.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	current, next := r.PostFormValue("current"), r.PostFormValue("new")
	refuse := func(status int, msg string) {
		s.render(w, status, "password", passwordView{base: base{User: u, Title: passwordTitle, Error: msg}})
	}
	if next != r.PostFormValue("repeat") {
		refuse(http.StatusBadRequest, "Hai lần nhập mật khẩu mới không khớp.")
		return
	}
	if err := CheckNewPassword(next); err != nil {
		refuse(http.StatusBadRequest, tickets.ErrorMessage(err))
		return
	}
	addr := s.clientAddr(r)
	a, err := s.guard.begin(r.Context(), nameKey(u.Name), addr, s.now())
	if err != nil {
		s.refuseLogin(w, r, nameKey(u.Name), addr, err)
		return
	}
	secret, err := s.setPassword(r, u, current, next)
	a.done(err == nil, s.now())
	switch {
	case errors.Is(err, ErrBadLogin):
		s.log.Warn("console: password change with a wrong current password", "user", u.Name, "client_addr", addr)
		refuse(http.StatusBadRequest, "Mật khẩu hiện tại không đúng.")
		return
	case err != nil:
		s.fail(w, r, u, err)
		return
	}
	s.log.Info("console: password changed; sessions and tokens revoked", "user", u.Name, "client_addr", addr)
	s.setSession(w, r, secret)
	s.render(w, http.StatusOK, "password", passwordView{base: base{User: u, Title: passwordTitle}, Done: true})
}

// setPassword checks current against u's password and stores next, then
// starts a new session; it returns the session's secret, or ErrBadLogin.
func (s *Server) setPassword(r *http.Request, u *tickets.User, current, next string) (string, error) {
	if !CheckPassword(u.PasswordHash, current) {
		return "", ErrBadLogin
	}
	hash, err := HashPassword(next)
	if err != nil {
		return "", err
	}
	if err := s.cfg.Store.SetPassword(r.Context(), u.Name, hash); err != nil {
		return "", err
	}
	secret, shash := NewSecret("")
	now := s.now()
	err = s.cfg.Store.CreateSession(r.Context(), tickets.Session{Hash: shash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(s.cfg.SessionTTL)})
	return secret, err
}
