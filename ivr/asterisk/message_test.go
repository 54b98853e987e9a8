// SPDX-License-Identifier: Apache-2.0

package asterisk_test

import (
	"context"
	"encoding/binary"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/ivr"
	"github.com/hotline-cchc/hotline/ivr/aritest"
	"github.com/hotline-cchc/hotline/ivr/asterisk"
	"github.com/hotline-cchc/hotline/tickets"
)

// Real Asterisk ends a silent caller's recording max_silence_seconds after
// the beep and reports a 0.2 s file as one second of talking: the speech
// is judged from the file, so no ticket is made; the caller is asked once
// more, then goes back to the menu; both recordings are deleted.
func TestSilentRecordingMakesNoTicket(t *testing.T) {
	r := newRig(t, setup{})
	k := r.fake.Call("hotline", aritest.Caller{Keys: []string{"4"}, HangupAfter: time.Second, HangupFrom: "play:sound:hotline/no-message"})
	c := r.result(t, k)
	if c.Outcome != tickets.OutcomeAbandonedMenu || c.TicketCode != "" {
		t.Errorf("call = %+v\n%v", c, k.Log())
	}
	played := k.Played()
	if !slices.Contains(played, "sound:hotline/no-speech") || !slices.Contains(played, "sound:hotline/no-message") {
		t.Errorf("played %v", played)
	}
	var records int
	for _, e := range k.Log() {
		if e.What == "record" {
			records++
			if _, ok := r.fake.Stored(e.Arg); ok {
				t.Errorf("recording %s without a message left on Asterisk", e.Arg)
			}
		}
	}
	if records < 2 {
		t.Errorf("%d recordings, want a second try\n%v", records, k.Log())
	}
}

// A caller who waits 7 s after the beep before speaking is heard: silence
// before speech ends a recording only after 10 s.
func TestPauseBeforeSpeaking(t *testing.T) {
	r := newRig(t, setup{})
	k := r.fake.Call("hotline", aritest.Caller{Keys: []string{"4"}, SayAfter: 7 * time.Second, Say: 6 * time.Second})
	c := r.result(t, k)
	if c.Outcome != tickets.OutcomeTicket {
		t.Fatalf("call = %+v\n%v", c, k.Log())
	}
	if slices.Contains(k.Played(), "sound:hotline/no-speech") {
		t.Errorf("the caller was asked again: %v", k.Played())
	}
	tk, err := r.svc.Store.Ticket(context.Background(), c.TicketCode)
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.client.RecordingFile(context.Background(), tk.Recording)
	if s, serr := ivr.Speech(b); err != nil || serr != nil || s < 5*time.Second {
		t.Errorf("the ticket's recording holds %s of speech (%v, %v), want the 6 s said", s, err, serr)
	}
}

// A message shorter than the minimum of speech is not a message.
func TestTooShortMessage(t *testing.T) {
	r := newRig(t, setup{})
	k := r.fake.Call("hotline", aritest.Caller{Keys: []string{"4"}, Say: time.Second, HangupAfter: time.Second, HangupFrom: "play:sound:hotline/no-message"})
	if c := r.result(t, k); c.TicketCode != "" {
		t.Errorf("call = %+v", c)
	}
}

// Asterisk restarted while the caller spoke: the WAV it leaves has zero
// header sizes. The message is kept (it holds speech), the call counts as
// a fault, and the file is served with its header repaired.
func TestRestartWhileRecording(t *testing.T) {
	r := newRig(t, setup{})
	k := r.fake.Call("hotline", aritest.Caller{Keys: []string{"4"}, Say: time.Minute})
	for !slices.ContainsFunc(k.Log(), func(e aritest.Entry) bool { return e.What == "record" }) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // 5 s of speech
	r.fake.Restart()
	c := r.result(t, k)
	if c.Outcome != tickets.OutcomeTicket || c.TicketCode == "" {
		t.Fatalf("call = %+v\n%v", c, k.Log())
	}
	tk, err := r.svc.Store.Ticket(context.Background(), c.TicketCode)
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.client.RecordingFile(context.Background(), tk.Recording)
	if err != nil {
		t.Fatal(err)
	}
	if riff, data := binary.LittleEndian.Uint32(b[4:]), binary.LittleEndian.Uint32(b[40:]); int(riff) != len(b)-8 || int(data) != len(b)-44 {
		t.Errorf("header sizes %d, %d for %d bytes", riff, data, len(b))
	}
	if s, err := ivr.Speech(b); err != nil || s < 2*time.Second {
		t.Errorf("speech %s (%v)", s, err)
	}
}

// Without spool/recording Asterisk answers a record request 500: the call
// is a fault, not the caller's doing.
func TestNoRecordingFolder(t *testing.T) {
	r := newRig(t, setup{fake: aritest.Options{NoRecordingDir: true}})
	k := r.fake.Call("hotline", aritest.Caller{Keys: []string{"4"}, Say: 5 * time.Second})
	if c := r.result(t, k); c.Outcome != tickets.OutcomeFault {
		t.Errorf("call = %+v\n%v", c, k.Log())
	}
}

// At connect the client asks Asterisk which prompts it lacks, logs each as
// an error naming the file and the install command, and Missing says them.
func TestMissingPromptsAtConnect(t *testing.T) {
	var log strings.Builder
	var mu sync.Mutex
	r := newRig(t, setup{fake: aritest.Options{Sounds: map[string]bool{"hotline/goodbye": true}},
		client: func(o *asterisk.Options) {
			o.Prompts, o.InstallHint = []string{"greeting", "goodbye"}, "hotline sounds install DIR"
			o.Log = slog.New(slog.NewTextHandler(lockedWriter{&mu, &log}, nil))
		}})
	for i := 0; len(r.client.Missing()) == 0; i++ {
		if i > 1000 {
			t.Fatal("no prompt reported missing")
		}
		time.Sleep(time.Millisecond)
	}
	if got := r.client.Missing(); !slices.Equal(got, []string{"greeting"}) {
		t.Errorf("missing = %v", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if s := log.String(); !strings.Contains(s, "level=ERROR") || !strings.Contains(s, "file=vi/hotline/greeting.wav") ||
		!strings.Contains(s, `install="hotline sounds install DIR"`) {
		t.Errorf("log:\n%s", s)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// A prompt Asterisk cannot find plays as silence (PlaybackFinished
// "failed"): the client logs it as an error naming the media.
func TestFailedPromptLogged(t *testing.T) {
	var log strings.Builder
	var mu sync.Mutex
	r := newRig(t, setup{fake: aritest.Options{Sounds: map[string]bool{"hotline/goodbye": true}},
		client: func(o *asterisk.Options) { o.Log = slog.New(slog.NewTextHandler(lockedWriter{&mu, &log}, nil)) }})
	k := r.fake.Call("hotline", aritest.Caller{HangupAfter: time.Second, HangupFrom: "play:sound:hotline/menu-status"})
	r.result(t, k)
	mu.Lock()
	defer mu.Unlock()
	if s := log.String(); !strings.Contains(s, "a prompt failed to play") || !strings.Contains(s, "media=sound:hotline/greeting") {
		t.Errorf("log:\n%s", s)
	}
}
