// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/secrets"
	"github.com/hotline-cchc/hotline/ivr"
	"github.com/hotline-cchc/hotline/ivr/asterisk"
	"github.com/hotline-cchc/hotline/sounds"
)

const soundsSynopsis = "hotline sounds install DIR | check [--ari] | generate [--voice V] [--config FILE]"

// runSounds installs the prompts where Asterisk looks for them, checks
// that the configured menu has every prompt it needs with the right
// words, or speaks the missing and stale ones into ari.sounds_dir.
func (m *Main) runSounds(ctx context.Context, args []string) error {
	fs := newFlagSet("hotline sounds", soundsSynopsis, m.Stderr)
	path := fs.String("config", "", "config file (default: $HOTLINE_CONFIG, else the embedded default)")
	ari := fs.Bool("ari", false, "check: also ask the configured Asterisk (GET /ari/sounds?lang=vi) which prompts it lacks")
	voice := fs.String("voice", "vi-vn-x-south", "generate: the espeak-ng voice (vi, vi-vn-x-central, vi-vn-x-south)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return handled(err)
	}
	switch {
	case len(pos) == 2 && pos[0] == "install":
		a, cleanup, err := m.openCallApp(ctx, *path, false)
		if err != nil {
			return err
		}
		defer cleanup()
		n, err := promptSet(a).Install(pos[1])
		if err != nil {
			return fmt.Errorf("install sounds: %w", err)
		}
		fmt.Fprintf(m.Stdout, "installed %d prompts in %s (played as sound:%s<id> on channels in language vi)\n",
			n, filepath.Join(pos[1], filepath.FromSlash(sounds.Folder)), sounds.SoundPrefix)
		return nil
	case len(pos) == 1 && pos[0] == "check":
		return m.checkSounds(ctx, *path, *ari)
	case len(pos) == 1 && pos[0] == "generate":
		return m.generateSounds(ctx, *path, *voice)
	}
	return usagef("usage: %s", soundsSynopsis)
}

// checkSounds names every prompt of the configured menu that is missing or
// says an old text, and with ari every one Asterisk lacks.
func (m *Main) checkSounds(ctx context.Context, path string, ari bool) error {
	a, cleanup, err := m.openCallApp(ctx, path, false)
	if err != nil {
		return err
	}
	defer cleanup()
	stale, missing, err := checkPrompts(a)
	if err != nil {
		return err
	}
	for _, id := range stale {
		fmt.Fprintf(m.Stdout, "stale: %s says an old text\n", id)
	}
	for _, id := range missing {
		fmt.Fprintf(m.Stdout, "missing: %s\n", id)
	}
	if len(stale)+len(missing) > 0 {
		return fmt.Errorf("%d prompts missing and %d stale for the configured menu (%v); set ari.sounds_dir and run hotline sounds generate",
			len(missing), len(stale), append(missing, stale...))
	}
	fmt.Fprintln(m.Stdout, "every prompt of the menu is there and says the configured text")
	if ari {
		return m.checkAsteriskSounds(ctx, a)
	}
	return nil
}

// generateSounds speaks the missing and stale prompts of the configured
// menu into ari.sounds_dir.
func (m *Main) generateSounds(ctx context.Context, path, voice string) error {
	a, cleanup, err := m.openCallApp(ctx, path, false)
	if err != nil {
		return err
	}
	defer cleanup()
	if a.cfg.ARI.SoundsDir == "" {
		return usagef("generate: set ari.sounds_dir (HOTLINE_ARI_SOUNDS_DIR) to the folder the prompts go to")
	}
	want, err := promptTexts(a)
	if err != nil {
		return err
	}
	ids, err := promptSet(a).Generate(ctx, want, voice)
	if err != nil {
		return err
	}
	for _, id := range ids {
		fmt.Fprintf(m.Stdout, "spoke %s: %s\n", id, want[id])
	}
	fmt.Fprintf(m.Stdout, "%d prompts generated in %s (voice %s); install them with hotline sounds install <Asterisk sounds dir>\n",
		len(ids), filepath.Join(a.cfg.ARI.SoundsDir, filepath.FromSlash(sounds.Folder)), voice)
	return nil
}

// checkAsteriskSounds asks the configured Asterisk which of the menu's
// prompts it lacks, and names each file.
func (m *Main) checkAsteriskSounds(ctx context.Context, a *app) error {
	if a.cfg.ARI.URL == "" {
		return usagef("--ari: ari.url is not set (HOTLINE_ARI_URL, e.g. http://127.0.0.1:8088/ari)")
	}
	password, _, err := m.secretStore().Lookup(secrets.ARIPassword)
	if err != nil {
		return err
	}
	client, err := asterisk.New(ariOptions(a, password, nil))
	if err != nil {
		return err
	}
	missing, err := client.MissingPrompts(ctx, ivr.Prompts(a.menu))
	if err != nil {
		return fmt.Errorf("ask Asterisk for its sounds: %w", err)
	}
	for _, id := range missing {
		fmt.Fprintf(m.Stdout, "missing on Asterisk: %s/%s.wav (sound:%s%s)\n", sounds.Folder, id, sounds.SoundPrefix, id)
	}
	if len(missing) > 0 {
		return fmt.Errorf("%d prompts missing on Asterisk at %s: install them with %s", len(missing), a.cfg.ARI.URL, installHint)
	}
	fmt.Fprintf(m.Stdout, "Asterisk at %s has every prompt of the menu (%d)\n", a.cfg.ARI.URL, len(ivr.Prompts(a.menu)))
	return nil
}
