// SPDX-License-Identifier: Apache-2.0

package config

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// keyLines maps each key path of a TOML document to the line it first appears
// on. Paths are dotted, with array elements indexed from 0: "ari.url",
// "branches[2].department", "holidays[3]". The document must be valid TOML
// (the decoder has accepted it); keyLines stops at the first syntax error.
func keyLines(data []byte) map[string]int {
	w := &lineWalker{lines: map[string]int{}, arrays: map[string]int{}}
	for i, b := range data {
		if b == '\n' {
			w.newlines = append(w.newlines, i)
		}
	}
	w.p.Reset(data)
	for w.p.NextExpression() {
		n := w.p.Expression()
		switch n.Kind {
		case unstable.Table:
			w.table = w.header(n, false)
		case unstable.ArrayTable:
			w.table = w.header(n, true)
		case unstable.KeyValue:
			w.keyValue(w.table, n)
		}
	}
	return w.lines
}

type lineWalker struct {
	p      unstable.Parser
	lines  map[string]int
	arrays map[string]int // path of an array of tables → elements seen so far
	table  string         // path of the current [table] or [[array]] element

	newlines []int // offsets of the document's '\n's
}

// header walks [a.b] or [[a.b]] and returns the path of the table it opens.
// A part naming an array of tables stands for its last element.
func (w *lineWalker) header(n *unstable.Node, array bool) string {
	path, line := "", 0
	for it := n.Key(); it.Next(); {
		k := it.Node()
		line = w.line(k, line)
		path = join(path, string(k.Data))
		if c, ok := w.arrays[path]; ok && !(array && it.IsLast()) {
			path = index(path, c-1)
		}
		w.note(path, line)
	}
	if array {
		c := w.arrays[path]
		w.arrays[path] = c + 1
		path = index(path, c)
		w.note(path, line)
	}
	return path
}

// keyValue walks a (possibly dotted) key = value inside the table at prefix.
func (w *lineWalker) keyValue(prefix string, n *unstable.Node) {
	path, line := prefix, 0
	for it := n.Key(); it.Next(); {
		k := it.Node()
		line = w.line(k, line)
		path = join(path, string(k.Data))
		w.note(path, line)
	}
	w.value(path, n.Value(), line)
}

// value walks the elements of arrays and the keys of inline tables.
func (w *lineWalker) value(path string, v *unstable.Node, line int) {
	switch v.Kind {
	case unstable.Array:
		i := 0
		for it := v.Children(); it.Next(); {
			c := it.Node()
			if c.Kind == unstable.Comment {
				continue
			}
			p, l := index(path, i), w.line(c, line)
			w.note(p, l)
			w.value(p, c, l)
			i++
		}
	case unstable.InlineTable:
		for it := v.Children(); it.Next(); {
			if c := it.Node(); c.Kind == unstable.KeyValue {
				w.keyValue(path, c)
			}
		}
	}
}

// line returns the line n starts on, or def if n carries no position.
func (w *lineWalker) line(n *unstable.Node, def int) int {
	if n.Raw.Length == 0 {
		return def
	}
	return sort.SearchInts(w.newlines, int(n.Raw.Offset)) + 1
}

func (w *lineWalker) note(path string, line int) {
	if _, ok := w.lines[path]; !ok {
		w.lines[path] = line
	}
}

// join appends a key to a dotted path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// index returns the path of element i of the array at path.
func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

// parent returns the path enclosing path: "a.b[2].c" → "a.b[2]" → "a.b" → "a" → "".
func parent(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}

// leaf returns the last key of path: "branches[2].name" → "name".
func leaf(path string) string { return path[strings.LastIndexByte(path, '.')+1:] }

// lineOf returns the line of path in lines, or of the nearest enclosing key.
func lineOf(lines map[string]int, path string) int {
	for p := path; p != ""; p = parent(p) {
		if l, ok := lines[p]; ok {
			return l
		}
	}
	return 0
}
