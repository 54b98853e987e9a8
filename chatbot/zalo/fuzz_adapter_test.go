// SPDX-License-Identifier: Apache-2.0

package zalo_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
)

// FuzzWebhookHandler signs any body as Zalo would and posts it: the handler always
// answers 200, and whatever it stored the bot handles without an error.
func FuzzWebhookHandler(f *testing.F) {
	f.Add([]byte(`{"app_id":"app","event_name":"user_send_text","sender":{"id":"u"},"recipient":{"id":"oa"},"message":{"msg_id":"1","text":"/start"},"timestamp":"1"}`))
	f.Add([]byte(`{"app_id":"app","event_name":"user_send_image","sender":{"id":7},"recipient":{"id":"oa"},"message":{"msg_id":2,"attachments":[{"type":"image","payload":{"url":"http://x/y","size":"12"}}]},"timestamp":2}`))
	f.Add([]byte(`{"app_id":"app","event_name":"user_submit_info","sender":{"id":"u"},"recipient":{"id":"oa"},"info":{"phone":"84912345678"},"timestamp":"3"}`))
	f.Add([]byte(`{"app_id":"app","event_name":"user_send_location","sender":{"id":"u"},"message":{"msg_id":"3","attachments":[{"type":"location","payload":{"coordinates":{"latitude":"x","longitude":1e999}}}]}}`))
	f.Add([]byte(`{"app_id":"app","event_name":"user_send_text","sender":{"id":"u"},"message":{"msg_id":"4","text":"#hl:b:99"}}`))
	r := newRig(f, "refresh-0")
	r.now = r.now.AddDate(-50, 0, 0) // nothing is stale
	f.Fuzz(func(t *testing.T, body []byte) {
		sig := r.fake.Sign(body, tsOf(body))
		if got := r.post(t, body, sig); got != http.StatusOK {
			t.Fatalf("status %d for %q", got, body)
		}
		if _, err := r.ad.HandleInbox(context.Background()); err != nil {
			t.Fatal(fmt.Errorf("handle %q: %w", body, err))
		}
	})
}
