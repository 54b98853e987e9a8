// SPDX-License-Identifier: Apache-2.0

package tickets_test

import (
	"testing"

	"github.com/hotline-cchc/hotline/tickets"
)

func TestNext(t *testing.T) {
	// Every (status, action) pair: the lifecycle of DESIGN.md allows exactly these.
	allowed := map[tickets.Status]map[tickets.Action]tickets.Status{
		tickets.StatusNew:        {tickets.ActionAssign: tickets.StatusAssigned},
		tickets.StatusAssigned:   {tickets.ActionAssign: tickets.StatusAssigned, tickets.ActionStart: tickets.StatusInProgress},
		tickets.StatusInProgress: {tickets.ActionAssign: tickets.StatusAssigned, tickets.ActionResolve: tickets.StatusResolved},
		tickets.StatusResolved:   {tickets.ActionReopen: tickets.StatusInProgress, tickets.ActionClose: tickets.StatusClosed},
		tickets.StatusClosed:     {},
	}
	actions := []tickets.Action{tickets.ActionAssign, tickets.ActionStart, tickets.ActionResolve, tickets.ActionReopen, tickets.ActionClose}
	for _, from := range tickets.Statuses {
		for _, a := range actions {
			got, err := tickets.Next(from, a)
			want, ok := allowed[from][a]
			switch {
			case ok && (err != nil || got != want):
				t.Errorf("Next(%s, %s) = %q, %v; want %q", from, a, got, err, want)
			case !ok && tickets.ErrorCode(err) != tickets.ECONFLICT:
				t.Errorf("Next(%s, %s) = %q, %v; want ECONFLICT", from, a, got, err)
			}
		}
	}
	if _, err := tickets.Next(tickets.StatusNew, tickets.ActionCreate); tickets.ErrorCode(err) != tickets.EINVALID {
		t.Errorf("Next(new, create) error = %v, want EINVALID", err)
	}
}

func TestStatusVietnamese(t *testing.T) {
	for _, s := range tickets.Statuses {
		if s.Vietnamese() == string(s) {
			t.Errorf("status %q has no Vietnamese name", s)
		}
	}
	if got, want := tickets.StatusInProgress.Vietnamese(), "Đang xử lý"; got != want {
		t.Errorf("Vietnamese() = %q, want %q", got, want)
	}
}

func TestErrorCode(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		code string
		msg  string
	}{
		{"Nil", nil, "", ""},
		{"Domain", tickets.Errorf(tickets.ENOTFOUND, "no ticket"), tickets.ENOTFOUND, "no ticket"},
		{"Internal", errString("disk on fire"), tickets.EINTERNAL, "internal error"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tickets.ErrorCode(tt.err); got != tt.code {
				t.Errorf("ErrorCode = %q, want %q", got, tt.code)
			}
			if got := tickets.ErrorMessage(tt.err); got != tt.msg {
				t.Errorf("ErrorMessage = %q, want %q", got, tt.msg)
			}
		})
	}
}

type errString string

func (e errString) Error() string { return string(e) }
