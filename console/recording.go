// SPDX-License-Identifier: Apache-2.0

package console

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/hotline-cchc/hotline/tickets"
)

// recording serves a phone ticket's call recording, <Recordings>/<name>.wav,
// to those who work the ticket, and records who played it. It answers 404
// when the file is not (or not yet) there: the recordings are made on the
// Asterisk server and copied here.
func (s *Server) recording(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	t, ok := s.workable(w, r, u)
	if !ok {
		return
	}
	name := t.Recording
	if s.cfg.Recordings == "" || name == "" || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		s.fail(w, r, u, tickets.Errorf(tickets.ENOTFOUND, "no recording"))
		return
	}
	f, err := os.Open(filepath.Join(s.cfg.Recordings, name+".wav"))
	if errors.Is(err, fs.ErrNotExist) {
		s.fail(w, r, u, tickets.Errorf(tickets.ENOTFOUND, "no recording"))
		return
	}
	if err != nil {
		s.fail(w, r, u, err)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		s.fail(w, r, u, err)
		return
	}
	e := tickets.AuditEntry{At: s.now(), Actor: u.Name, Action: tickets.AuditPlayRecording, Ticket: t.Code}
	if err := s.cfg.Store.Audit(r.Context(), e); err != nil {
		s.fail(w, r, u, err)
		return
	}
	w.Header().Set("Content-Type", "audio/wav")
	http.ServeContent(w, r, "", st.ModTime(), f)
}
