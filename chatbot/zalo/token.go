// SPDX-License-Identifier: Apache-2.0

package zalo

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Token is an OA's pair of tokens. The refresh token works once: a refresh
// returns a new pair and the old refresh token is dead, so the new pair must
// be stored before it is used.
type Token struct {
	Access  string
	Refresh string
	Expires time.Time // when Access stops working
}

// RefreshLife is how long a refresh token lasts after it is issued.
const RefreshLife = 90 * 24 * time.Hour

// Refresh trades a refresh token for a new pair. now stamps the expiry.
// Errors: *APIError (Zalo's HTTP 200 refusals, e.g. a reused refresh token)
// or a network error — after which the old refresh token may or may not be
// spent: the caller keeps it and tries again.
func (c *Client) Refresh(ctx context.Context, refresh string, now time.Time) (Token, error) {
	return c.token(ctx, url.Values{"app_id": {c.AppID}, "grant_type": {"refresh_token"}, "refresh_token": {refresh}}, now)
}

// Exchange trades an authorisation code (valid 10 minutes) and its PKCE
// verifier for the first pair of tokens.
func (c *Client) Exchange(ctx context.Context, code, verifier string, now time.Time) (Token, error) {
	return c.token(ctx, url.Values{"app_id": {c.AppID}, "grant_type": {"authorization_code"}, "code": {code}, "code_verifier": {verifier}}, now)
}

// AuthorizeURL is the page where an OA administrator grants the app access;
// Zalo then redirects to redirect with ?code=…
func (c *Client) AuthorizeURL(redirect, challenge, state string) string {
	q := url.Values{"app_id": {c.AppID}, "redirect_uri": {redirect}, "code_challenge": {challenge}, "state": {state}}
	return base(c.OAuth, DefaultOAuth) + "/v4/oa/permission?" + q.Encode()
}

func (c *Client) token(ctx context.Context, form url.Values, now time.Time) (Token, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base(c.OAuth, DefaultOAuth)+"/v4/oa/access_token", strings.NewReader(form.Encode()))
	if err != nil {
		return Token{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("secret_key", c.AppSecret)
	resp, err := c.http().Do(req)
	if err != nil {
		return Token{}, fmt.Errorf("zalo: access token: %w", redactErr(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return Token{}, fmt.Errorf("zalo: access token: read answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return Token{}, &APIError{HTTPStatus: resp.StatusCode, Message: "access token request refused"}
	}
	var a struct {
		Access    string      `json:"access_token"`
		Refresh   string      `json:"refresh_token"`
		ExpiresIn json.Number `json:"expires_in"` // a string of seconds; a number tolerated
		Error     json.Number `json:"error"`
		Message   string      `json:"message"`
	}
	if err := json.Unmarshal(body, &a); err != nil {
		return Token{}, &APIError{HTTPStatus: http.StatusBadGateway, Message: "unreadable token answer"}
	}
	if code, _ := a.Error.Int64(); code != 0 {
		return Token{}, &APIError{HTTPStatus: http.StatusOK, Code: int(code), Message: a.Message}
	}
	secs, err := strconv.ParseInt(a.ExpiresIn.String(), 10, 64)
	if a.Access == "" || a.Refresh == "" || err != nil || secs <= 0 {
		return Token{}, &APIError{HTTPStatus: http.StatusBadGateway, Message: "token answer without tokens or expiry"}
	}
	return Token{Access: a.Access, Refresh: a.Refresh, Expires: now.Add(time.Duration(secs) * time.Second)}, nil
}
