// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/chatbot/zalotest"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

const (
	e2eZaloApp       = "1234567890123"
	e2eZaloOA        = "9876543210987"
	e2eZaloAppSecret = "zalo-app-secret-never-in-logs"
	e2eZaloOAKey     = "zalo-oa-key-never-in-logs"
)

// zaloServe returns a fake OA and the environment that points serve at it.
func zaloServe(t *testing.T, env []string) (*zalotest.Server, []string) {
	t.Helper()
	fake := zalotest.New(zalotest.Options{AppID: e2eZaloApp, OAID: e2eZaloOA, AppSecret: e2eZaloAppSecret, OASecret: e2eZaloOAKey,
		Templates: []string{"tpl-answer", "tpl-received"}, RetryDelays: []time.Duration{200 * time.Millisecond, time.Second, 2 * time.Second}})
	t.Cleanup(fake.Close)
	return fake, append(env, "HOTLINE_ZALO_APP_ID="+e2eZaloApp, "HOTLINE_ZALO_OA_ID="+e2eZaloOA,
		"HOTLINE_ZALO_API="+fake.URL, "HOTLINE_ZALO_OAUTH="+fake.URL, "HOTLINE_ZALO_BUSINESS="+fake.URL,
		"HOTLINE_ZALO_APP_SECRET="+e2eZaloAppSecret, "HOTLINE_ZALO_OA_SECRET_KEY="+e2eZaloOAKey,
		"HOTLINE_ZALO_REFRESH_TOKEN=refresh-0", "HOTLINE_ZALO_TEMPLATE_ANSWERED=tpl-answer", "HOTLINE_ZALO_TEMPLATE_RECEIVED=tpl-received")
}

