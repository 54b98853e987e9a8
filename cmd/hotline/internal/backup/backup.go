// SPDX-License-Identifier: Apache-2.0

// Package backup makes and restores hotline's backups: a consistent snapshot
// of the SQLite database, compressed with gzip, beside a checksum file in
// sha256sum(1)'s format (FILE.sha256), so that `sha256sum -c` checks it too.
// Recordings and reports are files in the data folder and are not part of a
// backup: they are copied as files.
//
// It may import only the standard library and tickets/sqlite.
package backup

import (
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

// SumSuffix is appended to a backup's name to name its checksum file.
const SumSuffix = ".sha256"

// Result describes a backup written.
type Result struct {
	Path   string // the compressed file
	SHA256 string // its checksum, hex
	Size   int64  // its size in bytes
	Schema int    // the schema version of the database in it
}

// Create writes a backup of the database file db to out (out+".sha256"
// beside it), neither of which may exist. It is consistent while a server
// writes to db. Nothing is left at out unless the whole backup was written
// and synced.
func Create(ctx context.Context, db, out string) (Result, error) {
	for _, p := range []string{out, out + SumSuffix} {
		if _, err := os.Lstat(p); err == nil {
			return Result{}, fmt.Errorf("backup: %s already exists; choose another name or move it away", p)
		}
	}
	tmp, err := os.MkdirTemp(filepath.Dir(out), ".hotline-backup-")
	if err != nil {
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(tmp)
	snap := filepath.Join(tmp, "hotline.db")
	if err := sqlite.Snapshot(ctx, db, snap); err != nil {
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	s, err := sqlite.Check(ctx, snap)
	if err != nil {
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	if s.Integrity != "ok" {
		return Result{}, fmt.Errorf("backup: the snapshot fails the integrity check: %s", s.Integrity)
	}
	part := filepath.Join(tmp, "backup.gz")
	sum, size, err := compress(snap, part)
	if err != nil {
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(part, out); err != nil {
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	line := sum + "  " + filepath.Base(out) + "\n"
	if err := writeSynced(out+SumSuffix, []byte(line)); err != nil {
		os.Remove(out)
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	return Result{Path: out, SHA256: sum, Size: size, Schema: s.Version}, syncDir(filepath.Dir(out))
}

// compress gzips src into dst, syncs it and returns dst's SHA-256 and size.
func compress(src, dst string) (string, int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", 0, err
	}
	defer in.Close()
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	counter := &countWriter{w: io.MultiWriter(f, h)}
	zw := gzip.NewWriter(counter)
	zw.Name = "hotline.db"
	if _, err := io.Copy(zw, in); err != nil {
		return "", 0, err
	}
	if err := zw.Close(); err != nil {
		return "", 0, err
	}
	if err := f.Sync(); err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), counter.n, f.Close()
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func writeSynced(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// ErrChecksum is wrapped by Unpack's error when a backup does not match its
// checksum file.
var ErrChecksum = errors.New("the backup does not match its checksum")

// Unpack checks the backup file against its checksum file (file+".sha256"),
// decompresses it to dst (which must not exist) and checks the database in
// it: integrity_check and a schema version this program knows. On any
// failure dst is removed and the error says why.
func Unpack(ctx context.Context, file, dst string) (sqlite.Schema, error) {
	want, err := readSum(file + SumSuffix)
	if err != nil {
		return sqlite.Schema{}, fmt.Errorf("restore: %w", err)
	}
	if err := unzip(file, dst, want); err != nil {
		os.Remove(dst)
		return sqlite.Schema{}, fmt.Errorf("restore %s: %w", file, err)
	}
	s, err := sqlite.Check(ctx, dst)
	if err == nil && s.Integrity != "ok" {
		err = fmt.Errorf("the database in it fails the integrity check: %s", s.Integrity)
	}
	if err != nil {
		os.Remove(dst)
		return s, fmt.Errorf("restore %s: %w", file, err)
	}
	return s, nil
}

// readSum reads the hex SHA-256 from a sha256sum(1) line.
func readSum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("read checksum file: %w (a backup is restored only with the %s file written beside it)", err, SumSuffix)
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read checksum file: %w", err)
	}
	sum, _, _ := strings.Cut(strings.TrimSpace(line), " ")
	if b, err := hex.DecodeString(sum); err != nil || len(b) != sha256.Size {
		return "", fmt.Errorf("%s holds no SHA-256 checksum", path)
	}
	return strings.ToLower(sum), nil
}

// unzip decompresses file into dst while hashing it, and fails unless the
// hash is want. dst is synced.
func unzip(file, dst, want string) error {
	in, err := os.Open(file)
	if err != nil {
		return err
	}
	defer in.Close()
	h := sha256.New()
	if _, err := io.Copy(h, in); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("%w: SHA-256 %s, the %s file says %s", ErrChecksum, got, SumSuffix, want)
	}
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return err
	}
	zr, err := gzip.NewReader(in)
	if err != nil {
		return fmt.Errorf("not a gzip file: %w", err)
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer out.Close()
	if _, err := io.Copy(out, zr); err != nil {
		return fmt.Errorf("decompress: %w", err)
	}
	if err := out.Sync(); err != nil {
		return err
	}
	return out.Close()
}

// Restore replaces the database file db with the database in the backup
// file, after Unpack's checks; the caller holds the data folder's lock. The
// files it replaces (db and its -wal and -shm) are moved, untouched, into a
// new folder beside db, whose path it returns ("" if there were none). On
// failure the old database is where it was.
func Restore(ctx context.Context, file, db string, now time.Time) (aside string, s sqlite.Schema, err error) {
	tmp := db + ".restoring"
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", s, fmt.Errorf("restore: %w", err)
	}
	if s, err = Unpack(ctx, file, tmp); err != nil {
		return "", s, err
	}
	aside = filepath.Join(filepath.Dir(db), "replaced-"+now.UTC().Format("20060102T150405Z"))
	moved := false
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if _, err := os.Lstat(db + suffix); errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err := os.MkdirAll(aside, 0o700); err != nil {
			return "", s, fmt.Errorf("restore: %w", err)
		}
		if err := os.Rename(db+suffix, filepath.Join(aside, filepath.Base(db+suffix))); err != nil {
			return "", s, fmt.Errorf("restore: keep the old database aside (what was moved is in %s): %w", aside, err)
		}
		moved = true
	}
	if !moved {
		aside = ""
	}
	if err := os.Rename(tmp, db); err != nil {
		return aside, s, fmt.Errorf("restore: %w", err)
	}
	return aside, s, syncDir(filepath.Dir(db))
}
