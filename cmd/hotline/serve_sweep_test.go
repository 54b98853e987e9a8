// SPDX-License-Identifier: Apache-2.0

package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/ivr/aritest"
)

// record makes a stored recording on the fake for a caller, as a run of
// the hotline that then died would have, and hangs the caller up.
func record(t *testing.T, fake *aritest.Server, password, name string, caller aritest.Caller) {
	t.Helper()
	k := fake.Call("hotline", caller)
	req, _ := http.NewRequest("POST", fake.URL()+"/channels/"+k.ID()+"/record",
		strings.NewReader(`{"name":"`+name+`","format":"wav","maxSilenceSeconds":5,"beep":true}`))
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth("hotline", password)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for i := 0; ; i++ {
		if _, ok := fake.Stored(name); ok {
			break
		}
		if i > 2000 {
			t.Fatalf("%s never stored", name)
		}
		time.Sleep(5 * time.Millisecond)
	}
	k.Hangup()
}

// A message Asterisk kept for a call that ended while hotline was down is
// never lost silently: at connect, one with speech and no ticket is
// reported as an error, one without speech is deleted.
func TestServeSweepsMessagesLeftOnAsterisk(t *testing.T) {
	const password = "zz9-ari-secret"
	fake, err := aritest.New(aritest.Options{User: "hotline", Password: password, Speed: 50})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	record(t, fake, password, "hotline-20261102T020000-spoke", aritest.Caller{Say: 4 * time.Second, HangupAfter: time.Hour})
	record(t, fake, password, "hotline-20261102T020100-silent", aritest.Caller{HangupAfter: time.Hour})
	record(t, fake, password, "voicemail-1", aritest.Caller{HangupAfter: time.Hour})
	addr, logs, stop, _ := servePhone(t, fake, password, nil)
	defer stop()
	phoneState(t, addr, "connected")
	for i := 0; ; i++ {
		_, silent := fake.Stored("hotline-20261102T020100-silent")
		if !silent && strings.Contains(logs.String(), "has no ticket") {
			break
		}
		if i > 1000 {
			t.Fatalf("silent recording kept %v; log:\n%s", silent, logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if s := logs.String(); !strings.Contains(s, "recording=hotline-20261102T020000-spoke") || strings.Contains(s, "voicemail-1") {
		t.Errorf("log:\n%s", s)
	}
	if _, ok := fake.Stored("hotline-20261102T020000-spoke"); !ok {
		t.Error("the message with speech was deleted")
	}
}