// TestServeZalo runs the real binary against the fake OA: a citizen
// follows, picks a branch with a button, describes, shares their phone
// through request_user_info — serve killed (SIGKILL) as soon as that event
// is answered 200 — and after the restart confirms and gets the code; a
// look-up delivered three times is answered once; an answer written by the
// CLI reaches them as a reply, and a resolution Zalo refuses (-230) as the
// template message to the phone they shared.
func TestServeZalo(t *testing.T) {
	bin, env := binary(t)
	fake, env := zaloServe(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	const user = "8471000000000000001"
	wait := func(n int) zalotest.Sent {
		t.Helper()
		ms, err := fake.WaitSent(ctx, user, n)
		if err != nil {
			t.Fatalf("message %d: %v (have %d)", n, err, len(ms))
		}
		return ms[n-1]
	}
	first := startServe(t, ctx, bin, env)
	fake.Hook("http://" + first.addr + "/zalo/webhook")
	fake.Follow(user)
	if menu := wait(1); !strings.Contains(menu.Text, "Xin chào") || len(menu.Buttons) != 9 || menu.Buttons[3].Payload != "#hl:b:4" {
		t.Fatalf("greeting = %+v", menu)
	}
	fake.Tap(user, "#hl:b:4")
	wait(2)
	fake.Text(user, "Hồ sơ đăng ký kinh doanh nộp trực tuyến bị trả lại ba lần")
	if card := wait(4); !card.AskInfo {
		t.Fatalf("no request_user_info card: %+v", card)
	}
	fake.SubmitInfo(user, "Nguyễn Văn A", "84912345678")
	if _, err := fake.WaitDeliveries(ctx, 4); err != nil {
		t.Fatal(err)
	}
	first.cmd.Process.Signal(syscall.SIGKILL) // answered 200: stored, maybe not handled
	<-first.copied
	first.cmd.Wait()

	second := startServe(t, ctx, bin, env)
	fake.Hook("http://" + second.addr + "/zalo/webhook")
	// A message sent before the kill whose record was not yet committed
	// (the consent card, say) may come once more: the outbox sends at least
	// once. So after the restart each reply is found by what it says.
	in := &zaloInbox{t: t, ctx: ctx, fake: fake, user: user, next: 5}
	summary := in.waitFor(func(m zalotest.Sent) bool { return strings.Contains(m.Text, "84912345678") })
	if len(summary.Buttons) != 3 {
		t.Fatalf("summary after the restart = %+v", summary)
	}
	fake.Tap(user, "#hl:ok")
	created := in.waitFor(zaloSays("Mã phiếu"))
	m := regexp.MustCompile(`Mã phiếu: (\d{3} \d{3} \d{3})`).FindStringSubmatch(created.Text)
	if m == nil {
		t.Fatalf("no code in %q", created.Text)
	}
	code, _ := tickets.ParseCode(m[1])
	lookUp := fmt.Appendf(nil, `{"app_id":%q,"event_name":"user_send_text","sender":{"id":%q},"recipient":{"id":%q},"message":{"msg_id":"dup-1","text":%q},"timestamp":"%d"}`,
		e2eZaloApp, user, e2eZaloOA, string(code), time.Now().UnixMilli())
	fake.Deliver(lookUp, 3)
	in.waitFor(zaloSays("Tình trạng"))
	zaloCLI(t, ctx, bin, env, "tickets", "answer", string(code), "--text", "Đề nghị anh bổ sung bản sao giấy phép.")
	in.waitFor(zaloSays("bổ sung bản sao giấy phép"))
	fake.Fail(zalotest.Fault{Path: "/v3.0/oa/message/cs", Code: -230})
	zaloCLI(t, ctx, bin, env, "tickets", "assign", string(code), "--department", "van-phong-ubnd-tinh")
	zaloCLI(t, ctx, bin, env, "tickets", "start", string(code))
	zaloCLI(t, ctx, bin, env, "tickets", "resolve", string(code), "--note", "Hồ sơ đã được duyệt.")
	for len(fake.Templates()) == 0 && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
	}
	if ts := fake.Templates(); len(ts) != 1 || ts[0].Phone != "84912345678" || ts[0].Data["ma_phieu"] != string(code) {
		t.Errorf("templates = %+v", ts)
	}
	looks := 0
	for _, m := range fake.SentTo(user) {
		if strings.Contains(m.Text, "Tình trạng") {
			looks++
		}
	}
	if looks != 1 {
		t.Errorf("the look-up delivered three times was answered %d times, want once", looks)
	}
	metrics := get(t, "http://"+second.addr+"/metrics")
	for _, want := range []string{`hotline_zalo_templates_total{channel="zalo"} 1`, `hotline_zalo_events_duplicate_total{channel="zalo"} 2`,
		`hotline_channel_up{channel="zalo"} 1`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	var h health
	if err := json.Unmarshal([]byte(get(t, "http://"+second.addr+"/healthz")), &h); err != nil || h.Zalo != "running" {
		t.Errorf("/healthz zalo = %q, %v", h.Zalo, err)
	}
	second.stop(t)
	for _, p := range []*serveProcess{first, second} {
		for _, secret := range []string{e2eZaloAppSecret, e2eZaloOAKey, "refresh-0"} {
			if strings.Contains(p.logs.String(), secret) {
				t.Errorf("the log shows a secret:\n%s", p.logs)
			}
		}
	}
}

func zaloCLI(t *testing.T, ctx context.Context, bin string, env []string, args ...string) {
	t.Helper()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// hotline zalo authorize trades the pasted code for tokens and stores them,
// and serve then works with them, without ZALO_REFRESH_TOKEN.
func TestZaloAuthorize(t *testing.T) {
	bin, env := binary(t)
	fake, env := zaloServe(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "zalo", "authorize", "--redirect", "https://hotline.example.gov.vn/zalo/callback")
	cmd.Env = env
	cmd.Stdin = strings.NewReader("https://hotline.example.gov.vn/zalo/callback?code=" + fake.AuthorizationCode() + "&state=x\n")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "/v4/oa/permission?") || !strings.Contains(string(out), "The OA is authorised") {
		t.Fatalf("zalo authorize: %v\n%s", err, out)
	}
	db, err := sqlite.Open(ctx, filepath.Join(dataDir(env), dbFile))
	if err != nil {
		t.Fatal(err)
	}
	tok, ok, err := db.ZaloToken(ctx)
	db.Close()
	if err != nil || !ok || tok.Source != "authorize" || !fake.RefreshTokenValid(tok.Refresh) {
		t.Fatalf("stored token = %+v, %v, %v", tok, ok, err)
	}
	var noSeed []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "HOTLINE_ZALO_REFRESH_TOKEN=") {
			noSeed = append(noSeed, kv)
		}
	}
	p := startServe(t, ctx, bin, noSeed)
	fake.Hook("http://" + p.addr + "/zalo/webhook")
	fake.Follow("u1")
	if _, err := fake.WaitSent(ctx, "u1", 1); err != nil {
		t.Fatal(err)
	}
	if body := get(t, "http://"+p.addr+"/readyz"); !strings.Contains(body, "zalo") {
		t.Errorf("/readyz = %s", body)
	}
	p.stop(t)
}

