// SPDX-License-Identifier: Apache-2.0

package tickets_test

import (
	"context"
	"testing"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

func TestRatingWording(t *testing.T) {
	want := map[tickets.Rating]string{5: "Rất hài lòng", 4: "Hài lòng", 3: "Bình thường", 2: "Không hài lòng", 1: "Rất không hài lòng"}
	for r, name := range want {
		if got := r.Vietnamese(); got != name {
			t.Errorf("%d.Vietnamese() = %q, want %q", r, got, name)
		}
		if got, want := r.Satisfied(), r >= 4; got != want {
			t.Errorf("%d.Satisfied() = %v", r, got)
		}
		if got, want := r.Flags(), r <= 2; got != want {
			t.Errorf("%d.Flags() = %v", r, got)
		}
	}
	for _, n := range []int{0, 6, -1} {
		if _, err := tickets.ParseRating(n); tickets.ErrorCode(err) != tickets.EINVALID {
			t.Errorf("ParseRating(%d) = %v, want EINVALID", n, err)
		}
	}
}

// resolvedTicket opens a ticket from chat and resolves it with an answer.
func resolvedTicket(t *testing.T, svc *tickets.Service, n tickets.NewTicket) *tickets.Ticket {
	t.Helper()
	ctx := context.Background()
	tk, err := svc.Open(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []tickets.Change{{Action: tickets.ActionAssign, Department: tk.Department}, {Action: tickets.ActionStart},
		{Action: tickets.ActionResolve, Note: "Đã cấp lại giấy phép."}} {
		if tk, err = svc.Move(ctx, tk.Code, c); err != nil {
			t.Fatalf("%s: %v", c.Action, err)
		}
	}
	return tk
}

func TestServiceRate(t *testing.T) {
	ctx := context.Background()
	svc, _ := ticketstest.Service(t)
	chat := tickets.NewTicket{Branch: 4, Channel: tickets.ChannelTelegram, Text: "Hồ sơ trễ hẹn", Contact: "42"}
	tk := resolvedTicket(t, svc, chat)
	rate := tickets.Rate{Rating: 2, Channel: tickets.ChannelTelegram, From: "42"}

	t.Run("ErrAnotherChat", func(t *testing.T) {
		r := rate
		r.From = "43"
		if _, err := svc.Rate(ctx, tk.Code, r); tickets.ErrorCode(err) != tickets.ENOTFOUND {
			t.Fatalf("Rate from another chat = %v, want ENOTFOUND", err)
		}
	})
	t.Run("ErrBadRating", func(t *testing.T) {
		r := rate
		r.Rating = 6
		if _, err := svc.Rate(ctx, tk.Code, r); tickets.ErrorCode(err) != tickets.EINVALID {
			t.Fatalf("Rate 6 = %v, want EINVALID", err)
		}
	})
	t.Run("ErrNotResolved", func(t *testing.T) {
		open, err := svc.Open(ctx, chat)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Rate(ctx, open.Code, rate); tickets.ErrorCode(err) != tickets.ECONFLICT {
			t.Fatalf("Rate of an open ticket = %v, want ECONFLICT", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		sv, err := svc.Rate(ctx, tk.Code, rate)
		if err != nil {
			t.Fatal(err)
		}
		if !sv.Flagged() || sv.Department != tk.Department || sv.Branch != 4 {
			t.Errorf("survey = %+v", sv)
		}
		if err := svc.CommentSurvey(ctx, tk.Code, "  Chờ quá lâu  "); err != nil {
			t.Fatal(err)
		}
		got, err := svc.Store.(tickets.SurveyStore).Survey(ctx, tk.Code)
		if err != nil || got.Rating != 2 || got.Comment != "Chờ quá lâu" || got.Channel != tickets.ChannelTelegram {
			t.Errorf("stored survey = %+v, %v", got, err)
		}
	})
	t.Run("ErrSecondRating", func(t *testing.T) {
		r := rate
		r.Rating = 5
		if _, err := svc.Rate(ctx, tk.Code, r); tickets.ErrorCode(err) != tickets.ECONFLICT {
			t.Fatalf("second Rate = %v, want ECONFLICT", err)
		}
		if err := svc.CommentSurvey(ctx, tk.Code, "khác"); tickets.ErrorCode(err) != tickets.ECONFLICT {
			t.Fatalf("second comment = %v, want ECONFLICT", err)
		}
		if got, _ := svc.Store.(tickets.SurveyStore).Survey(ctx, tk.Code); got.Rating != 2 {
			t.Errorf("the second rating was counted: %+v", got)
		}
	})
	t.Run("OKAnonymousByCode", func(t *testing.T) {
		anon := chat
		anon.Anonymous = true
		a := resolvedTicket(t, svc, anon)
		if _, err := svc.Rate(ctx, a.Code, tickets.Rate{Rating: 5, Channel: tickets.ChannelTelegram, From: "99"}); err != nil {
			t.Fatalf("rating an anonymous ticket by its code: %v", err)
		}
	})
}
