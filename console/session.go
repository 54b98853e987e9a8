// SPDX-License-Identifier: Apache-2.0

package console

import (
	"net/http"

	"github.com/hotline-cchc/hotline/tickets"
)

// secure reports whether the browser reached the console over HTTPS: TLS
// here, or at a reverse proxy that says so. Trusting the proxy's header is
// safe here: it only makes the cookie stricter.
func secure(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

// cookieName names the session cookie; over HTTPS the __Host- prefix pins
// it to this host, path / and Secure.
func cookieName(r *http.Request) string {
	if secure(r) {
		return "__Host-hotline_session"
	}
	return "hotline_session"
}

func (s *Server) setSession(w http.ResponseWriter, r *http.Request, secret string) {
	http.SetCookie(w, &http.Cookie{Name: cookieName(r), Value: secret, Path: "/", HttpOnly: true,
		Secure: secure(r), SameSite: http.SameSiteLaxMode, MaxAge: int(s.cfg.SessionTTL.Seconds())})
}

func (s *Server) clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: cookieName(r), Value: "", Path: "/", HttpOnly: true,
		Secure: secure(r), SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// sessionUser returns the user of the request's session cookie; ENOTFOUND if
// there is none or it has ended.
func (s *Server) sessionUser(r *http.Request) (*tickets.User, string, error) {
	c, err := r.Cookie(cookieName(r))
	if err != nil || c.Value == "" {
		return nil, "", tickets.Errorf(tickets.ENOTFOUND, "no session")
	}
	hash := HashSecret(c.Value)
	u, err := s.cfg.Store.SessionUser(r.Context(), hash, s.now())
	return u, hash, err
}

// page wraps a handler for signed-in users: without a session it sends the
// browser to the sign-in page.
func (s *Server) page(h func(w http.ResponseWriter, r *http.Request, u *tickets.User)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, _, err := s.sessionUser(r)
		if tickets.ErrorCode(err) == tickets.ENOTFOUND {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		if err != nil {
			s.fail(w, r, nil, err)
			return
		}
		h(w, r, u)
	})
}
