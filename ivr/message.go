// SPDX-License-Identifier: Apache-2.0

package ivr

import (
	"context"
	"strconv"

	"github.com/hotline-cchc/hotline/tickets"
)

// RecordingPrefix starts the name of every message the flow records:
// hotline-<start, UTC>-<channel id>[-<try>].
const RecordingPrefix = "hotline-"

// message records the caller's message on branch b and tells the ticket's
// code, twice. A recording with less than MinSpeech of speech is no
// message: the caller is asked once more, then goes back to the menu (or,
// if the message was offered to a caller who pressed nothing, is told
// goodbye). offered says the caller did not choose b.
func (s *session) message(ctx context.Context, b tickets.Branch, offered bool) error {
	s.stage = stageMessage
	s.rec.Branch = b.Key
	intro := []string{PromptChosen, BranchPrompt(b.Key)}
	if offered {
		intro = []string{PromptNoInputOffer}
	}
	if !s.f.cfg.NoRecordingNotice {
		intro = append(intro, PromptRecordNotice)
	}
	// The prompt starts before the store write: a key is answered at once.
	if _, err := s.c.Play(ctx, append(intro, PromptRecordInvite), true); err != nil {
		return err
	}
	s.update(ctx)
	opts := RecordOptions{Max: s.f.cfg.MaxRecording, SilenceBefore: s.f.cfg.SilenceBefore, SilenceAfter: s.f.cfg.SilenceAfter}
	for try := 1; ; try++ {
		name := RecordingPrefix + s.rec.StartedAt.UTC().Format("20060102T150405") + "-" + s.c.ID()
		if try > 1 {
			name += "-" + strconv.Itoa(try)
		}
		s.save(ctx, name)
		rec, err := s.c.Record(ctx, name, opts)
		if rec.Kept(s.f.cfg.MinSpeech) {
			return s.ticket(ctx, b, rec, err)
		}
		s.discard(ctx, rec)
		if err != nil {
			return err
		}
		s.save(ctx, "")
		if try >= 2 {
			return s.noMessage(ctx, offered)
		}
		if _, err := s.c.Play(ctx, []string{PromptNoSpeech}, true); err != nil {
			return err
		}
	}
}

// noMessage follows two recordings without a message: back to the menu
// once, else goodbye.
func (s *session) noMessage(ctx context.Context, offered bool) error {
	if offered || s.retried {
		s.rec.Outcome = tickets.OutcomeNoInput
		return s.goodbye(ctx, PromptNoMessage)
	}
	s.retried = true
	s.rec.Branch = 0
	s.update(ctx)
	return s.menu(ctx, []string{PromptNoMessage}, s.operatorOpen())
}

// discard deletes a recording that made no ticket from the server.
func (s *session) discard(ctx context.Context, rec Recording) {
	if !rec.Started {
		return
	}
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	if err := s.c.Discard(dctx, rec.Name); err != nil {
		s.log.Warn("delete a recording without a message", "recording", rec.Name, "err", err)
	}
}

// ticket opens the ticket of a kept recording and tells its code, unless
// the caller is gone (err is the recording's error).
func (s *session) ticket(ctx context.Context, b tickets.Branch, rec Recording, err error) error {
	// The message is kept even if the caller hung up or the server is
	// stopping: the ticket must not depend on ctx.
	octx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	t, oerr := s.f.svc.Open(octx, tickets.NewTicket{Branch: b.Key, Channel: tickets.ChannelPhone,
		Contact: s.c.CallerID(), Recording: rec.Name, Actor: "ivr"})
	cancel()
	if oerr != nil {
		s.log.Error("open ticket", "err", oerr, "recording", rec.Name)
		s.rec.Outcome = tickets.OutcomeFault
		if err != nil {
			return err
		}
		return s.goodbye(ctx, PromptError)
	}
	s.rec.TicketCode, s.rec.Outcome = t.Code, tickets.OutcomeTicket
	s.update(ctx)
	s.save(ctx, "") // a takeover must not open the ticket again
	s.log.Info("ticket created", "ticket", t.Code, "branch", b.Key, "department", t.Department,
		"recording", rec.Name, "speech_seconds", rec.Speech.Seconds())
	if err != nil {
		return err
	}
	code := digitPrompts(string(t.Code))
	prompts := append(append(append([]string{PromptTicketCode}, code...), PromptRepeat), code...)
	return s.goodbye(ctx, prompts...)
}
