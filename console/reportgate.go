// SPDX-License-Identifier: Apache-2.0

package console

import (
	"context"
	"sync"
	"time"
)

// Report renderings read a period's tickets and build the document in
// memory. A download is a plain link (GET), which anyone can make a signed-in
// manager's browser follow many times, so the renderings are bounded: one at
// a time per user, reportSlots over the whole server, and a request waits
// at most reportWait for a free slot before 429.
const (
	reportSlots = 2
	reportWait  = 5 * time.Second
)

type reportGate struct {
	slots chan struct{}
	mu    sync.Mutex
	users map[int64]bool // users rendering now
}

func newReportGate() *reportGate {
	return &reportGate{slots: make(chan struct{}, reportSlots), users: map[int64]bool{}}
}

// busyError says a report cannot be rendered now; the user's own rendering
// is running, or every slot was busy for reportWait.
type busyError struct{ own bool }

func (e *busyError) Error() string { return "console: report renderings busy" }

func (e *busyError) seconds() int { return int(reportWait / time.Second) }

func (e *busyError) message() string {
	if e.own {
		return "Báo cáo bạn yêu cầu trước đó đang được lập. Vui lòng chờ báo cáo đó xong rồi thử lại."
	}
	return "Hệ thống đang lập nhiều báo cáo. Vui lòng thử lại sau ít phút."
}

// enter admits a rendering for user and returns the function that ends it;
// a *busyError or ctx's error if it may not start.
func (g *reportGate) enter(ctx context.Context, user int64) (release func(), err error) {
	g.mu.Lock()
	if g.users[user] {
		g.mu.Unlock()
		return nil, &busyError{own: true}
	}
	g.users[user] = true
	g.mu.Unlock()
	leave := func() {
		g.mu.Lock()
		delete(g.users, user)
		g.mu.Unlock()
	}
	t := time.NewTimer(reportWait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return func() { <-g.slots; leave() }, nil
	case <-t.C:
		leave()
		return nil, &busyError{}
	case <-ctx.Done():
		leave()
		return nil, ctx.Err()
	}
}
