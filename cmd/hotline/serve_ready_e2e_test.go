// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/chatbot/telegramtest"
)

// readyz is /readyz's answer.
type readyz struct {
	code   int
	Status string            `json:"status"`
	Parts  map[string]string `json:"parts"`
}

func getReady(t *testing.T, addr string) readyz {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r := readyz{code: resp.StatusCode}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatal(err)
	}
	return r
}

// closedAddr returns a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// /readyz names the configured parts that cannot work, while /healthz (liveness)
// stays 200; /metrics says the same per channel.
func TestReadyz(t *testing.T) {
	bin, env := binary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	t.Run("NotReadyWhenChannelsDown", func(t *testing.T) {
		env := append(env, "HOTLINE_ARI_URL=http://"+closedAddr(t)+"/ari", "HOTLINE_ARI_USER=hotline",
			"HOTLINE_ARI_PASSWORD=secret-not-in-logs", "HOTLINE_TELEGRAM_TOKEN="+e2eToken,
			"HOTLINE_TELEGRAM_API=http://"+closedAddr(t))
		p := startServe(t, ctx, bin, env)
		defer p.stop(t)
		r := getReady(t, p.addr)
		if r.code != http.StatusServiceUnavailable || r.Status != "not ready" {
			t.Errorf("/readyz = %d %+v, want 503 not ready", r.code, r)
		}
		if r.Parts["store"] != "ok" || r.Parts["phone"] == "ok" || r.Parts["phone"] == "" || r.Parts["telegram"] == "ok" || r.Parts["telegram"] == "" {
			t.Errorf("/readyz parts = %v, want the store ok and phone and telegram failing", r.Parts)
		}
		get(t, "http://"+p.addr+"/healthz") // fails unless 200
		metrics := get(t, "http://"+p.addr+"/metrics")
		for _, want := range []string{`hotline_channel_up{channel="phone"} 0`, `hotline_channel_up{channel="telegram"} 0`} {
			if !strings.Contains(metrics, want) {
				t.Errorf("/metrics lacks %q", want)
			}
		}
	})
	t.Run("Ready", func(t *testing.T) {
		fake := telegramtest.New(e2eToken)
		defer fake.Close()
		env := append(env, "HOTLINE_TELEGRAM_TOKEN="+e2eToken, "HOTLINE_TELEGRAM_API="+fake.URL)
		p := startServe(t, ctx, bin, env)
		defer p.stop(t)
		var r readyz
		for r = getReady(t, p.addr); r.code != http.StatusOK && ctx.Err() == nil; r = getReady(t, p.addr) {
			time.Sleep(50 * time.Millisecond) // the bot connects in the background
		}
		if r.Status != "ready" || r.Parts["store"] != "ok" || r.Parts["telegram"] != "ok" {
			t.Errorf("/readyz = %d %+v", r.code, r)
		}
		if _, ok := r.Parts["phone"]; ok {
			t.Errorf("/readyz checks the phone, which is not configured: %v", r.Parts)
		}
		// Requests are counted by the pattern that matched, never by path.
		resp, err := http.Get("http://" + p.addr + "/no/such/path/0912345678")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		metrics := get(t, "http://"+p.addr+"/metrics")
		for _, want := range []string{`hotline_http_requests_total{route="GET /readyz",status="200"}`, `hotline_channel_up{channel="telegram"} 1`,
			`hotline_http_request_duration_seconds_bucket{route="GET /readyz"`} {
			if !strings.Contains(metrics, want) {
				t.Errorf("/metrics lacks %q", want)
			}
		}
		if strings.Contains(metrics, "0912345678") {
			t.Error("/metrics has a label made from a request path")
		}
	})
}
