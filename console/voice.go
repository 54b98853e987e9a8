// SPDX-License-Identifier: Apache-2.0

package console

import (
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/hotline-cchc/hotline/tickets"
)

// VoiceAnswerFunc keeps a focal point's recorded answer to ticket t (a WAV
// file) where the phone plays it, and returns the answer's note for the
// history. It returns EINVALID if data is not a usable WAV recording.
type VoiceAnswerFunc func(ctx context.Context, t *tickets.Ticket, data []byte) (note string, err error)

// maxVoiceAnswer bounds an uploaded voice answer: ten minutes of 16-bit
// mono at 8 kHz is 9.6 MB, the browser's 48 kHz recording six times that.
const maxVoiceAnswer = 64 << 20

// CanVoiceAnswer reports whether the page offers to record an answer: a
// phone ticket the user works on, in a status that takes an answer.
func (v ticketView) CanVoiceAnswer() bool {
	return v.VoiceAnswers && v.CanWork && v.Ticket.Channel == tickets.ChannelPhone && v.Can("answer")
}

// voiceAnswer takes a recorded answer (the form's "audio" file), keeps it
// for the phone and records the answer, which calls the citizen back.
func (s *Server) voiceAnswer(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	t, ok := s.workable(w, r, u)
	if !ok {
		return
	}
	if s.cfg.VoiceAnswer == nil || t.Channel != tickets.ChannelPhone {
		s.fail(w, r, u, errNoTicket)
		return
	}
	msg, err := s.keepVoiceAnswer(r, u, t)
	if err == nil && msg == "" {
		http.Redirect(w, r, "/tickets/"+string(t.Code), http.StatusSeeOther)
		return
	}
	if code := tickets.ErrorCode(err); code == tickets.EINTERNAL || code == tickets.ENOTFOUND {
		s.fail(w, r, u, err)
		return
	}
	v, verr := s.ticketPage(r, u, t)
	if verr != nil {
		s.fail(w, r, u, verr)
		return
	}
	v.Error = msg
	s.render(w, http.StatusBadRequest, "ticket", v)
}

// keepVoiceAnswer stores the upload and moves the ticket; a message for
// the user if the upload or the change is refused.
func (s *Server) keepVoiceAnswer(r *http.Request, u *tickets.User, t *tickets.Ticket) (string, error) {
	r.Body = http.MaxBytesReader(nil, r.Body, maxVoiceAnswer)
	f, _, err := r.FormFile("audio")
	if err != nil {
		return "Vui lòng ghi âm hoặc chọn tệp ghi âm câu trả lời (WAV, tối đa 64 MB).", nil
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) || err != nil {
		return "Tệp ghi âm quá lớn hoặc không đọc được (tối đa 64 MB).", nil
	}
	note, err := s.cfg.VoiceAnswer(r.Context(), t, data)
	if tickets.ErrorCode(err) == tickets.EINVALID {
		return "Tệp ghi âm không hợp lệ: cần tệp WAV có tiếng nói.", nil
	}
	if err != nil {
		return "", err
	}
	_, err = s.cfg.Service.Move(r.Context(), t.Code, tickets.Change{Action: tickets.ActionAnswer, Note: note, Actor: u.Name, Within: within(u)})
	if code := tickets.ErrorCode(err); code == tickets.ECONFLICT || code == tickets.EINVALID {
		return userMessages[code], nil
	}
	if err == nil {
		s.log.Info("console: voice answer", "user", u.Name, "ticket", t.Code)
	}
	return "", err
}
