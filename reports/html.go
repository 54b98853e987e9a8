// SPDX-License-Identifier: Apache-2.0

package reports

import (
	_ "embed"
	"html/template"
	"io"
)

//go:embed report.html.tmpl
var htmlTemplate string

var reportHTML = template.Must(template.New("report").Parse(htmlTemplate))

// htmlPage is what the template shows.
type htmlPage struct {
	Title       string
	Heading     []string
	Summary     string
	Branches    hbarChart
	Departments hbarChart
	Days        dayChart
	Tables      []Table
}

// WriteHTML writes the report as one HTML page with inline SVG charts (calls
// per branch, tickets per department on time and overdue, daily volume) and
// every table. It needs no network and no script to open.
func (r *Report) WriteHTML(w io.Writer) error {
	return reportHTML.Execute(w, htmlPage{
		Title: Title, Heading: r.Heading(), Summary: r.Summary,
		Branches: r.branchChart(), Departments: r.departmentChart(), Days: newDayChart(r.Days),
		Tables: r.Tables(),
	})
}
