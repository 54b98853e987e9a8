// SPDX-License-Identifier: Apache-2.0

package aritest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/ivr/aritest"
)

func newFake(t *testing.T) *aritest.Server {
	t.Helper()
	s, err := aritest.New(aritest.Options{User: "u", Password: "p", Speed: 100})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func do(t *testing.T, s *aritest.Server, method, path, body string, auth bool) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(method, s.URL()+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth {
		req.SetBasicAuth("u", "p")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b)), resp.Header
}

// The fake answers as Asterisk 22 does in rest-probe.txt.
func TestErrorsAsAsterisk(t *testing.T) {
	s := newFake(t)
	k := s.Call("hotline", aritest.Caller{HangupAfter: time.Hour})
	id := k.ID()
	for _, tc := range []struct {
		method, path, body string
		auth               bool
		code               int
		want               string
	}{
		{"GET", "/asterisk/info", "", false, 401, `{"message":"Authentication required"}`},
		{"GET", "/events?app=hotline", "", true, 426, "426 Upgrade Required"},
		{"POST", "/channels/no-such-channel/answer", "", true, 404, `{"message":"Channel not found"}`},
		{"POST", "/channels/" + id + "/play", "", true, 500, `{"message":"Failed to queue media for playback"}`},
		{"POST", "/channels/" + id + "/play", `{"media": }`, true, 400, `{"message":"Error parsing request body"}`},
		{"POST", "/channels?app=hotline", "", true, 400, `{"message":"Endpoint must be specified"}`},
		{"POST", "/channels?endpoint=Bogus/xyz&app=hotline", "", true, 500, `{"error":"Allocation failed"}`},
		{"POST", "/channels/" + id + "/record", `{"name":"r","format":"nosuchfmt"}`, true, 422, `{"message":"specified format is unknown on this system"}`},
		{"GET", "/channels/" + id + "/variable?variable=NOPE", "", true, 404, `{"message":"Provided variable was not found"}`},
		{"DELETE", "/channels/" + id + "?reason=bogus", "", true, 400, `{"message":"Invalid reason for hangup reason provided"}`},
		{"GET", "/playbacks/no-such-pb", "", true, 404, `{"message":"Playback not found"}`},
		{"GET", "/no/such/path", "", true, 404, `{"message":"Resource not found"}`},
	} {
		code, body, hdr := do(t, s, tc.method, tc.path, tc.body, tc.auth)
		if code != tc.code || !strings.Contains(body, tc.want) {
			t.Errorf("%s %s = %d %s, want %d %s", tc.method, tc.path, code, body, tc.code, tc.want)
		}
		if code == 401 && hdr.Get("WWW-Authenticate") == "" {
			t.Error("401 without WWW-Authenticate")
		}
	}
}

// digits: playbacks cannot be stopped; sound: ones can; a channel that is
// gone answers 404.
func TestPlaybackAndHangup(t *testing.T) {
	s := newFake(t)
	k := s.Call("hotline", aritest.Caller{HangupAfter: time.Hour})
	id := k.ID()
	if code, body, _ := do(t, s, "POST", "/channels/"+id+"/play/pb1", `{"media":"digits:123456"}`, true); code != 201 || !strings.Contains(body, `"state":"queued"`) {
		t.Fatalf("play = %d %s", code, body)
	}
	if code, body, _ := do(t, s, "DELETE", "/playbacks/pb1", "", true); code != 500 || body != `{"message":"Could not stop playback"}` {
		t.Errorf("stop digits = %d %s", code, body)
	}
	do(t, s, "POST", "/channels/"+id+"/play/pb2", `{"media":"sound:hello-world"}`, true)
	if code, _, _ := do(t, s, "GET", "/applications/hotline", "", true); code != 200 {
		t.Errorf("application = %d", code)
	}
	k.Hangup()
	if code, body, _ := do(t, s, "POST", "/channels/"+id+"/answer", "", true); code != 404 || body != `{"message":"Channel not found"}` {
		t.Errorf("answer after hangup = %d %s", code, body)
	}
	var app struct {
		ChannelIDs []string `json:"channel_ids"`
	}
	_, body, _ := do(t, s, "GET", "/applications/hotline", "", true)
	if err := json.Unmarshal([]byte(body), &app); err != nil || len(app.ChannelIDs) != 0 {
		t.Errorf("channels after hangup: %s", body)
	}
}
