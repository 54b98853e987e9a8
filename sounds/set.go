// SPDX-License-Identifier: Apache-2.0

package sounds

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// Set is the prompts as the hotline uses them: the files of a folder on
// disk (Dir/vi/hotline/<id>.wav, each with <id>.sha256, the hash of the
// text it speaks, as Generate writes them), falling back to the embedded
// ones. A zero Set is the embedded prompts.
type Set struct{ Dir string }

// path returns where the folder keeps a prompt's file with suffix ext.
func (s Set) path(id, ext string) string {
	return filepath.Join(s.Dir, filepath.FromSlash(Folder), id+ext)
}

// WAV returns the recording of prompt id: the folder's, else the embedded
// one; fs.ErrNotExist if neither has it.
func (s Set) WAV(id string) ([]byte, error) {
	if s.Dir != "" {
		b, err := os.ReadFile(s.path(id, ".wav"))
		if err == nil || !errors.Is(err, fs.ErrNotExist) {
			return b, err
		}
	}
	return WAV(id)
}

// Hash is the hash kept beside a generated prompt: SHA-256 of its text.
func Hash(text string) string {
	h := sha256.Sum256([]byte(text))
	return hex.EncodeToString(h[:])
}

// spokenForms expands what a voice cannot read in a name.
var spokenForms = strings.NewReplacer("CCHC", "cải cách hành chính", "UBND", "Ủy ban nhân dân",
	"HĐND", "Hội đồng nhân dân", " (", ", ", "(", "", ")", "")

// Spoken returns a branch or department name as a prompt says it:
// abbreviations spelled out, brackets as a pause.
func Spoken(name string) string { return strings.TrimSpace(spokenForms.Replace(name)) }

// Check compares the prompts with want (id → the text each must say):
// stale are those whose text differs (the folder's hash, or the embedded
// manifest's text), missing those neither the folder nor the manifest has.
// Both are sorted.
func (s Set) Check(want map[string]string) (stale, missing []string, err error) {
	texts, err := Texts()
	if err != nil {
		return nil, nil, err
	}
	for id, text := range want {
		if s.Dir != "" {
			h, err := os.ReadFile(s.path(id, ".sha256"))
			if _, werr := os.Stat(s.path(id, ".wav")); werr == nil {
				if err != nil || strings.TrimSpace(string(h)) != Hash(text) {
					stale = append(stale, id)
				}
				continue
			}
		}
		switch old, ok := texts[id]; {
		case !ok:
			missing = append(missing, id)
		case old != text:
			stale = append(stale, id)
		}
	}
	slices.Sort(stale)
	slices.Sort(missing)
	return stale, missing, nil
}

// Generate speaks each prompt of want that is missing or stale (Check)
// into the folder with espeak-ng and sox, as `make sounds` does (same voice, 8 kHz
// mono 16-bit), and writes its hash beside it. It returns the ids it
// wrote. It returns an error naming the package to install if espeak-ng or
// sox is missing.
func (s Set) Generate(ctx context.Context, want map[string]string, voice string) ([]string, error) {
	for _, tool := range []string{"espeak-ng", "sox"} {
		if _, err := exec.LookPath(tool); err != nil {
			return nil, fmt.Errorf("%s is not installed (apt-get install --no-install-recommends espeak-ng sox): %w", tool, err)
		}
	}
	if s.Dir == "" {
		return nil, errors.New("no folder to write the prompts to (ari.sounds_dir)")
	}
	if err := os.MkdirAll(filepath.Dir(s.path("x", "")), 0o755); err != nil {
		return nil, err
	}
	stale, missing, err := s.Check(want)
	if err != nil {
		return nil, err
	}
	ids := append(stale, missing...)
	slices.Sort(ids)
	for _, id := range ids {
		if err := s.speak(ctx, id, want[id], voice); err != nil {
			return nil, fmt.Errorf("generate prompt %s: %w", id, err)
		}
	}
	return ids, nil
}

// speak makes one prompt's WAV, then its hash, each replaced atomically.
func (s Set) speak(ctx context.Context, id, text, voice string) error {
	if err := Speak(ctx, text, voice, s.path(id, ".wav")); err != nil {
		return err
	}
	return os.WriteFile(s.path(id, ".sha256"), []byte(Hash(text)+"\n"), 0o644)
}

// Speak says text with espeak-ng in voice into the WAV file path, as the
// prompts are made (8 kHz mono 16-bit, silence trimmed), replacing it
// atomically: a reader never sees half a file. The text goes through
// standard input, so that no text is ever read as an option.
func Speak(ctx context.Context, text, voice, path string) error {
	tmp := path + ".tmp.wav"
	espeak := exec.CommandContext(ctx, "espeak-ng", "-v", voice, "-s", "145", "--stdin", "--stdout")
	espeak.Stdin = strings.NewReader(text)
	sox := exec.CommandContext(ctx, "sox", "-R", "-D", "-V1", "-t", "wav", "-", "-t", "wav", "-r", "8000", "-c", "1",
		"-b", "16", "-e", "signed-integer", tmp, "silence", "1", "0.02", "0.5%", "reverse", "silence", "1", "0.02", "0.5%", "reverse", "pad", "0", "0.15")
	var espeakErr, soxErr bytes.Buffer // each written by its own copying goroutine
	pipe, err := espeak.StdoutPipe()
	if err != nil {
		return err
	}
	sox.Stdin, espeak.Stderr, sox.Stderr = pipe, &espeakErr, &soxErr
	if err := espeak.Start(); err != nil {
		return err
	}
	serr := sox.Run()
	if err := errors.Join(espeak.Wait(), serr); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("%w: %s", err, strings.TrimSpace(espeakErr.String()+" "+soxErr.String()))
	}
	return os.Rename(tmp, path)
}

// Install copies every prompt into dir/vi/hotline, the embedded ones and
// then the folder's over them, replacing files of the same name, and
// returns how many prompts it wrote.
func (s Set) Install(dir string) (int, error) {
	n, err := Install(dir)
	if err != nil || s.Dir == "" {
		return n, err
	}
	files, err := filepath.Glob(s.path("*", ".wav"))
	if err != nil {
		return 0, err
	}
	dst := filepath.Join(dir, filepath.FromSlash(Folder))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return 0, err
		}
		name := filepath.Base(f)
		if _, err := WAV(strings.TrimSuffix(name, ".wav")); err != nil {
			n++ // a prompt the embedded set lacks
		}
		if err := os.WriteFile(filepath.Join(dst, name), data, 0o644); err != nil {
			return 0, err
		}
	}
	return n, nil
}
