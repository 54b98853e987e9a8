// SPDX-License-Identifier: Apache-2.0

package tickets

import (
	"context"
	"time"
)

// Rating is a citizen's answer to the satisfaction survey, on the ministry's
// five levels: 5 Rất hài lòng … 1 Rất không hài lòng.
type Rating int

// The ratings.
const (
	RatingVeryUnsatisfied Rating = 1
	RatingUnsatisfied     Rating = 2
	RatingNeutral         Rating = 3
	RatingSatisfied       Rating = 4
	RatingVerySatisfied   Rating = 5
)

// Ratings lists the levels from the best to the worst, the order a survey
// offers them.
var Ratings = []Rating{RatingVerySatisfied, RatingSatisfied, RatingNeutral, RatingUnsatisfied, RatingVeryUnsatisfied}

// ParseRating returns the rating n; EINVALID unless 1 ≤ n ≤ 5.
func ParseRating(n int) (Rating, error) {
	if n < 1 || n > 5 {
		return 0, Errorf(EINVALID, "a rating is 1 to 5, not %d", n)
	}
	return Rating(n), nil
}

// Vietnamese is the level's name in the ministry's wording.
func (r Rating) Vietnamese() string {
	switch r {
	case RatingVerySatisfied:
		return "Rất hài lòng"
	case RatingSatisfied:
		return "Hài lòng"
	case RatingNeutral:
		return "Bình thường"
	case RatingUnsatisfied:
		return "Không hài lòng"
	case RatingVeryUnsatisfied:
		return "Rất không hài lòng"
	}
	return ""
}

// Satisfied reports whether the rating counts as satisfied: 4 or 5.
func (r Rating) Satisfied() bool { return r >= RatingSatisfied }

// Flags reports whether the rating flags the ticket for the department
// head's review: 1 or 2.
func (r Rating) Flags() bool { return r >= RatingVeryUnsatisfied && r <= RatingUnsatisfied }

// MaxCommentLen bounds a survey comment, in characters.
const MaxCommentLen = 1_000

// Survey is a ticket's one satisfaction rating. It names no citizen: an
// anonymous ticket is rated through its code only.
type Survey struct {
	Ticket  Code
	Rating  Rating
	Channel Channel // where the citizen rated
	Comment string
	At      time.Time
	// Department and Branch are the ticket's when it was rated, for reports.
	Department string
	Branch     int
}

// Flagged reports whether the survey asks the department head to review
// the ticket.
func (s *Survey) Flagged() bool { return s.Rating.Flags() }

// Rate is a citizen's rating of a ticket.
type Rate struct {
	Rating  Rating
	Channel Channel
	// From is the chat the rating comes from; a ticket filed from another
	// chat is refused. Empty for the phone, where the code is the handle.
	From    string
	Comment string
}

// SurveyStore keeps the surveys; tickets/sqlite satisfies it.
type SurveyStore interface {
	// RateTicket loads the ticket with code, lets check refuse it, and
	// stores s for it with the ticket's department and branch, in one
	// transaction. It returns ENOTFOUND for an unknown ticket, check's error
	// unchanged, and ECONFLICT if the ticket is already rated.
	RateTicket(ctx context.Context, code Code, s *Survey, check func(*Ticket) error) error
	// CommentSurvey sets the comment of the ticket's survey if it has none;
	// ENOTFOUND if the ticket is not rated, ECONFLICT if it has a comment.
	CommentSurvey(ctx context.Context, code Code, comment string) error
	// Survey returns the ticket's survey; ENOTFOUND if it is not rated.
	Survey(ctx context.Context, code Code) (*Survey, error)
}

// Rateable reports whether a survey may be offered for t: once it is
// resolved (or closed after that).
func Rateable(t *Ticket) bool { return t.Status == StatusResolved || t.Status == StatusClosed }

// Rate stores a citizen's rating of the ticket with code. It returns
// EINVALID for a rating out of 1–5 or a comment too long, ENOTFOUND for an
// unknown ticket or a ticket filed from another chat than r.From (so that a
// chat learns nothing of others' tickets), ECONFLICT when the ticket is not
// resolved or is already rated: a second rating is never counted.
func (s *Service) Rate(ctx context.Context, code Code, r Rate) (*Survey, error) {
	store, err := s.surveys()
	if err != nil {
		return nil, err
	}
	if _, err := ParseRating(int(r.Rating)); err != nil {
		return nil, err
	}
	comment, err := s.cleanText("comment", r.Comment, MaxCommentLen)
	if err != nil {
		return nil, err
	}
	sv := &Survey{Ticket: code, Rating: r.Rating, Channel: r.Channel, Comment: comment, At: s.now()}
	err = store.RateTicket(ctx, code, sv, func(t *Ticket) error {
		if r.From != "" && (t.Channel != r.Channel || t.Contact != r.From) && !t.Anonymous {
			return Errorf(ENOTFOUND, "there is no ticket with this code in this chat")
		}
		if !Rateable(t) {
			return Errorf(ECONFLICT, "the ticket is %s; it can be rated once resolved", t.Status)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sv, nil
}

// CommentSurvey adds a citizen's short comment to the ticket's survey. It
// returns EINVALID for an empty or too long comment, ENOTFOUND if the ticket
// is not rated and ECONFLICT if the survey has a comment already.
func (s *Service) CommentSurvey(ctx context.Context, code Code, comment string) error {
	store, err := s.surveys()
	if err != nil {
		return err
	}
	comment, err = s.cleanText("comment", comment, MaxCommentLen)
	if err != nil {
		return err
	}
	if comment == "" {
		return Errorf(EINVALID, "the comment is empty")
	}
	return store.CommentSurvey(ctx, code, comment)
}

// Survey returns the ticket's survey; ENOTFOUND if it is not rated.
func (s *Service) Survey(ctx context.Context, code Code) (*Survey, error) {
	store, err := s.surveys()
	if err != nil {
		return nil, err
	}
	return store.Survey(ctx, code)
}

// surveys returns the survey store: Service.Surveys, or Service.Store if it
// keeps surveys too; EINTERNAL if neither does.
func (s *Service) surveys() (SurveyStore, error) {
	if s.Surveys != nil {
		return s.Surveys, nil
	}
	if st, ok := s.Store.(SurveyStore); ok {
		return st, nil
	}
	return nil, Errorf(EINTERNAL, "the store keeps no surveys")
}

// RatingCount is the number of surveys rated in a period at one level, for
// tickets of one department and branch (theirs when rated).
type RatingCount struct {
	Department string
	Branch     int
	Rating     Rating
	N          int
}

// BranchCount is a number of tickets of one branch.
type BranchCount struct {
	Branch int
	N      int
}
