// SPDX-License-Identifier: Apache-2.0

package asterisk_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/ivr"
	"github.com/hotline-cchc/hotline/ivr/aritest"
	"github.com/hotline-cchc/hotline/tickets"
)

// fakeREST sends one ARI request to the fake, as an earlier run of the
// hotline did.
func fakeREST(t *testing.T, r *rig, method, path, body string) {
	t.Helper()
	req, _ := http.NewRequest(method, r.fake.URL()+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth(user, password)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %s", method, path, resp.Status)
	}
}

// The hotline died while a caller left a message; the caller is still in
// Stasis when it comes back: the call is taken over, the finished message
// becomes a ticket whose code is read out, and the call keeps its one row.
func TestRestartOfHotlineTakesOverMessage(t *testing.T) {
	r := newRig(t, setup{noRun: true})
	ctx := context.Background()
	started := time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC)
	row := &tickets.Call{ChannelID: "x", Caller: "0939015599", StartedAt: started, Branch: 4}
	k := r.fake.Call("hotline", aritest.Caller{Number: "0939015599", Say: 4 * time.Second})
	row.ChannelID = k.ID()
	if err := r.svc.Store.CreateCall(ctx, row); err != nil {
		t.Fatal(err)
	}
	const name = "hotline-20261102T020000-x"
	fakeREST(t, r, "POST", "/channels/"+k.ID()+"/record", `{"name":"`+name+`","format":"wav","maxSilenceSeconds":5,"beep":true}`)
	st := ivr.State{CallID: row.ID, StartedAt: started, Branch: 4, Recording: name}
	fakeREST(t, r, "POST", "/channels/"+k.ID()+"/variable", `{"variable":"HOTLINE_STATE","value":"`+st.String()+`"}`)
	sweeper := r.svc.Store.(interface {
		CloseStaleCalls(context.Context, time.Time) (int, error)
	})
	if n, err := sweeper.CloseStaleCalls(ctx, time.Now()); err != nil || n != 1 {
		t.Fatalf("CloseStaleCalls = %d, %v", n, err)
	}
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r.run(rctx)
	c := r.result(t, k)
	if c.ID != row.ID || c.Outcome != tickets.OutcomeTicket || c.TicketCode == "" || c.Branch != 4 {
		t.Fatalf("call = %+v\n%v", c, k.Log())
	}
	checkPlayed(t, k, sounds("ticket-code", digits(c.TicketCode), "repeat", digits(c.TicketCode), "goodbye"))
	if counts, err := r.svc.Store.CountCalls(ctx); err != nil || len(counts) != 1 || counts[tickets.OutcomeTicket] != 1 {
		t.Errorf("calls = %v, %v; want one row, ticketed", counts, err)
	}
}

// A call taken over with no message pending goes back to the menu, on
// its own row.
func TestRestartOfHotlineBackToMenu(t *testing.T) {
	r := newRig(t, setup{noRun: true})
	ctx := context.Background()
	k := r.fake.Call("hotline", aritest.Caller{Keys: []string{"2"}, Say: 3 * time.Second})
	row := &tickets.Call{ChannelID: k.ID(), StartedAt: time.Now().Add(-time.Minute)}
	if err := r.svc.Store.CreateCall(ctx, row); err != nil {
		t.Fatal(err)
	}
	st := ivr.State{CallID: row.ID, StartedAt: row.StartedAt}
	fakeREST(t, r, "POST", "/channels/"+k.ID()+"/variable", `{"variable":"HOTLINE_STATE","value":"`+st.String()+`"}`)
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r.run(rctx)
	c := r.result(t, k)
	if c.ID != row.ID || c.Outcome != tickets.OutcomeTicket || c.Branch != 2 {
		t.Fatalf("call = %+v\n%v", c, k.Log())
	}
	if played := k.Played(); len(played) == 0 || played[0] != "sound:hotline/menu-status" {
		t.Errorf("played %v", played)
	}
}
