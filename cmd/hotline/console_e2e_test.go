// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hotline-cchc/hotline/chatbot/telegramtest"
	"github.com/hotline-cchc/hotline/tickets"
)

// chromium returns the path of Debian's chromium. Without it the test is
// skipped on a developer's machine, but fails under CI, which installs it
// (.ci/deps).
func chromium(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("chromium is missing under CI: .ci/deps should have installed it (%v)", err)
		}
		t.Skip("chromium is not installed (apt-get install chromium); the console's browser test is skipped")
	}
	return path
}

// browser starts a headless chromium with a fresh profile (chromedp makes a
// temporary --user-data-dir and removes it once the browser has exited) and
// returns its context.
func browser(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(412, 915), // a phone's screen
	}
	actx, cancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancel)
	bctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(cancelB)
	return bctx
}

// TestConsoleInBrowser: a citizen files a ticket with a document by
// Telegram; a focal point signs in to the console in a real browser (on a
// phone-sized window), takes, answers and resolves it; the answer and the
// resolution reach the citizen through the fake Bot API, and the document
// comes through the bot to the console.
func TestConsoleInBrowser(t *testing.T) {
	bin, env := binary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	bctx := browser(t, ctx)
	fake := telegramtest.New(e2eToken)
	defer fake.Close()
	env = append(env, "HOTLINE_TELEGRAM_TOKEN="+e2eToken, "HOTLINE_TELEGRAM_API="+fake.URL)
	run := func(stdin string, args ...string) string {
		t.Helper()
		c := exec.CommandContext(ctx, bin, args...)
		c.Env, c.Stdin = env, strings.NewReader(stdin)
		out, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("hotline %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	run("mật khẩu của chị Lan\n", "users", "add", "lan", "--role", "focal", "--department", "so-noi-vu")
	srv := startServe(t, ctx, bin, env)
	base := "http://" + srv.addr
	// The citizen files the ticket by chat, with a document.
	const citizen = 4242
	wait := func(n int) telegramtest.Message {
		t.Helper()
		ms, err := fake.WaitSent(ctx, citizen, n)
		if err != nil {
			t.Fatalf("message %d to the citizen: %v (have %d)", n, err, len(ms))
		}
		return ms[n-1]
	}
	fake.Text(citizen, "/start")
	fake.Press(citizen, citizen, wait(1).ID, "b:1")
	wait(2)
	fake.Text(citizen, "Hồ sơ cấp phép xây dựng đã quá hạn mà chưa có kết quả")
	wait(3)
	fake.Document(citizen, "giay-hen.pdf", "application/pdf", []byte("%PDF-1.4 giấy hẹn"))
	wait(4)
	fake.Text(citizen, "Bỏ qua")
	summary := wait(6)
	fake.Press(citizen, citizen, summary.ID, "ok")
	m := regexp.MustCompile(`Mã phiếu: (\d{3} \d{3} \d{3})`).FindStringSubmatch(wait(7).Text)
	if m == nil {
		t.Fatalf("no ticket code in %q", fake.Sent(citizen)[6].Text)
	}
	code, err := tickets.ParseCode(m[1])
	if err != nil {
		t.Fatal(err)
	}
	tk := ticketJSON{Code: string(code)}
	sentBefore := len(fake.Sent(citizen))
	const answer = "Sở Nội vụ đã nhận hồ sơ, kết quả sẽ có trong 3 ngày làm việc."
	// submit runs actions that post a form and waits for the page that
	// answers it, which must be a success.
	submit := func(what string, actions ...chromedp.Action) {
		t.Helper()
		res, err := chromedp.RunResponse(bctx, actions...)
		if err != nil {
			t.Fatalf("%s: %v\n%s", what, err, srv.logs)
		}
		if res == nil || res.Status != 200 {
			t.Fatalf("%s: response %+v", what, res)
		}
	}
	if err := chromedp.Run(bctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(`#name`, chromedp.ByID)); err != nil {
		t.Fatalf("sign-in page: %v", err)
	}
	submit("sign in", chromedp.SendKeys(`#name`, "lan", chromedp.ByID),
		chromedp.SendKeys(`#password`, "mật khẩu của chị Lan", chromedp.ByID),
		chromedp.Submit(`#password`, chromedp.ByID))
	submit("open the ticket", chromedp.Click(`a[href="/tickets/`+tk.Code+`"]`, chromedp.ByQuery))
	submit("take", chromedp.Click(`form[action$="/take"] button`, chromedp.ByQuery))
	submit("start", chromedp.Click(`form[action$="/start"] button`, chromedp.ByQuery))
	submit("answer", chromedp.SendKeys(`#note-answer`, answer, chromedp.ByID),
		chromedp.Click(`form[action$="/answer"] button`, chromedp.ByQuery))
	submit("resolve", chromedp.SendKeys(`#note-resolve`, "Đã trả kết quả cho công dân.", chromedp.ByID),
		chromedp.Click(`form[action$="/resolve"] button`, chromedp.ByQuery))
	var page string
	var shot []byte
	if err := chromedp.Run(bctx, chromedp.Text(`main`, &page, chromedp.ByQuery), chromedp.FullScreenshot(&shot, 100)); err != nil {
		t.Fatalf("read the page: %v", err)
	}
	// The screenshot stays for a person to look at (testdata/out is ignored by git).
	if err := os.MkdirAll(filepath.Join("testdata", "out"), 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join("testdata", "out", "console.png")
	if err := os.WriteFile(file, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", file, len(shot))
	for _, want := range []string{"Đã giải quyết", answer, "Trả lời công dân", "lan"} {
		if !strings.Contains(page, want) {
			t.Errorf("the ticket page lacks %q:\n%s", want, page)
		}
	}
	got, want := wait(sentBefore+1).Text, wait(sentBefore+2).Text
	if !strings.Contains(got, answer) || !strings.Contains(want, "Đã trả kết quả") {
		t.Errorf("the citizen got %q and %q", got, want)
	}
	checkAttachment(t, base, tk.Code)
	srv.stop(t)
	if strings.Contains(srv.logs.String(), "4242") {
		t.Errorf("the log shows the citizen's chat id:\n%s", srv.logs)
	}
}

// checkAttachment signs in as lan with a plain HTTP client and downloads the
// ticket's first attachment, which the console fetches through the bot.
func checkAttachment(t *testing.T, base, code string) {
	t.Helper()
	c := signIn(t, base, "lan", "mật khẩu của chị Lan")
	res, err := c.Get(base + "/tickets/" + code + "/attachments/0")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || string(b) != "%PDF-1.4 giấy hẹn" || res.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("attachment: %d %q %q", res.StatusCode, res.Header.Get("Content-Type"), b)
	}
}
