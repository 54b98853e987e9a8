// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"context"
	le "encoding/binary"
	"encoding/json"
	"io"
	"math"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/ivr/aritest"
	"github.com/hotline-cchc/hotline/tickets"
)

// toneWAV is one second of a 440 Hz tone, 16 kHz mono 16-bit, as a
// browser's recorder would upload it.
func toneWAV() []byte {
	const rate = 16000
	var b bytes.Buffer
	b.WriteString("RIFF")
	le.Write(&b, le.LittleEndian, uint32(36+rate*2))
	b.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(rate), uint32(rate * 2), uint16(2), uint16(16)} {
		le.Write(&b, le.LittleEndian, v)
	}
	b.WriteString("data")
	le.Write(&b, le.LittleEndian, uint32(rate*2))
	for i := range rate {
		le.Write(&b, le.LittleEndian, int16(8000*math.Sin(2*math.Pi*440*float64(i)/rate)))
	}
	return b.Bytes()
}

// upload signs in and posts data as the voice answer of code; it returns
// the status and the page.
func upload(t *testing.T, base, code string, data []byte) (int, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	res, err := c.PostForm(base+"/login", url.Values{"name": {"lan"}, "password": {"mưa rơi trên phố cổ"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("audio", "tra-loi.wav")
	fw.Write(data)
	mw.Close()
	res, err = c.Post(base+"/tickets/"+code+"/voice-answer", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	page, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(page)
}

// Through the binary: a focal point uploads a recorded answer in the
// console; a file that is not a WAV is refused with the reason; the
// call-back plays the recording (converted to 8 kHz), not a synthesised text.
func TestServeVoiceAnswer(t *testing.T) {
	bin, env := binary(t)
	fake := callbackFake(t, aritest.Callee{Keys: []string{"4"}, Pause: 2 * time.Second})
	env = append(env, alwaysOpen...)
	env = append(env, "HOTLINE_ARI_URL="+fake.URL(), "HOTLINE_ARI_USER=hotline", "HOTLINE_ARI_PASSWORD=pw",
		"HOTLINE_CALLBACK_ENDPOINT=PJSIP/{number}@trunk")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	_, out := hotline(t, ctx, bin, env, "", "tickets", "new", "--branch", "4", "--channel", "phone", "--phone", "0939015599", "--text", "Hồ sơ", "--json")
	var tk struct{ Code tickets.Code }
	json.Unmarshal([]byte(out), &tk)
	code := string(tk.Code)
	hotline(t, ctx, bin, env, "mưa rơi trên phố cổ\n", "users", "add", "lan", "--role", "admin")
	hotline(t, ctx, bin, env, "", "tickets", "assign", code, "--department", "van-phong-ubnd-tinh")
	srv := startServe(t, ctx, bin, env)
	defer srv.stop(t)
	base := "http://" + srv.addr
	if st, page := upload(t, base, code, []byte("ID3 not a wav at all, an mp3 header")); st != http.StatusBadRequest ||
		!strings.Contains(page, "Tệp ghi âm không hợp lệ") {
		t.Errorf("a file that is not a WAV: %d", st)
	}
	if st, page := upload(t, base, code, toneWAV()); st != http.StatusOK || !strings.Contains(page, "Trả lời bằng giọng nói (bản ghi") {
		t.Fatalf("the voice answer: %d\n%s", st, page)
	}
	calls := waitCallbacks(t, ctx, fake, 1)
	media := regexp.MustCompile(`^sound:(http://.+\.wav)$`)
	var wav []byte
	for _, p := range calls[0].Played() {
		if m := media.FindStringSubmatch(p); m != nil {
			wav = []byte(get(t, m[1]))
		}
	}
	if len(wav) != 44+8000*2 || le.LittleEndian.Uint32(wav[24:28]) != 8000 {
		t.Errorf("the call-back played %d bytes, want the one-second recording at 8 kHz (16044): %v", len(wav), calls[0].Played())
	}
}
