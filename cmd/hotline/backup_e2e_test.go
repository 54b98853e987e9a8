// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// A backup taken while serve runs and another process writes tickets as fast
// as it can holds every ticket acknowledged before the backup began; restored
// into another data folder, it is a sound database with all of them. A
// restore into the serving folder is refused.
func TestBackupDuringWriteBurst(t *testing.T) {
	bin, env := binary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv := startServe(t, ctx, bin, env)
	defer srv.stop(t)

	imp := exec.CommandContext(ctx, bin, "tickets", "import", "--workers", "8")
	imp.Env = env
	stdin, _ := imp.StdinPipe()
	stdout, _ := imp.StdoutPipe()
	if err := imp.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer stdin.Close()
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			default:
			}
			line := fmt.Sprintf(`{"branch":%d,"channel":"phone","text":"burst-%d"}`+"\n", []int{1, 4, 9}[i%3], i)
			if _, err := io.WriteString(stdin, line); err != nil {
				return
			}
		}
	}()
	acked := map[tickets.Code]bool{}
	sc := bufio.NewScanner(stdout)
	read := func(n int) {
		for len(acked) < n && sc.Scan() {
			var r importResult
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil || r.Error != "" {
				t.Fatalf("import result %q: %v", sc.Text(), err)
			}
			acked[tickets.Code(r.Code)] = true
		}
	}
	read(300)
	before := maps.Clone(acked)
	file := filepath.Join(t.TempDir(), "burst.db.gz")
	bk := exec.CommandContext(ctx, bin, "backup", "--out", file)
	bk.Env = env
	bk.Stdout = &syncBuffer{}
	bk.Stderr = bk.Stdout
	if err := bk.Start(); err != nil {
		t.Fatal(err)
	}
	read(len(acked) + 200) // the burst goes on while the backup runs
	if err := bk.Wait(); err != nil {
		t.Fatalf("backup during the burst: %v\n%s", err, bk.Stdout)
	}
	read(len(acked) + 100)
	close(done)
	for sc.Scan() {
	}
	imp.Wait()

	refused := exec.CommandContext(ctx, bin, "restore", file)
	refused.Env = env
	if out, err := refused.CombinedOutput(); err == nil || !strings.Contains(string(out), "restore refused") {
		t.Errorf("restore into the serving data folder: %v\n%s", err, out)
	}
	elsewhere := filepath.Join(t.TempDir(), "restored")
	rs := exec.CommandContext(ctx, bin, "restore", file)
	rs.Env = append(env, "HOTLINE_DATA="+elsewhere) // the later one wins
	if out, err := rs.CombinedOutput(); err != nil {
		t.Fatalf("restore elsewhere: %v\n%s", err, out)
	}
	checkStore(t, elsewhere, before)
	t.Logf("%d tickets acknowledged before the backup began, %d in all", len(before), len(acked))
}
