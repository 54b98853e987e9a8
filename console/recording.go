// SPDX-License-Identifier: Apache-2.0

package console

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// recording serves a phone ticket's call recording to those who work the
// ticket, and records who played it: <Recordings>/<name>.wav if it is there,
// else the file fetched from the Asterisk server that made it. It answers 404
// when neither has it.
func (s *Server) recording(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	t, ok := s.workable(w, r, u)
	if !ok {
		return
	}
	name := t.Recording
	if name == "" || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		s.fail(w, r, u, tickets.Errorf(tickets.ENOTFOUND, "no recording"))
		return
	}
	audio, modified, err := s.recordingAudio(r.Context(), name)
	if err != nil {
		s.fail(w, r, u, err)
		return
	}
	if c, ok := audio.(io.Closer); ok {
		defer c.Close()
	}
	e := tickets.AuditEntry{At: s.now(), Actor: u.Name, Action: tickets.AuditPlayRecording, Ticket: t.Code}
	if err := s.cfg.Store.Audit(r.Context(), e); err != nil {
		s.fail(w, r, u, err)
		return
	}
	w.Header().Set("Content-Type", "audio/wav")
	http.ServeContent(w, r, "", modified, audio)
}

// recordingAudio opens the recording called name: the local file, else the
// one fetched through RecordingFile; ENOTFOUND if neither has it.
func (s *Server) recordingAudio(ctx context.Context, name string) (io.ReadSeeker, time.Time, error) {
	if s.cfg.Recordings != "" {
		f, err := os.Open(filepath.Join(s.cfg.Recordings, name+".wav"))
		if err == nil {
			st, err := f.Stat()
			if err != nil {
				f.Close()
				return nil, time.Time{}, err
			}
			return f, st.ModTime(), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, time.Time{}, err
		}
	}
	if s.cfg.RecordingFile == nil {
		return nil, time.Time{}, tickets.Errorf(tickets.ENOTFOUND, "no recording")
	}
	b, err := s.cfg.RecordingFile(ctx, name)
	if err != nil {
		return nil, time.Time{}, err
	}
	return bytes.NewReader(b), time.Time{}, nil
}
