// SPDX-License-Identifier: Apache-2.0

package console

import (
	"net/http"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// dashboardView is the managers' page: open work by department, and the
// report of a month to read or download.
type dashboardView struct {
	base
	Rows     []dashboardRow
	Total    dashboardRow
	Statuses []tickets.Status
	Month    string // YYYY-MM of the report links: the previous month
	Reports  bool
	Issued   []tickets.IssuedReport // newest first
	// Satisfaction is the ratings by department since the start, and
	// Flagged the latest tickets rated 1–2, for the department head's review.
	Satisfaction      []satisfactionRow
	SatisfactionTotal satisfactionRow
	Flagged           []tickets.Survey
}

// dashboardRow counts one department's tickets by status.
type dashboardRow struct {
	Department string
	Counts     []int // by tickets.Statuses
	All        int
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	if !canReport(u) {
		s.forbidden(w, u)
		return
	}
	counts, err := s.cfg.Store.CountTickets(r.Context())
	if err != nil {
		s.fail(w, r, u, err)
		return
	}
	v := dashboardView{base: base{User: u, Title: "Tổng hợp số liệu"}, Statuses: tickets.Statuses, Reports: s.cfg.Report != nil,
		Total: dashboardRow{Counts: make([]int, len(tickets.Statuses))}}
	byDept := map[string]int{}
	for _, d := range s.cfg.Menu.Departments() {
		byDept[d.ID] = len(v.Rows)
		v.Rows = append(v.Rows, dashboardRow{Department: d.ID, Counts: make([]int, len(tickets.Statuses))})
	}
	for _, c := range counts {
		i, ok := byDept[c.Department]
		if !ok {
			byDept[c.Department] = len(v.Rows)
			i = len(v.Rows)
			v.Rows = append(v.Rows, dashboardRow{Department: c.Department, Counts: make([]int, len(tickets.Statuses))})
		}
		for j, st := range tickets.Statuses {
			if st == c.Status {
				v.Rows[i].Counts[j] += c.N
				v.Total.Counts[j] += c.N
			}
		}
		v.Rows[i].All += c.N
		v.Total.All += c.N
	}
	if v.Issued, err = s.issuedReports(r.Context()); err != nil {
		s.fail(w, r, u, err)
		return
	}
	if err := s.satisfaction(r.Context(), &v); err != nil {
		s.fail(w, r, u, err)
		return
	}
	local := s.cfg.Now().In(s.cfg.Location)
	v.Month = time.Date(local.Year(), local.Month()-1, 1, 0, 0, 0, 0, s.cfg.Location).Format("2006-01")
	s.render(w, http.StatusOK, "dashboard", v)
}
