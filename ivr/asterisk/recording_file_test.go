// SPDX-License-Identifier: Apache-2.0

package asterisk_test

import (
	"context"
	"encoding/binary"
	"errors"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/ivr/aritest"
	"github.com/hotline-cchc/hotline/ivr/asterisk"
	"github.com/hotline-cchc/hotline/tickets"
)

// The message a caller left is fetched back from Asterisk as a WAV file, for
// the console to play; an unknown name is ErrNoRecording.
func TestRecordingFile(t *testing.T) {
	r := newRig(t, setup{})
	k := r.fake.Call("hotline", aritest.Caller{Number: "0939015599", Keys: []string{"4"}, Say: 4 * time.Second})
	c := r.result(t, k)
	if c.Outcome != tickets.OutcomeTicket {
		t.Fatalf("outcome %s, want a ticket", c.Outcome)
	}
	tk, err := r.svc.Store.Ticket(context.Background(), c.TicketCode)
	if err != nil {
		t.Fatal(err)
	}
	wav, err := r.client.RecordingFile(context.Background(), tk.Recording)
	if err != nil {
		t.Fatalf("RecordingFile(%s): %v", tk.Recording, err)
	}
	if len(wav) < 44 || string(wav[:4]) != "RIFF" || string(wav[8:12]) != "WAVE" || binary.LittleEndian.Uint32(wav[24:]) != 8000 {
		t.Errorf("not an 8 kHz WAV file: %d bytes", len(wav))
	}
	if _, err := r.client.RecordingFile(context.Background(), "no-such-recording"); !errors.Is(err, asterisk.ErrNoRecording) {
		t.Errorf("unknown recording: %v, want ErrNoRecording", err)
	}
}
