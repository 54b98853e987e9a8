// SPDX-License-Identifier: Apache-2.0

package zalo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Token timing.
const (
	// refreshAhead: the access token is refreshed this long before it expires.
	refreshAhead = time.Hour
	// RefreshWarning: /readyz fails this long before the refresh token expires.
	RefreshWarning = 14 * 24 * time.Hour
	keepEvery      = time.Minute
)

// ErrNoToken means no refresh token is stored and none was configured.
var ErrNoToken = errors.New("zalo: no refresh token: run hotline zalo authorize, or store ZALO_REFRESH_TOKEN")

// tokens keeps the OA's access token fresh. Each refresh's single-use
// refresh token is stored, with the record of the refresh, in one
// transaction right after Zalo's answer, before anything else is done.
type tokens struct {
	c     *Client
	store Store
	seed  string // the configured first refresh token
	now   func() time.Time
	log   *slog.Logger

	mu   sync.Mutex
	cur  StoredToken
	have bool
	dead error // Zalo refused the refresh token
	// deadRefresh is the refused refresh token: a different one stored
	// since (hotline zalo authorize) brings the tokens back.
	deadRefresh string
	// unsaved: the current tokens are not stored yet (the store failed);
	// storing them is retried at each use until it succeeds.
	unsaved bool
}

// access returns a working access token, refreshing it first when it
// expires within refreshAhead.
func (k *tokens) access(ctx context.Context) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.dead != nil {
		k.have = false // re-read: an operator may have authorised again
	}
	if err := k.load(ctx); err != nil {
		return "", err
	}
	if k.dead != nil {
		if k.cur.Refresh == k.deadRefresh {
			return "", k.dead
		}
		k.dead = nil
	}
	if k.cur.Access == "" || k.cur.Expires.Sub(k.now()) < refreshAhead {
		if err := k.refresh(ctx); err != nil {
			return "", err
		}
	} else if k.unsaved {
		k.save(ctx)
	}
	return k.cur.Access, nil
}

// load reads the stored tokens once; k.mu is held.
func (k *tokens) load(ctx context.Context) error {
	if k.have {
		return nil
	}
	t, ok, err := k.store.LoadToken(ctx)
	if err != nil {
		return err
	}
	if !ok {
		if k.seed == "" {
			return ErrNoToken
		}
		t = StoredToken{Token: Token{Refresh: k.seed}, Source: "secret", RefreshExpires: k.now().Add(RefreshLife)}
	}
	k.cur, k.have = t, true
	return nil
}

// refresh trades the refresh token for new tokens and stores them; k.mu is
// held. A refusal by Zalo marks the refresh token dead.
func (k *tokens) refresh(ctx context.Context) error {
	now := k.now()
	t, err := k.c.Refresh(ctx, k.cur.Refresh, now)
	if err != nil {
		var e *APIError
		if errors.As(err, &e) && e.HTTPStatus == http.StatusOK {
			k.dead = fmt.Errorf("zalo refused the refresh token (%w): run hotline zalo authorize", err)
			k.deadRefresh, k.cur.Access = k.cur.Refresh, ""
			k.log.Error("zalo: refresh token refused; the OA must be authorised again with hotline zalo authorize", "err", err)
			return k.dead
		}
		return err
	}
	st := StoredToken{Token: t, RefreshExpires: now.Add(RefreshLife), CreatedAt: now, Source: "refresh"}
	k.cur, k.dead = st, nil
	k.save(ctx)
	k.log.Info("zalo: access token refreshed", "expires", t.Expires)
	return nil
}

// save stores the current tokens; k.mu is held. The old refresh token is
// dead once Zalo answered: the new one is stored whatever ctx says, and a
// failure is retried at each use.
func (k *tokens) save(ctx context.Context) {
	err := k.store.SaveToken(context.WithoutCancel(ctx), k.cur)
	k.unsaved = err != nil
	if err != nil {
		k.log.Error("zalo: new tokens not stored; kept in memory and stored again at the next use", "err", err)
	}
}

// invalidate forgets access after Zalo refused it, so that the next call
// refreshes.
func (k *tokens) invalidate(access string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.cur.Access == access {
		k.cur.Expires = time.Time{}
	}
}

// keep refreshes the access token ahead of its expiry until ctx ends, so
// that the refresh token, renewed at each refresh, never ages.
func (k *tokens) keep(ctx context.Context) {
	t := time.NewTicker(keepEvery)
	defer t.Stop()
	for {
		if _, err := k.access(ctx); err != nil && ctx.Err() == nil && !errors.Is(err, k.deadErr()) {
			k.log.Warn("zalo: access token not refreshed; retrying", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (k *tokens) deadErr() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.dead
}

// problem is the tokens' readiness: nil when they work and the refresh
// token has more than RefreshWarning left.
func (k *tokens) problem() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	switch {
	case k.dead != nil:
		return k.dead
	case !k.have:
		return errors.New("zalo: tokens not loaded yet")
	case k.cur.RefreshExpires.Sub(k.now()) < RefreshWarning:
		return fmt.Errorf("zalo: the refresh token expires on %s: run hotline zalo authorize", k.cur.RefreshExpires.Format("02/01/2006"))
	}
	return nil
}
