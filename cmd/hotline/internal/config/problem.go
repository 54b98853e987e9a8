// SPDX-License-Identifier: Apache-2.0

package config

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Problem is one thing wrong with the configuration.
type Problem struct {
	File    string // the config file, Embedded, or "" when an environment variable is at fault
	Line    int    // 1-based line in File; 0 if unknown
	Key     string // the key, e.g. "branches[3].department" (indexed from 0), or the variable, e.g. "HOTLINE_HTTP_ADDR"
	Message string // what is wrong, for an operator
}

// String formats the problem as "file:line: key: message", or "VARIABLE:
// message" when an environment variable is at fault.
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
		}
		b.WriteString(": ")
	}
	if p.Key != "" {
		b.WriteString(p.Key)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Problems is the error Load returns when the configuration is wrong: every
// problem found, file problems by file and line, then environment ones.
type Problems struct {
	List []Problem
}

// Error lists the problems, one a line.
func (ps *Problems) Error() string {
	lines := make([]string, len(ps.List))
	for i, p := range ps.List {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// newProblems sorts list, drops exact duplicates, and wraps it.
func newProblems(list []Problem) *Problems {
	list = slices.Clone(list)
	slices.SortStableFunc(list, func(a, b Problem) int {
		return cmp.Or(
			cmp.Compare(fileRank(a), fileRank(b)),
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
		)
	})
	return &Problems{List: slices.Compact(list)}
}

// fileRank puts the embedded default first and the environment last.
func fileRank(p Problem) int {
	switch p.File {
	case Embedded:
		return 0
	case "":
		return 2
	default:
		return 1
	}
}
