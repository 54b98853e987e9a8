// SPDX-License-Identifier: Apache-2.0

// Package datalock gives one process at a time the right to serve a data
// folder: an exclusive flock(2) on a lock file inside it, held for the life of
// the process and released by the kernel when the process ends, however it
// ends. It imports only the standard library.
//
// Why a kernel lock and not a PID file: a PID file outlives a SIGKILL and a
// power cut, and a stale one either blocks the next start or teaches operators
// to delete it; a flock cannot be stale. The PID written into the file is only
// there to name the holder in the error.
package datalock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Name is the lock file's name inside the data folder.
const Name = "hotline.lock"

// ErrLocked is wrapped by the error Acquire returns when another process
// holds the folder.
var ErrLocked = errors.New("data folder in use")

// Lock is a held lock; Release gives it back.
type Lock struct{ f *os.File }

// HeldError says who holds the folder.
type HeldError struct {
	Dir string
	PID int // 0 when the holder's PID could not be read
}

func (e *HeldError) Error() string {
	who := "another process"
	if e.PID > 0 {
		who = fmt.Sprintf("process %d", e.PID)
	}
	return fmt.Sprintf("the data folder %s is in use by %s (\"hotline serve\" or \"hotline migrate\"); wait for it or stop it, or give this one another data folder (--data, HOTLINE_DATA or the \"data\" key of the config)", e.Dir, who)
}

func (e *HeldError) Unwrap() error { return ErrLocked }

// Acquire creates dir if needed (mode 0700) and takes its lock without
// waiting. It returns a *HeldError if another process holds it.
func Acquire(dir string) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	path := filepath.Join(dir, Name)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			abs, _ := filepath.Abs(dir)
			return nil, &HeldError{Dir: abs, PID: holder(path)}
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := writePID(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("write lock file: %w", err)
	}
	return &Lock{f: f}, nil
}

// Release gives the lock back. The file stays: removing it would let a
// process that opened it before the removal lock an orphaned inode.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close() // closing the last descriptor releases the flock
	l.f = nil
	return err
}

func writePID(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return err
}

// holder reads the PID the holder wrote, 0 if there is none.
func holder(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}
