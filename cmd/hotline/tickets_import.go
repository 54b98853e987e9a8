// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"

	"github.com/hotline-cchc/hotline/tickets"
)

// importLine is one ticket to import, a JSON object on a line of its own.
type importLine struct {
	Branch    int    `json:"branch"`
	Channel   string `json:"channel"`
	Text      string `json:"text"`
	Phone     string `json:"phone"`
	Anonymous bool   `json:"anonymous"`
}

// importResult answers one input line, in the order tickets are committed:
// a code is printed only after its ticket is on disk.
type importResult struct {
	Line  int    `json:"line"`
	Code  string `json:"code,omitempty"`
	Error string `json:"error,omitempty"`
	// Skipped says why a line that holds no ticket (a blank one) was
	// passed over; it is not a failure.
	Skipped string `json:"skipped,omitempty"`
}

// maxImportLine bounds one input line: a ticket's text and some JSON.
const maxImportLine = 256 << 10

// ticketImport reads tickets as JSON lines from standard input and creates
// them with o.workers at a time, printing one result per line as each
// commits (a blank line gets one saying it was skipped). A bad line is reported and skipped; the run fails at the end if
// any line failed.
func (m *Main) ticketImport(ctx context.Context, a *app, o *ticketOpts) error {
	if o.file != "" {
		return m.importRegister(ctx, a, o)
	}
	if set := registerFlags(o); len(set) > 0 {
		return usagef("%s are for a register: hotline tickets import FILE.csv|FILE.xlsx %s", strings.Join(set, ", "), strings.Join(set, " "))
	}
	if o.workers < 1 || o.workers > 64 {
		return usagef("--workers must be between 1 and 64")
	}
	type item struct {
		n    int
		text []byte
	}
	in := make(chan item)
	var mu sync.Mutex
	failed := 0
	enc := json.NewEncoder(m.Stdout)
	emit := func(r importResult) {
		mu.Lock()
		defer mu.Unlock()
		if r.Error != "" {
			failed++
		}
		enc.Encode(r)
	}
	var wg sync.WaitGroup
	for range o.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range in {
				emit(m.importOne(ctx, a, o.actor, it.n, it.text))
			}
		}()
	}
	sc := bufio.NewScanner(m.Stdin)
	sc.Buffer(make([]byte, 64<<10), maxImportLine)
	for n := 1; sc.Scan() && ctx.Err() == nil; n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			emit(importResult{Line: n, Skipped: "empty line"})
			continue
		}
		in <- item{n, append([]byte(nil), sc.Bytes()...)}
	}
	close(in)
	wg.Wait()
	if err := sc.Err(); err != nil {
		return err
	}
	if failed > 0 {
		return tickets.Errorf(tickets.EINVALID, "%d lines were not imported", failed)
	}
	return ctx.Err()
}

func (m *Main) importOne(ctx context.Context, a *app, actor string, n int, text []byte) importResult {
	var l importLine
	if err := json.Unmarshal(text, &l); err != nil {
		return importResult{Line: n, Error: "not a JSON object: " + err.Error()}
	}
	if l.Channel == "" {
		l.Channel = string(tickets.ChannelOperator)
	}
	t, err := a.svc.Open(ctx, tickets.NewTicket{Branch: l.Branch, Channel: tickets.Channel(l.Channel),
		Text: l.Text, Contact: l.Phone, Anonymous: l.Anonymous, Actor: actor})
	if err != nil {
		return importResult{Line: n, Error: userMessage(err)}
	}
	return importResult{Line: n, Code: t.Code.String()}
}
