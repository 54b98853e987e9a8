// SPDX-License-Identifier: Apache-2.0

package console

import (
	"context"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// Delivery problems: an answer or a resolution the outbox could not bring to
// the citizen (failed, expired), so staff must contact them another way, or
// one sent again after a crash that may have arrived twice (uncertain). The
// ticket's page and the API show both; the queue shows the undelivered ones,
// which need someone to act.

// deliveryProblem returns the delivery problem of the ticket code; nil if
// it has none.
func (s *Server) deliveryProblem(ctx context.Context, code tickets.Code) (*tickets.DeliveryProblem, error) {
	ps, err := s.cfg.Store.DeliveryProblems(ctx, code)
	if err != nil {
		return nil, err
	}
	if p, ok := ps[code]; ok {
		return &p, nil
	}
	return nil, nil
}

// deliveryProblems returns the delivery problems of ts, by code.
func (s *Server) deliveryProblems(ctx context.Context, ts []*tickets.Ticket) (map[tickets.Code]tickets.DeliveryProblem, error) {
	if len(ts) == 0 {
		return nil, nil // no codes would mean every ticket's
	}
	codes := make([]tickets.Code, len(ts))
	for i, t := range ts {
		codes[i] = t.Code
	}
	return s.cfg.Store.DeliveryProblems(ctx, codes...)
}

// apiDelivery is a delivery problem in the API.
type apiDelivery struct {
	// State is "failed" or "expired" (the message did not arrive), or
	// "sent" with Uncertain (it may have arrived twice).
	State     tickets.DeliveryState `json:"state"`
	Kind      tickets.NoticeKind    `json:"kind"`
	Class     string                `json:"class,omitempty"`
	Uncertain bool                  `json:"uncertain,omitempty"`
	Title     string                `json:"title"`
	Reason    string                `json:"reason"`
	At        time.Time             `json:"at"`
}

// toAPIDelivery returns p for the API, its time in loc; nil if p is nil.
func toAPIDelivery(p *tickets.DeliveryProblem, loc *time.Location) *apiDelivery {
	if p == nil {
		return nil
	}
	return &apiDelivery{State: p.State, Kind: p.Kind, Class: p.Class, Uncertain: p.Uncertain,
		Title: p.Title(), Reason: p.Reason(), At: p.At.In(loc)}
}
