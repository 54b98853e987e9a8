// SPDX-License-Identifier: Apache-2.0

package asterisk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"time"
	"unsafe"

	"github.com/CyCoreSystems/ari/v5/client/native"

	"github.com/hotline-cchc/hotline/ivr"
)

// ErrUnauthorized is returned when Asterisk refuses the ARI user and
// password (HTTP 401).
var ErrUnauthorized = errors.New("asterisk: ARI refused the user name or password (401)")

// setHTTPClient gives the native client an *http.Client of our own.
// ari/v5 v5.3.1 keeps an unexported zero http.Client, so its requests have
// no timeout and share http.DefaultTransport (two idle connections per
// host, too few for hundreds of calls). The field is checked by name and
// type, and New fails rather than guess if a new version changes it.
func setHTTPClient(c *native.Client, hc *http.Client) error {
	f := reflect.ValueOf(c).Elem().FieldByName("httpClient")
	if !f.IsValid() || f.Type() != reflect.TypeOf(http.Client{}) {
		return errors.New("asterisk: this ari/v5 version has no httpClient field to set; pin v5.3.1")
	}
	reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Set(reflect.ValueOf(*hc))
	return nil
}

// rest runs one ARI request bounded by ctx and the request timeout: the
// client library takes no context, so a request that hangs is abandoned
// (and ends at the HTTP client's own timeout).
func (cl *Client) rest(ctx context.Context, f func() error) error {
	ctx, cancel := context.WithTimeout(ctx, cl.opts.RequestTimeout)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- f() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return fmt.Errorf("ari request: %w", ctx.Err())
	}
}

// statusOf returns the HTTP status of a failed ARI request; 0 if none.
func statusOf(err error) int {
	var re native.RequestError
	if errors.As(err, &re) {
		return re.Code()
	}
	return 0
}

// channelErr maps a failed request on the caller's channel: 404 means the
// channel is gone, which the flow knows as a hangup.
func channelErr(err error) error {
	switch {
	case err == nil:
		return nil
	case statusOf(err) == http.StatusNotFound:
		return fmt.Errorf("%w: %v", ivr.ErrHangup, err)
	}
	return err
}

// ignore404 treats "not found" as done: stopping what has already stopped.
func ignore404(err error) error {
	if statusOf(err) == http.StatusNotFound {
		return nil
	}
	return err
}

// raw sends a request the client library has no method for (the event
// filter), with Basic auth, bounded like the others.
func (cl *Client) raw(ctx context.Context, method, path string, body any) error {
	data, err := json.Marshal(body)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, cl.opts.RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, cl.opts.URL+path, bytes.NewReader(data))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth(cl.opts.User, cl.opts.Password)
	resp, err := cl.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusUnauthorized {
		return ErrUnauthorized
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s", method, path, resp.Status)
	}
	return nil
}

// scaled converts a duration of the call into real time (Options.Speed).
func (cl *Client) scaled(d time.Duration) time.Duration {
	return time.Duration(float64(d) / cl.opts.Speed)
}
