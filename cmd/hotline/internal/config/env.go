// SPDX-License-Identifier: Apache-2.0

package config

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hotline-cchc/hotline/tickets"
)

// environment applies the HOTLINE_* variables: one per setting, one per
// department name, three per branch key.
func (l *loader) environment(getenv func(string) string) {
	l.file, l.lines = "", nil
	for _, k := range l.c.settings() {
		l.setenv(getenv, envName(k.path), k)
	}
	for i := range l.c.Departments {
		d := &l.c.Departments[i]
		name := envName("department." + d.ID + ".name")
		l.setenv(getenv, name, departmentKeys(index("departments", i), d)[1])
	}
	for n := 1; n <= 9; n++ {
		l.branchEnv(getenv, n)
	}
	l.caseTypeEnv(getenv)
}

// setenv sets k from the variable name, if it is set; it reports whether it was.
func (l *loader) setenv(getenv func(string) string, name string, k key) bool {
	v := getenv(name)
	if v == "" {
		return false
	}
	l.env = name
	defer func() { l.env = "" }()
	if !utf8.ValidString(v) {
		l.bad(k.path, "the value is not valid UTF-8")
		return true
	}
	k.set(l, k.path, envValue(strings.TrimSpace(v)))
	return true
}

// branchEnv applies HOTLINE_BRANCH_<n>_NAME, _DEPARTMENT and _DEADLINE_DAYS:
// they change branch n, or add it if both a name and a department are given.
func (l *loader) branchEnv(getenv func(string) string, n int) {
	prefix := fmt.Sprintf("HOTLINE_BRANCH_%d_", n)
	vars := []string{prefix + "NAME", prefix + "DEPARTMENT", prefix + "DEADLINE_DAYS", prefix + "CASE_TYPE"}
	var set []string
	for _, v := range vars {
		if strings.TrimSpace(getenv(v)) != "" {
			set = append(set, v)
		}
	}
	if len(set) == 0 {
		return
	}
	i := l.branchIndex(n)
	if i < 0 && (len(set) < 2 || set[0] != vars[0] || set[1] != vars[1]) {
		for _, v := range set {
			l.env = v
			l.bad("", "there is no branch %d to change; to add one, set both %s and %s", n, vars[0], vars[1])
		}
		l.env = ""
		return
	}
	if i < 0 {
		l.c.Branches = append(l.c.Branches, tickets.Branch{Key: n, DeadlineDays: tickets.DefaultDeadlineDays})
		i = len(l.c.Branches) - 1
		l.env = vars[0]
		l.mark(index("branches", i))
		l.env = ""
	}
	for _, k := range branchKeys(index("branches", i), &l.c.Branches[i])[1:] {
		l.setenv(getenv, prefix+strings.ToUpper(leaf(k.path)), k)
	}
}

// branchIndex returns the index of the first branch on key n, or -1.
func (l *loader) branchIndex(n int) int {
	for i, b := range l.c.Branches {
		if b.Key == n {
			return i
		}
	}
	return -1
}
