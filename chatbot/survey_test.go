// SPDX-License-Identifier: Apache-2.0

package chatbot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/chatbot"
	"github.com/hotline-cchc/hotline/tickets"
)

// resolve answers and resolves code as a focal point, and returns what the
// citizen's chat received.
func (h *harness) resolve(code tickets.Code) []chatbot.Reply {
	h.t.Helper()
	ctx := context.Background()
	for _, c := range []tickets.Change{{Action: tickets.ActionAssign, Department: "so-noi-vu"}, {Action: tickets.ActionStart},
		{Action: tickets.ActionResolve, Note: "Đã hướng dẫn công dân bổ sung hồ sơ."}} {
		if _, err := h.svc.Move(ctx, code, c); err != nil {
			h.t.Fatalf("%s: %v", c.Action, err)
		}
	}
	h.flush()
	return h.send.take(h.chat)
}

// surveyButton returns the data of the survey button labelled label.
func surveyButton(t *testing.T, rs []chatbot.Reply, label string) string {
	t.Helper()
	for _, r := range rs {
		for _, row := range r.Buttons {
			for _, b := range row {
				if b.Text == label {
					return b.Data
				}
			}
		}
	}
	t.Fatalf("no button %q in %+v", label, rs)
	return ""
}

func TestSurveyInChat(t *testing.T) {
	h := newHarness(t)
	h.bot.Surveys = h.svc
	code := h.fileTicket(1, "Cần hướng dẫn thủ tục", false)
	h.send.take("-100")
	rs := h.resolve(code)
	mustContain(t, rs, "đã được Sở Nội vụ giải quyết", "Bạn có hài lòng")
	if n := len(rs[len(rs)-1].Buttons); n != 5 {
		t.Fatalf("the resolution carries %d rows of buttons, want the 5 levels", n)
	}
	unhappy := surveyButton(t, rs, "Không hài lòng")

	h.chat = "43" // another chat presses the button
	if res, _ := h.press(unhappy); res.CallbackText != "Phiếu này không thuộc cuộc trò chuyện của bạn." {
		t.Errorf("another chat's press = %+v", res)
	}
	h.chat = "42"
	res, rs := h.press(unhappy)
	if res.CallbackText != "Cảm ơn bạn đã đánh giá." {
		t.Errorf("press = %+v", res)
	}
	mustContain(t, rs, "«Không hài lòng»", "Lãnh đạo cơ quan sẽ xem xét", "góp ý ngắn")
	reopen := surveyButton(t, rs, "Yêu cầu mở lại phiếu")
	if res, _ := h.press(surveyButton(t, h.staleSurvey(code), "Rất hài lòng")); res.CallbackText != "Bạn đã đánh giá phiếu này rồi; mỗi phiếu chỉ được đánh giá một lần." {
		t.Errorf("second press = %+v", res)
	}
	mustContain(t, h.say("Cán bộ trả lời chậm"), "Đã ghi nhận góp ý")
	sv, err := h.svc.Survey(context.Background(), code)
	if err != nil || sv.Rating != tickets.RatingUnsatisfied || sv.Comment != "Cán bộ trả lời chậm" || !sv.Flagged() {
		t.Errorf("survey = %+v, %v", sv, err)
	}
	mustContain(t, h.say("Xin chào"), "Gõ /start") // the comment is taken once

	if res, rs := h.press(reopen); res.CallbackText != "Đã mở lại phiếu." || !strings.Contains(texts(rs), "đã được mở lại") {
		t.Errorf("reopen = %+v %+v", res, rs)
	}
	if tk, _ := h.db.Ticket(context.Background(), code); tk.Status != tickets.StatusInProgress {
		t.Errorf("after the reopening the ticket is %s", tk.Status)
	}
	if res, _ := h.press(reopen); res.CallbackText != "Nút này đã hết hiệu lực." {
		t.Errorf("second reopen = %+v", res)
	}
}

// staleSurvey returns the survey buttons as they were first offered, for
// pressing a stale one.
func (h *harness) staleSurvey(code tickets.Code) []chatbot.Reply {
	return []chatbot.Reply{{Buttons: [][]chatbot.Button{{{Text: "Rất hài lòng", Data: "sv:" + string(code) + ":5"}}}}}
}

func TestSurveyAnonymousByCode(t *testing.T) {
	h := newHarness(t)
	h.bot.Surveys = h.svc
	code := h.fileTicket(1, "Cán bộ gây phiền hà", true)
	if rs := h.resolve(code); len(rs) != 0 {
		t.Fatalf("an anonymous citizen got %+v", rs)
	}
	rs := h.say(string(code))
	mustContain(t, rs, "Bạn có hài lòng")
	if res, _ := h.press(surveyButton(t, rs, "Rất hài lòng")); res.CallbackText != "Cảm ơn bạn đã đánh giá." {
		t.Errorf("press = %+v", res)
	}
	if rs := h.say(string(code)); strings.Contains(texts(rs), "Bạn có hài lòng") {
		t.Errorf("a rated ticket is offered the survey again: %s", texts(rs))
	}
}

func TestSurveyOff(t *testing.T) {
	h := newHarness(t)
	code := h.fileTicket(1, "Cần hướng dẫn thủ tục", false)
	rs := h.resolve(code)
	if strings.Contains(texts(rs), "Bạn có hài lòng") || len(rs[len(rs)-1].Buttons) != 0 {
		t.Errorf("with surveys off the resolution is %+v", rs)
	}
	if res, _ := h.press("sv:" + string(code) + ":5"); res.CallbackText != "Nút này đã hết hiệu lực." {
		t.Errorf("press with surveys off = %+v", res)
	}
}
