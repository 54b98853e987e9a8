// SPDX-License-Identifier: Apache-2.0

// Package sounds holds the hotline's Vietnamese prompts: the manifest (id →
// text) and the WAV files made from it by `make sounds` (espeak-ng and sox,
// 8 kHz mono 16-bit), embedded so that `hotline sounds install DIR` can put
// them where Asterisk looks: DIR/vi/hotline/<id>.wav, played as
// sound:hotline/<id> on a channel whose language is vi.
//
// It imports only the standard library.
package sounds

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

//go:embed manifest.txt vi/hotline/*.wav
var files embed.FS

// Folder is where the prompts live under an Asterisk sounds directory, and
// SoundPrefix is what goes before a prompt id in a sound: URI.
const (
	Folder      = "vi/hotline"
	SoundPrefix = "hotline/"
)

// Prompt is one line of the manifest.
type Prompt struct {
	ID   string // e.g. "greeting", "branch-4", "digit-7"
	Text string // what it says, in Vietnamese
}

// Manifest returns the prompts in manifest order. It returns an error if a
// line is not "id<TAB>text" or an id repeats.
func Manifest() ([]Prompt, error) {
	data, err := files.ReadFile("manifest.txt")
	if err != nil {
		return nil, err
	}
	var out []Prompt
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, text, ok := strings.Cut(line, "\t")
		if !ok || id == "" || strings.TrimSpace(text) == "" {
			return nil, fmt.Errorf("sounds manifest line %d: want id, a tab and the text", n)
		}
		if seen[id] {
			return nil, fmt.Errorf("sounds manifest line %d: %q appears twice", n, id)
		}
		seen[id] = true
		out = append(out, Prompt{ID: id, Text: text})
	}
	return out, sc.Err()
}

// Texts returns the manifest as a map from id to text.
func Texts() (map[string]string, error) {
	ps, err := Manifest()
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(ps))
	for _, p := range ps {
		m[p.ID] = p.Text
	}
	return m, nil
}

// WAV returns the embedded recording of prompt id; fs.ErrNotExist if none.
func WAV(id string) ([]byte, error) {
	return files.ReadFile(Folder + "/" + id + ".wav")
}

// Install copies every prompt into dir/vi/hotline, replacing files of the
// same name, and returns how many it wrote.
func Install(dir string) (int, error) {
	dst := filepath.Join(dir, filepath.FromSlash(Folder))
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return 0, err
	}
	entries, err := fs.ReadDir(files, Folder)
	if err != nil {
		return 0, err
	}
	for _, e := range entries {
		data, err := files.ReadFile(Folder + "/" + e.Name())
		if err != nil {
			return 0, err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			return 0, err
		}
	}
	return len(entries), nil
}
