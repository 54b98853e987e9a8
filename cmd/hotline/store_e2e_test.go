// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/chatbot/telegramtest"
)

// filesHolding returns the files under dir whose raw bytes hold one of the
// needles.
func filesHolding(t *testing.T, dir string, needles ...string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) { // a -wal or -shm removed meanwhile
			return nil
		}
		if err != nil {
			return err
		}
		for _, n := range needles {
			if bytes.Contains(b, []byte(n)) {
				found = append(found, filepath.Base(path)+": "+n)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// waitSentText waits until the bot sent in chat a message containing sub,
// and returns it.
func waitSentText(ctx context.Context, t *testing.T, fake *telegramtest.Server, chat int64, sub string) telegramtest.Message {
	t.Helper()
	var m telegramtest.Message
	err := fake.WaitFor(ctx, func(v telegramtest.View) bool {
		for _, s := range v.Sent(chat) {
			if strings.Contains(s.Text, sub) {
				m = s
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("no message with %q: %v\n%+v", sub, err, fake.Sent(chat))
	}
	return m
}

// wantModes checks the permissions of files.
func wantModes(t *testing.T, modes map[string]fs.FileMode) {
	t.Helper()
	for name, want := range modes {
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s has mode %o, want %o", filepath.Base(name), got, want)
		}
	}
}

// TestServeAnonymousTelegramLeavesNoCopy files an anonymous ticket through
// the fake Bot API, sharing a phone number, and shows that once the bot's
// replies are delivered no byte of any file of the data folder (the
// database, its -wal and -shm) holds the citizen's chat id or phone number,
// while the server runs and after it stops; and that a data folder the
// server makes is 0700 and its files 0600.
func TestServeAnonymousTelegramLeavesNoCopy(t *testing.T) {
	bin, env := binary(t)
	data := filepath.Join(t.TempDir(), "data")
	fake := telegramtest.New(e2eToken)
	defer fake.Close()
	env = append(env, "HOTLINE_DATA="+data, "HOTLINE_TELEGRAM_TOKEN="+e2eToken, "HOTLINE_TELEGRAM_API="+fake.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	const citizen, chatID, phone = 7350012345, "7350012345", "0939876543"
	srv := startServe(t, ctx, bin, env)
	stopped := false
	defer func() {
		if !stopped {
			srv.stop(t)
		}
	}()
	fake.Text(citizen, "/start")
	menu := waitSentText(ctx, t, fake, citizen, "Xin chào")
	fake.Press(citizen, citizen, menu.ID, "b:9")
	fake.Text(citizen, "Cán bộ một cửa đòi tiền bồi dưỡng mới nhận hồ sơ")
	waitSentText(ctx, t, fake, citizen, "liên hệ")
	fake.Contact(citizen, phone, true)
	summary := waitSentText(ctx, t, fake, citizen, phone)
	fake.Press(citizen, citizen, summary.ID, "anon")
	waitSentText(ctx, t, fake, citizen, "Mã phiếu")

	for found := filesHolding(t, data, chatID, phone); len(found) > 0; found = filesHolding(t, data, chatID, phone) {
		select {
		case <-ctx.Done():
			t.Fatalf("the running server's files still link the anonymous ticket to its chat: %v", found)
		case <-time.After(20 * time.Millisecond):
		}
	}
	wantModes(t, map[string]fs.FileMode{data: 0o700, filepath.Join(data, dbFile): 0o600,
		filepath.Join(data, dbFile+"-wal"): 0o600, filepath.Join(data, dbFile+"-shm"): 0o600})
	srv.stop(t)
	stopped = true
	if found := filesHolding(t, data, chatID, phone); len(found) > 0 {
		t.Errorf("after the server stopped, the files link the anonymous ticket to its chat: %v", found)
	}
}

// TestParallelFirstStart starts eight commands at once on a new data
// folder, three times: four "migrate" and four "tickets list". A migrate
// either creates the database or says another holds the folder; a listing
// either lists or says there is no database yet (or that it needs migrate);
// at least one migrate succeeds, and the database is whole and newest.
func TestParallelFirstStart(t *testing.T) {
	bin, env := binary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for round := range 3 {
		data := filepath.Join(t.TempDir(), "data")
		roundEnv := append(slices.Clip(env), "HOTLINE_DATA="+data)
		var wg sync.WaitGroup
		outs := make([][]byte, 8)
		errs := make([]error, 8)
		for i := range outs {
			wg.Go(func() {
				args := []string{"tickets", "list"}
				if i%2 == 0 {
					args = []string{"migrate"}
				}
				cmd := exec.CommandContext(ctx, bin, args...)
				cmd.Env = roundEnv
				outs[i], errs[i] = cmd.CombinedOutput()
			})
		}
		wg.Wait()
		migrated := 0
		for i, err := range errs {
			out := string(outs[i])
			switch {
			case err == nil && i%2 == 0:
				migrated++
			case err == nil:
			case i%2 == 0 && strings.Contains(out, "is in use by"):
			case i%2 == 1 && (strings.Contains(out, "no database at") || strings.Contains(out, `run "hotline migrate"`)):
			default:
				t.Errorf("round %d, process %d: %v\n%s", round, i, err, out)
			}
		}
		if migrated == 0 {
			t.Errorf("round %d: no migrate succeeded: %q", round, outs)
		}
		db := openData(t, data)
		if ok, err := db.IntegrityCheck(ctx); err != nil || ok != "ok" {
			t.Errorf("round %d: integrity %q, %v", round, ok, err)
		}
		db.Close()
	}
}
