// SPDX-License-Identifier: Apache-2.0

package asterisk

import (
	"context"
	"strings"

	"github.com/CyCoreSystems/ari/v5"

	"github.com/hotline-cchc/hotline/ivr"
)

// storedMessages returns the names of the messages Asterisk keeps that no
// call followed by this process is recording: messages of calls that ended
// while the hotline was away.
func (cl *Client) storedMessages(ctx context.Context) ([]string, error) {
	var list []*ari.Key
	err := cl.rest(ctx, func() (err error) { list, err = cl.ari.StoredRecording().List(nil); return err })
	if err != nil {
		return nil, err
	}
	cl.mu.Lock()
	defer cl.mu.Unlock()
	var out []string
	for _, k := range list {
		name := k.ID
		if !strings.HasPrefix(name, ivr.RecordingPrefix) {
			continue
		}
		followed := false
		for id := range cl.calls {
			followed = followed || strings.Contains(name, id)
		}
		if !followed {
			out = append(out, name)
		}
	}
	return out, nil
}

// checkOrphans hands the messages of calls that ended while the hotline
// was away to Options.Orphans, once per connection.
func (cl *Client) checkOrphans(ctx context.Context) {
	if cl.opts.Orphans == nil {
		return
	}
	names, err := cl.storedMessages(ctx)
	if err != nil {
		cl.log.Warn("ari: cannot list stored recordings to find messages without a call", "err", err)
		return
	}
	if len(names) > 0 {
		cl.opts.Orphans(ctx, names)
	}
}

// DeleteRecording deletes a stored recording; one already gone is no error.
func (cl *Client) DeleteRecording(ctx context.Context, name string) error {
	return ignore404(cl.rest(ctx, func() error {
		return cl.ari.StoredRecording().Delete(ari.NewKey(ari.StoredRecordingKey, name))
	}))
}
