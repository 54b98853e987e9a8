// SPDX-License-Identifier: Apache-2.0

package aritest

import (
	"encoding/binary"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Audio as the fake renders it: 8 kHz 16-bit mono; speech a vowel-like
// mix of tones at about -16 dBFS, silence a line's noise under -60 dBFS.
const (
	sampleRate  = 8000
	speechLevel = 5000
	noiseLevel  = 24
)

// renderWAV returns a WAV file of length with speech in the spans given;
// broken leaves the RIFF and data sizes 0, as a crash of Asterisk does.
func renderWAV(length time.Duration, speech []span, broken bool) []byte {
	n := int(length * sampleRate / time.Second)
	b := wavHeader(n)
	if broken {
		binary.LittleEndian.PutUint32(b[4:], 0)
		binary.LittleEndian.PutUint32(b[40:], 0)
	}
	seed := uint32(1)
	for _, sp := range speech {
		from, to := int(sp.from*sampleRate/time.Second), min(int(sp.to*sampleRate/time.Second), n)
		for i := from; i < to; i++ {
			t := float64(i) / sampleRate
			v := speechLevel * (0.6*math.Sin(2*math.Pi*220*t) + 0.4*math.Sin(2*math.Pi*710*t))
			binary.LittleEndian.PutUint16(b[44+2*i:], uint16(int16(v)))
		}
	}
	for i := 0; i < n; i++ {
		if binary.LittleEndian.Uint16(b[44+2*i:]) == 0 {
			seed = seed*1664525 + 1013904223
			v := int16(int32(seed>>16)%(2*noiseLevel+1)) - noiseLevel
			binary.LittleEndian.PutUint16(b[44+2*i:], uint16(v))
		}
	}
	return b
}

// wavHeader returns a WAV file of n zero samples, 8 kHz 16-bit mono.
func wavHeader(n int) []byte {
	data := 2 * n
	b := make([]byte, 44+data)
	copy(b, "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+data))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 1) // PCM
	binary.LittleEndian.PutUint16(b[22:], 1) // mono
	binary.LittleEndian.PutUint32(b[24:], sampleRate)
	binary.LittleEndian.PutUint32(b[28:], 2*sampleRate)
	binary.LittleEndian.PutUint16(b[32:], 2)
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(data))
	return b
}

// sound is a sound as GET /sounds shows it.
func sound(id string) map[string]any {
	return map[string]any{"id": id, "formats": []map[string]string{{"language": "vi", "format": "wav"}}}
}

// soundList answers GET /sounds: the sounds of Options.Sounds, in
// language vi (none other); empty when Options.Sounds is nil.
func (s *Server) soundList(w http.ResponseWriter, r *http.Request) {
	lang := r.URL.Query().Get("lang")
	ids := make([]string, 0, len(s.opts.Sounds))
	for id, ok := range s.opts.Sounds {
		if ok && (lang == "" || lang == "vi") {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	out := make([]map[string]any, 0, len(ids))
	for _, id := range ids {
		out = append(out, sound(id))
	}
	writeJSON(w, http.StatusOK, out)
}

// soundGet answers GET /sounds/{id}: 404 "Sound not found" for a sound
// that is not installed.
func (s *Server) soundGet(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimSuffix(r.PathValue("id"), "/")
	if !s.opts.Sounds[id] {
		apiError(w, http.StatusNotFound, "Sound not found")
		return
	}
	writeJSON(w, http.StatusOK, sound(id))
}
