// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/ivr"
	"github.com/hotline-cchc/hotline/ivr/aritest"
	"github.com/hotline-cchc/hotline/sounds"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

// servePhone runs "hotline serve" against a fake Asterisk with the given
// ARI password and returns the HTTP address, the logs, a stop function and
// the data folder, which seed (if not nil) prepares first.
func servePhone(t *testing.T, fake *aritest.Server, password string, seed func(dir string)) (addr string, logs *syncBuffer, stop func(), dir string) {
	t.Helper()
	bin, env := binary(t)
	dir = dataDir(env)
	if seed != nil {
		seed(dir)
	}
	env = append(env, "HOTLINE_ARI_URL="+fake.URL(), "HOTLINE_ARI_USER=hotline", "HOTLINE_ARI_PASSWORD="+password)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	p := startServe(t, ctx, bin, env)
	return p.addr, p.logs, func() {
		defer cancel()
		p.stop(t)
	}, dir
}

// openData opens the store of a data folder for a test to read.
func openData(t *testing.T, dir string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// phoneState polls /healthz until its phone field is want.
func phoneState(t *testing.T, addr, want string) {
	t.Helper()
	var h health
	for i := 0; i < 500; i++ {
		if err := json.Unmarshal([]byte(get(t, "http://"+addr+"/healthz")), &h); err == nil && strings.HasPrefix(h.Phone, want) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("/healthz phone = %q, want %q", h.Phone, want)
}

// The real program answers a call through ARI, and keeps serving while
// Asterisk is gone.
func TestServePhone(t *testing.T) {
	const password = "zz9-ari-secret"
	fake, err := aritest.New(aritest.Options{User: "hotline", Password: password, Speed: 50})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	// A call left active by a run that died is closed out at start.
	addr, logs, stop, dir := servePhone(t, fake, password, func(dir string) {
		db := openData(t, dir)
		defer db.Close()
		if err := db.CreateCall(context.Background(), &tickets.Call{ChannelID: "died", StartedAt: time.Now().Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
	})
	phoneState(t, addr, "connected")
	k := fake.Call("hotline", aritest.Caller{Number: "0939015599", Keys: []string{"4"}, Say: 5 * time.Second})
	select {
	case <-k.Done():
	case <-time.After(time.Minute):
		t.Fatalf("the call did not end: %v", k.Log())
	}
	if played := k.Played(); !slices.Contains(played, "sound:hotline/ticket-code") || !slices.Contains(played, "sound:hotline/goodbye") {
		t.Errorf("played %v", played)
	}
	checkRecordingInConsole(t, addr, dir)
	fake.Close()
	phoneState(t, addr, "disconnected")
	stop()
	db := openData(t, dir)
	defer db.Close()
	if calls, err := db.CountCalls(context.Background()); err != nil || calls[tickets.OutcomeFault] != 1 ||
		calls[tickets.OutcomeTicket] != 1 || calls[tickets.OutcomeActive] != 0 {
		t.Errorf("calls by outcome = %v, %v; want the dead run's call a fault and this one ticketed", calls, err)
	}
	for _, want := range []string{"phone channel starting", "ari connected", "ticket created", "caller=*******599", "ari disconnected",
		"calls left active by an earlier run closed as a fault (those still up are taken over)"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q", want)
		}
	}
	for _, secret := range []string{password, "0939015599"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the log shows %q:\n%s", secret, logs)
		}
	}
}

func TestServePhoneWrongPassword(t *testing.T) {
	fake, err := aritest.New(aritest.Options{User: "hotline", Password: "right"})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	addr, logs, stop, _ := servePhone(t, fake, "wrong-zz9", nil)
	phoneState(t, addr, "error: Asterisk refused")
	stop()
	if strings.Contains(logs.String(), "wrong-zz9") {
		t.Errorf("the log shows the password:\n%s", logs)
	}
}

// checkRecordingInConsole signs in to the console as an admin and plays the
// recording of the one ticket in dir's store: the file stays on the (fake)
// Asterisk server and is fetched through ARI.
func checkRecordingInConsole(t *testing.T, addr, dir string) {
	t.Helper()
	bin, env := binary(t)
	env = append(env, "HOTLINE_DATA="+dir) // the later one wins
	add := exec.Command(bin, "users", "add", "admin", "--role", "admin")
	add.Env, add.Stdin = env, strings.NewReader("mat-khau-quan-tri-123\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("users add: %v\n%s", err, out)
	}
	db := openData(t, dir)
	page, err := db.Tickets(context.Background(), tickets.Filter{})
	db.Close()
	if err != nil || len(page.Tickets) != 1 {
		t.Fatalf("tickets: %d, %v", len(page.Tickets), err)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	res, err := c.PostForm("http://"+addr+"/login", url.Values{"name": {"admin"}, "password": {"mat-khau-quan-tri-123"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	res, err = c.Get("http://" + addr + "/tickets/" + string(page.Tickets[0].Code) + "/recording")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || len(b) < 44 || string(b[:4]) != "RIFF" {
		t.Errorf("recording through the console: %d, %d bytes %q", res.StatusCode, len(b), b[:min(len(b), 16)])
	}
}

// /readyz says the phone is not ready, naming the prompt, while Asterisk
// lacks a prompt of the menu (callers would hear silence), and ready once it
// has them all.
func TestServePhoneReadyNeedsPrompts(t *testing.T) {
	for _, lack := range []string{"greeting", ""} {
		known := map[string]bool{}
		for _, id := range ivr.Prompts(mustDefaultMenu(t)) {
			known[sounds.SoundPrefix+id] = id != lack
		}
		fake, err := aritest.New(aritest.Options{User: "hotline", Password: "pw", Sounds: known})
		if err != nil {
			t.Fatal(err)
		}
		addr, _, stop, _ := servePhone(t, fake, "pw", nil)
		phoneState(t, addr, "connected")
		var r struct{ Parts map[string]string }
		for i := 0; i < 100; i++ {
			res, err := http.Get("http://" + addr + "/readyz")
			if err != nil {
				t.Fatal(err)
			}
			json.NewDecoder(res.Body).Decode(&r)
			res.Body.Close()
			if lack == "" && r.Parts["phone"] == "ok" || lack != "" && strings.Contains(r.Parts["phone"], lack) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		stop()
		fake.Close()
		if lack == "" && r.Parts["phone"] != "ok" {
			t.Errorf("all prompts installed: /readyz phone = %q, want ok", r.Parts["phone"])
		}
		if lack != "" && (!strings.Contains(r.Parts["phone"], lack) || !strings.Contains(r.Parts["phone"], "hotline sounds install")) {
			t.Errorf("%s missing: /readyz phone = %q, want it named with the install command", lack, r.Parts["phone"])
		}
	}
}
