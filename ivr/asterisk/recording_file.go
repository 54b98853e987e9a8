// SPDX-License-Identifier: Apache-2.0

package asterisk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/hotline-cchc/hotline/ivr"
)

// ErrNoRecording is returned by RecordingFile when Asterisk has no stored
// recording of that name.
var ErrNoRecording = errors.New("asterisk: no such stored recording")

// maxRecordingFile bounds a downloaded recording: three minutes of 8 kHz
// 16-bit audio are under 3 MB.
const maxRecordingFile = 32 << 20

// recordingTimeout bounds the download of one recording.
const recordingTimeout = 30 * time.Second

// RecordingFile downloads a stored recording's audio from Asterisk
// (GET /recordings/stored/{name}/file), for the console to play and the
// IVR to measure. A WAV whose header sizes are wrong (Asterisk killed or
// restarted while recording leaves them 0) is repaired from the file's
// length. It returns ErrNoRecording if Asterisk has none of that name.
func (c *Client) RecordingFile(ctx context.Context, name string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, recordingTimeout)
	defer cancel()
	u := c.opts.URL + "/recordings/stored/" + url.PathEscape(name) + "/file"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(c.opts.User, c.opts.Password)
	// The client's own timeout is for short REST calls; the download has
	// recordingTimeout through ctx.
	hc := &http.Client{Transport: c.http.Transport}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("asterisk: download recording: %w", err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return nil, ErrNoRecording
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("asterisk: download recording: %s", resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxRecordingFile+1))
	if err != nil {
		return nil, fmt.Errorf("asterisk: download recording: %w", err)
	}
	if len(b) > maxRecordingFile {
		return nil, fmt.Errorf("asterisk: recording %s is over %d bytes", name, maxRecordingFile)
	}
	if fixed, changed, _ := ivr.RepairWAV(b); changed {
		c.log.Warn("ari: repaired the header of a recording cut short", "recording", name, "bytes", len(b))
		b = fixed
	}
	return b, nil
}
