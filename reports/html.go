// SPDX-License-Identifier: Apache-2.0

package reports

import (
	_ "embed"
	"html"
	"html/template"
	"io"
	"strings"
)

//go:embed report.html.tmpl
var htmlTemplate string

var reportHTML = template.Must(template.New("report").Parse(htmlTemplate))

// htmlPage is what the template shows.
type htmlPage struct {
	Title        string
	Heading      []string
	Summary      string
	Branches     hbarChart
	Departments  hbarChart
	Satisfaction hbarChart
	Days         dayChart
	Tables       []htmlTable
}

// htmlTable is a table whose rows are escaped beforehand: executing the
// template cell by cell is too slow for tens of thousands of rows.
type htmlTable struct {
	Title  string
	Header []string
	Rows   template.HTML // <tr> elements
	Empty  bool
}

func newHTMLTable(t Table) htmlTable {
	var b strings.Builder
	for _, row := range t.Rows {
		b.WriteString("<tr>")
		for i, c := range row {
			if t.Numeric[i] {
				b.WriteString(`<td class="n">`)
			} else {
				b.WriteString("<td>")
			}
			b.WriteString(html.EscapeString(c))
			b.WriteString("</td>")
		}
		b.WriteString("</tr>\n")
	}
	return htmlTable{Title: t.Title, Header: t.Header, Rows: template.HTML(b.String()), Empty: len(t.Rows) == 0}
}

// WriteHTML writes the report as one HTML page with inline SVG charts (calls
// per branch, tickets per department on time and overdue, daily volume) and
// every table. It needs no network and no script to open.
func (r *Report) WriteHTML(w io.Writer) error {
	page := htmlPage{
		Title: Title, Heading: r.Heading(), Summary: r.Summary,
		Branches: r.branchChart(), Departments: r.departmentChart(), Satisfaction: r.satisfactionChart(), Days: newDayChart(r.Days),
	}
	for _, t := range r.Tables() {
		page.Tables = append(page.Tables, newHTMLTable(t))
	}
	return reportHTML.Execute(w, page)
}
