// SPDX-License-Identifier: Apache-2.0

package aritest_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"golang.org/x/net/websocket"

	"github.com/hotline-cchc/hotline/ivr/aritest"
)

// summaries reads the events of ws and returns a function giving the
// next event's type with its state, dial status or cause.
func summaries(t *testing.T, ws *websocket.Conn) func() string {
	return func() string {
		t.Helper()
		var ev struct {
			Type       string
			Cause      int
			CauseTxt   string `json:"cause_txt"`
			DialStatus string `json:"dialstatus"`
			Args       []string
			Channel    struct{ State string }
		}
		ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		if err := websocket.JSON.Receive(ws, &ev); err != nil {
			t.Fatal(err)
		}
		switch ev.Type {
		case "ChannelDestroyed":
			return fmt.Sprintf("%s %d %s", ev.Type, ev.Cause, ev.CauseTxt)
		case "ChannelStateChange":
			return ev.Type + " " + ev.Channel.State
		case "Dial":
			return ev.Type + " " + ev.DialStatus
		case "StasisStart":
			b, _ := json.Marshal(ev.Args)
			return ev.Type + " " + string(b)
		}
		return ev.Type
	}
}

// An originated call-back rings, then is busy, unanswered, rejected or
// answered, with the events and causes Asterisk sends (the answered
// callee's keys are pressed after a prompt: see ivr/asterisk's tests).
func TestCallees(t *testing.T) {
	for _, tc := range []struct {
		callee aritest.Callee
		want   []string
	}{
		{aritest.Callee{Cause: 17}, []string{"Dial ", "ChannelStateChange Ringing", "Dial BUSY", "ChannelDestroyed 17 User busy"}},
		{aritest.Callee{Cause: 19}, []string{"Dial ", "ChannelStateChange Ringing", "Dial NOANSWER", "ChannelDestroyed 19 No answer"}},
		{aritest.Callee{Cause: 21}, []string{"Dial ", "ChannelStateChange Ringing", "Dial CHANUNAVAIL", "ChannelDestroyed 21 Call Rejected"}},
		{aritest.Callee{Ring: time.Hour}, []string{"Dial ", "ChannelStateChange Ringing", "Dial NOANSWER", "ChannelDestroyed 19 No answer"}},
		{aritest.Callee{Keys: []string{"5"}}, []string{"Dial ", "ChannelStateChange Ringing", "ChannelStateChange Up", "Dial ANSWER",
			`StasisStart ["hotline-callback"]`}},
	} {
		s, err := aritest.New(aritest.Options{User: "u", Password: "p", Speed: 100,
			Callees: func(string) (aritest.Callee, bool) { return tc.callee, true }})
		if err != nil {
			t.Fatal(err)
		}
		next := summaries(t, events(t, s))
		if code, body, _ := do(t, s, "POST", "/channels?endpoint=PJSIP/0939015599@trunk&app=hotline&appArgs=hotline-callback&timeout=30&callerId=02363822222", "", true); code != 200 {
			t.Fatalf("originate = %d %s", code, body)
		}
		var got []string
		for len(got) < len(tc.want) {
			got = append(got, next())
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%+v: events\n%q\nwant\n%q", tc.callee, got, tc.want)
		}
		if k := s.Originated(); len(k) != 1 || k[0].Dialstring() != "0939015599@trunk" || k[0].Number() != "02363822222" {
			t.Errorf("originated %d calls", len(k))
		}
		s.Close()
	}
}
