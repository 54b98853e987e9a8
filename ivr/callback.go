// SPDX-License-Identifier: Apache-2.0

package ivr

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// Originator places outgoing calls into the application; ivr/asterisk's
// client satisfies it.
type Originator interface {
	// Originate calls endpoint, showing callerID, and lets it ring for up
	// to ring. It returns the answered call and a function to call once
	// the call is over; a *NotAnswered if the far end did not pick up;
	// any other error if the call could not be placed (Asterisk refused
	// the originate or could not be reached).
	Originate(ctx context.Context, endpoint, callerID string, ring time.Duration) (Call, func(), error)
}

// NotAnswered is the error of an originated call nobody took, with the
// Q.850 cause Asterisk gave (17 busy, 19 no answer, 21 rejected …).
type NotAnswered struct{ Cause int }

func (e *NotAnswered) Error() string {
	return fmt.Sprintf("the call was not answered (cause %d)", e.Cause)
}

// CallBack speaks to a citizen who picked up a call-back about ticket t: a
// greeting naming the hotline, the ticket's code, its answer, and the
// survey if t is resolved and not yet rated; then goodbye. It returns
// ErrHangup, wrapped or not, if the citizen hung up first.
func (f *Flow) CallBack(ctx context.Context, c Call, t *tickets.Ticket) error {
	s := &session{f: f, c: c, log: f.log.With("channel", c.ID(), "ticket", t.Code), stage: stageStatus}
	intro := append([]string{PromptCallbackGreeting, PromptTicketCode}, digitPrompts(string(t.Code))...)
	err := s.tell(ctx, t, intro)
	if err != nil && !errors.Is(err, ErrHangup) {
		hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
		defer cancel()
		if herr := c.Hangup(hctx); herr != nil && !errors.Is(herr, ErrHangup) {
			s.log.Warn("hang up", "err", herr)
		}
	}
	return err
}
