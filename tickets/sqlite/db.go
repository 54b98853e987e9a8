// SPDX-License-Identifier: Apache-2.0

// Package sqlite is the ticket store on SQLite (mattn/go-sqlite3): WAL, foreign
// keys, a busy timeout, embedded versioned migrations, one writer and a pool of
// readers. It implements tickets.Store and may import only tickets, the
// standard library and the SQLite driver.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"sync"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

// maxBatch bounds how many queued writes share one commit.
const maxBatch = 128

// DB is the store. All writes go through one goroutine that commits the
// writes queued at that moment together (group commit): each still runs in
// its own savepoint and fails alone, and none is acknowledged before the
// commit that holds it is on disk.
type DB struct {
	path    string
	version int
	read    *sql.DB
	write   *sql.DB
	jobs    chan job
	mu      sync.RWMutex // held for reading while queueing a job, for writing to close jobs
	closed  bool
	stopped sync.WaitGroup
	newCode func() tickets.Code // tickets.NewCode; tests force collisions
	chatKey []byte              // the key of chatHash, read once at Open
	scrub   scrubState          // owned by the writer goroutine
}

type job struct {
	ctx  context.Context // the caller's: only to skip a job whose caller left before it ran
	fn   func(ctx context.Context, tx *sql.Tx) error
	done chan error
}

// dsn builds the connection string; pragmas go in it because they are per
// connection and database/sql opens connections whenever it likes.
//
// synchronous=FULL: a ticket code is read out to a citizen as soon as its
// commit returns, so the commit must survive a power cut, not only a crash of
// the process (NORMAL in WAL mode may lose the last commits on power loss).
// The cost, one fsync of the WAL per commit, is shared by group commit.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", busyMillis())
	q.Set("_txlock", "immediate")
	q.Set("_cache_size", cacheSize) // 16 MB of page cache per connection
	// Deleted rows (drafts, sent replies) are overwritten, not left in
	// free pages where they could still link a chat to an anonymous ticket.
	q.Set("_secure_delete", "on")
	if readOnly {
		q.Set("_query_only", "true")
	}
	return fileDSN(path, q)
}

// cacheSize is the page cache of a connection, in KiB when negative.
const cacheSize = "-16000"

// busyTimeout is how long a connection waits for another's lock.
const busyTimeout = 5 * time.Second

func fileDSN(path string, q url.Values) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// Open opens (creating if needed) the database file at path, applies the
// pending migrations and starts the writer. A new data folder is made 0700
// and the data files 0600; existing data files readable by others are closed
// to them (an error if that fails). A database whose schema is newer than
// this program is refused before anything is written to it.
func Open(ctx context.Context, path string) (*DB, error) {
	if err := createFile(path); err != nil {
		return nil, err
	}
	current, err := schemaVersion(ctx, path)
	if err == nil {
		err = closeFiles(path)
	}
	if err == nil {
		err = useWAL(ctx, path)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	db := &DB{path: path, write: w, jobs: make(chan job, maxBatch), newCode: tickets.NewCode}
	if db.version, err = migrate(ctx, w, current); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := w.QueryRowContext(ctx, `SELECT key FROM chat_activity_key WHERE id = 1`).Scan(&db.chatKey); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: read chat activity key: %w", path, err)
	}
	if err := db.loadScrub(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if db.read, err = sql.Open("sqlite3", dsn(path, true)); err != nil {
		w.Close()
		return nil, err
	}
	db.read.SetMaxOpenConns(max(4, runtime.GOMAXPROCS(0)))
	db.read.SetMaxIdleConns(max(4, runtime.GOMAXPROCS(0)))
	db.stopped.Add(1)
	go db.writer()
	return db, nil
}

// SchemaVersion returns the version of the schema the database is at.
func (db *DB) SchemaVersion() int { return db.version }

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.read.PingContext(ctx) }

// IntegrityCheck runs PRAGMA integrity_check and returns its verdict, "ok"
// for a sound file.
func (db *DB) IntegrityCheck(ctx context.Context) (string, error) {
	var s string
	err := db.read.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&s)
	return s, err
}

// Close stops the writer after the writes already queued and closes the
// database.
func (db *DB) Close() error {
	db.mu.Lock()
	if !db.closed {
		db.closed = true
		close(db.jobs)
	}
	db.mu.Unlock()
	db.stopped.Wait()
	return errors.Join(db.read.Close(), db.write.Close())
}

var errClosed = errors.New("the store is closed")

