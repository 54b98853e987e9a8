// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/hotline-cchc/hotline/sounds"
)

const soundsSynopsis = "hotline sounds install DIR | hotline sounds check [--config FILE]"

// runSounds installs the embedded prompts where Asterisk looks for them, or
// checks that the configured menu has every prompt it needs.
func (m *Main) runSounds(ctx context.Context, args []string) error {
	fs := newFlagSet("hotline sounds", soundsSynopsis, m.Stderr)
	path := fs.String("config", "", "config file (default: $HOTLINE_CONFIG, else the embedded default)")
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
		return nil
	}
	return usagef("usage: %s", soundsSynopsis)
}
