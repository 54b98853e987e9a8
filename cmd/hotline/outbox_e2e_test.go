// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/chatbot/telegramtest"
	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

// outboxEnv starts a fake Bot API and returns the environment for serve.
func outboxEnv(t *testing.T) (string, []string, *telegramtest.Server, context.Context) {
	t.Helper()
	bin, env := binary(t)
	fake := telegramtest.New(e2eToken)
	t.Cleanup(fake.Close)
	env = append(env, "HOTLINE_TELEGRAM_TOKEN="+e2eToken, "HOTLINE_TELEGRAM_API="+fake.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return bin, env, fake, ctx
}

func waitSent(t *testing.T, ctx context.Context, fake *telegramtest.Server, chat int64, n int) []telegramtest.Message {
	t.Helper()
	ms, err := fake.WaitSent(ctx, chat, n)
	if err != nil {
		t.Fatalf("waiting for message %d in chat %d: %v (have %d)", n, chat, err, len(ms))
	}
	return ms
}

// metric returns the line of /metrics that starts with name, or "".
func metric(t *testing.T, p *serveProcess, name string) string {
	t.Helper()
	for _, l := range strings.Split(get(t, "http://"+p.addr+"/metrics"), "\n") {
		if strings.HasPrefix(l, name) {
			return l
		}
	}
	return ""
}

const uncertainMetric = `hotline_outbox_messages_total{channel="telegram",outcome="uncertain"}`

// SIGTERM while Telegram takes its time to answer a send: the stop waits for
// the answer and records it, so nothing is sent again after the restart.
func TestOutboxSIGTERMDuringSlowSend(t *testing.T) {
	bin, env, fake, ctx := outboxEnv(t)
	const citizen = 51
	first := startServe(t, ctx, bin, env)
	// 12 s: longer than the old 10 s shutdown grace, within outbox.send_timeout.
	fake.Fail(telegramtest.Fault{Method: "sendMessage", Chat: citizen, Delay: 12 * time.Second, Times: 1})
	fake.Text(citizen, "/help")
	waitSent(t, ctx, fake, citizen, 1) // accepted; the answer is 12 s away
	first.stop(t)
	second := startServe(t, ctx, bin, env)
	defer second.stop(t)
	fake.Text(citizen, "/help")
	if ms := waitSent(t, ctx, fake, citizen, 2); len(ms) != 2 {
		t.Errorf("the citizen got %d messages, want 2 (no repeat after SIGTERM)", len(ms))
	}
	if got := metric(t, second, uncertainMetric); got != uncertainMetric+" 0" {
		t.Errorf("uncertain after a graceful stop: %q", got)
	}
}

// SIGKILL after Telegram accepted a send but before it answered: the
// message was marked sending, so the next start sends it once more, counted
// uncertain — and only once.
func TestOutboxSIGKILLAfterAcceptance(t *testing.T) {
	bin, env, fake, ctx := outboxEnv(t)
	const citizen = 52
	first := startServe(t, ctx, bin, env)
	fake.Fail(telegramtest.Fault{Method: "sendMessage", Chat: citizen, Hang: true, Times: 1})
	fake.Text(citizen, "/help")
	waitSent(t, ctx, fake, citizen, 1)
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.cmd.Wait()
	second := startServe(t, ctx, bin, env)
	defer second.stop(t)
	ms := waitSent(t, ctx, fake, citizen, 2)
	if ms[0].Text != ms[1].Text {
		t.Errorf("the re-sent message differs: %q then %q", ms[0].Text, ms[1].Text)
	}
	fake.Text(citizen, "/status")
	if ms := waitSent(t, ctx, fake, citizen, 3); len(ms) != 3 || ms[2].Text == ms[0].Text {
		t.Errorf("after the re-send the citizen has %d messages, want 3, the last the new reply", len(ms))
	}
	if got := metric(t, second, uncertainMetric); got != uncertainMetric+" 1" {
		t.Errorf("uncertain = %q, want 1", got)
	}
	if !strings.Contains(second.logs.String(), "messages left sending by the last run are sent again") {
		t.Errorf("no warning of the uncertain re-send:\n%s", second.logs)
	}
}

// A storm of 502s, then Telegram recovers: the message is delivered, one
// warning is logged, and the retries are counted by class.
func TestOutbox502StormThenRecovery(t *testing.T) {
	bin, env, fake, ctx := outboxEnv(t)
	const citizen = 53
	p := startServe(t, ctx, bin, env)
	fake.Fail(telegramtest.Fault{Method: "sendMessage", Code: 502, Description: "Bad Gateway", Times: 3})
	fake.Text(citizen, "/help")
	ms := waitSent(t, ctx, fake, citizen, 1)
	if !strings.Contains(ms[0].Text, "/status") {
		t.Errorf("delivered %q", ms[0].Text)
	}
	if got := metric(t, p, `hotline_outbox_retries_total{channel="telegram",class="server"}`); !strings.HasSuffix(got, " 3") {
		t.Errorf("retries = %q, want 3", got)
	}
	p.stop(t)
	if n := strings.Count(p.logs.String(), "send failed; retrying"); n != 1 {
		t.Errorf("%d warnings for one message's transient failures, want 1 (the first):\n%s", n, p.logs)
	}
}

// A citizen who blocked the bot: the answer fails at once, with its reason,
// visible in "hotline outbox list", and "outbox retry" queues it again.
func TestOutbox403Failed(t *testing.T) {
	bin, env, fake, ctx := outboxEnv(t)
	const citizen = 54
	cli := func(args ...string) string {
		t.Helper()
		c := exec.CommandContext(ctx, bin, args...)
		c.Env = env
		out, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	out := cli("tickets", "new", "--branch", "4", "--channel", "telegram", "--phone", "54", "--text", "Hồ sơ bị trả lại")
	code := regexp.MustCompile(`\d{3} ?\d{3} ?\d{3}`).FindString(out)
	if code == "" {
		t.Fatalf("no code in %q", out)
	}
	code = strings.ReplaceAll(code, " ", "")
	fake.Block(citizen, true)
	p := startServe(t, ctx, bin, env)
	defer p.stop(t)
	cli("tickets", "answer", code, "--text", "Mời anh bổ sung hồ sơ.")
	for !strings.Contains(cli("outbox", "list", "--state", "failed", "--ticket", code), "blocked") {
		select {
		case <-ctx.Done():
			t.Fatalf("the answer never failed:\n%s\n%s", cli("outbox", "list"), p.logs)
		case <-time.After(50 * time.Millisecond):
		}
	}
	fake.Block(citizen, false)
	if out := cli("outbox", "retry", "--failed"); !strings.Contains(out, "queued again: 1") {
		t.Errorf("outbox retry: %q", out)
	}
	if ms := waitSent(t, ctx, fake, citizen, 1); !strings.Contains(ms[0].Text, "bổ sung hồ sơ") {
		t.Errorf("after the retry the citizen got %q", ms[0].Text)
	}
}

// /readyz's outbox check fails, naming the age, once the oldest pending
// message is older than outbox.stale_after.
func TestOutboxReady(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), dbFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a := &app{db: db, cfg: &config.Config{Outbox: config.Outbox{StaleAfter: 15 * time.Minute}}}
	if err := outboxReady(ctx, a); err != nil {
		t.Fatalf("empty outbox: %v", err)
	}
	n := tickets.Notice{Recipient: tickets.Recipient{Channel: tickets.ChannelTelegram, ID: "1"}, Kind: tickets.NoticeReply, Body: "{}"}
	if err := db.QueueNotices(ctx, time.Now().Add(-16*time.Minute), []tickets.Notice{n}); err != nil {
		t.Fatal(err)
	}
	if err := outboxReady(ctx, a); err == nil || !strings.Contains(err.Error(), "16m") {
		t.Errorf("outboxReady = %v, want the 16m wait named", err)
	}
}
