// SPDX-License-Identifier: Apache-2.0

package aritest_test

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/websocket"

	"github.com/hotline-cchc/hotline/ivr/aritest"
)

// events opens the application's event WebSocket.
func events(t *testing.T, s *aritest.Server) *websocket.Conn {
	t.Helper()
	cfg, err := websocket.NewConfig(strings.Replace(s.URL(), "http", "ws", 1)+"/events?app=hotline", "http://localhost/")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("u:p")))
	ws, err := websocket.DialConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

// next reads events until one of type typ.
func next(t *testing.T, ws *websocket.Conn, typ string) map[string]any {
	t.Helper()
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		var ev map[string]any
		if err := websocket.JSON.Receive(ws, &ev); err != nil {
			t.Fatalf("waiting for %s: %v", typ, err)
		}
		if ev["type"] == typ {
			return ev
		}
	}
}

// Silence is audio: a silent caller's recording ends max_silence_seconds
// after the beep, and Asterisk reports the 0.2 s file it keeps as one
// second of talking.
func TestSilentRecordingAsAsterisk(t *testing.T) {
	s := newFake(t)
	ws := events(t, s)
	k := s.Call("hotline", aritest.Caller{HangupAfter: time.Hour})
	if code, body, _ := do(t, s, "POST", "/channels/"+k.ID()+"/record", `{"name":"r1","format":"wav","maxSilenceSeconds":5,"beep":true}`, true); code != 201 {
		t.Fatalf("record = %d %s", code, body)
	}
	rec := next(t, ws, "RecordingFinished")["recording"].(map[string]any)
	if rec["duration"] != 1.0 || rec["talking_duration"] != 1.0 || rec["silence_duration"] != 0.0 {
		t.Errorf("RecordingFinished %v", rec)
	}
	code, body, _ := do(t, s, "GET", "/recordings/stored/r1/file", "", true)
	if code != 200 || len(body) != 44+3200 {
		t.Errorf("file = %d, %d bytes; want 0.2 s of audio", code, len(body))
	}
}

// A caller who speaks after a pause: the silence counts from the beep, so
// 5 s of silence end the recording before the caller starts at 7 s.
func TestPauseEndsRecording(t *testing.T) {
	s := newFake(t)
	ws := events(t, s)
	k := s.Call("hotline", aritest.Caller{SayAfter: 7 * time.Second, Say: 3 * time.Second, HangupAfter: time.Hour})
	do(t, s, "POST", "/channels/"+k.ID()+"/record", `{"name":"r2","format":"wav","maxSilenceSeconds":5,"beep":true}`, true)
	next(t, ws, "RecordingFinished")
	do(t, s, "POST", "/channels/"+k.ID()+"/record", `{"name":"r2","format":"wav","maxSilenceSeconds":5,"ifExists":"append"}`, true)
	rec := next(t, ws, "RecordingFinished")["recording"].(map[string]any)
	if rec["duration"].(float64) < 3 {
		t.Errorf("appended recording %v", rec)
	}
}

// Asterisk restarted while recording: the file keeps its audio with zero
// RIFF and data sizes. Without spool/recording a record request fails.
func TestCrashAndMissingFolder(t *testing.T) {
	s := newFake(t)
	k := s.Call("hotline", aritest.Caller{Say: time.Minute, HangupAfter: time.Hour})
	do(t, s, "POST", "/channels/"+k.ID()+"/record", `{"name":"r3","format":"wav","beep":true}`, true)
	time.Sleep(50 * time.Millisecond)
	s.Restart()
	code, body, _ := do(t, s, "GET", "/recordings/stored/r3/file", "", true)
	if code != 200 || len(body) < 44+16000 || binary.LittleEndian.Uint32([]byte(body[4:8])) != 0 || binary.LittleEndian.Uint32([]byte(body[40:44])) != 0 {
		t.Errorf("file after a crash = %d, %d bytes", code, len(body))
	}
	s2, err := aritest.New(aritest.Options{User: "u", Password: "p", Speed: 100, NoRecordingDir: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	k2 := s2.Call("hotline", aritest.Caller{HangupAfter: time.Hour})
	if code, body, _ := do(t, s2, "POST", "/channels/"+k2.ID()+"/record", `{"name":"r4","format":"wav"}`, true); code != 500 || body != `{"message":"Unrecognized recording error"}` {
		t.Errorf("record without spool/recording = %d %s", code, body)
	}
}

// GET /sounds lists the installed sounds; a missing one is 404.
func TestSounds(t *testing.T) {
	s, err := aritest.New(aritest.Options{User: "u", Password: "p", Sounds: map[string]bool{"hotline/greeting": true}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var list []struct {
		ID      string              `json:"id"`
		Formats []map[string]string `json:"formats"`
	}
	_, body, _ := do(t, s, "GET", "/sounds?lang=vi", "", true)
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list) != 1 || list[0].ID != "hotline/greeting" || list[0].Formats[0]["language"] != "vi" {
		t.Errorf("sounds = %s", body)
	}
	if code, body, _ := do(t, s, "GET", "/sounds/hotline/goodbye", "", true); code != 404 || body != `{"message":"Sound not found"}` {
		t.Errorf("missing sound = %d %s", code, body)
	}
}
