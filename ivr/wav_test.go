// SPDX-License-Identifier: Apache-2.0

package ivr_test

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/ivr"
)

// wav returns an 8 kHz 16-bit mono WAV: silence (a faint hiss) with a
// voice-loud tone from speechFrom to speechTo.
func wav(length, speechFrom, speechTo time.Duration) []byte {
	n := int(length / (time.Second / 8000))
	b := make([]byte, 44+2*n)
	copy(b, "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+2*n))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 1)
	binary.LittleEndian.PutUint16(b[22:], 1)
	binary.LittleEndian.PutUint32(b[24:], 8000)
	binary.LittleEndian.PutUint32(b[28:], 16000)
	binary.LittleEndian.PutUint16(b[32:], 2)
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(2*n))
	for i := range n {
		t := time.Duration(i) * time.Second / 8000
		v := int16(30 * math.Sin(float64(i)*0.7))
		if t >= speechFrom && t < speechTo {
			v = int16(4000 * math.Sin(2*math.Pi*180*float64(i)/8000))
		}
		binary.LittleEndian.PutUint16(b[44+2*i:], uint16(v))
	}
	return b
}

func TestSpeech(t *testing.T) {
	for _, tc := range []struct {
		name     string
		wav      []byte
		min, max time.Duration
	}{
		{"Silent", wav(200*time.Millisecond, 0, 0), 0, 0},
		{"SilentLong", wav(10*time.Second, 0, 0), 0, 0},
		{"ThreeSeconds", wav(8*time.Second, 2*time.Second, 5*time.Second), 2960 * time.Millisecond, 3 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ivr.Speech(tc.wav)
			if err != nil || got < tc.min || got > tc.max {
				t.Errorf("Speech = %s, %v; want %s–%s", got, err, tc.min, tc.max)
			}
		})
	}
}

// Asterisk killed while recording leaves RIFF and data sizes of 0: the
// speech is still measured, and RepairWAV sets the sizes from the length.
func TestBrokenHeader(t *testing.T) {
	b := wav(4*time.Second, time.Second, 3*time.Second)
	binary.LittleEndian.PutUint32(b[4:], 0)
	binary.LittleEndian.PutUint32(b[40:], 0)
	if got, err := ivr.Speech(b); err != nil || got < 1900*time.Millisecond {
		t.Errorf("Speech = %s, %v", got, err)
	}
	fixed, changed, err := ivr.RepairWAV(b)
	if err != nil || !changed {
		t.Fatalf("RepairWAV: changed %v, %v", changed, err)
	}
	if riff, data := binary.LittleEndian.Uint32(fixed[4:]), binary.LittleEndian.Uint32(fixed[40:]); int(riff) != len(b)-8 || int(data) != len(b)-44 {
		t.Errorf("sizes %d, %d for %d bytes", riff, data, len(b))
	}
	if _, changed, _ := ivr.RepairWAV(fixed); changed {
		t.Error("a sound header was changed")
	}
	if _, _, err := ivr.RepairWAV([]byte("not a wav")); !errors.Is(err, ivr.ErrNotWAV) {
		t.Errorf("err = %v", err)
	}
}

// BenchmarkSpeech measures the speech decision on a three-minute recording.
func BenchmarkSpeech(b *testing.B) {
	w := wav(3*time.Minute, 30*time.Second, 150*time.Second)
	b.SetBytes(int64(len(w)))
	for b.Loop() {
		if _, err := ivr.Speech(w); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSpeechBaseline is the bare cost of touching every sample of the
// same file once (a sum of the 16-bit samples), against which Speech is
// measured.
func BenchmarkSpeechBaseline(b *testing.B) {
	w := wav(3*time.Minute, 30*time.Second, 150*time.Second)
	b.SetBytes(int64(len(w)))
	var sink int64
	for b.Loop() {
		var sum int64
		for i := 44; i+1 < len(w); i += 2 {
			sum += int64(int16(binary.LittleEndian.Uint16(w[i:])))
		}
		sink += sum
	}
	_ = sink
}
