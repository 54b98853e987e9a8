// SPDX-License-Identifier: Apache-2.0

package config

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/pelletier/go-toml/v2"
)

// loader lays sources over a Config, collecting problems as it goes.
type loader struct {
	c        *Config
	problems []Problem

	// The source being applied: a file and its key lines, or a variable.
	file  string
	lines map[string]int
	env   string
}

const secretMessage = "secrets do not belong in the config file; use `hotline secrets set NAME`"

// layer applies one TOML file.
func (l *loader) layer(file string, data []byte) {
	l.file, l.lines, l.env = file, nil, ""
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		l.syntax(err)
		return
	}
	l.lines = keyLines(data)
	l.walk("", doc, l.c.fileKeys())
}

// syntax reports a document the TOML library rejected.
func (l *loader) syntax(err error) {
	var de *toml.DecodeError
	if !errors.As(err, &de) {
		l.problems = append(l.problems, Problem{File: l.file, Message: "invalid TOML: " + err.Error()})
		return
	}
	line, _ := de.Position()
	msg := strings.TrimPrefix(de.Error(), "toml: ")
	l.problems = append(l.problems, Problem{File: l.file, Line: line, Key: strings.Join(de.Key(), "."), Message: "invalid TOML: " + msg})
}

// walk sets the keys of the table at prefix, reporting unknown ones.
func (l *loader) walk(prefix string, table map[string]any, keys []key) {
	for _, name := range l.ordered(prefix, table) {
		path, v := join(prefix, name), table[name]
		if secretLike(name) {
			l.bad(path, "%s", secretMessage)
			continue
		}
		if i := slices.IndexFunc(keys, func(k key) bool { return k.path == path }); i >= 0 {
			keys[i].set(l, path, v)
			continue
		}
		if !slices.ContainsFunc(keys, func(k key) bool { return strings.HasPrefix(k.path, path+".") }) {
			l.unknown(path, v, keys)
			continue
		}
		if sub, ok := v.(map[string]any); ok {
			l.walk(path, sub, keys)
		} else {
			l.bad(path, "expected a table, got %s", typeName(v))
		}
	}
}

// ordered returns the keys of table in the order they appear in the file.
func (l *loader) ordered(prefix string, table map[string]any) []string {
	names := make([]string, 0, len(table))
	for name := range table {
		names = append(names, name)
	}
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(l.lines[join(prefix, a)], l.lines[join(prefix, b)]), strings.Compare(a, b))
	})
	return names
}

// unknown reports a key that is no setting, suggesting a near one, and any
// secret-looking key inside it.
func (l *loader) unknown(path string, v any, keys []key) {
	msg := "unknown key"
	if near := nearest(path, keys); near != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", near)
	}
	l.bad(path, "%s", msg)
	l.secretsIn(path, v)
}

func (l *loader) secretsIn(path string, v any) {
	switch v := v.(type) {
	case map[string]any:
		for _, name := range l.ordered(path, v) {
			if secretLike(name) {
				l.bad(join(path, name), "%s", secretMessage)
			} else {
				l.secretsIn(join(path, name), v[name])
			}
		}
	case []any:
		for i, e := range v {
			l.secretsIn(index(path, i), e)
		}
	}
}

// secretLike reports whether a key name looks like it holds a secret.
func secretLike(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "password") || strings.Contains(n, "token") || strings.Contains(n, "secret")
}

// bad reports a problem with the value the current source gives path.
func (l *loader) bad(path, format string, args ...any) {
	p := Problem{Message: fmt.Sprintf(format, args...)}
	if l.env != "" {
		p.Key = l.env
	} else {
		p.File, p.Line, p.Key = l.file, lineOf(l.lines, path), path
	}
	l.problems = append(l.problems, p)
}

// mark records that the current source set the list or table at path,
// forgetting where the elements and keys under it came from before.
func (l *loader) mark(path string) {
	elem, key := path+"[", path+"."
	for p := range l.c.origins {
		if strings.HasPrefix(p, elem) || strings.HasPrefix(p, key) {
			delete(l.c.origins, p)
		}
	}
	l.note(path)
}

// markList marks a list and its n elements.
func (l *loader) markList(path string, n int) {
	l.mark(path)
	for i := range n {
		l.note(index(path, i))
	}
}

// note records that the current source set path, a scalar or an element.
func (l *loader) note(path string) {
	if l.env != "" {
		l.c.origins[path] = origin{env: l.env}
	} else {
		l.c.origins[path] = origin{file: l.file, line: lineOf(l.lines, path)}
	}
}

