// SPDX-License-Identifier: Apache-2.0

package ivr

import (
	"context"
	"strings"

	"github.com/hotline-cchc/hotline/tickets"
)

// Answers gives the media that speaks a ticket's latest answer: a voice
// answer the focal point recorded, or the text synthesised. cmd/hotline
// makes the WAV and serves it to Asterisk over HTTP.
type Answers interface {
	// AnswerMedia returns the prompt that plays t's latest answer or
	// resolution note, a URL (see IsMedia); "" if t has none.
	AnswerMedia(ctx context.Context, t *tickets.Ticket) (string, error)
}

// Surveys rates tickets; *tickets.Service satisfies it.
type Surveys interface {
	// Rate stores a rating; ECONFLICT if the ticket is not resolved or is
	// already rated.
	Rate(ctx context.Context, code tickets.Code, r tickets.Rate) (*tickets.Survey, error)
	// Survey returns the ticket's survey; ENOTFOUND if it is not rated.
	Survey(ctx context.Context, code tickets.Code) (*tickets.Survey, error)
}

// IsMedia reports whether a prompt is a media URL (http:// or https://)
// rather than the id of a prompt of the sounds manifest: Asterisk 22 plays
// sound:http://… itself.
func IsMedia(prompt string) bool {
	return strings.HasPrefix(prompt, "http://") || strings.HasPrefix(prompt, "https://")
}

// tell says where ticket t stands (intro), plays its answer if it has one,
// and offers the survey if it is resolved and not yet rated; then goodbye.
func (s *session) tell(ctx context.Context, t *tickets.Ticket, intro []string) error {
	prompts := intro
	if media := s.answerMedia(ctx, t); media != "" {
		prompts = append(prompts, PromptAnswerIntro, media)
	}
	if !s.surveyDue(ctx, t) {
		return s.goodbye(ctx, prompts...)
	}
	if _, err := s.c.Play(ctx, prompts, false); err != nil {
		return err
	}
	return s.survey(ctx, t)
}

// answerMedia returns the media of t's answer; "" if it has none or it
// cannot be made (logged: the caller still hears the status).
func (s *session) answerMedia(ctx context.Context, t *tickets.Ticket) string {
	if s.f.cfg.Answers == nil {
		return ""
	}
	media, err := s.f.cfg.Answers.AnswerMedia(ctx, t)
	if err != nil {
		s.log.Error("voice the answer", "ticket", t.Code, "err", err)
		return ""
	}
	return media
}

// surveyDue reports whether the caller is to be asked to rate t.
func (s *session) surveyDue(ctx context.Context, t *tickets.Ticket) bool {
	if s.f.cfg.Surveys == nil || !tickets.Rateable(t) {
		return false
	}
	_, err := s.f.cfg.Surveys.Survey(ctx, t.Code)
	if err != nil && tickets.ErrorCode(err) != tickets.ENOTFOUND {
		s.log.Error("look up survey", "ticket", t.Code, "err", err)
		return false
	}
	return err != nil
}

// survey asks for a rating, keys 1–5. Another key, or none, is asked again
// once; then the caller is thanked and the call ends.
func (s *session) survey(ctx context.Context, t *tickets.Ticket) error {
	var prefix []string
	for attempt := 0; ; attempt++ {
		key, err := s.c.Play(ctx, append(prefix, PromptSurveyAsk), true)
		if err == nil && key == "" {
			key, err = s.c.ReadDigit(ctx, s.f.cfg.DigitTimeout)
		}
		if err != nil {
			return err
		}
		if len(key) == 1 && key >= "1" && key <= "5" {
			return s.rate(ctx, t, tickets.Rating(key[0]-'0'))
		}
		if attempt >= 1 {
			return s.goodbye(ctx, PromptSurveyThanks)
		}
		prefix = nil
		if key != "" {
			prefix = []string{PromptSurveyInvalid}
		}
	}
}

// rate stores the caller's rating of t and thanks them.
func (s *session) rate(ctx context.Context, t *tickets.Ticket, r tickets.Rating) error {
	sv, err := s.f.cfg.Surveys.Rate(ctx, t.Code, tickets.Rate{Rating: r, Channel: tickets.ChannelPhone})
	switch {
	case err == nil:
		s.log.Info("ticket rated", "ticket", t.Code, "rating", int(sv.Rating))
		if sv.Flagged() {
			return s.goodbye(ctx, PromptSurveyThanks, PromptSurveyFlagged)
		}
		return s.goodbye(ctx, PromptSurveyThanks)
	case tickets.ErrorCode(err) == tickets.ECONFLICT: // rated meanwhile, or reopened
		return s.goodbye(ctx, PromptSurveyThanks)
	}
	s.log.Error("store rating", "ticket", t.Code, "err", err)
	return s.goodbye(ctx, PromptError)
}
