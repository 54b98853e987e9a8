// SPDX-License-Identifier: Apache-2.0

package reports

import (
	"fmt"
	"strings"
)

// Charts are inline SVG drawn by the HTML template from these shapes, so
// that the file opens offline with no script.

// hbarChart is a horizontal bar chart, each bar stacked from segments.
type hbarChart struct {
	Title         string
	Width, Height int
	LabelWidth    int
	Series        []legend
	Rows          []hbarRow
}

type legend struct {
	Name, Class string
	X           int
}

type hbarRow struct {
	Label  string
	Y      int // top of the bar
	TextY  int
	Segs   []rect
	Total  string
	TotalX int
}

type rect struct {
	X, Y, W, H int
	Class      string
	Title      string
}

const (
	hbarRowHeight = 24
	hbarArea      = 420
	hbarLabel     = 330
)

// newHBar draws rows of values, one value per series, stacked.
func newHBar(title string, series []legend, labels []string, values [][]int) hbarChart {
	c := hbarChart{Title: title, LabelWidth: hbarLabel, Series: series, Width: hbarLabel + hbarArea + 70}
	maxTotal := 1
	for _, vs := range values {
		maxTotal = max(maxTotal, sum(vs))
	}
	top := 30
	for i, l := range labels {
		y := top + i*hbarRowHeight
		row := hbarRow{Label: l, Y: y, TextY: y + 15, Total: itoa(sum(values[i]))}
		x := hbarLabel
		for s, v := range values[i] {
			w := v * hbarArea / maxTotal
			if w > 0 {
				row.Segs = append(row.Segs, rect{X: x, Y: y + 3, W: w, H: hbarRowHeight - 6, Class: series[s].Class,
					Title: fmt.Sprintf("%s – %s: %d", l, series[s].Name, v)})
			}
			x += w
		}
		row.TotalX = x + 6
		c.Rows = append(c.Rows, row)
	}
	for i := range c.Series {
		c.Series[i].X = hbarLabel + i*150
	}
	c.Height = top + len(labels)*hbarRowHeight + 10
	return c
}

func sum(vs []int) int {
	n := 0
	for _, v := range vs {
		n += v
	}
	return n
}

// dayChart is the daily volume: a bar per day for calls, a line for tickets.
type dayChart struct {
	Width, Height int
	Bars          []rect
	Line          string // polyline points
	Dots          []rect // X, Y of each point; Title
	Ticks         []tick
	Axis          int // y of the x axis
	MaxLabel      string
	Series        []legend
}

type tick struct {
	X, Y  int
	Label string
}

func newDayChart(days []DayRow) dayChart {
	const step, left, plot, top = 22, 40, 200, 30
	c := dayChart{Width: left + len(days)*step + 20, Height: top + plot + 40, Axis: top + plot,
		Series: []legend{{Name: "Cuộc gọi", Class: "calls", X: left}, {Name: "Phiếu tiếp nhận", Class: "tickets", X: left + 150}}}
	c.Width = max(c.Width, 420)
	peak := 1
	for _, d := range days {
		peak = max(peak, d.Calls, d.Tickets)
	}
	c.MaxLabel = itoa(peak)
	var pts []string
	for i, d := range days {
		x := left + i*step
		h := d.Calls * plot / peak
		label := dmy(d.Day)
		c.Bars = append(c.Bars, rect{X: x + 3, Y: c.Axis - h, W: step - 6, H: h, Class: "calls",
			Title: fmt.Sprintf("%s: %d cuộc gọi", label, d.Calls)})
		ty := c.Axis - d.Tickets*plot/peak
		pts = append(pts, fmt.Sprintf("%d,%d", x+step/2, ty))
		c.Dots = append(c.Dots, rect{X: x + step/2, Y: ty, Title: fmt.Sprintf("%s: %d phiếu", label, d.Tickets)})
		if i%7 == 0 || i == len(days)-1 {
			c.Ticks = append(c.Ticks, tick{X: x + step/2, Y: c.Axis + 16, Label: fmt.Sprintf("%02d/%02d", d.Day.Day, d.Day.Month)})
		}
	}
	c.Line = strings.Join(pts, " ")
	return c
}

func (r *Report) branchChart() hbarChart {
	var labels []string
	var values [][]int
	for _, b := range r.Calls.Branches {
		labels = append(labels, fmt.Sprintf("%d. %s", b.Key, b.Name))
		values = append(values, []int{b.N})
	}
	labels = append(labels, "Không chọn nhánh")
	values = append(values, []int{r.Calls.NoBranch})
	return newHBar("Cuộc gọi theo nhánh", []legend{{Name: "Cuộc gọi", Class: "calls"}}, labels, values)
}

func (r *Report) departmentChart() hbarChart {
	var labels []string
	var values [][]int
	for _, d := range r.Departments {
		labels = append(labels, d.Name)
		values = append(values, []int{d.OnTime, d.Overdue})
	}
	return newHBar("Phiếu theo cơ quan đầu mối: đúng hạn và quá hạn",
		[]legend{{Name: "Giải quyết đúng hạn", Class: "ontime"}, {Name: "Quá hạn", Class: "overdue"}}, labels, values)
}
