// SPDX-License-Identifier: Apache-2.0

package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// progressBar draws "label  1234/100000 [####      ]  12 %" on one line of
// a terminal, redrawn at each whole percent; it draws nothing elsewhere, so
// that a log or a pipe gets no control characters.
type progressBar struct {
	w     io.Writer
	label string
	total int
	pct   int
}

// progress returns a bar on standard error if it is a terminal, else nil
// (a nil bar draws nothing).
func (m *Main) progress(label string, total int) *progressBar {
	f, ok := m.Stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || total == 0 {
		return nil
	}
	p := &progressBar{w: f, label: label, total: total, pct: -1}
	p.set(0)
	return p
}

// set shows done of total.
func (p *progressBar) set(done int) {
	if p == nil {
		return
	}
	pct := done * 100 / p.total
	if pct == p.pct {
		return
	}
	p.pct = pct
	const width = 30
	fmt.Fprintf(p.w, "\r%-9s %*d/%d [%-*s] %3d %%", p.label, len(fmt.Sprint(p.total)), done, p.total,
		width, strings.Repeat("#", pct*width/100), pct)
}

// finish ends the bar's line.
func (p *progressBar) finish() {
	if p != nil {
		p.set(p.total)
		fmt.Fprintln(p.w)
	}
}
