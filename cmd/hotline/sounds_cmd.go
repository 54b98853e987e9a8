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

const soundsSynopsis = "hotline sounds install DIR | hotline sounds check [--ari] [--config FILE]"

// runSounds installs the embedded prompts where Asterisk looks for them, or
// checks that the configured menu has every prompt it needs.
func (m *Main) runSounds(ctx context.Context, args []string) error {
	fs := newFlagSet("hotline sounds", soundsSynopsis, m.Stderr)
	path := fs.String("config", "", "config file (default: $HOTLINE_CONFIG, else the embedded default)")
	ari := fs.Bool("ari", false, "also ask the configured Asterisk (GET /ari/sounds?lang=vi) which prompts it lacks")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return handled(err)
	}
	switch {
	case len(pos) == 2 && pos[0] == "install":
		n, err := sounds.Install(pos[1])
		if err != nil {
			return fmt.Errorf("install sounds: %w", err)
		}
		fmt.Fprintf(m.Stdout, "installed %d prompts in %s (played as sound:%s<id> on channels in language vi)\n",
			n, filepath.Join(pos[1], filepath.FromSlash(sounds.Folder)), sounds.SoundPrefix)
		return nil
	case len(pos) == 1 && pos[0] == "check":
		a, cleanup, err := m.openCallApp(ctx, *path, false)
		if err != nil {
			return err
		}
		defer cleanup()
		missing, err := missingPrompts(a)
		if err != nil {
			return err
		}
		if len(missing) > 0 {
			return fmt.Errorf("prompts missing from sounds/manifest.txt: %v; add them and run make sounds", missing)
		}
		fmt.Fprintln(m.Stdout, "every prompt of the menu is in the sounds manifest")
		if *ari {
			return m.checkAsteriskSounds(ctx, a)
		}
		return nil
	}
	return usagef("usage: %s", soundsSynopsis)
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
