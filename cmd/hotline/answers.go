// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hotline-cchc/hotline/sounds"
	"github.com/hotline-cchc/hotline/tickets"
)

// answerVoiceName is the espeak-ng voice of synthesised answers, the
// prompts' own.
const answerVoiceName = "vi-vn-x-south"

// mediaPath is where hotline serves the answers' audio to Asterisk.
const mediaPath = "/media/answers/"

// answerVoice voices tickets' answers for the phone: the latest answer or
// resolution note, synthesised with espeak-ng into a WAV in the data
// folder (made once per text), played by Asterisk from hotline's HTTP
// server. It satisfies ivr.Answers.
type answerVoice struct {
	history interface {
		History(ctx context.Context, code tickets.Code) ([]tickets.HistoryEntry, error)
	}
	dir string // <data>/answers
	// url is callback.media_url; "" takes the address serve listens on.
	url  string
	tls  bool
	addr atomic.Pointer[string]
	mu   sync.Mutex
}

// newAnswerVoice returns the answers' voice of a.
func newAnswerVoice(a *app) *answerVoice {
	v := &answerVoice{history: a.db, dir: filepath.Join(a.cfg.Data, "answers"), url: a.cfg.Callback.MediaURL,
		tls: a.cfg.TLS.CertFile != ""}
	v.listening(a.cfg.HTTP.Addr)
	return v
}

// listening records the address the HTTP server listens on.
func (v *answerVoice) listening(addr string) { v.addr.Store(&addr) }

// base is the URL at which Asterisk reaches hotline: callback.media_url,
// or the listening address with an unspecified host replaced by 127.0.0.1
// (Asterisk on the same machine).
func (v *answerVoice) base() string {
	if v.url != "" {
		return strings.TrimRight(v.url, "/")
	}
	scheme, addr := "http://", *v.addr.Load()
	if v.tls {
		scheme = "https://"
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return scheme + addr
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return scheme + net.JoinHostPort(host, port)
}

// AnswerMedia implements ivr.Answers.
func (v *answerVoice) AnswerMedia(ctx context.Context, t *tickets.Ticket) (string, error) {
	text, err := latestAnswer(ctx, v.history, t.Code)
	if err != nil || text == "" {
		return "", err
	}
	name := answerFile(t.Code, text)
	if err := v.synthesise(ctx, text, name); err != nil {
		return "", err
	}
	return v.base() + mediaPath + name, nil
}

// synthesise makes the WAV name of text unless it exists.
func (v *answerVoice) synthesise(ctx context.Context, text, name string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	path := filepath.Join(v.dir, name)
	if _, err := os.Stat(path); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(v.dir, 0o750); err != nil {
		return err
	}
	if err := sounds.Speak(ctx, text, answerVoiceName, path); err != nil {
		return fmt.Errorf("synthesise answer %s: %w", name, err)
	}
	return nil
}

// latestAnswer returns the note of the ticket's latest answer or
// resolution; "" if it has none.
func latestAnswer(ctx context.Context, h interface {
	History(ctx context.Context, code tickets.Code) ([]tickets.HistoryEntry, error)
}, code tickets.Code) (string, error) {
	hs, err := h.History(ctx, code)
	if err != nil {
		return "", err
	}
	for i := len(hs) - 1; i >= 0; i-- {
		if e := hs[i]; (e.Action == tickets.ActionAnswer || e.Action == tickets.ActionResolve) && e.Note != "" {
			return e.Note, nil
		}
	}
	return "", nil
}

// answerFile names the WAV of a ticket's answer text: a hash of both, so
// that only who knows the answer can name its file, and a new answer gets a
// new file.
func answerFile(code tickets.Code, text string) string {
	sum := sha256.Sum256([]byte(string(code) + "\x00" + text))
	return hex.EncodeToString(sum[:16]) + ".wav"
}

var answerFileName = regexp.MustCompile(`^[0-9a-f]{32}\.wav$`)

// serveAnswers serves the answers' WAVs from dir to Asterisk.
func serveAnswers(dir string, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		if !answerFileName.MatchString(name) {
			http.NotFound(w, r)
			return
		}
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				log.Error("serve an answer's audio", "err", err)
			}
			http.NotFound(w, r)
			return
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			http.Error(w, "unavailable", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "audio/wav")
		http.ServeContent(w, r, name, st.ModTime(), f)
	})
}

// keepVoice converts a focal point's recorded answer to the prompts' format
// (8 kHz mono 16-bit WAV, with sox) under the name AnswerMedia looks for
// with the returned note, which names the recording. It returns EINVALID
// if data is not a WAV file sox can read. It satisfies
// console.VoiceAnswerFunc.
func (v *answerVoice) keepVoice(ctx context.Context, t *tickets.Ticket, data []byte) (string, error) {
	if len(data) < 44 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WAVE" {
		return "", tickets.Errorf(tickets.EINVALID, "the recording is not a WAV file")
	}
	var id [4]byte
	rand.Read(id[:])
	note := fmt.Sprintf("Trả lời bằng giọng nói (bản ghi %s), phát cho công dân qua điện thoại.", hex.EncodeToString(id[:]))
	if err := os.MkdirAll(v.dir, 0o750); err != nil {
		return "", err
	}
	path := filepath.Join(v.dir, answerFile(t.Code, note))
	sox := exec.CommandContext(ctx, "sox", "-R", "-D", "-V1", "-t", "wav", "-", "-t", "wav", "-r", "8000", "-c", "1",
		"-b", "16", "-e", "signed-integer", path+".tmp.wav")
	sox.Stdin = bytes.NewReader(data)
	if out, err := sox.CombinedOutput(); err != nil {
		os.Remove(path + ".tmp.wav")
		return "", tickets.Errorf(tickets.EINVALID, "the recording cannot be read: %s", strings.TrimSpace(string(out)))
	}
	return note, os.Rename(path+".tmp.wav", path)
}
