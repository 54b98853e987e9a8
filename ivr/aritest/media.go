// SPDX-License-Identifier: Apache-2.0

package aritest

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// httpMedia reports whether a sound: name is a URL, which Asterisk 22
// fetches over HTTP (its media cache) before playing.
func httpMedia(name string) bool {
	return strings.HasPrefix(name, "http://") || strings.HasPrefix(name, "https://")
}

// maxMedia bounds a fetched media file, as a guard for the fake.
const maxMedia = 64 << 20

// fetchMedia fetches url as Asterisk's media cache does and returns how
// long its audio plays: the WAV's own length. A failed fetch, an answer
// other than 200 or a body that is not a WAV is an error, and the playback
// then fails, as in Asterisk. The call's log notes "fetch" with the
// outcome.
func (c *channel) fetchMedia(url string) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.note("fetch", "error")
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		c.note("fetch", resp.Status)
		return 0, fmt.Errorf("fetch %s: %s", url, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxMedia))
	if err != nil {
		c.note("fetch", "error")
		return 0, err
	}
	d, ok := wavLength(b)
	if !ok {
		c.note("fetch", "not a WAV")
		return 0, fmt.Errorf("fetch %s: not a WAV file", url)
	}
	c.note("fetch", fmt.Sprintf("200 %d bytes", len(b)))
	return d, nil
}

// wavLength returns how long a PCM WAV plays, from its header.
func wavLength(b []byte) (time.Duration, bool) {
	if len(b) < 44 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return 0, false
	}
	rate := binary.LittleEndian.Uint32(b[28:32]) // bytes per second
	if rate == 0 {
		return 0, false
	}
	return time.Duration(float64(len(b)-44) / float64(rate) * float64(time.Second)), true
}
