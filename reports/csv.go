// SPDX-License-Identifier: Apache-2.0

package reports

import (
	"encoding/csv"
	"io"
)

// bom makes Excel read the file as UTF-8, so that Vietnamese shows right.
const bom = "\uFEFF"

// WriteCSV writes the report as one CSV file in UTF-8 with a byte order
// mark: the title and heading, the summary, then each table as a title row,
// a header row and its rows, with an empty row between tables.
func (r *Report) WriteCSV(w io.Writer) error {
	if _, err := io.WriteString(w, bom); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // as Excel writes it
	cw.Write([]string{Title})
	for _, l := range r.Heading() {
		cw.Write([]string{l})
	}
	cw.Write(nil)
	cw.Write([]string{"Nhận xét"})
	cw.Write([]string{r.Summary})
	for _, t := range r.Tables() {
		cw.Write(nil)
		cw.Write([]string{t.Title})
		cw.Write(t.Header)
		cw.WriteAll(t.Rows)
	}
	cw.Flush()
	return cw.Error()
}
