// SPDX-License-Identifier: Apache-2.0

package chatbot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hotline-cchc/hotline/tickets"
)

// Surveys rates tickets; *tickets.Service satisfies it. Bot.Surveys nil
// offers no survey.
type Surveys interface {
	// Rate stores a rating; ENOTFOUND for another chat's ticket, ECONFLICT
	// for a ticket not resolved or already rated.
	Rate(ctx context.Context, code tickets.Code, r tickets.Rate) (*tickets.Survey, error)
	// CommentSurvey adds the comment to a rated ticket's survey.
	CommentSurvey(ctx context.Context, code tickets.Code, comment string) error
	// Survey returns the ticket's survey; ENOTFOUND if it is not rated.
	Survey(ctx context.Context, code tickets.Code) (*tickets.Survey, error)
}

// stateComment: the citizen rated a ticket and may send a short comment.
const stateComment = "comment"

const (
	msgSurveyAsk     = "Bạn có hài lòng với kết quả giải quyết phản ánh này không? Xin chọn một mức đánh giá:"
	cbRated          = "Cảm ơn bạn đã đánh giá."
	msgRated         = "Cảm ơn bạn đã đánh giá phiếu %s: «%s»."
	msgCommentInvite = "Nếu muốn, bạn có thể gửi một góp ý ngắn ngay bây giờ (không quá 1.000 ký tự)."
	msgFlagged       = "Lãnh đạo cơ quan sẽ xem xét lại việc giải quyết phiếu này. Nếu vấn đề chưa được giải quyết, bạn có thể yêu cầu mở lại phiếu."
	btnReopen        = "Yêu cầu mở lại phiếu"
	cbAlreadyRated   = "Bạn đã đánh giá phiếu này rồi; mỗi phiếu chỉ được đánh giá một lần."
	cbNotYourTicket  = "Phiếu này không thuộc cuộc trò chuyện của bạn."
	msgCommentSaved  = "Đã ghi nhận góp ý của bạn. Cảm ơn bạn."
	msgReopened      = "Phiếu %s đã được mở lại; cơ quan sẽ tiếp tục xử lý và trả lời bạn."
	cbReopened       = "Đã mở lại phiếu."
	noteReopen       = "Công dân đánh giá «%s» và yêu cầu mở lại phiếu qua %s."
)

// surveyButtons are the five levels, best first, one per row.
func surveyButtons(code tickets.Code) [][]Button {
	rows := make([][]Button, 0, len(tickets.Ratings))
	for _, r := range tickets.Ratings {
		rows = append(rows, []Button{{Text: r.Vietnamese(), Data: "sv:" + string(code) + ":" + strconv.Itoa(int(r))}})
	}
	return rows
}

// offerSurvey adds the survey to r if surveys are on and t can be rated and
// is not yet.
func (b *Bot) offerSurvey(ctx context.Context, t *tickets.Ticket, r *Reply) error {
	if b.Surveys == nil || !tickets.Rateable(t) {
		return nil
	}
	_, err := b.Surveys.Survey(ctx, t.Code)
	switch tickets.ErrorCode(err) {
	case tickets.ENOTFOUND:
		r.Text += "\n\n" + msgSurveyAsk
		r.Buttons = surveyButtons(t.Code)
		return nil
	case "":
		return nil
	}
	return err
}

// rate handles a press on a survey button ("sv:CODE:N"). A stale button,
// a second rating or another chat's ticket is answered and not counted.
func (s *step) rate(ctx context.Context, data string) error {
	b := s.b
	raw, n, _ := strings.Cut(strings.TrimPrefix(data, "sv:"), ":")
	code, err := tickets.ParseCode(raw)
	level, lerr := strconv.Atoi(n)
	if err != nil || lerr != nil || b.Surveys == nil {
		s.cbText = msgStale
		return nil
	}
	sv, err := b.Surveys.Rate(ctx, code, tickets.Rate{Rating: tickets.Rating(level), Channel: b.Channel, From: s.u.Chat})
	switch tickets.ErrorCode(err) {
	case "":
	case tickets.ENOTFOUND:
		s.cbText = cbNotYourTicket
		return nil
	case tickets.ECONFLICT:
		s.cbText = msgStale
		if _, serr := b.Surveys.Survey(ctx, code); serr == nil {
			s.cbText = cbAlreadyRated
		}
		return nil
	case tickets.EINVALID:
		s.cbText = msgStale
		return nil
	default:
		return err
	}
	s.cbText = cbRated
	r := Reply{Text: fmt.Sprintf(msgRated, code.Grouped(), sv.Rating.Vietnamese())}
	if sv.Flagged() {
		r.Text += "\n\n" + msgFlagged
		r.Buttons = [][]Button{{{Text: btnReopen, Data: "ro:" + string(code)}}}
	}
	if s.state == "" {
		r.Text += "\n\n" + msgCommentInvite
		s.keep = false
		s.to(stateComment)
		s.d = draft{ID: ID(s.u.ID), Survey: code}
	}
	s.reply(r)
	return nil
}

// comment stores the text the citizen sent after rating as the survey's
// comment and ends the conversation.
func (s *step) comment(ctx context.Context) error {
	s.to("")
	if s.u.Attachment != nil || s.u.Unsupported || strings.TrimSpace(s.u.Text) == "" || s.d.Survey == "" {
		s.say(msgIdle)
		return nil
	}
	err := s.b.Surveys.CommentSurvey(ctx, s.d.Survey, s.u.Text)
	switch tickets.ErrorCode(err) {
	case "":
		s.say(msgCommentSaved)
	case tickets.EINVALID:
		s.to(stateComment)
		s.say(msgTooLongComment)
	case tickets.ENOTFOUND, tickets.ECONFLICT:
		s.say(msgIdle)
	default:
		return err
	}
	return nil
}

const msgTooLongComment = "Góp ý quá dài: xin gửi không quá 1.000 ký tự."

// reopen handles "ro:CODE": the citizen who rated the ticket 1–2 asks to
// reopen it.
func (s *step) reopen(ctx context.Context, data string) error {
	b := s.b
	code, err := tickets.ParseCode(strings.TrimPrefix(data, "ro:"))
	if err != nil || b.Surveys == nil {
		s.cbText = msgStale
		return nil
	}
	t, err := b.Store.Ticket(ctx, code)
	if tickets.ErrorCode(err) == tickets.ENOTFOUND || err == nil && (t.Channel != b.Channel || t.Contact != s.u.Chat) {
		s.cbText = cbNotYourTicket
		return nil
	} else if err != nil {
		return err
	}
	sv, err := b.Surveys.Survey(ctx, code)
	if tickets.ErrorCode(err) == tickets.ENOTFOUND || err == nil && !sv.Flagged() {
		s.cbText = msgStale
		return nil
	} else if err != nil {
		return err
	}
	_, err = b.Tickets.Move(ctx, code, tickets.Change{Action: tickets.ActionReopen,
		Note: fmt.Sprintf(noteReopen, sv.Rating.Vietnamese(), b.Channel), Actor: string(b.Channel) + ":citizen"})
	if tickets.ErrorCode(err) == tickets.ECONFLICT {
		s.cbText = msgStale
		return nil
	} else if err != nil {
		return err
	}
	s.cbText = cbReopened
	s.say(fmt.Sprintf(msgReopened, code.Grouped()))
	return nil
}
