// SPDX-License-Identifier: Apache-2.0

package chatbot

import (
	"sync"
	"sync/atomic"
)

// OutboxStats counts what the outbox did since start, for /metrics. Its
// methods are safe for concurrent use.
type OutboxStats struct {
	sent, failed, expired, uncertain atomic.Int64

	mu      sync.Mutex
	retries map[string]int64
}

// OutboxCounts is a snapshot of OutboxStats.
type OutboxCounts struct {
	Sent, Failed, Expired int64
	// Uncertain counts messages found sending at start and sent again.
	Uncertain int64
	// Retries counts failed attempts by error class (tickets' Class… names).
	Retries map[string]int64
}

// Counts returns the counts so far.
func (s *OutboxStats) Counts() OutboxCounts {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := OutboxCounts{Sent: s.sent.Load(), Failed: s.failed.Load(), Expired: s.expired.Load(),
		Uncertain: s.uncertain.Load(), Retries: map[string]int64{}}
	for k, v := range s.retries {
		c.Retries[k] = v
	}
	return c
}

func (s *OutboxStats) retry(class string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.retries == nil {
		s.retries = map[string]int64{}
	}
	s.retries[class]++
}
