// SPDX-License-Identifier: Apache-2.0

package packaging_test

import (
	"os/exec"
	"strings"
	"testing"
)

// The alert rules shipped in docs/ load in Prometheus and fire as
// docs/alerts_test.yml says.
func TestAlertRules(t *testing.T) {
	promtool := needTool(t, "promtool")
	for _, args := range [][]string{{"check", "rules", "alerts.yml"}, {"test", "rules", "alerts_test.yml"}} {
		cmd := exec.Command(promtool, args...)
		cmd.Dir = "../docs"
		if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "SUCCESS") {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}
