// SPDX-License-Identifier: Apache-2.0

package tickets_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/hotline-cchc/hotline"

// The dependency rule of DESIGN.md, checked with go list: the domain imports
// nothing of ours; the wings (ivr, chatbot, reports, console) import the
// domain but never each other nor an adapter; only cmd/hotline wires adapters.
func TestDependencyRule(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list over the module")
	}
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}{{range .Deps}} {{.}}{{end}}", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	wings := []string{"ivr", "chatbot", "reports", "console"}
	adapters := []string{"tickets/sqlite", "ivr/asterisk", "chatbot/telegram", "chatbot/zalo", "cmd/"}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], module+"/")
		for _, dep := range fields[1:] {
			if !strings.HasPrefix(dep, module+"/") {
				if pkg == "tickets" && strings.Contains(strings.SplitN(dep, "/", 2)[0], ".") {
					t.Errorf("tickets imports %s: the domain uses the standard library only", dep)
				}
				continue
			}
			d := strings.TrimPrefix(dep, module+"/")
			switch {
			case pkg == "tickets":
				t.Errorf("tickets imports %s: the domain imports nothing of ours", d)
			case isTest(pkg):
			case wing(pkg, wings) != "" && wing(d, wings) != "" && wing(d, wings) != wing(pkg, wings):
				t.Errorf("%s imports %s: the wings never import each other", pkg, d)
			case wing(pkg, wings) != "" && !strings.HasPrefix(pkg, wing(pkg, wings)+"/") && hasPrefix(d, adapters):
				t.Errorf("%s imports the adapter %s: only cmd/hotline wires adapters", pkg, d)
			case !strings.HasPrefix(pkg, "cmd/") && strings.HasPrefix(d, "cmd/"):
				t.Errorf("%s imports %s", pkg, d)
			}
		}
	}
}

func wing(pkg string, wings []string) string {
	for _, w := range wings {
		if pkg == w || strings.HasPrefix(pkg, w+"/") {
			return w
		}
	}
	return ""
}

func hasPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if s == strings.TrimSuffix(p, "/") || strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// isTest reports whether pkg is a fake or fixture package, which may wire
// concrete parts for tests.
func isTest(pkg string) bool { return strings.HasSuffix(pkg, "test") }
