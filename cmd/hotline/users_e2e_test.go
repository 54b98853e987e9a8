// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// hotline runs the binary with env and stdin; it returns the exit status
// and the combined output.
func hotline(t *testing.T, ctx context.Context, bin string, env []string, stdin string, args ...string) (int, string) {
	t.Helper()
	c := exec.CommandContext(ctx, bin, args...)
	c.Env, c.Stdin = env, strings.NewReader(stdin)
	out, err := c.CombinedOutput()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("hotline %v: %v", args, err)
	}
	return c.ProcessState.ExitCode(), string(out)
}

// "users passwd" beside a running server ends the user's API tokens at
// once, and says so; names and passwords the rules refuse are refused with
// the reason in Vietnamese.
func TestUsersThroughTheBinary(t *testing.T) {
	bin, env := binary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	refused := []struct {
		name, stdin, user string
		code              int
		want              string
	}{
		{"ErrMixedScripts", "mưa rơi trên phố cổ\n", "l\u0430n", 2, "nhiều hệ chữ viết"},
		{"ErrCommonPassword", "matkhau123456\n", "lan", 1, "phổ biến"},
		{"ErrShortPassword", "ngắn\n", "lan", 1, "ít nhất 12 ký tự"},
	}
	for _, tt := range refused {
		if code, out := hotline(t, ctx, bin, env, tt.stdin, "users", "add", tt.user, "--role", "manager"); code != tt.code || !strings.Contains(out, tt.want) {
			t.Errorf("%s: exit %d, want %d saying %q:\n%s", tt.name, code, tt.code, tt.want, out)
		}
	}
	if code, out := hotline(t, ctx, bin, env, "mưa rơi trên phố cổ\n", "users", "add", " Lan ", "--role", "manager"); code != 0 || !strings.Contains(out, "user lan added") {
		t.Fatalf("users add: exit %d\n%s", code, out)
	}
	_, token := hotline(t, ctx, bin, env, "", "users", "token", "LAN")
	token = strings.TrimSpace(token)
	srv := startServe(t, ctx, bin, env)
	api := func() int {
		req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+srv.addr+"/api/v1/tickets", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if got := api(); got != http.StatusOK {
		t.Fatalf("API with the token: %d", got)
	}
	code, out := hotline(t, ctx, bin, env, "một mật khẩu mới hẳn\n", "users", "passwd", "Lan")
	if code != 0 || !strings.Contains(out, "sessions and API tokens are revoked") {
		t.Errorf("users passwd: exit %d\n%s", code, out)
	}
	if got := api(); got != http.StatusUnauthorized {
		t.Errorf("API with the token after users passwd: %d, want 401", got)
	}
	srv.stop(t)
}

// openPTY opens a pseudo-terminal pair.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	if slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0); err != nil {
		t.Fatal(err)
	}
	return master, slave
}

// screen collects what a terminal shows.
type screen struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (s *screen) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.buf.String() }

// readFrom copies what r shows onto s until r fails; done is closed then.
func (s *screen) readFrom(r io.Reader) (done <-chan struct{}) {
	ch := make(chan struct{})
	go func() {
		defer close(ch)
		b := make([]byte, 4096)
		for {
			n, err := r.Read(b)
			s.mu.Lock()
			s.buf.Write(b[:n])
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return ch
}

// "users add" on a terminal asks for the password twice and never shows it.
func TestUsersAddOnATerminal(t *testing.T) {
	bin, env := binary(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	master, slave := openPTY(t)
	defer master.Close()
	c := exec.CommandContext(ctx, bin, "users", "add", "hoa", "--role", "operator")
	c.Env, c.Stdin, c.Stdout, c.Stderr = env, slave, slave, slave
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	var sc screen
	sc.readFrom(master)
	// waitFor waits until the screen shows text and the terminal's echo is
	// off, as it must be while a password is typed.
	waitFor := func(text string) {
		t.Helper()
		for {
			tio, err := unix.IoctlGetTermios(int(master.Fd()), unix.TCGETS)
			if err == nil && tio.Lflag&unix.ECHO == 0 && strings.Contains(sc.String(), text) {
				return
			}
			if ctx.Err() != nil {
				t.Fatalf("the terminal never showed %q with echo off; it shows:\n%s", text, sc.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	const password = "bí mật của Hoa 2026"
	waitFor("Mật khẩu mới:")
	master.WriteString(password + "\r")
	waitFor("Nhập lại mật khẩu:")
	master.WriteString(password + "\r")
	if err := c.Wait(); err != nil {
		t.Fatalf("users add: %v\n%s", err, sc.String())
	}
	for !strings.Contains(sc.String(), "user hoa added") && ctx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
	}
	if out := sc.String(); strings.Contains(out, "Hoa 2026") || !strings.Contains(out, "user hoa added") {
		t.Errorf("the terminal shows:\n%s", out)
	}
}
