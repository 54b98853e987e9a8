// SPDX-License-Identifier: Apache-2.0

package ivr

import (
	"encoding/binary"
	"errors"
	"time"
)

// ErrNotWAV is returned by Speech and RepairWAV for data that is not a
// 16-bit PCM WAV file.
var ErrNotWAV = errors.New("ivr: not a 16-bit PCM WAV file")

// Speech detection: a frame of 20 ms is speech when its mean absolute
// sample is over SpeechLevel (about -40 dBFS). A line's hiss and the
// comfort noise of a silent caller stay far below it; a voice is well over.
const (
	SpeechFrame = 20 * time.Millisecond
	SpeechLevel = 330
)

// wavFormat is what Speech needs of a WAV header.
type wavFormat struct {
	rate     int
	channels int
	data     []byte // the samples
}

// parseWAV finds the fmt and data chunks of a 16-bit PCM WAV. A data chunk
// whose size is 0 or past the end of the file (a recording cut by a crash
// of Asterisk) runs to the end of the file.
func parseWAV(b []byte) (wavFormat, int, error) {
	var f wavFormat
	if len(b) < 12 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return f, 0, ErrNotWAV
	}
	for off := 12; off+8 <= len(b); {
		id, size := string(b[off:off+4]), int(binary.LittleEndian.Uint32(b[off+4:]))
		body := off + 8
		switch id {
		case "fmt ":
			if size < 16 || body+16 > len(b) || binary.LittleEndian.Uint16(b[body:]) != 1 ||
				binary.LittleEndian.Uint16(b[body+14:]) != 16 {
				return f, 0, ErrNotWAV
			}
			f.channels = int(binary.LittleEndian.Uint16(b[body+2:]))
			f.rate = int(binary.LittleEndian.Uint32(b[body+4:]))
		case "data":
			if f.rate <= 0 || f.channels <= 0 {
				return f, 0, ErrNotWAV
			}
			end := body + size
			if size == 0 || end > len(b) {
				end = len(b)
			}
			f.data = b[body:end]
			return f, off, nil
		}
		if size < 0 || body+size+size%2 > len(b) {
			break
		}
		off = body + size + size%2
	}
	return f, 0, ErrNotWAV
}

// Speech returns how much of a WAV recording is speech: the number of
// 20 ms frames whose mean absolute sample is over SpeechLevel, as a
// duration. A file whose header sizes are wrong is read to its end. It
// returns ErrNotWAV if wav is not a 16-bit PCM WAV file.
func Speech(wav []byte) (time.Duration, error) {
	f, _, err := parseWAV(wav)
	if err != nil {
		return 0, err
	}
	frame := f.rate * f.channels * int(SpeechFrame/time.Millisecond) / 1000 // samples a frame
	if frame <= 0 {
		return 0, ErrNotWAV
	}
	limit := int64(SpeechLevel) * int64(frame)
	var frames int
	d := f.data
	for len(d) >= 2*frame {
		var sum int64
		for i := 0; i < 2*frame; i += 2 {
			v := int64(int16(binary.LittleEndian.Uint16(d[i:])))
			sum += (v ^ (v >> 63)) - (v >> 63) // |v|
		}
		if sum > limit {
			frames++
		}
		d = d[2*frame:]
	}
	return time.Duration(frames) * SpeechFrame, nil
}

// RepairWAV sets the RIFF and data sizes of a WAV file from its length when
// they are wrong, as Asterisk leaves them (0) when it is killed or
// restarted while recording. It reports whether it changed anything; a
// file that is not a 16-bit PCM WAV is returned as it is, with ErrNotWAV.
func RepairWAV(b []byte) ([]byte, bool, error) {
	f, off, err := parseWAV(b)
	if err != nil {
		return b, false, err
	}
	data := len(f.data)
	if off+8+data != len(b) {
		return b, false, nil // chunks after the data: the sizes hold
	}
	riff, size := uint32(len(b)-8), uint32(data)
	if binary.LittleEndian.Uint32(b[4:]) == riff && binary.LittleEndian.Uint32(b[off+4:]) == size {
		return b, false, nil
	}
	out := append([]byte(nil), b...)
	binary.LittleEndian.PutUint32(out[4:], riff)
	binary.LittleEndian.PutUint32(out[off+4:], size)
	return out, true, nil
}
