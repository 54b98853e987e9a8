// SPDX-License-Identifier: Apache-2.0

package config_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
)

// FuzzLoad checks that Load never panics, that a config it accepts converts
// into a Menu and a Calendar, and that Print writes it back losslessly. The
// seed corpus is in testdata/fuzz/FuzzLoad.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(menuHead))
	dir := f.TempDir() // each fuzz worker is a process of its own, running inputs one by one
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "hotline.toml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := config.Load(path, nil)
		if err != nil {
			var ps *config.Problems
			if !errors.As(err, &ps) || len(ps.List) == 0 {
				t.Fatalf("Load error = %v, want a *config.Problems with problems", err)
			}
			return
		}
		if _, err := c.Menu(); err != nil {
			t.Fatalf("Menu() of a loaded config: %v", err)
		}
		if _, err := c.Calendar(); err != nil {
			t.Fatalf("Calendar() of a loaded config: %v", err)
		}
		var b bytes.Buffer
		if err := config.Print(&b, c); err != nil {
			t.Fatal(err)
		}
		back := filepath.Join(dir, "printed.toml")
		if err := os.WriteFile(back, b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		c2, err := config.Load(back, nil)
		if err != nil {
			t.Fatalf("Load of the printed config: %v\n%s", err, b.String())
		}
		sameSettings(t, c, c2)
	})
}
