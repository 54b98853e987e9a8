// SPDX-License-Identifier: Apache-2.0

package sounds_test

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/hotline-cchc/hotline/ivr"
	"github.com/hotline-cchc/hotline/sounds"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

// Every prompt of the manifest is in NFC and has an 8 kHz mono 16-bit WAV,
// and there is no WAV without a manifest line.
func TestManifestMatchesFiles(t *testing.T) {
	ps, err := sounds.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, p := range ps {
		ids[p.ID] = true
		if !norm.NFC.IsNormalString(p.Text) {
			t.Errorf("%s: text not in NFC", p.ID)
		}
		data, err := sounds.WAV(p.ID)
		if err != nil {
			t.Errorf("%s: %v (run make sounds)", p.ID, err)
			continue
		}
		if len(data) < 44 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WAVE" {
			t.Errorf("%s: not a WAV file", p.ID)
			continue
		}
		channels, rate, bits := binary.LittleEndian.Uint16(data[22:]), binary.LittleEndian.Uint32(data[24:]), binary.LittleEndian.Uint16(data[34:])
		if channels != 1 || rate != 8000 || bits != 16 {
			t.Errorf("%s: %d channels, %d Hz, %d bits; want 1, 8000, 16", p.ID, channels, rate, bits)
		}
	}
	files, _ := filepath.Glob(filepath.Join(sounds.Folder, "*.wav"))
	for _, f := range files {
		if id := filepath.Base(f[:len(f)-4]); !ids[id] {
			t.Errorf("%s has no manifest line", f)
		}
	}
}

// Every prompt the flow can play with the test menu is in the manifest;
// cmd/hotline checks the default configuration's menu the same way.
func TestFlowPromptsExist(t *testing.T) {
	texts, err := sounds.Texts()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ivr.Prompts(ticketstest.Menu(t)) {
		if _, ok := texts[id]; !ok {
			t.Errorf("prompt %q is not in the manifest", id)
		}
	}
}

func TestInstall(t *testing.T) {
	dir := t.TempDir()
	n, err := sounds.Install(dir)
	if err != nil {
		t.Fatal(err)
	}
	ps, _ := sounds.Manifest()
	if n != len(ps) {
		t.Errorf("installed %d files, want %d", n, len(ps))
	}
	want, _ := sounds.WAV("goodbye")
	got, err := os.ReadFile(filepath.Join(dir, "vi", "hotline", "goodbye.wav"))
	if err != nil || string(got) != string(want) {
		t.Errorf("goodbye.wav not installed as embedded (%v)", err)
	}
}
