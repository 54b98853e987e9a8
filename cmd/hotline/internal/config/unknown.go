// SPDX-License-Identifier: Apache-2.0

package config

import (
	"fmt"
	"sort"
	"strings"
)

// UnknownVariables returns a problem for every HOTLINE_* variable of environ
// ("NAME=value" pairs, as os.Environ gives them) that no setting of c, no
// department or branch variable and none of known (the secrets' variables,
// which the config does not know) is: a mistyped variable would otherwise be
// ignored in silence. Each says which known variable is nearest, if one is
// close enough to be a typo. They are warnings: the configuration is still
// valid.
func UnknownVariables(c *Config, environ []string, known ...string) []Problem {
	names := map[string]bool{"HOTLINE_CONFIG": true}
	for _, k := range known {
		names[k] = true
	}
	for _, k := range c.settings() {
		names[envName(k.path)] = true
	}
	for _, d := range c.Departments {
		names[envName("department."+d.ID+".name")] = true
	}
	for n := 1; n <= 9; n++ {
		for _, leaf := range []string{"NAME", "DEPARTMENT", "DEADLINE_DAYS", "CASE_TYPE"} {
			names[fmt.Sprintf("HOTLINE_BRANCH_%d_%s", n, leaf)] = true
		}
	}
	for _, name := range c.caseTypeVars() {
		names[name] = true
	}
	var ps []Problem
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "HOTLINE_") || names[name] {
			continue
		}
		msg := "unknown variable, ignored"
		if near := nearestName(name, names); near != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", near)
		}
		ps = append(ps, Problem{Key: name, Message: msg})
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Key < ps[j].Key })
	return ps
}

// nearestName returns the name of names closest to name, if it is close
// enough to be a typo, or "".
func nearestName(name string, names map[string]bool) string {
	best, bestDist := "", 4
	for n := range names {
		if d := distance(name, n); d < bestDist || d == bestDist && n < best {
			best, bestDist = n, d
		}
	}
	return best
}
