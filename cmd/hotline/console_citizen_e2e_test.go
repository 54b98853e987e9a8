// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/chatbot/telegramtest"
)

// signIn returns a client signed in to the console at base as name.
func signIn(t *testing.T, base, name, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	res, err := c.PostForm(base+"/login", url.Values{"name": {name}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if len(jar.Cookies(res.Request.URL)) == 0 {
		t.Fatalf("sign-in as %s: no session (%d)", name, res.StatusCode)
	}
	return c
}

// page requests path of the console with c (a form post if form is not
// nil) and returns the page; anything but 200 fails the test.
func page(t *testing.T, c *http.Client, base, path string, form url.Values) string {
	t.Helper()
	var res *http.Response
	var err error
	if form != nil {
		res, err = c.PostForm(base+path, form)
	} else {
		res, err = c.Get(base + path)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d\n%s", path, res.StatusCode, b)
	}
	return string(b)
}

// fileWithPhone has citizen file a ticket of branch 1 by chat, with a place
// and the phone number shared for a call-back, and returns its code.
func fileWithPhone(t *testing.T, ctx context.Context, fake *telegramtest.Server, citizen int64, phone string, lat, lon float64) string {
	t.Helper()
	n := 0
	next := func() telegramtest.Message {
		t.Helper()
		n++
		return waitSent(t, ctx, fake, citizen, n)[n-1]
	}
	fake.Text(citizen, "/start")
	fake.Press(citizen, citizen, next().ID, "b:1")
	next()
	fake.Text(citizen, "Hồ sơ cấp phép xây dựng đã quá hạn")
	next()
	fake.Location(citizen, lat, lon)
	next()
	fake.Contact(citizen, phone, true)
	for {
		m := next()
		if slices.ContainsFunc(m.Buttons(), func(row []string) bool { return slices.Contains(row, "ok") }) {
			fake.Press(citizen, citizen, m.ID, "ok")
			break
		}
	}
	re := regexp.MustCompile(`Mã phiếu: (\d{3}) (\d{3}) (\d{3})`)
	for {
		if m := re.FindStringSubmatch(next().Text); m != nil {
			return m[1] + m[2] + m[3]
		}
	}
}

// A Telegram citizen shares a phone number and a place, then blocks the
// bot: the focal point's answer fails, and the console shows why on the
// ticket and in the queue; the place shows only behind the audited reveal,
// which gives the shared number; the API answers local times.
func TestConsoleCitizenThroughTheBinary(t *testing.T) {
	bin, env, fake, ctx := outboxEnv(t)
	const citizen, phone, pw = 56, "0912345678", "mật khẩu của chị Lan"
	if code, out := hotline(t, ctx, bin, env, pw+"\n", "users", "add", "lan", "--role", "focal", "--department", "so-noi-vu"); code != 0 {
		t.Fatalf("users add: %s", out)
	}
	p := startServe(t, ctx, bin, env)
	defer p.stop(t)
	base := "http://" + p.addr
	code := fileWithPhone(t, ctx, fake, citizen, phone, 10.7769, 106.7009)
	const place = "10.776900,106.700900"
	fake.Block(citizen, true)
	c := signIn(t, base, "lan", pw)
	ticket := "/tickets/" + code
	if b := page(t, c, base, ticket, nil); strings.Contains(b, phone) || strings.Contains(b, place) || !strings.Contains(b, "*******678") {
		t.Errorf("before the reveal the page shows the number or the place, or not the number masked:\n%s", b)
	}
	for _, a := range []string{"take", "start", "answer"} {
		page(t, c, base, ticket+"/"+a, url.Values{"note": {"Mời anh bổ sung giấy hẹn."}})
	}
	const title, reason = "Chưa gửi được trả lời — hãy liên hệ công dân", "Công dân đã chặn hoặc rời cuộc trò chuyện với bot."
	for b := page(t, c, base, ticket, nil); !strings.Contains(b, title); b = page(t, c, base, ticket, nil) {
		select {
		case <-ctx.Done():
			t.Fatalf("the ticket page never showed the failed answer:\n%s\n%s", b, p.logs)
		case <-time.After(50 * time.Millisecond):
		}
	}
	if b := page(t, c, base, ticket, nil); !strings.Contains(b, reason) {
		t.Errorf("the ticket page lacks the reason:\n%s", b)
	}
	if b := page(t, c, base, "/", nil); !strings.Contains(b, title) || !strings.Contains(b, reason) {
		t.Errorf("the queue lacks the failed answer:\n%s", b)
	}
	b := page(t, c, base, ticket+"/contact", url.Values{})
	for _, want := range []string{`href="tel:` + phone + `"`, "Vị trí: " + place} {
		if !strings.Contains(b, want) {
			t.Errorf("the reveal lacks %q:\n%s", want, b)
		}
	}
	checkAPI(t, ctx, bin, env, base, code, reason)
}

// checkAPI reads the ticket code through the API as lan: local times, the
// failed answer's reason, and the reveal's shared number.
func checkAPI(t *testing.T, ctx context.Context, bin string, env []string, base, code, reason string) {
	t.Helper()
	_, out := hotline(t, ctx, bin, env, "", "users", "token", "lan")
	token := regexp.MustCompile(`hlt_\S+`).FindString(out)
	call := func(method, path string, v any) {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, method, base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if err := json.NewDecoder(res.Body).Decode(v); err != nil || res.StatusCode != 200 {
			t.Fatalf("%s %s: %d %v", method, path, res.StatusCode, err)
		}
	}
	var tk struct {
		Deadline string
		Delivery struct{ State, Reason string }
	}
	call("GET", "/api/v1/tickets/"+code, &tk)
	if !strings.HasSuffix(tk.Deadline, "+07:00") || tk.Delivery.State != "failed" || tk.Delivery.Reason != reason {
		t.Errorf("API ticket: %+v", tk)
	}
	var who struct{ Phone string }
	if call("POST", "/api/v1/tickets/"+code+"/contact", &who); who.Phone != "0912345678" {
		t.Errorf("API reveal: %+v", who)
	}
	_, out = hotline(t, ctx, bin, env, "", "tickets", "show", code, "--json")
	var cli struct{ Deadline string }
	if err := json.Unmarshal([]byte(out), &cli); err != nil || !strings.HasSuffix(cli.Deadline, "+07:00") {
		t.Errorf("tickets show --json: %q, %v", cli.Deadline, err)
	}
}
