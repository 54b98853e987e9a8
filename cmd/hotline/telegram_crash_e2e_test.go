// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/chatbot/telegramtest"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

// Burst of the crash test: updates from chats, round robin.
const (
	burstChats   = 100
	burstUpdates = 3000
	// outboxInFlight bounds the replies the outbox has sent but not yet
	// recorded when the process is killed; those are sent again after the
	// restart (delivery is at least once). chatbot's defaultWorkers.
	outboxInFlight = 128
)

// A burst of 3,000 look-ups from 100 chats, with serve killed (SIGKILL)
// three times in the middle: every update is answered, none is skipped,
// and none is handled twice. Each look-up names a different code, so each
// reply names its update; a reply sent twice can only be one the outbox had
// sent when the process died.
func TestTelegramBurstSurvivesKills(t *testing.T) {
	bin, env := binary(t)
	fake := telegramtest.New(e2eToken)
	defer fake.Close()
	env = append(env, "HOTLINE_TELEGRAM_TOKEN="+e2eToken, "HOTLINE_TELEGRAM_API="+fake.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	codes := map[string]bool{} // grouped, as the reply shows it
	for k := 0; len(codes) < burstUpdates; k++ {
		c := tickets.NewCode()
		if codes[c.Grouped()] {
			continue
		}
		codes[c.Grouped()] = true
		fake.Text(int64(1000+k%burstChats), "/status "+string(c))
	}
	p := startServe(t, ctx, bin, env)
	kills := 0
	for _, n := range []int{200, 1000, 2000} {
		if err := fake.WaitFor(ctx, func(v telegramtest.View) bool { return sentTotal(v) >= n }); err != nil {
			t.Fatalf("waiting for %d replies: %v\n%s", n, err, p.logs)
		}
		if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-p.copied
		p.cmd.Wait()
		kills++
		p = startServe(t, ctx, bin, env)
	}
	waitQuiet(t, ctx, fake, filepath.Join(dataDir(env), dbFile))
	p.stop(t)

	answers := map[string]int{}
	re := regexp.MustCompile(`Không tìm thấy phiếu có mã (\d{3} \d{3} \d{3})`)
	for chat := int64(1000); chat < 1000+burstChats; chat++ {
		for _, m := range fake.Sent(chat) {
			if g := re.FindStringSubmatch(m.Text); g != nil {
				answers[g[1]]++
			} else {
				t.Errorf("chat %d got %q", chat, m.Text)
			}
		}
	}
	var unanswered, again int
	for c := range codes {
		switch n := answers[c]; {
		case n == 0:
			unanswered++
		case n > 1:
			again += n - 1
		}
	}
	t.Logf("%d updates, %d kills: %d unanswered, %d replies sent again", burstUpdates, kills, unanswered, again)
	if unanswered > 0 {
		t.Errorf("%d of %d updates were never answered", unanswered, burstUpdates)
	}
	if again > kills*outboxInFlight {
		t.Errorf("%d replies sent again after %d kills: more than the outbox had in flight (%d each)", again, kills, outboxInFlight)
	}
}

// sentTotal is how many messages the bot sent to the burst's chats.
func sentTotal(v telegramtest.View) int {
	n := 0
	for chat := int64(1000); chat < 1000+burstChats; chat++ {
		n += len(v.Sent(chat))
	}
	return n
}

// waitQuiet waits until Telegram has no unconfirmed update (every one was
// handled, or skipped) and the outbox of the database at path is empty.
func waitQuiet(t *testing.T, ctx context.Context, fake *telegramtest.Server, path string) {
	t.Helper()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for {
		pending := fake.Pending() // first: 0 means every reply is queued
		out, err := db.Outbox(ctx, tickets.ChannelTelegram, time.Now().Add(time.Hour), 1)
		if err != nil {
			t.Fatal(err)
		}
		if pending == 0 && len(out) == 0 {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("still %d updates unconfirmed, %d replies queued", fake.Pending(), len(out))
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// An update the bot cannot decode (its message is a string) is skipped and
// logged with its id; the look-up after it is answered at once, not after
// retries.
func TestTelegramSkipsMalformedUpdate(t *testing.T) {
	bin, env := binary(t)
	fake := telegramtest.New(e2eToken)
	defer fake.Close()
	env = append(env, "HOTLINE_TELEGRAM_TOKEN="+e2eToken, "HOTLINE_TELEGRAM_API="+fake.URL)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	bad, err := fake.PushRaw(`{"message":"oops"}`)
	if err != nil {
		t.Fatal(err)
	}
	const citizen = 77
	fake.Text(citizen, "/help")
	p := startServe(t, ctx, bin, env)
	if _, err := fake.WaitSent(ctx, citizen, 1); err != nil {
		t.Fatalf("the update after a malformed one was not answered: %v\n%s", err, p.logs)
	}
	if m := get(t, "http://"+p.addr+"/metrics"); !strings.Contains(m, `hotline_updates_skipped_total{channel="telegram"} 1`) {
		t.Errorf("/metrics does not count the skipped update:\n%s", grepLines(m, "skipped"))
	}
	p.stop(t)
	want := fmt.Sprintf(`level=WARN msg="telegram: skipped an update that cannot be decoded" channel=telegram update_id=%d `, bad)
	if !strings.Contains(p.logs.String(), want) {
		t.Errorf("the log lacks %q:\n%s", want, p.logs)
	}
	if strings.Contains(p.logs.String(), "receive updates") {
		t.Errorf("receiving failed:\n%s", p.logs)
	}
}
