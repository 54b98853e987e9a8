// SPDX-License-Identifier: Apache-2.0

package ivr

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// Resumable is a Call that keeps the call's state with the call itself
// (ivr/asterisk: a channel variable), so that a call still up when the
// hotline restarts is taken over where it was instead of counted twice.
type Resumable interface {
	// Save keeps st with the call.
	Save(ctx context.Context, st State) error
	// Resumed returns the state an earlier run of the hotline saved, when
	// this call was taken over after a restart; false for a new call.
	Resumed() (State, bool)
	// Finish waits for recording name to end if it is still going, then
	// measures it as Record does; ErrHangup if the caller hung up.
	Finish(ctx context.Context, name string, max time.Duration) (Recording, error)
}

// State is what a call keeps with itself across a restart of the hotline.
type State struct {
	CallID    int64     // the stored call
	StartedAt time.Time // when it was answered
	Branch    int       // the branch chosen; 0 for none
	Recording string    // the message being recorded; "" when none
}

// String encodes st for a channel variable: "v1;12;1798000000;4;name".
func (st State) String() string {
	return fmt.Sprintf("v1;%d;%d;%d;%s", st.CallID, st.StartedAt.UnixMilli(), st.Branch, st.Recording)
}

// ParseState decodes a State encoded by String; false if s is not one.
func ParseState(s string) (State, bool) {
	f := strings.SplitN(s, ";", 5)
	if len(f) != 5 || f[0] != "v1" {
		return State{}, false
	}
	id, err1 := strconv.ParseInt(f[1], 10, 64)
	ms, err2 := strconv.ParseInt(f[2], 10, 64)
	branch, err3 := strconv.Atoi(f[3])
	if err1 != nil || err2 != nil || err3 != nil || id <= 0 {
		return State{}, false
	}
	return State{CallID: id, StartedAt: time.UnixMilli(ms), Branch: branch, Recording: f[4]}, true
}

// save keeps the call's state with the call when it can; a failure is
// logged, the call goes on.
func (s *session) save(ctx context.Context, recording string) {
	r, ok := s.c.(Resumable)
	if !ok || s.rec.ID == 0 {
		return
	}
	st := State{CallID: s.rec.ID, StartedAt: s.rec.StartedAt, Branch: s.rec.Branch, Recording: recording}
	if err := r.Save(ctx, st); err != nil {
		s.log.Warn("save the call's state with the channel", "err", err)
	}
}

// resume takes over a call an earlier run of the hotline was handling: its
// stored row goes on (one call, one row); a message being recorded is
// finished and becomes a ticket if it holds speech; otherwise the caller
// is back in the menu.
func (s *session) resume(ctx context.Context, r Resumable, st State) error {
	s.rec = tickets.Call{ID: st.CallID, ChannelID: s.c.ID(), Caller: s.c.CallerID(), StartedAt: st.StartedAt,
		Branch: st.Branch, Outcome: tickets.OutcomeActive}
	s.afterHours = !s.f.cfg.Calendar.Open(s.f.cfg.Now())
	s.log.Info("call taken over after a restart of the hotline", "call", st.CallID, "branch", st.Branch, "recording", st.Recording)
	s.update(ctx)
	if b, err := s.f.cfg.Menu.Branch(st.Branch); err == nil && st.Recording != "" {
		s.stage = stageMessage
		rec, err := r.Finish(ctx, st.Recording, s.f.cfg.MaxRecording)
		if rec.Kept(s.f.cfg.MinSpeech) {
			return s.ticket(ctx, b, rec, err)
		}
		s.discard(ctx, rec)
		if err != nil {
			return err
		}
	}
	s.rec.Branch = 0
	return s.menu(ctx, nil, s.operatorOpen())
}
