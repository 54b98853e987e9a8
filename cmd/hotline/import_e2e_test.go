// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// An import through the binary, its standard error on a terminal: the bar
// shows the rows checked and the tickets saved up to 100 %, and the results
// on standard output carry no control characters. Without a terminal there
// is no bar.
func TestImportRegisterProgressOnATerminal(t *testing.T) {
	bin, env := binary(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var csv strings.Builder
	csv.WriteString("Ngày tiếp nhận,Nội dung,Nhánh,Trạng thái,Ngày giải quyết\n")
	for i := range 300 {
		fmt.Fprintf(&csv, "%02d/03/2026,Phản ánh %d,%d,Đã giải quyết,%02d/04/2026\n", i%28+1, i, i%9+1, i%28+1)
	}
	file := writeFile(t, "so.csv", []byte(csv.String()))
	master, slave := openPTY(t)
	defer master.Close()
	c := exec.CommandContext(ctx, bin, "tickets", "import", file)
	var out bytes.Buffer
	c.Env, c.Stdout, c.Stderr = env, &out, slave
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	var sc screen
	done := sc.readFrom(master)
	if err := c.Wait(); err != nil {
		t.Fatalf("import: %v\n%s", err, sc.String())
	}
	<-done
	screen := sc.String()
	for _, want := range []string{"\rchecking  300/300 [##############################] 100 %", "\rsaving    300/300 [", "imported 300 tickets"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the terminal lacks %q:\n%q", want, screen)
		}
	}
	if strings.Count(out.String(), `"code"`) != 300 || strings.ContainsAny(out.String(), "\r\x1b") {
		t.Errorf("standard output:\n%s", out.String())
	}
	code, _, errs := runBinary(t, bin, env, "tickets", "import", file)
	if code != 0 || strings.Contains(errs, "\r") || !strings.Contains(errs, "300 of them were imported before") {
		t.Errorf("again, not on a terminal: exit %d\n%q", code, errs)
	}
	if _, report, _ := runBinary(t, bin, env, "report", "--month", "2026-04"); !strings.Contains(strings.Join(strings.Fields(report), " "), "đã giải quyết 300 phiếu") {
		t.Errorf("April's report does not count the imported resolutions:\n%s", report)
	}
}
