// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"encoding/json"
	"io"
	"os/exec"
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

const e2eToken = "987654321:AAF-e2e-token-never-in-logs"

// serveProcess is a running "hotline serve".
type serveProcess struct {
	cmd    *exec.Cmd
	addr   string
	logs   *syncBuffer
	copied chan struct{} // closed once the whole log has been read
}

// stop sends SIGTERM and waits for the process and the end of its log.
func (p *serveProcess) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-p.copied
	if err := p.cmd.Wait(); err != nil {
		t.Errorf("serve after SIGTERM: %v\n%s", err, p.logs)
	}
}

func startServe(t *testing.T, ctx context.Context, bin string, env []string) *serveProcess {
	t.Helper()
	cmd := exec.CommandContext(ctx, bin, "serve")
	cmd.Env = env
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serveProcess{cmd: cmd, logs: &syncBuffer{}, copied: make(chan struct{})}
	p.addr = waitForLine(t, io.TeeReader(stderr, p.logs), regexp.MustCompile(`msg=listening addr=(\S+)`))
	go func() {
		defer close(p.copied)
		io.Copy(p.logs, stderr)
	}()
	return p
}

// TestServeTelegram runs the real binary against the fake Bot API: a
// conversation interrupted by a crash resumes after a restart, the ticket
// reaches the department's chat, and an answer written by another process
// (the CLI) reaches the citizen.
func TestServeTelegram(t *testing.T) {
	bin, env := binary(t)
	fake := telegramtest.New(e2eToken)
	defer fake.Close()
	env = append(env, "HOTLINE_TELEGRAM_TOKEN="+e2eToken, "HOTLINE_TELEGRAM_API="+fake.URL,
		"HOTLINE_TELEGRAM_DEPARTMENT_CHATS=van-phong-ubnd-tinh=-1001")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	wait := func(chat int64, n int) telegramtest.Message {
		t.Helper()
		ms, err := fake.WaitSent(ctx, chat, n)
		if err != nil {
			t.Fatalf("message %d in chat %d: %v (have %d)", n, chat, err, len(ms))
		}
		return ms[n-1]
	}
	const citizen = 42
	first := startServe(t, ctx, bin, env)
	fake.Text(citizen, "/start")
	menu := wait(citizen, 1)
	fake.Press(citizen, citizen, menu.ID, "b:4")
	wait(citizen, 2)
	fake.Text(citizen, "Hồ sơ đăng ký kinh doanh nộp trực tuyến bị trả lại ba lần")
	wait(citizen, 3)
	// A crash between a send and its record sends that message again after
	// the restart (at least once); kill the process after the record.
	db, err := sqlite.Open(ctx, filepath.Join(dataDir(env), dbFile))
	if err != nil {
		t.Fatal(err)
	}
	for {
		out, err := db.Outbox(ctx, tickets.ChannelTelegram, time.Now().Add(time.Hour), 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(out) == 0 {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("the outbox never emptied")
		case <-time.After(5 * time.Millisecond):
		}
	}
	db.Close()
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.cmd.Wait()

	second := startServe(t, ctx, bin, env)
	fake.Location(citizen, 10.77, 106.7)
	wait(citizen, 4)
	fake.Text(citizen, "Bỏ qua")
	summary := wait(citizen, 6)
	if !strings.Contains(summary.Text, "bị trả lại ba lần") {
		t.Fatalf("after the restart the summary is %q", summary.Text)
	}
	fake.Press(citizen, citizen, summary.ID, "ok")
	created := wait(citizen, 7)
	m := regexp.MustCompile(`Mã phiếu: (\d{3} \d{3} \d{3})`).FindStringSubmatch(created.Text)
	if m == nil {
		t.Fatalf("no code in %q", created.Text)
	}
	code, _ := tickets.ParseCode(m[1])
	if notice := wait(-1001, 1); !strings.Contains(notice.Text, code.Grouped()) {
		t.Errorf("department chat got %q", notice.Text)
	}
	var h health
	if err := json.Unmarshal([]byte(get(t, "http://"+second.addr+"/healthz")), &h); err != nil || h.Telegram != "polling" {
		t.Errorf("/healthz telegram = %q, %v", h.Telegram, err)
	}
	cli := exec.CommandContext(ctx, bin, "tickets", "answer", string(code), "--text", "Đề nghị anh bổ sung bản sao giấy phép.")
	cli.Env = env
	if out, err := cli.CombinedOutput(); err != nil {
		t.Fatalf("tickets answer: %v\n%s", err, out)
	}
	if answer := wait(citizen, 8); !strings.Contains(answer.Text, "bổ sung bản sao giấy phép") {
		t.Errorf("the citizen got %q", answer.Text)
	}
	show := exec.CommandContext(ctx, bin, "tickets", "show", string(code))
	show.Env = env
	if out, err := show.CombinedOutput(); err != nil || !strings.Contains(string(out), "vị trí 10.770000,106.700000") ||
		!strings.Contains(string(out), "Trả lời công dân") {
		t.Errorf("tickets show: %v\n%s", err, out)
	}
	if cs := fake.Commands(); len(cs) != 4 {
		t.Errorf("commands = %+v", cs)
	}
	second.stop(t)
	for _, p := range []*serveProcess{first, second} {
		if strings.Contains(p.logs.String(), e2eToken) || strings.Contains(p.logs.String(), "e2e-token") {
			t.Errorf("the log shows the token:\n%s", p.logs)
		}
	}
	if !strings.Contains(second.logs.String(), "telegram bot connected") {
		t.Errorf("log lacks the bot's start:\n%s", second.logs)
	}
}
