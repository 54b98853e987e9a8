// SPDX-License-Identifier: Apache-2.0

package config

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/hotline-cchc/hotline/tickets"
)

// Print writes c as a TOML file that Load reads back into the same settings.
// A key set by an environment variable carries a comment naming it. Config
// holds no secrets, so neither does the output. Print returns the writer's
// error, wrapped.
func Print(w io.Writer, c *Config) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# hotline configuration in effect: %s, then the environment.\n", c.Path())
	table := ""
	for _, k := range c.settings() {
		if t := parent(k.path); t != table {
			fmt.Fprintf(&b, "\n[%s]\n", t)
			table = t
		}
		c.printKey(&b, k)
	}
	for i := range c.Departments {
		b.WriteString("\n[[departments]]\n")
		for _, k := range departmentKeys(index("departments", i), &c.Departments[i]) {
			c.printKey(&b, k)
		}
	}
	for i := range c.Branches {
		b.WriteString("\n[[branches]]\n")
		for _, k := range branchKeys(index("branches", i), &c.Branches[i]) {
			c.printKey(&b, k)
		}
	}
	printTables(&b, c, "case_types", c.CaseTypes, caseTypeKeys)
	printTables(&b, c, "department_changes", c.DepartmentChanges, departmentChangeKeys)
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("print config: %w", err)
	}
	return nil
}

func (c *Config) printKey(b *bytes.Buffer, k key) {
	fmt.Fprintf(b, "%s = %s", leaf(k.path), k.text())
	if o, ok := c.origins[k.path]; ok && o.env != "" {
		fmt.Fprintf(b, " # from %s", o.env)
	}
	b.WriteByte('\n')
}

func spanList(spans []tickets.Span) string {
	items := make([]string, len(spans))
	for i, s := range spans {
		items[i] = quote(formatSpan(s))
	}
	return "[" + strings.Join(items, ", ") + "]"
}

func chatList(ids []int64) string {
	items := make([]string, len(ids))
	for i, id := range ids {
		items[i] = strconv.FormatInt(id, 10)
	}
	return "[" + strings.Join(items, ", ") + "]"
}

func dateList(dates []tickets.Date) string {
	if len(dates) == 0 {
		return "[]"
	}
	var b strings.Builder
	b.WriteString("[\n")
	for _, d := range dates {
		fmt.Fprintf(&b, "  %s,\n", quote(d.String()))
	}
	b.WriteString("]")
	return b.String()
}

// quote writes s as a TOML basic string.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// printTables writes each element of an array of tables with its keys.
func printTables[T any](b *bytes.Buffer, c *Config, path string, items []T, keys func(string, *T) []key) {
	for i := range items {
		fmt.Fprintf(b, "\n[[%s]]\n", path)
		for _, k := range keys(index(path, i), &items[i]) {
			c.printKey(b, k)
		}
	}
}
