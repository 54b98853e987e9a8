// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/hotline-cchc/hotline/chatbot/zalo"
	"github.com/hotline-cchc/hotline/cmd/hotline/internal/secrets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

const zaloSynopsis = "hotline zalo authorize --redirect URL [--config FILE]"

// runZalo runs "hotline zalo authorize": the first authorisation of the OA,
// or a new one after the refresh token died. It prints the URL to open as
// the OA's administrator, reads the code Zalo's redirect carries (the code
// alone or the whole redirected URL), trades it for tokens and stores them
// in the database, where serve takes them at its next refresh.
func (m *Main) runZalo(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "authorize" {
		return usagef("usage: %s", zaloSynopsis)
	}
	fs := newFlagSet("hotline zalo authorize", zaloSynopsis, m.Stderr)
	cfgPath := fs.String("config", "", "config file")
	redirect := fs.String("redirect", "", "the callback URL registered in the Zalo app (developers.zalo.me)")
	if _, err := parseArgs(fs, args[1:]); err != nil {
		return handled(err)
	}
	if *redirect == "" {
		return usagef("--redirect is required: the app's callback URL, as registered on developers.zalo.me")
	}
	a, err := m.openApp(ctx, *cfgPath)
	if err != nil {
		return err
	}
	defer a.Close()
	if a.cfg.Zalo.AppID == "" {
		return fmt.Errorf("zalo.app_id is not set (HOTLINE_ZALO_APP_ID)")
	}
	appSecret, _, err := m.secretStore().Lookup(secrets.ZaloAppSecret)
	if err != nil {
		return err
	}
	c := zaloClient(a.cfg, appSecret)
	verifier := rand.Text() + rand.Text()
	sum := sha256.Sum256([]byte(verifier))
	fmt.Fprintf(m.Stdout, "1. Open this address signed in as the OA's administrator and allow access:\n\n   %s\n\n",
		c.AuthorizeURL(*redirect, base64.RawURLEncoding.EncodeToString(sum[:]), rand.Text()))
	fmt.Fprintf(m.Stdout, "2. Zalo sends the browser to %s?code=…: paste that address (or the code) here and press Enter:\n", *redirect)
	line, err := bufio.NewReader(m.Stdin).ReadString('\n')
	code := authorizationCode(line)
	if code == "" {
		return fmt.Errorf("no authorisation code read: %v", err)
	}
	now := time.Now()
	tok, err := c.Exchange(ctx, code, verifier, now)
	if err != nil {
		return fmt.Errorf("zalo refused the code (it lasts 10 minutes and works once): %w", err)
	}
	st := sqlite.ZaloToken{Access: tok.Access, Refresh: tok.Refresh, Expires: tok.Expires,
		RefreshExpires: now.Add(zalo.RefreshLife), CreatedAt: now, Source: "authorize"}
	if err := a.db.SaveZaloToken(ctx, st); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "The OA is authorised; hotline renews its tokens from now on (refresh token valid until %s).\n",
		st.RefreshExpires.In(a.cal.Location()).Format("02/01/2006"))
	return nil
}

// authorizationCode takes the code from a pasted redirect URL or the code itself.
func authorizationCode(s string) string {
	s = strings.TrimSpace(s)
	if u, err := url.Parse(s); err == nil && u.Query().Get("code") != "" {
		return u.Query().Get("code")
	}
	if strings.ContainsAny(s, " /?&=") {
		return ""
	}
	return s
}
