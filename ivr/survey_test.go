// SPDX-License-Identifier: Apache-2.0

package ivr_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// mediaAnswers voices every answer as one URL per ticket.
type mediaAnswers struct{}

func (mediaAnswers) AnswerMedia(_ context.Context, t *tickets.Ticket) (string, error) {
	return "http://127.0.0.1:8080/media/answers/" + string(t.Code) + ".wav", nil
}

// resolvedDate is what the status says of a ticket resolved on 2/11/2026.
var resolvedDate = []string{"status-resolved", "date-day", "digit-2", "date-month", "num-11", "date-year", "digit-2",
	"num-thousand", "digit-0", "num-hundred", "num-26"}

func TestStatusPlaysAnswerAndSurvey(t *testing.T) {
	for _, tc := range []struct {
		name   string
		script []step
		rated  bool // rated before the call
		rating tickets.Rating
		after  []string // prompts after the answer
	}{
		{name: "Rated5", script: []step{{at: 20 * time.Second, do: "5"}}, rating: 5,
			after: []string{"survey-ask", "survey-thanks", "goodbye"}},
		{name: "WrongKeyThen2", script: []step{{at: 20 * time.Second, do: "9"}, {at: 23 * time.Second, do: "2"}}, rating: 2,
			after: []string{"survey-ask", "survey-invalid", "survey-ask", "survey-thanks", "survey-flagged", "goodbye"}},
		{name: "TwoWrongKeys", script: []step{{at: 20 * time.Second, do: "9"}, {at: 23 * time.Second, do: "0"}},
			after: []string{"survey-ask", "survey-invalid", "survey-ask", "survey-thanks", "goodbye"}},
		{name: "NoKey", after: []string{"survey-ask", "survey-ask", "survey-thanks", "goodbye"}},
		{name: "AlreadyRated", rated: true, rating: 4, after: []string{"goodbye"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t)
				r.cfg.Answers, r.cfg.Surveys = mediaAnswers{}, r.svc
				ctx := context.Background()
				tk, err := r.svc.Open(ctx, tickets.NewTicket{Branch: 2, Channel: tickets.ChannelPhone, Text: "Hồ sơ chậm", Contact: "0939015599"})
				if err != nil {
					t.Fatal(err)
				}
				for _, a := range []tickets.Action{tickets.ActionAssign, tickets.ActionStart, tickets.ActionResolve} {
					if tk, err = r.svc.Move(ctx, tk.Code, tickets.Change{Action: a, Department: "so-tu-phap", Note: "Đã giải quyết."}); err != nil {
						t.Fatal(err)
					}
				}
				if tc.rated {
					if _, err := r.svc.Rate(ctx, tk.Code, tickets.Rate{Rating: 4, Channel: tickets.ChannelWeb}); err != nil {
						t.Fatal(err)
					}
				}
				p := newPhone(append(typeCode(string(tk.Code)), tc.script...)...)
				r.run(t, p)
				media := "http://127.0.0.1:8080/media/answers/" + string(tk.Code) + ".wav"
				checkPlayed(t, p, seq("greeting", "menu-status", "menu-operator", "code-enter", resolvedDate, "answer-intro", media, tc.after))
				sv, err := r.svc.Survey(ctx, tk.Code)
				if tc.rating == 0 {
					if tickets.ErrorCode(err) != tickets.ENOTFOUND {
						t.Errorf("survey = %+v, %v; want none", sv, err)
					}
					return
				}
				if err != nil || sv.Rating != tc.rating {
					t.Errorf("survey = %+v, %v; want rating %d", sv, err, tc.rating)
				}
			})
		})
	}
}

// A ticket not yet resolved plays its answer but asks for no rating.
func TestStatusAnsweredNotResolved(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t)
		r.cfg.Answers, r.cfg.Surveys = mediaAnswers{}, r.svc
		ctx := context.Background()
		tk, err := r.svc.Open(ctx, tickets.NewTicket{Branch: 2, Channel: tickets.ChannelPhone, Text: "Hồ sơ chậm"})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []tickets.Change{{Action: tickets.ActionAssign, Department: "so-tu-phap"}, {Action: tickets.ActionStart},
			{Action: tickets.ActionAnswer, Note: "Xin bổ sung giấy tờ."}} {
			if tk, err = r.svc.Move(ctx, tk.Code, c); err != nil {
				t.Fatal(err)
			}
		}
		p := newPhone(typeCode(string(tk.Code))...)
		r.run(t, p)
		media := "http://127.0.0.1:8080/media/answers/" + string(tk.Code) + ".wav"
		checkPlayed(t, p, seq("greeting", "menu-status", "menu-operator", "code-enter", "status-handling", "dept-so-tu-phap",
			"answer-intro", media, "goodbye"))
	})
}
