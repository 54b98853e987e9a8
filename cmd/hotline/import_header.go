// SPDX-License-Identifier: Apache-2.0

package main

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// registerColumns holds each field's column (from 0), -1 if it has none.
type registerColumns [fieldCount]int

// headerRowsLooked bounds how far down a sheet the header is looked for,
// below a title and notes.
const headerRowsLooked = 15

// registerLayout is where a register's header is and what it maps.
type registerLayout struct {
	cols    registerColumns
	data    int      // index of the first row after the header
	ignored []string // headers of columns import does not read
}

// findHeader finds the header: the row, or two rows read together (a
// header whose cells are merged over two rows, such as "Ngày" above
// "tiếp nhận" and "giải quyết"), among the first rows that names the most
// fields. It returns an error naming the fields missing, or a field named
// by two columns.
func findHeader(rows []registerRow) (registerLayout, error) {
	var best registerLayout
	bestScore, bestErr, bestLine := -1, error(nil), 0
	// One row first: two rows must name more fields to be taken instead.
	for span := 1; span <= 2; span++ {
		for i := 0; i+span <= len(rows) && i < headerRowsLooked; i++ {
			l, score, err := mapHeader(headerCells(rows[i : i+span]))
			if score > bestScore {
				l.data = i + span
				best, bestScore, bestErr, bestLine = l, score, err, rows[i].line
			}
		}
	}
	if bestErr != nil {
		return best, fmt.Errorf("line %d: %w", bestLine, bestErr)
	}
	var missing []string
	for _, f := range requiredFields {
		if best.cols[f] < 0 {
			missing = append(missing, fieldNames[f])
		}
	}
	if len(missing) > 0 {
		return best, fmt.Errorf("no header row names the columns %s (looked at the first %d rows); name them so, in Vietnamese or English",
			strings.Join(missing, ", "), headerRowsLooked)
	}
	return best, nil
}

// headerCells joins the cells of header rows column by column, leaving out
// a repeat (a cell merged down over both rows).
func headerCells(rows []registerRow) []string {
	n := 0
	for _, r := range rows {
		n = max(n, len(r.cells))
	}
	out := make([]string, n)
	for c := range n {
		var parts []string
		for _, r := range rows {
			if v := strings.TrimSpace(r.cell(c)); v != "" && (len(parts) == 0 || parts[len(parts)-1] != v) {
				parts = append(parts, v)
			}
		}
		out[c] = strings.Join(parts, " ")
	}
	return out
}

// mapHeader maps header cells to fields; score counts the fields found.
func mapHeader(cells []string) (l registerLayout, score int, err error) {
	for i := range l.cols {
		l.cols[i] = -1
	}
	for c, h := range cells {
		f, ok := headerAliases[normHeader(h)]
		switch {
		case ok && c > 0 && l.cols[f] >= 0 && cells[c-1] == h:
			// A header cell merged over several columns: the first is read.
		case !ok:
			if strings.TrimSpace(h) != "" {
				l.ignored = append(l.ignored, strings.TrimSpace(h))
			}
		case l.cols[f] >= 0:
			err = fmt.Errorf("two columns are %s: %q and %q; rename one", fieldNames[f], cells[l.cols[f]], h)
		default:
			l.cols[f] = c
			score++
		}
	}
	return l, score, err
}

// columnNumbers matches a row under the header that only numbers the
// columns: "1", "(2)", "3".
var columnNumbers = regexp.MustCompile(`^\(?\d{1,2}\)?$`)

// numbersRow reports whether r only numbers the columns.
func numbersRow(r registerRow) bool {
	seen := 0
	for _, c := range r.cells {
		if c = strings.TrimSpace(c); c != "" {
			if !columnNumbers.MatchString(c) {
				return false
			}
			seen++
		}
	}
	return seen > 1
}

// registerReader turns rows into past tickets.
type registerReader struct {
	cols    registerColumns
	names   *menuNames
	loc     *time.Location
	channel tickets.Channel // for rows that name none
	// date1904 says the workbook counts dates in the 1904 system.
	date1904 bool
}

// pastTicket reads one row; the error lists every problem of the row.
func (rr *registerReader) pastTicket(r registerRow) (tickets.PastTicket, error) {
	var errs []string
	check := func(err error) {
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	get := func(f registerField) string { return strings.TrimSpace(r.cell(rr.cols[f])) }
	var p tickets.PastTicket
	var err error
	p.ReceivedAt, err = parseDate("ngày tiếp nhận", get(fieldReceived), rr.loc, rr.date1904)
	check(err)
	if err == nil && p.ReceivedAt.IsZero() {
		check(fmt.Errorf("ngày tiếp nhận is empty"))
	}
	p.ResolvedAt, err = parseDate("ngày giải quyết", get(fieldResolved), rr.loc, rr.date1904)
	check(err)
	if l := p.ResolvedAt.In(rr.loc); l.Before(p.ReceivedAt) && tickets.DateOf(l) == tickets.DateOf(p.ReceivedAt.In(rr.loc)) &&
		l.Hour()+l.Minute()+l.Second() == 0 {
		p.ResolvedAt = p.ReceivedAt // resolved the day it came, no time given
	}
	p.Branch, err = rr.names.branch(get(fieldBranch))
	check(err)
	p.Department, err = rr.names.department(get(fieldDepartment))
	check(err)
	p.Status, err = parseStatus(get(fieldStatus))
	check(err)
	p.Channel, err = parseChannel(get(fieldChannel), rr.channel)
	check(err)
	p.Text, p.Contact = get(fieldText), parsePhone(get(fieldPhone))
	if p.Text == "" {
		check(fmt.Errorf("nội dung is empty"))
	}
	if len(errs) > 0 {
		return p, fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return p, nil
}
