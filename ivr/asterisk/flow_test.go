// SPDX-License-Identifier: Apache-2.0

package asterisk_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/ivr"
	"github.com/hotline-cchc/hotline/ivr/aritest"
	"github.com/hotline-cchc/hotline/tickets"
)

// sounds turns prompt ids into the media URIs the fake sees.
func sounds(ids ...any) []string {
	var out []string
	for _, id := range ids {
		switch id := id.(type) {
		case string:
			out = append(out, "sound:hotline/"+id)
		case []string:
			for _, x := range id {
				out = append(out, "sound:hotline/"+x)
			}
		}
	}
	return out
}

func menu() []string {
	out := []string{"menu-status", "menu-operator", "menu-intro"}
	for _, k := range []string{"1", "2", "4", "9"} {
		out = append(out, "digit-"+k, "branch-"+k)
	}
	return out
}

func digits(c tickets.Code) []string {
	var out []string
	for _, d := range c {
		out = append(out, "digit-"+string(d))
	}
	return out
}

func checkPlayed(t *testing.T, k *aritest.Call, want []string) {
	t.Helper()
	if got := k.Played(); !slices.Equal(got, want) {
		t.Errorf("played\n %v\nwant\n %v", got, want)
	}
}

func TestMessageBecomesTicket(t *testing.T) {
	r := newRig(t, setup{})
	k := r.fake.Call("hotline", aritest.Caller{Number: "0939015599", Keys: []string{"4"}, Say: 12 * time.Second})
	c := r.result(t, k)
	if c.Outcome != tickets.OutcomeTicket || c.Branch != 4 || c.Caller != "0939015599" || c.ChannelID != k.ID() {
		t.Fatalf("call = %+v\n%v", c, k.Log())
	}
	tk, err := r.svc.Store.Ticket(context.Background(), c.TicketCode)
	if err != nil {
		t.Fatal(err)
	}
	secs, ok := r.fake.Stored(tk.Recording)
	if !ok || secs < 12 || tk.Channel != tickets.ChannelPhone || tk.Department != "van-phong-ubnd-tinh" || tk.Contact != "0939015599" {
		t.Errorf("ticket %+v, recording %ds stored %v", tk, secs, ok)
	}
	code := digits(c.TicketCode)
	checkPlayed(t, k, sounds("greeting", menu(), "chosen", "branch-4", "record-notice", "record-invite", "ticket-code", code, "repeat", code, "goodbye"))
	if got := k.Variable("CHANNEL(language)"); got != "vi" {
		t.Errorf("channel language = %q", got)
	}
}

// A key pressed during a prompt stops it: the rest of the menu is not played.
func TestBargeIn(t *testing.T) {
	r := newRig(t, setup{})
	k := r.fake.Call("hotline", aritest.Caller{Number: "0939015599", At: []aritest.Timed{{At: 500 * time.Millisecond, Digits: "9", From: "play:sound:hotline/branch-1"}}, Say: 5 * time.Second})
	c := r.result(t, k)
	if c.Outcome != tickets.OutcomeTicket || c.Branch != 9 {
		t.Fatalf("call = %+v\n%v", c, k.Log())
	}
	played := k.Played()
	if i := slices.Index(played, "sound:hotline/chosen"); i < 0 || i > 6 {
		t.Errorf("the menu went on after the key: %v", played)
	}
}