func (l *loader) str(path string, v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case envValue:
		return string(v), true
	}
	l.bad(path, "expected a string, got %s", typeName(v))
	return "", false
}

func (l *loader) integer(path string, v any) (int, bool) {
	switch v := v.(type) {
	case int64:
		if v < -1<<31 || v > 1<<31-1 {
			l.bad(path, "%d is out of range", v)
			return 0, false
		}
		return int(v), true
	case envValue:
		n, err := strconv.ParseInt(string(v), 10, 32)
		if err != nil {
			l.bad(path, "%q is not a whole number", string(v))
			return 0, false
		}
		return int(n), true
	}
	l.bad(path, "expected an integer, got %s", typeName(v))
	return 0, false
}

// float reads a number: a TOML float or integer, or a variable's decimal.
func (l *loader) float(path string, v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case int64:
		return float64(v), true
	case envValue:
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			l.bad(path, "%q is not a number such as 0.8", string(v))
			return 0, false
		}
		return f, true
	}
	l.bad(path, "expected a number, got %s", typeName(v))
	return 0, false
}

// chatID reads a Telegram chat id: a whole number that may need 64 bits.
func (l *loader) chatID(path string, v any) (int64, bool) {
	switch v := v.(type) {
	case int64:
		return v, true
	case string: // an element of a comma-separated variable
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			l.bad(path, "%q is not a chat id (a whole number such as -1001234567890)", v)
			return 0, false
		}
		return n, true
	}
	l.bad(path, "expected an integer chat id, got %s", typeName(v))
	return 0, false
}

// list returns the elements of an array, or of a comma-separated variable
// ("closed" or blank: none).
func (l *loader) list(path string, v any) ([]any, bool) {
	switch v := v.(type) {
	case []any:
		return v, true
	case envValue:
		var items []any
		if s := strings.TrimSpace(string(v)); s != "" && s != "closed" {
			for item := range strings.SplitSeq(s, ",") {
				items = append(items, strings.TrimSpace(item))
			}
		}
		return items, true
	}
	l.bad(path, "expected an array, got %s", typeName(v))
	return nil, false
}

// date parses a holiday, a "2006-01-02" string or a TOML local date.
func (l *loader) date(path string, v any) (tickets.Date, bool) {
	if d, ok := v.(toml.LocalDate); ok {
		v = d.String()
	}
	s, ok := l.str(path, v)
	if !ok {
		return tickets.Date{}, false
	}
	d, err := tickets.ParseDate(s)
	if err != nil {
		l.bad(path, "%q is not a real date in the form YYYY-MM-DD", s)
		return tickets.Date{}, false
	}
	return d, true
}

// tables returns the elements of an array of tables; false, after reporting
// them, if some are not tables.
func (l *loader) tables(path string, v any) ([]map[string]any, bool) {
	items, ok := v.([]any)
	if !ok {
		l.bad(path, "expected an array of tables ([[%s]]), got %s", path, typeName(v))
		return nil, false
	}
	out := make([]map[string]any, len(items))
	for i, item := range items {
		if out[i], ok = item.(map[string]any); !ok {
			l.bad(index(path, i), "expected a table, got %s", typeName(item))
		}
	}
	return out, !slices.ContainsFunc(out, func(m map[string]any) bool { return m == nil })
}

func (l *loader) departments(path string, v any) {
	tableList(l, path, v, &l.c.Departments, nil, departmentKeys)
}

func (l *loader) branches(path string, v any) {
	fill := func(b *tickets.Branch) { b.DeadlineDays = tickets.DefaultDeadlineDays }
	tableList(l, path, v, &l.c.Branches, fill, branchKeys)
}

// tableList decodes an array of tables into *dst, each element first given
// its defaults by fill (if not nil), then its keys.
func tableList[T any](l *loader, path string, v any, dst *[]T, fill func(*T), keys func(string, *T) []key) {
	tables, ok := l.tables(path, v)
	if !ok {
		return
	}
	l.mark(path)
	out := make([]T, len(tables))
	for i, t := range tables {
		if fill != nil {
			fill(&out[i])
		}
		l.note(index(path, i))
		l.walk(index(path, i), t, keys(index(path, i), &out[i]))
	}
	*dst = out
}

// typeName names the TOML type of a decoded value for a message.
func typeName(v any) string {
	switch v.(type) {
	case string, envValue:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	case toml.LocalDate:
		return "a date"
	case toml.LocalTime:
		return "a time"
	case toml.LocalDateTime, time.Time:
		return "a date-time"
	}
	return fmt.Sprintf("a %T", v)
}
