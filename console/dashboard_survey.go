// SPDX-License-Identifier: Apache-2.0

package console

import (
	"context"
	"fmt"
	"strings"

	"github.com/hotline-cchc/hotline/tickets"
)

// surveyDashboard is the part of a store the dashboard's satisfaction
// block reads; a store without it shows none.
type surveyDashboard interface {
	CountRatings(ctx context.Context) ([]tickets.RatingCount, error)
	FlaggedSurveys(ctx context.Context, limit int) ([]tickets.Survey, error)
}

// flaggedShown bounds the list of tickets for review on the dashboard.
const flaggedShown = 50

// satisfactionRow is one department's ratings since the start.
type satisfactionRow struct {
	Department       string
	Rated, Satisfied int
	Unsatisfied      int // 1–2, flagged for review
}

// Rate is the satisfaction rate: "87,5%", or "—" with no rating.
func (r satisfactionRow) Rate() string {
	if r.Rated == 0 {
		return "—"
	}
	return strings.Replace(fmt.Sprintf("%.1f%%", float64(r.Satisfied)*100/float64(r.Rated)), ".", ",", 1)
}

// satisfaction fills the dashboard's satisfaction block.
func (s *Server) satisfaction(ctx context.Context, v *dashboardView) error {
	sd, ok := s.cfg.Store.(surveyDashboard)
	if !ok {
		return nil
	}
	counts, err := sd.CountRatings(ctx)
	if err != nil {
		return err
	}
	index := map[string]int{}
	for _, d := range s.cfg.Menu.Departments() {
		index[d.ID] = len(v.Satisfaction)
		v.Satisfaction = append(v.Satisfaction, satisfactionRow{Department: d.ID})
	}
	for _, c := range counts {
		i, ok := index[c.Department]
		if !ok {
			index[c.Department], i = len(v.Satisfaction), len(v.Satisfaction)
			v.Satisfaction = append(v.Satisfaction, satisfactionRow{Department: c.Department})
		}
		for _, row := range []*satisfactionRow{&v.Satisfaction[i], &v.SatisfactionTotal} {
			row.Rated += c.N
			if c.Rating.Satisfied() {
				row.Satisfied += c.N
			}
			if c.Rating.Flags() {
				row.Unsatisfied += c.N
			}
		}
	}
	v.Flagged, err = sd.FlaggedSurveys(ctx, flaggedShown)
	return err
}
