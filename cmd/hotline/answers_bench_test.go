// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hotline-cchc/hotline/tickets"
)

// answer500 is a focal point's answer of 500 characters.
var answer500 = func() string {
	s := strings.Repeat("Sở Nội vụ đã kiểm tra hồ sơ của ông và đề nghị ông bổ sung bản sao giấy phép kinh doanh cùng căn cước công dân. ", 6)
	return string([]rune(s)[:500])
}()

// oneAnswer is a history with one answer, the n-th variant of the text.
type oneAnswer struct{ n *int }

func (h oneAnswer) History(context.Context, tickets.Code) ([]tickets.HistoryEntry, error) {
	return []tickets.HistoryEntry{{Action: tickets.ActionAnswer, Note: fmt.Sprintf("%s %d", answer500, *h.n)}}, nil
}

// fetch gets url as Asterisk's media cache does before a sound:http
// playback starts, and fails b unless it is a WAV.
func fetch(b *testing.B, url string) {
	res, err := http.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	data, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || len(data) < 44 || string(data[:4]) != "RIFF" {
		b.Fatalf("%s: %d, %d bytes", url, res.StatusCode, len(data))
	}
}

// BenchmarkAnswerPlayback is what the phone does before a text answer
// starts playing: synthesise a new 500-character answer with espeak-ng and
// sox into a WAV (AnswerMedia), then Asterisk fetches it from hotline.
func BenchmarkAnswerPlayback(b *testing.B) {
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		b.Skip("espeak-ng is not installed")
	}
	if n := utf8.RuneCountInString(answer500); n != 500 {
		b.Fatalf("the answer has %d characters", n)
	}
	dir := b.TempDir()
	srv := answerServer(dir)
	defer srv.Close()
	n := 0
	v := &answerVoice{history: oneAnswer{&n}, dir: dir, url: srv.URL}
	ctx := context.Background()
	for b.Loop() {
		n++ // a new answer each time: nothing cached
		media, err := v.AnswerMedia(ctx, &tickets.Ticket{Code: "123456789"})
		if err != nil {
			b.Fatal(err)
		}
		fetch(b, media)
	}
}

// BenchmarkPromptPlaybackBaseline is the bare baseline: Asterisk fetching
// an answer already made, as when a caller hears it a second time.
func BenchmarkPromptPlaybackBaseline(b *testing.B) {
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		b.Skip("espeak-ng is not installed")
	}
	dir := b.TempDir()
	n := 0
	srv := answerServer(dir)
	defer srv.Close()
	v := &answerVoice{history: oneAnswer{&n}, dir: dir, url: srv.URL}
	media, err := v.AnswerMedia(context.Background(), &tickets.Ticket{Code: "123456789"})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		fetch(b, media)
	}
	if fi, err := os.Stat(filepath.Join(dir, filepath.Base(media))); err == nil {
		b.ReportMetric(float64(fi.Size()), "wav_bytes")
	}
}

// BenchmarkEspeakBare is espeak-ng alone speaking the same text to a WAV,
// without sox, the file's atomic replacement or hotline's code.
func BenchmarkEspeakBare(b *testing.B) {
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		b.Skip("espeak-ng is not installed")
	}
	out := filepath.Join(b.TempDir(), "a.wav")
	for b.Loop() {
		cmd := exec.Command("espeak-ng", "-v", answerVoiceName, "-s", "145", "-w", out, "--stdin")
		cmd.Stdin = strings.NewReader(answer500)
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
	}
}

// answerServer serves the answers' WAVs of dir as serve does.
func answerServer(dir string) *httptest.Server {
	mux := http.NewServeMux()
	mux.Handle("GET "+mediaPath+"{name}", serveAnswers(dir, slog.New(slog.DiscardHandler)))
	return httptest.NewServer(mux)
}