// A phone caller whose number is known gets their code after the call and
// the answer when it is written, as template messages to that number, one
// per outbox item (its tracking id).
func TestZaloPhoneCaller(t *testing.T) {
	bin, env := binary(t)
	fake, env := zaloServe(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p := startServe(t, ctx, bin, env)
	cmd := exec.CommandContext(ctx, bin, "tickets", "new", "--branch", "4", "--channel", "phone",
		"--text", "Ghi âm cuộc gọi", "--phone", "0912345678")
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	m := regexp.MustCompile(`\d{9}`).FindString(strings.ReplaceAll(string(out), " ", ""))
	if err != nil || m == "" {
		t.Fatalf("tickets new: %v\n%s", err, out)
	}
	zaloCLI(t, ctx, bin, env, "tickets", "answer", m, "--text", "Hồ sơ của ông đã được tiếp nhận lại.")
	for len(fake.Templates()) < 2 && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
	}
	byTemplate := map[string]zalotest.TemplateSent{}
	for _, ts := range fake.Templates() {
		byTemplate[ts.TemplateID] = ts
	}
	if r := byTemplate["tpl-received"]; r.Phone != "84912345678" || r.Data["ma_phieu"] != m || r.Data["han_giai_quyet"] == "" {
		t.Errorf("received template = %+v", r)
	}
	if a := byTemplate["tpl-answer"]; a.Phone != "84912345678" || !strings.Contains(a.Data["noi_dung"], "tiếp nhận lại") {
		t.Errorf("answer template = %+v", a)
	}
	p.stop(t)
}

// A refresh token Zalo refuses makes /readyz fail, naming the command that
// authorises the OA again, and hotline_channel_up{channel="zalo"} 0.
func TestZaloReadyDeadToken(t *testing.T) {
	bin, env := binary(t)
	_, env = zaloServe(t, env)
	for i, kv := range env {
		if strings.HasPrefix(kv, "HOTLINE_ZALO_REFRESH_TOKEN=") {
			env[i] = "HOTLINE_ZALO_REFRESH_TOKEN=refresh-used-elsewhere"
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p := startServe(t, ctx, bin, env)
	r := getReady(t, p.addr)
	for r.Parts["zalo"] == "" || strings.Contains(r.Parts["zalo"], "not loaded") {
		if ctx.Err() != nil {
			t.Fatalf("/readyz = %+v", r)
		}
		time.Sleep(20 * time.Millisecond)
		r = getReady(t, p.addr)
	}
	if r.code != http.StatusServiceUnavailable || !strings.Contains(r.Parts["zalo"], "hotline zalo authorize") {
		t.Errorf("/readyz = %d %+v", r.code, r)
	}
	if m := get(t, "http://"+p.addr+"/metrics"); !strings.Contains(m, `hotline_channel_up{channel="zalo"} 0`) {
		t.Errorf("/metrics lacks the zalo channel down")
	}
	p.stop(t)
}

// zaloInbox reads the messages a fake OA user got, in order.
type zaloInbox struct {
	t    *testing.T
	ctx  context.Context
	fake *zalotest.Server
	user string
	next int // the number of the next message to read, from 1
}

// waitFor returns the first message from the next one on that has want,
// waiting for it; the messages before it are passed over.
func (in *zaloInbox) waitFor(want func(zalotest.Sent) bool) zalotest.Sent {
	in.t.Helper()
	for ; ; in.next++ {
		ms, err := in.fake.WaitSent(in.ctx, in.user, in.next)
		if err != nil {
			in.t.Fatalf("message %d: %v (have %d)", in.next, err, len(ms))
		}
		if m := ms[in.next-1]; want(m) {
			in.next++
			return m
		}
	}
}

// zaloSays matches a message whose text contains s.
func zaloSays(s string) func(zalotest.Sent) bool {
	return func(m zalotest.Sent) bool { return strings.Contains(m.Text, s) }
}
