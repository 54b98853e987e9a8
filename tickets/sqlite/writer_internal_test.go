// SPDX-License-Identifier: Apache-2.0

package sqlite

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/mattn/go-sqlite3"
)

// gate holds a statement of the writer inside SQLite until released.
type gate struct{ entered, release chan struct{} }

// pauseWriter makes the writer's INSERT of a ticket whose text is one of
// texts stop inside SQLite: the statement calls test_pause once per row of a
// temporary table, and the first call closes the text's gate.entered and
// waits for its release. The rows after it give SQLite's interrupt check a
// chance to run.
func pauseWriter(t *testing.T, db *DB, texts ...string) map[string]gate {
	t.Helper()
	ctx := context.Background()
	gates := map[string]gate{}
	for _, text := range texts {
		gates[text] = gate{make(chan struct{}), make(chan struct{})}
	}
	conn, err := db.write.Conn(ctx) // the writer's one connection
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	pause := func(x int64, text string) int64 {
		if g := gates[text]; x == 1 {
			close(g.entered)
			<-g.release
		}
		runtime.Gosched() // let a cancelled caller's driver goroutine interrupt SQLite, if it would
		return x
	}
	err = conn.Raw(func(c any) error { return c.(*sqlite3.SQLiteConn).RegisterFunc("test_pause", pause, false) })
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TEMP TABLE spin (x INTEGER)`,
		`INSERT INTO spin (x) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 500) SELECT x FROM c`,
		`CREATE TEMP TABLE paused (text TEXT)`,
		`CREATE TEMP TRIGGER pause AFTER INSERT ON main.tickets WHEN NEW.text IN (SELECT text FROM paused)
			BEGIN SELECT test_pause(x, NEW.text) FROM spin ORDER BY x; END`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, text := range texts {
		if _, err := conn.ExecContext(ctx, `INSERT INTO paused (text) VALUES (?)`, text); err != nil {
			t.Fatal(err)
		}
	}
	return gates
}

// queued waits until n jobs wait in the writer's queue.
func queued(db *DB, n int) {
	for len(db.jobs) < n {
		runtime.Gosched()
	}
}

func newTestTicket(text string) *tickets.Ticket {
	return &tickets.Ticket{Branch: 1, Department: "d", Channel: tickets.ChannelWeb, Status: tickets.StatusNew, Text: text}
}

var testCreate = tickets.HistoryEntry{Actor: "t", Action: tickets.ActionCreate, ToStatus: tickets.StatusNew}

// A caller that gives up while its write runs fails no one else's write: the
// statement runs on the writer's context, so SQLite is not interrupted and
// the batch that the write shares with others commits, the gone caller's
// write included (once started, a write is finished). The batch is: "hold",
// held open until the others are queued, n innocent writes, then the
// victim, whose caller cancels while its INSERT runs.
func TestCancelledCallerFailsNoOtherWrite(t *testing.T) {
	db := openTest(t)
	gates := pauseWriter(t, db, "hold", "victim")
	bg := context.Background()
	const n = 20
	errs := make([]error, n+1)
	var wg sync.WaitGroup
	wg.Go(func() { errs[n] = db.CreateTicket(bg, newTestTicket("hold"), testCreate) })
	<-gates["hold"].entered
	for i := range n {
		wg.Go(func() { errs[i] = db.CreateTicket(bg, newTestTicket(fmt.Sprint("innocent ", i)), testCreate) })
	}
	queued(db, n)
	victimCtx, cancel := context.WithCancel(bg)
	defer cancel()
	victimErr := make(chan error, 1)
	go func() { victimErr <- db.CreateTicket(victimCtx, newTestTicket("victim"), testCreate) }()
	queued(db, n+1)
	close(gates["hold"].release)
	<-gates["victim"].entered // the victim's INSERT runs, in the batch of all the others
	cancel()
	close(gates["victim"].release)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("write %d (%d: \"hold\"): %v", i, n, err)
		}
	}
	if err := <-victimErr; err != nil {
		t.Errorf("the cancelled caller's started write: %v, want it committed", err)
	}
	var count int
	if err := db.read.QueryRow(`SELECT count(*) FROM tickets`).Scan(&count); err != nil || count != n+2 {
		t.Errorf("tickets committed = %d, %v; want %d", count, err, n+2)
	}
}

// A caller that left before its queued write started gets its context's
// error, and the write is not made.
func TestCallerGoneBeforeStartSkipsWrite(t *testing.T) {
	db := openTest(t)
	gates := pauseWriter(t, db, "hold")
	first := make(chan error, 1)
	go func() { first <- db.CreateTicket(context.Background(), newTestTicket("hold"), testCreate) }()
	<-gates["hold"].entered
	ctx, cancel := context.WithCancel(context.Background())
	gone := make(chan error, 1)
	go func() { gone <- db.CreateTicket(ctx, newTestTicket("gone"), testCreate) }()
	queued(db, 1)
	cancel()
	close(gates["hold"].release)
	if err := <-first; err != nil {
		t.Fatalf("first write: %v", err)
	}
	if err := <-gone; err != context.Canceled {
		t.Errorf("write of a caller gone before it started: %v, want context.Canceled", err)
	}
	var count int
	if err := db.read.QueryRow(`SELECT count(*) FROM tickets WHERE text = 'gone'`).Scan(&count); err != nil || count != 0 {
		t.Errorf("skipped write stored %d tickets, %v", count, err)
	}
}
