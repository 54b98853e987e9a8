// SPDX-License-Identifier: Apache-2.0

package console

import "net/http"

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if u, hash, err := s.sessionUser(r); err == nil {
		if err := s.cfg.Store.DeleteSession(r.Context(), hash); err != nil {
			s.fail(w, r, u, err)
			return
		}
		s.log.Info("console: signed out", "user", u.Name)
	}
	s.clearSession(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
