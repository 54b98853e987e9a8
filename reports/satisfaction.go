// SPDX-License-Identifier: Apache-2.0

package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/hotline-cchc/hotline/tickets"
)

// DefaultTarget is the satisfaction rate the province aims at (seed 004:
// above 80 %), when Builder.Target is 0.
const DefaultTarget = 0.8

// Satisfaction is what citizens said of the resolutions in the period: the
// surveys rated in it, against the target.
type Satisfaction struct {
	Target      float64 // 0–1
	Total       SatisfactionRow
	Departments []SatisfactionRow // every department of the menu, then others rated
	Branches    []SatisfactionRow // every branch of the menu, then others rated
}

// SatisfactionRow counts the ratings of one department or branch.
type SatisfactionRow struct {
	Name   string
	Levels [5]int // by rating: Levels[0] is 1 Rất không hài lòng … Levels[4] is 5 Rất hài lòng
	// Resolved is the tickets of the department or branch resolved in the
	// period, for the response rate.
	Resolved int
}

// Rated is the number of ratings.
func (s SatisfactionRow) Rated() int { return sum(s.Levels[:]) }

// Satisfied is the number of ratings of 4 or 5.
func (s SatisfactionRow) Satisfied() int { return s.Levels[3] + s.Levels[4] }

func (b *Builder) satisfaction(s *tickets.PeriodStats, ds []DepartmentRow) Satisfaction {
	sat := Satisfaction{Target: b.Target}
	if sat.Target == 0 {
		sat.Target = DefaultTarget
	}
	byDept, byBranch := map[string]*[5]int{}, map[int]*[5]int{}
	for _, c := range s.Ratings {
		if c.Rating < 1 || c.Rating > 5 {
			continue
		}
		level := func(m *[5]int) { m[c.Rating-1] += c.N }
		level(get(byDept, c.Department))
		level(get(byBranch, c.Branch))
		sat.Total.Levels[c.Rating-1] += c.N
	}
	seen := map[string]bool{}
	for _, d := range ds {
		seen[d.ID] = true
		sat.Total.Resolved += d.Resolved
		sat.Departments = append(sat.Departments, SatisfactionRow{Name: d.Name, Levels: *get(byDept, d.ID), Resolved: d.Resolved})
	}
	for id, l := range byDept { // departments since removed from the menu, with no resolution row
		if !seen[id] {
			sat.Departments = append(sat.Departments, SatisfactionRow{Name: id, Levels: *l})
		}
	}
	resolved := map[int]int{}
	for _, c := range s.BranchResolved {
		resolved[c.Branch] = c.N
		get(byBranch, c.Branch)
	}
	for _, br := range b.Menu.Branches() {
		sat.Branches = append(sat.Branches, SatisfactionRow{Name: fmt.Sprintf("%d. %s", br.Key, br.Name), Levels: *get(byBranch, br.Key), Resolved: resolved[br.Key]})
		delete(byBranch, br.Key)
	}
	for key, l := range byBranch {
		sat.Branches = append(sat.Branches, SatisfactionRow{Name: fmt.Sprintf("Nhánh %d (không còn trong menu)", key), Levels: *l, Resolved: resolved[key]})
	}
	return sat
}

// get returns m[k], adding a zero value if it is missing.
func get[K comparable](m map[K]*[5]int, k K) *[5]int {
	if m[k] == nil {
		m[k] = &[5]int{}
	}
	return m[k]
}

// satisfactionSentence says how satisfied citizens were against the
// target; "" if nothing was resolved or rated.
func satisfactionSentence(s Satisfaction) string {
	t := s.Total
	if t.Rated() == 0 && t.Resolved == 0 {
		return ""
	}
	if t.Rated() == 0 {
		return "Chưa có người dân nào đánh giá mức độ hài lòng trong kỳ."
	}
	reached := "chưa đạt"
	if float64(t.Satisfied()) >= s.Target*float64(t.Rated()) {
		reached = "đạt"
	}
	out := fmt.Sprintf("Có %s lượt người dân đánh giá kết quả giải quyết", num(t.Rated()))
	if t.Resolved > 0 {
		out += fmt.Sprintf(" (tỷ lệ phản hồi %s số phiếu đã giải quyết)", percent(t.Rated(), t.Resolved))
	}
	out += fmt.Sprintf("; tỷ lệ hài lòng (hài lòng và rất hài lòng) là %s, %s mục tiêu %s", percent(t.Satisfied(), t.Rated()), reached, targetText(s.Target))
	if bad := t.Levels[0] + t.Levels[1]; bad > 0 {
		out += fmt.Sprintf("; %s lượt không hài lòng được chuyển lãnh đạo cơ quan xem xét", num(bad))
	}
	return out + "."
}

// targetText writes the target as a percentage: "80%", "82,5%".
func targetText(t float64) string {
	v := math.Round(t*1000) / 10
	return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1) + "%"
}

func (r *Report) satisfactionTables() []Table {
	levels := []string{"Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng", "Rất không hài lòng"}
	table := func(name, title, first string, rows []SatisfactionRow) Table {
		t := Table{Name: name, Title: title, Header: append(append([]string{first, "Lượt đánh giá"}, levels...), "Tỷ lệ hài lòng", "Tỷ lệ phản hồi"),
			Numeric: numeric(false, true, true, true, true, true, true, true, true)}
		for _, s := range append(rows, SatisfactionRow{Name: "Tổng cộng", Levels: r.Satisfaction.Total.Levels, Resolved: r.Satisfaction.Total.Resolved}) {
			row := []string{s.Name, itoa(s.Rated())}
			for i := 4; i >= 0; i-- {
				row = append(row, itoa(s.Levels[i]))
			}
			row = append(row, percent(s.Satisfied(), s.Rated()), percent(s.Rated(), s.Resolved))
			t.Rows = append(t.Rows, row)
		}
		return t
	}
	target := " (mục tiêu " + targetText(r.Satisfaction.Target) + " hài lòng)"
	return []Table{
		table("Hài lòng theo cơ quan", "Mức độ hài lòng của người dân theo cơ quan đầu mối"+target, "Cơ quan đầu mối", r.Satisfaction.Departments),
		table("Hài lòng theo nhánh", "Mức độ hài lòng của người dân theo nhánh"+target, "Nhánh", r.Satisfaction.Branches),
	}
}

// satisfactionChart stacks each department's ratings, best first.
func (r *Report) satisfactionChart() hbarChart {
	var labels []string
	var values [][]int
	for _, d := range r.Satisfaction.Departments {
		labels = append(labels, d.Name)
		values = append(values, []int{d.Levels[4], d.Levels[3], d.Levels[2], d.Levels[1], d.Levels[0]})
	}
	series := []legend{{Name: "Rất hài lòng", Class: "r5"}, {Name: "Hài lòng", Class: "r4"}, {Name: "Bình thường", Class: "r3"},
		{Name: "Không hài lòng", Class: "r2"}, {Name: "Rất không hài lòng", Class: "r1"}}
	c := newHBar("Mức độ hài lòng của người dân theo cơ quan đầu mối (mục tiêu "+targetText(r.Satisfaction.Target)+")", series, labels, values)
	for i := range c.Series {
		c.Series[i].X = hbarLabel - 200 + i*130
	}
	return c
}
