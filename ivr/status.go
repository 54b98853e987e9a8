// SPDX-License-Identifier: Apache-2.0

package ivr

import (
	"context"

	"github.com/hotline-cchc/hotline/tickets"
)

// status reads a ticket code typed by the caller and says where the ticket
// stands. A code is checked (its check digit) before any look-up.
func (s *session) status(ctx context.Context) error {
	s.stage = stageStatus
	s.rec.Outcome = tickets.OutcomeStatusCheck
	var prefix []string
	for attempt := 1; ; attempt++ {
		typed, err := s.readCode(ctx, prefix)
		if err != nil {
			return err
		}
		if attempt == 1 {
			s.update(ctx) // after the prompt, so that the key is answered at once
		}
		problem := PromptCodeInvalid
		if code, perr := tickets.ParseCode(typed); perr == nil {
			t, err := s.f.store.Ticket(ctx, code)
			switch {
			case err == nil:
				s.rec.TicketCode = t.Code // the call records which ticket it looked up
				s.update(ctx)
				return s.tell(ctx, t, s.statusPrompts(t))
			case tickets.ErrorCode(err) == tickets.ENOTFOUND:
				problem = PromptStatusUnknown
			default:
				s.log.Error("look up ticket", "err", err)
				return s.goodbye(ctx, PromptError)
			}
		}
		if attempt >= s.f.cfg.Attempts {
			return s.goodbye(ctx, problem)
		}
		prefix = []string{problem}
	}
}

// readCode asks for a code and collects digits until '#', a pause of
// DigitTimeout, or more digits than a code has.
func (s *session) readCode(ctx context.Context, prefix []string) (string, error) {
	d, err := s.c.Play(ctx, append(prefix, PromptCodeEnter), true)
	if err == nil && d == "" {
		d, err = s.c.ReadDigit(ctx, s.f.cfg.DigitTimeout)
	}
	var typed []byte
	for err == nil && d != "" && d != "#" && len(typed) <= tickets.CodeLen+1 {
		typed = append(typed, d...)
		d, err = s.c.ReadDigit(ctx, s.f.cfg.DigitTimeout)
	}
	return string(typed), err
}

// statusPrompts says where ticket t stands.
func (s *session) statusPrompts(t *tickets.Ticket) []string {
	switch t.Status {
	case tickets.StatusNew:
		return []string{PromptStatusReceived}
	case tickets.StatusAssigned, tickets.StatusInProgress:
		return []string{PromptStatusHandling, DepartmentPrompt(t.Department)}
	default:
		at := t.ResolvedAt
		if at.IsZero() {
			at = t.UpdatedAt
		}
		return append([]string{PromptStatusResolved}, datePrompts(at.In(s.f.cfg.Calendar.Location()))...)
	}
}
