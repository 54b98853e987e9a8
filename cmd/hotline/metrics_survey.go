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

// surveyStore is what the survey's metrics read.
type surveyStore interface {
	CountRatings(ctx context.Context) ([]tickets.RatingCount, error)
	CountCallbacks(ctx context.Context) ([]tickets.CallbackCount, error)
}

// surveyCollector reads the satisfaction ratings and the call-back attempts
// from the store at each scrape: hotline_survey_ratings_total{department,
// rating} and hotline_callback_attempts_total{outcome}.
type surveyCollector struct {
	store     surveyStore
	log       *slog.Logger
	ratings   *prometheus.Desc
	callbacks *prometheus.Desc
}

func newSurveyCollector(store surveyStore, log *slog.Logger) *surveyCollector {
	return &surveyCollector{store: store, log: log,
		ratings: prometheus.NewDesc("hotline_survey_ratings_total",
			"Satisfaction ratings by the ticket's department and level (1 Rất không hài lòng … 5 Rất hài lòng).",
			[]string{"department", "rating"}, nil),
		callbacks: prometheus.NewDesc("hotline_callback_attempts_total",
			"Phone call-back attempts by outcome (answered, no_answer, busy, rejected, failed, interrupted, calling).",
			[]string{"outcome"}, nil)}
}

func (c *surveyCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.ratings
	ch <- c.callbacks
}

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
	calls, err := c.store.CountCallbacks(ctx)
	if err != nil {
		c.log.Error("metrics: read call-backs", "err", err)
		return
	}
	for _, n := range calls {
		ch <- prometheus.MustNewConstMetric(c.callbacks, prometheus.CounterValue, float64(n.N), string(n.Outcome))
	}
}