func TestHangups(t *testing.T) {
	for _, tc := range []struct {
		name    string
		caller  aritest.Caller
		outcome tickets.Outcome
		ticket  bool
	}{
		{"DuringGreeting", aritest.Caller{HangupAfter: 500 * time.Millisecond, HangupFrom: "play"}, tickets.OutcomeAbandonedMenu, false},
		{"WaitingForKey", aritest.Caller{HangupAfter: 3 * time.Second, HangupFrom: "play:sound:hotline/menu-status"}, tickets.OutcomeAbandonedMenu, false},
		{"DuringInvitation", aritest.Caller{Keys: []string{"4"}, HangupAfter: time.Second, HangupFrom: "play:sound:hotline/record-invite"}, tickets.OutcomeAbandonedRec, false},
		{"WhileRecording", aritest.Caller{Keys: []string{"4"}, Say: time.Minute, HangupAfter: 10 * time.Second, HangupFrom: "record"}, tickets.OutcomeTicket, true},
		{"DuringCode", aritest.Caller{Keys: []string{"4"}, Say: 3 * time.Second, HangupAfter: 2 * time.Second, HangupFrom: "play:sound:hotline/ticket-code"}, tickets.OutcomeTicket, true},
		{"TypingCode", aritest.Caller{Keys: []string{"*"}, At: []aritest.Timed{{At: 500 * time.Millisecond, Digits: "12", From: "play:sound:hotline/code-enter"}}, HangupAfter: 2 * time.Second, HangupFrom: "play:sound:hotline/code-enter"}, tickets.OutcomeStatusCheck, false},
		{"WaitingForOperator", aritest.Caller{Keys: []string{"0"}, HangupAfter: 3 * time.Second, HangupFrom: "ring"}, tickets.OutcomeAbandonedMenu, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, setup{})
			tc.caller.Number = "0939015599"
			k := r.fake.Call("hotline", tc.caller)
			c := r.result(t, k)
			if c.Outcome != tc.outcome || (c.TicketCode != "") != tc.ticket {
				t.Errorf("call = %+v, want %s\n%v", c, tc.outcome, k.Log())
			}
			counts, err := r.svc.Store.CountCalls(context.Background())
			if err != nil || counts[tc.outcome] != 1 {
				t.Errorf("stored calls = %v (%v)", counts, err)
			}
			if tc.ticket {
				tk, err := r.svc.Store.Ticket(context.Background(), c.TicketCode)
				if err != nil {
					t.Fatal(err)
				}
				if _, ok := r.fake.Stored(tk.Recording); !ok {
					t.Errorf("ticket %+v: recording not stored", tk)
				}
			}
		})
	}
}

// A caller whose line sends no audio never ends a recording: the client
// stops it, and an empty message makes no ticket; after a second try the
// caller is back in the menu.
func TestMutedCaller(t *testing.T) {
	r := newRig(t, setup{flow: func(c *ivr.Config) { c.MaxRecording = 20 * time.Second }})
	k := r.fake.Call("hotline", aritest.Caller{Keys: []string{"4"}, Mute: true, HangupAfter: time.Second, HangupFrom: "play:sound:hotline/no-message"})
	c := r.result(t, k)
	if c.Outcome != tickets.OutcomeAbandonedMenu {
		t.Errorf("call = %+v\n%v", c, k.Log())
	}
	if played := k.Played(); !slices.Contains(played, "sound:hotline/no-message") {
		t.Errorf("played %v", played)
	}
}

func TestOperator(t *testing.T) {
	t.Run("Answers", func(t *testing.T) {
		r := newRig(t, setup{fake: aritest.Options{Operator: aritest.Operator{AnswerAfter: 4 * time.Second, Talk: 30 * time.Second}}})
		k := r.fake.Call("hotline", aritest.Caller{Keys: []string{"0"}})
		c := r.result(t, k)
		if c.Outcome != tickets.OutcomeOperator {
			t.Errorf("call = %+v\n%v", c, k.Log())
		}
		var what []string
		for _, e := range k.Log() {
			what = append(what, e.What)
		}
		if !slices.Contains(what, "ring") || !slices.Contains(what, "bridge") {
			t.Errorf("log %v", k.Log())
		}
	})
	for name, endpoint := range map[string]string{"NoAnswer": "PJSIP/operator", "BadEndpoint": "Bogus/operator"} {
		t.Run(name, func(t *testing.T) {
			r := newRig(t, setup{flow: func(c *ivr.Config) { c.Operator = endpoint }})
			k := r.fake.Call("hotline", aritest.Caller{Keys: []string{"0", "4"}, Say: 3 * time.Second})
			c := r.result(t, k)
			if c.Outcome != tickets.OutcomeTicket || c.Branch != 4 {
				t.Errorf("call = %+v\n%v", c, k.Log())
			}
			if played := k.Played(); !slices.Contains(played, "sound:hotline/operator-busy") {
				t.Errorf("played %v\n%v", played, k.Log())
			}
		})
	}
}

func TestStatusByCode(t *testing.T) {
	r := newRig(t, setup{})
	tk, err := r.svc.Open(context.Background(), tickets.NewTicket{Branch: 1, Channel: tickets.ChannelTelegram, Text: "Chậm trả kết quả"})
	if err != nil {
		t.Fatal(err)
	}
	k := r.fake.Call("hotline", aritest.Caller{Keys: []string{"*", string(tk.Code) + "#"}})
	c := r.result(t, k)
	if c.Outcome != tickets.OutcomeStatusCheck {
		t.Errorf("call = %+v", c)
	}
	checkPlayed(t, k, sounds("greeting", menu(), "code-enter", "status-received", "goodbye"))
}
