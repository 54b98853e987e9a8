// SPDX-License-Identifier: Apache-2.0

package tickets

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// QueueFilter selects a work queue: the open tickets, overdue ones first
// (most overdue first), then new and assigned ones, then those in progress,
// each group by deadline.
type QueueFilter struct {
	Department string // "" for every department
	NewOnly    bool   // only tickets nobody has taken yet (the operators' view)
	Now        time.Time
	After      QueueCursor // where the previous page ended; zero for the first
	Limit      int         // page size; 0 means DefaultPageSize, at most MaxPageSize
}

// Queue groups, in the order the queue shows them.
const (
	QueueOverdue = iota
	QueueNew
	QueueInProgress
)

// QueueCursor is the position of the last ticket of a queue page.
type QueueCursor struct {
	Group    int // QueueOverdue, QueueNew or QueueInProgress
	Deadline time.Time
	ID       int64
}

// IsZero reports whether c is the start of the queue.
func (c QueueCursor) IsZero() bool { return c.ID == 0 }

// String encodes c for a URL: "group.unixmilli.id", or "" for the start.
func (c QueueCursor) String() string {
	if c.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d.%d.%d", c.Group, c.Deadline.UnixMilli(), c.ID)
}

// ParseQueueCursor decodes a String; "" is the start. EINVALID otherwise.
func ParseQueueCursor(s string) (QueueCursor, error) {
	if s == "" {
		return QueueCursor{}, nil
	}
	parts := strings.Split(s, ".")
	bad := Errorf(EINVALID, "bad page cursor")
	if len(parts) != 3 {
		return QueueCursor{}, bad
	}
	g, err1 := strconv.Atoi(parts[0])
	ms, err2 := strconv.ParseInt(parts[1], 10, 64)
	id, err3 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || g < QueueOverdue || g > QueueInProgress || id <= 0 {
		return QueueCursor{}, bad
	}
	return QueueCursor{Group: g, Deadline: time.UnixMilli(ms).UTC(), ID: id}, nil
}

// QueuePage is one page of a queue; Next is zero on the last page.
type QueuePage struct {
	Tickets []*Ticket
	Next    QueueCursor
}
