// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"log/slog"
	"runtime"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/hotline-cchc/hotline/tickets"
)

// storeCollector reads the ticket and call counts from the store at each
// scrape, so that the figures are the store's, whichever process wrote them.
type storeCollector struct {
	store   metricsStore
	log     *slog.Logger
	tickets *prometheus.Desc
	overdue *prometheus.Desc
	calls   *prometheus.Desc
	up      *prometheus.Desc
}

// metricsStore is what /metrics reads from the store.
type metricsStore interface {
	tickets.Store
	CountOverdue(ctx context.Context, now time.Time) (map[string]int, error)
}

func newStoreCollector(store metricsStore, log *slog.Logger) *storeCollector {
	return &storeCollector{
		store: store, log: log,
		tickets: prometheus.NewDesc("hotline_tickets", "Tickets by department and status.", []string{"department", "status"}, nil),
		overdue: prometheus.NewDesc("hotline_tickets_overdue", "Open tickets past their deadline, by department.", []string{"department"}, nil),
		calls:   prometheus.NewDesc("hotline_calls_total", "Phone calls by outcome.", []string{"outcome"}, nil),
		up:      prometheus.NewDesc("hotline_store_up", "Whether the last scrape could read the store.", nil, nil),
	}
}

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.tickets
	ch <- c.overdue
	ch <- c.calls
	ch <- c.up
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := c.store.CountTickets(ctx)
	var calls map[tickets.Outcome]int
	if err == nil {
		calls, err = c.store.CountCalls(ctx)
	}
	var overdue map[string]int
	if err == nil {
		overdue, err = c.store.CountOverdue(ctx, time.Now())
	}
	if err != nil {
		c.log.Error("metrics: read store", "err", err)
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
	for _, n := range counts {
		ch <- prometheus.MustNewConstMetric(c.tickets, prometheus.GaugeValue, float64(n.N), n.Department, string(n.Status))
	}
	for dept, n := range overdue {
		ch <- prometheus.MustNewConstMetric(c.overdue, prometheus.GaugeValue, float64(n), dept)
	}
	for o, n := range calls {
		ch <- prometheus.MustNewConstMetric(c.calls, prometheus.CounterValue, float64(n), string(o))
	}
}

// newRegistry returns the registry /metrics serves: the store's figures,
// build information, and the Go runtime and process collectors.
func newRegistry(store metricsStore, schema int, log *slog.Logger) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "hotline_build_info", Help: "Build information; always 1.",
		ConstLabels: prometheus.Labels{"version": Version, "goversion": runtime.Version()},
	})
	build.Set(1)
	version := prometheus.NewGauge(prometheus.GaugeOpts{Name: "hotline_store_schema_version", Help: "Schema version of the store."})
	version.Set(float64(schema))
	reg.MustRegister(build, version, newStoreCollector(store, log),
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}
