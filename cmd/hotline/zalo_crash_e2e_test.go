// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"net"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/chatbot/zalotest"
	"github.com/hotline-cchc/hotline/tickets"
)

// Burst of the Zalo crash test: look-ups from citizens, round robin.
const (
	zaloBurstUsers  = 20
	zaloBurstEvents = 600
)

// A burst of 600 look-ups from 20 Zalo citizens, with serve killed (SIGKILL)
// twice in the middle and started again on the same address: every event
// Zalo delivered — answered 200, or retried while serve was down — is
// answered, and none is handled twice; only replies the outbox had sent but
// not recorded when the process died may arrive again.
func TestZaloBurstSurvivesKills(t *testing.T) {
	bin, env := binary(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	for i, kv := range env {
		if strings.HasPrefix(kv, "HOTLINE_HTTP_ADDR=") {
			env[i] = "HOTLINE_HTTP_ADDR=" + addr
		}
	}
	retries := make([]time.Duration, 40)
	for i := range retries {
		retries[i] = 250 * time.Millisecond
	}
	fake := zalotest.New(zalotest.Options{AppID: e2eZaloApp, OAID: e2eZaloOA, AppSecret: e2eZaloAppSecret, OASecret: e2eZaloOAKey,
		RetryDelays: retries})
	defer fake.Close()
	env = append(env, "HOTLINE_ZALO_APP_ID="+e2eZaloApp, "HOTLINE_ZALO_OA_ID="+e2eZaloOA,
		"HOTLINE_ZALO_API="+fake.URL, "HOTLINE_ZALO_OAUTH="+fake.URL, "HOTLINE_ZALO_BUSINESS="+fake.URL,
		"HOTLINE_ZALO_APP_SECRET="+e2eZaloAppSecret, "HOTLINE_ZALO_OA_SECRET_KEY="+e2eZaloOAKey, "HOTLINE_ZALO_REFRESH_TOKEN=refresh-0")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	p := startServe(t, ctx, bin, env)
	fake.Hook("http://" + addr + "/zalo/webhook")
	codes := map[string]bool{}
	for k := 0; len(codes) < zaloBurstEvents; k++ {
		c := tickets.NewCode()
		if codes[c.Grouped()] {
			continue
		}
		codes[c.Grouped()] = true
		fake.Text(zaloUser(k%zaloBurstUsers), string(c))
	}
	kills := 0
	for _, n := range []int{100, 350} {
		for zaloSent(fake) < n && ctx.Err() == nil {
			time.Sleep(5 * time.Millisecond)
		}
		p.cmd.Process.Signal(syscall.SIGKILL)
		<-p.copied
		p.cmd.Wait()
		kills++
		p = startServe(t, ctx, bin, env)
	}
	if _, err := fake.WaitDeliveries(ctx, zaloBurstEvents); err != nil {
		t.Fatal(err)
	}
	answers := map[string]int{}
	re := regexp.MustCompile(`Không tìm thấy phiếu có mã (\d{3} \d{3} \d{3})`)
	for len(answers) < len(codes) && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
		answers = map[string]int{}
		for u := range zaloBurstUsers {
			for _, m := range fake.SentTo(zaloUser(u)) {
				if g := re.FindStringSubmatch(m.Text); g != nil {
					answers[g[1]]++
				}
			}
		}
	}
	p.stop(t)
	again := 0
	for c := range codes {
		if answers[c] == 0 {
			t.Errorf("look-up %s never answered", c)
		}
		again += max(0, answers[c]-1)
	}
	t.Logf("%d events, %d kills: %d replies sent again", zaloBurstEvents, kills, again)
	if again > kills*outboxInFlight {
		t.Errorf("%d replies sent again after %d kills: more than the outbox had in flight", again, kills)
	}
	retried := 0
	for _, d := range fake.Deliveries() {
		if !d.OK {
			t.Errorf("delivery %+v never answered 200", d)
		}
		if d.Attempts > 1 {
			retried++
		}
	}
	t.Logf("%d events delivered again by Zalo while serve was down", retried)
}

func zaloUser(i int) string { return "84710000000000" + string(rune('A'+i)) }

func zaloSent(fake *zalotest.Server) int {
	n := 0
	for u := range zaloBurstUsers {
		n += len(fake.SentTo(zaloUser(u)))
	}
	return n
}
