// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hotline-cchc/hotline/tickets"
)

// surveyCollector reads the satisfaction ratings from the store at each
// scrape: hotline_survey_ratings_total{department, rating}.
type surveyCollector struct {
	store interface {
		CountRatings(ctx context.Context) ([]tickets.RatingCount, error)
	}
	log     *slog.Logger
	ratings *prometheus.Desc
}

func newSurveyCollector(store interface {
	CountRatings(ctx context.Context) ([]tickets.RatingCount, error)
}, log *slog.Logger) *surveyCollector {
	return &surveyCollector{store: store, log: log,
		ratings: prometheus.NewDesc("hotline_survey_ratings_total",
			"Satisfaction ratings by the ticket's department and level (1 Rất không hài lòng … 5 Rất hài lòng).",
			[]string{"department", "rating"}, nil)}
}

func (c *surveyCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.ratings }

func (c *surveyCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := c.store.CountRatings(ctx)
	if err != nil {
		c.log.Error("metrics: read ratings", "err", err)
		return
	}
	for _, n := range counts {
		ch <- prometheus.MustNewConstMetric(c.ratings, prometheus.CounterValue, float64(n.N), n.Department, strconv.Itoa(int(n.Rating)))
	}
}