// update runs fn in a transaction of the writer and returns its error or the
// commit's. Once queued, a write is waited for even if ctx ends, so that the
// caller never walks away from a write that then commits.
//
// fn runs on the writer's context, which it receives, never on the caller's:
// the transaction is shared by every job of a batch, and a statement
// interrupted by its caller's cancellation would make SQLite roll back the
// whole transaction, failing the other callers' writes with it. Closures
// name their parameter ctx, shadowing the caller's, so that no statement can
// use the caller's by mistake. A job whose caller left before it started is
// skipped and returns the caller's ctx.Err(); one that started is finished.
func (db *DB) update(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	j := job{ctx: ctx, fn: fn, done: make(chan error, 1)}
	db.mu.RLock()
	if db.closed {
		db.mu.RUnlock()
		return errClosed
	}
	select {
	case db.jobs <- j:
	case <-ctx.Done():
		db.mu.RUnlock()
		return ctx.Err()
	}
	db.mu.RUnlock()
	return <-j.done
}

func (db *DB) writer() {
	defer db.stopped.Done()
	ctx := context.Background()
	for {
		var retry <-chan time.Time
		if db.scrub.due {
			retry = time.After(time.Until(db.scrub.next))
		}
		select {
		case first, ok := <-db.jobs:
			if !ok {
				return
			}
			// Let the callers woken by the last commit queue their next
			// writes, so that they share this commit rather than wait for
			// the next.
			runtime.Gosched()
			db.commit(ctx, first)
		case <-retry:
			db.scrubFiles(ctx)
		}
	}
}

// commit runs first, and the jobs that are queued or arrive while the
// transaction is open (up to maxBatch), in one transaction, each job in a
// savepoint of its own, and then answers every caller. Files are scrubbed
// before the answers, so that a caller whose write deleted an anonymous
// ticket's last link gets its answer once no file holds a copy (unless a
// reader delays the checkpoint).
func (db *DB) commit(ctx context.Context, first job) {
	batch := []job{first}
	errs, err := db.runBatch(ctx, &batch)
	db.scrubFiles(ctx)
	for i, j := range batch {
		if err != nil && errs[i] == nil {
			errs[i] = err
		}
		j.done <- errs[i]
	}
}

// runBatch runs the jobs of *batch, appending those that arrive meanwhile,
// and returns each job's error and the transaction's.
// ctx is the writer's: a started write is finished even if its caller left.
func (db *DB) runBatch(ctx context.Context, batch *[]job) ([]error, error) {
	var errs []error
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return make([]error, len(*batch)), fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	for i := 0; i < len(*batch); i++ {
		jobErr := (*batch)[i].ctx.Err()
		if jobErr == nil {
			if jobErr, err = savepoint(ctx, tx, (*batch)[i].fn); err != nil {
				return append(errs, make([]error, len(*batch)-i)...), err
			}
		}
		errs = append(errs, jobErr)
		db.takeQueued(batch)
	}
	if err := tx.Commit(); err != nil {
		return errs, fmt.Errorf("commit: %w", err)
	}
	return errs, nil
}

// takeQueued appends to *batch the jobs queued now, without waiting, while
// the batch has room.
func (db *DB) takeQueued(batch *[]job) {
	for len(*batch) < maxBatch {
		select {
		case j, ok := <-db.jobs:
			if !ok {
				return
			}
			*batch = append(*batch, j)
		default:
			return
		}
	}
}

// savepoint runs fn inside a savepoint: fn's error undoes fn's writes only and
// is returned as jobErr; err is a failure of the savepoint itself, which
// dooms the whole batch.
func savepoint(ctx context.Context, tx *sql.Tx, fn func(context.Context, *sql.Tx) error) (jobErr, err error) {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT job"); err != nil {
		return nil, fmt.Errorf("savepoint: %w", err)
	}
	if jobErr = fn(ctx, tx); jobErr != nil {
		if _, err := tx.ExecContext(ctx, "ROLLBACK TO job"); err != nil {
			return jobErr, fmt.Errorf("rollback to savepoint: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, "RELEASE job"); err != nil {
		return jobErr, fmt.Errorf("release savepoint: %w", err)
	}
	return jobErr, nil
}

// timeFormat stores times as fixed-width UTC text, so that they sort as text.
const timeFormat = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func formatNullTime(t time.Time) sql.NullString {
	return sql.NullString{String: formatTime(t), Valid: !t.IsZero()}
}

func parseTime(s string) (time.Time, error) { return time.Parse(timeFormat, s) }

func parseNullTime(s sql.NullString) (time.Time, error) {
	if !s.Valid {
		return time.Time{}, nil
	}
	return parseTime(s.String)
}

var _ tickets.Store = (*DB)(nil)
