// SPDX-License-Identifier: Apache-2.0

package console

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"time"
)

// The sign-in guard. A password check costs 64 MiB and a good part of a
// core for about a tenth of a second (argon2id), and anyone may ask for one,
// so an attempt meets three limits before its password is checked:
//
//  1. per client address, a token bucket of addrBurst attempts refilled by
//     one every addrEvery;
//  2. per (name, client address), the attempt is counted before the check,
//     under a lock, so parallel guesses cannot slip past the count; after
//     FreeAttempts failures each further one doubles the wait before the next
//     (1 s, 2 s, 4 s … up to maxDelay). A bank's sign-in throttles rather
//     than locks: a hard lock-out is a weapon in an outsider's hands, and the
//     throttle of one address does not touch the user at another;
//  3. at most HashSlots checks run at once; an attempt waits for a slot up
//     to Config.SignInWait (1 s), then gets 429 with Retry-After. A client that leaves while
//     waiting costs nothing more.
//
// A (name, address) pair that signed in successfully within usualFor is the
// user's usual address: it skips the address bucket, may take one reserved
// slot and waits longer, so that a flood from elsewhere, even from the same
// office's address, does not keep the user out. All of it lives in memory, in
// maps that never hold more than guardEntries entries each; a restart
// forgets it.
const (
	addrBurst    = 20
	addrEvery    = 3 * time.Second
	maxDelay     = 15 * time.Minute
	forgetAfter  = 24 * time.Hour
	usualFor     = 30 * 24 * time.Hour
	usualWaits   = 10 // a usual address waits this many times SignInWait
	guardEntries = 10_000
)

// FreeAttempts is how many failed sign-ins a (name, address) pair has
// before each further one makes it wait.
const FreeAttempts = 3

// ThrottledError is the answer to a sign-in attempt that comes too soon or
// finds every password check slot busy; RetryAfter says when to try again.
// Known and unknown user names are throttled alike.
type ThrottledError struct{ RetryAfter time.Duration }

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("console: too many sign-in attempts; retry after %s", e.RetryAfter)
}

// seconds is RetryAfter in whole seconds, rounded up, at least 1.
func (e *ThrottledError) seconds() int {
	return max(1, int(math.Ceil(e.RetryAfter.Seconds())))
}

type bucket struct {
	tokens float64
	at     time.Time
}

type failures struct {
	n          int
	last, next time.Time
}

type loginGuard struct {
	mu       sync.Mutex
	addrs    *boundedMap[bucket]
	pairs    *boundedMap[failures]
	usual    *boundedMap[time.Time]
	slots    chan struct{} // password checks running
	reserved chan struct{} // one more, for usual addresses only
	wait     time.Duration // for a slot
}

// HashSlots is how many password checks run at once: as many as the cores
// can run side by side, each check using argonThreads of them; at least one.
func HashSlots() int { return max(1, runtime.GOMAXPROCS(0)/argonThreads) }

func newLoginGuard(wait time.Duration) *loginGuard {
	return &loginGuard{addrs: newBoundedMap[bucket](guardEntries), pairs: newBoundedMap[failures](guardEntries),
		usual: newBoundedMap[time.Time](guardEntries), slots: make(chan struct{}, HashSlots()), reserved: make(chan struct{}, 1),
		wait: wait}
}

// attempt is one admitted sign-in, holding a password check slot until done.
type attempt struct {
	g          *loginGuard
	pair, addr string
	usual      bool
	slot       chan struct{}
	failures   int // counted so far for the pair, this attempt included
}

// begin admits an attempt to sign in as name (normalised) from addr at now
// and waits for a password check slot. It returns a *ThrottledError, or
// ctx's error if the client left while it waited.
func (g *loginGuard) begin(ctx context.Context, name, addr string, now time.Time) (*attempt, error) {
	a := &attempt{g: g, pair: name + "\x00" + addr, addr: addr}
	if err := g.admit(a, now); err != nil {
		return nil, err
	}
	slot, err := g.acquire(ctx, a.usual)
	if err == nil {
		err = ctx.Err()
		if err != nil {
			<-slot
		}
	}
	if err != nil {
		g.refund(a)
		return nil, err
	}
	a.slot = slot
	return a, nil
}

// admit applies the address bucket and counts the attempt of the pair.
func (g *loginGuard) admit(a *attempt, now time.Time) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if t, ok := g.usual.get(a.pair); ok && now.Sub(*t) < usualFor {
		a.usual = true
	}
	if !a.usual {
		b := g.addrs.put(a.addr)
		if b.at.IsZero() {
			b.tokens = addrBurst
		} else if now.After(b.at) {
			b.tokens = min(addrBurst, b.tokens+float64(now.Sub(b.at))/float64(addrEvery))
		}
		b.at = now
		if b.tokens < 1 {
			return &ThrottledError{RetryAfter: time.Duration((1 - b.tokens) * float64(addrEvery))}
		}
		b.tokens--
	}
	f := g.pairs.put(a.pair)
	if now.Sub(f.last) > forgetAfter {
		*f = failures{}
	}
	if now.Before(f.next) {
		return &ThrottledError{RetryAfter: f.next.Sub(now)}
	}
	f.n++
	f.last, f.next = now, now.Add(delay(f.n))
	a.failures = f.n
	return nil
}

// delay is how long the pair waits after its n-th failure.
func delay(n int) time.Duration {
	if n < FreeAttempts {
		return 0
	}
	if k := n - FreeAttempts; k < 20 {
		return min(maxDelay, time.Second<<k)
	}
	return maxDelay
}

// acquire takes a password check slot, waiting up to g.wait (usualWaits
// times that for a usual address, which may also take the reserved slot).
func (g *loginGuard) acquire(ctx context.Context, usual bool) (chan struct{}, error) {
	select {
	case g.slots <- struct{}{}:
		return g.slots, nil
	default:
	}
	wait, reserved := g.wait, chan struct{}(nil)
	if usual {
		wait, reserved = usualWaits*g.wait, g.reserved
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return g.slots, nil
	case reserved <- struct{}{}:
		return reserved, nil
	case <-t.C:
		return nil, &ThrottledError{RetryAfter: 2 * g.wait}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// refund takes back the count of an attempt whose password was never
// checked.
func (g *loginGuard) refund(a *attempt) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if f, ok := g.pairs.get(a.pair); ok && f.n > 0 {
		f.n--
		if f.n < FreeAttempts {
			f.next = time.Time{}
		}
	}
}

// done frees the attempt's slot; a successful sign-in at now clears the
// pair's failures and makes addr the user's usual address.
func (a *attempt) done(ok bool, now time.Time) {
	<-a.slot
	if !ok {
		return
	}
	a.g.mu.Lock()
	defer a.g.mu.Unlock()
	a.g.pairs.delete(a.pair)
	*a.g.usual.put(a.pair) = now
}

// clientAddr is the address a request comes from, the unit of the sign-in
// limits: the peer's, or, behind a reverse proxy that Config.TrustProxy says
// is there, the last address of X-Forwarded-For (the one the proxy added;
// those before it are the client's word). An IPv6 address counts by its /64,
// the block one subscriber gets.
func (s *Server) clientAddr(r *http.Request) string {
	host := r.RemoteAddr
	if s.cfg.TrustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			host = strings.TrimSpace(parts[len(parts)-1])
		}
	}
	addr, err := netip.ParseAddr(host)
	if ap, perr := netip.ParseAddrPort(host); perr == nil {
		addr, err = ap.Addr(), nil
	}
	if err != nil {
		return host
	}
	addr = addr.Unmap()
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return p.String()
	}
	return addr.String()
}
