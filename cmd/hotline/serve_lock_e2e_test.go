// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// A second serve on the same data folder exits at once naming the holder,
// while the CLI keeps writing beside the running server.
func TestSecondServeRefused(t *testing.T) {
	bin, env := binary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	first := startServe(t, ctx, bin, env)
	defer first.stop(t)

	second := exec.CommandContext(ctx, bin, "serve")
	second.Env = env
	out, err := second.CombinedOutput()
	if err == nil {
		t.Fatalf("second serve on the same data folder exited 0:\n%s", out)
	}
	if want := fmt.Sprintf("in use by process %d", first.cmd.Process.Pid); !strings.Contains(string(out), want) {
		t.Errorf("second serve said %q, want it to contain %q", out, want)
	}
	if strings.Contains(string(out), "listening") {
		t.Errorf("second serve listened before refusing:\n%s", out)
	}
	cli := exec.CommandContext(ctx, bin, "tickets", "new", "--branch", "9", "--text", "Cán bộ gây khó dễ")
	cli.Env = env
	if out, err := cli.CombinedOutput(); err != nil {
		t.Fatalf("tickets new beside a running serve: %v\n%s", err, out)
	}
}
