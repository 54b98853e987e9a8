// SPDX-License-Identifier: Apache-2.0

package config_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
	"github.com/hotline-cchc/hotline/tickets"
)

// writeConfig writes text as hotline.toml in a temporary folder.
func writeConfig(tb testing.TB, text string) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "hotline.toml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// envOf returns a getenv over vars.
func envOf(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

// mustLoad loads path (the default if "") with vars, failing on any error.
func mustLoad(tb testing.TB, path string, vars map[string]string) *config.Config {
	tb.Helper()
	c, err := config.Load(path, envOf(vars))
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	return c
}

func TestLoadDefault(t *testing.T) {
	c := mustLoad(t, "", nil)
	if got, want := c.Path(), config.Embedded; got != want {
		t.Errorf("Path() = %q, want %q", got, want)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"data", c.Data, "./data"},
		{"time_zone", c.TimeZone, "Asia/Ho_Chi_Minh"},
		{"http.addr", c.HTTP.Addr, "127.0.0.1:8080"},
		{"http.read_timeout", c.HTTP.ReadTimeout, time.Minute},
		{"http.write_timeout", c.HTTP.WriteTimeout, 10 * time.Minute},
		{"log", c.Log, config.Log{Level: "info", Format: "text"}},
		{"ari", c.ARI, config.ARI{App: "hotline", OperatorTimeout: 30 * time.Second, MaxRecording: 180 * time.Second, DigitTimeout: 5 * time.Second, MenuAttempts: 3,
			SilenceBefore: 10 * time.Second, SilenceAfter: 5 * time.Second, MinSpeech: 2 * time.Second, RecordingNotice: true}},
		{"telegram.api", c.Telegram.API, "https://api.telegram.org"},
		{"telegram.webhook_url", c.Telegram.WebhookURL, ""},
		{"telegram.department_chats", len(c.Telegram.DepartmentChats), 0},
		{"telegram.draft_ttl", c.Telegram.DraftTTL, 7 * 24 * time.Hour},
		{"outbox", c.Outbox, config.Outbox{SendTimeout: 15 * time.Second, GiveUpAfter: 168 * time.Hour, StaleAfter: 15 * time.Minute}},
		{"monday", len(c.Hours[time.Monday]), 2},
		{"saturday", len(c.Hours[time.Saturday]), 0},
		{"sunday", len(c.Hours[time.Sunday]), 0},
		{"branches", len(c.Branches), 9},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestDefaultMenu(t *testing.T) {
	m, err := mustLoad(t, "", nil).Menu()
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[int]string{1: "Sở Nội vụ", 4: "Văn phòng UBND tỉnh", 9: "Sở Nội vụ", 7: "Sở Khoa học và Công nghệ"} {
		_, d, err := m.Route(key)
		if err != nil {
			t.Fatalf("Route(%d): %v", key, err)
		}
		if d.Name != want {
			t.Errorf("Route(%d) department = %q, want %q", key, d.Name, want)
		}
	}
	b, _ := m.Branch(4)
	if got, want := b.Name, "Cải cách thủ tục hành chính"; got != want {
		t.Errorf("branch 4 = %q, want %q", got, want)
	}
}

func TestDefaultCalendar(t *testing.T) {
	cal, err := mustLoad(t, "", nil).Calendar()
	if err != nil {
		t.Fatal(err)
	}
	loc := cal.Location()
	at := func(s string) time.Time {
		t.Helper()
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	deadlines := []struct {
		name     string
		received string
		days     int
		want     string
	}{
		{"PushedPastTet2026", "2026-02-13 10:00", 1, "2026-02-23"},
		{"TenDaysAcrossTet2026", "2026-02-11 10:00", 10, "2026-03-04"},
		{"PushedPastGioTo2026", "2026-04-24 10:00", 1, "2026-04-28"},
		{"PushedPastTet2027", "2027-02-04 10:00", 1, "2027-02-12"},
		{"OrdinaryWeek", "2026-03-09 10:00", 1, "2026-03-10"},
		{"WorkedSaturday2026", "2026-01-09 10:00", 1, "2026-01-10"},
	}
	for _, d := range deadlines {
		t.Run(d.name, func(t *testing.T) {
			got := cal.Deadline(at(d.received), d.days)
			if got, want := got.Format("2006-01-02 15:04:05"), d.want+" 23:59:59"; got != want {
				t.Errorf("Deadline(%s, %d) = %s, want %s", d.received, d.days, got, want)
			}
		})
	}
	opens := []struct {
		name string
		at   string
		want bool
	}{
		{"OpenOnMondayMorning", "2026-02-09 09:00", true},
		{"ClosedAtLunch", "2026-02-09 12:00", false},
		{"ClosedOnTetMonday", "2026-02-16 09:00", false},
		{"ClosedOnSaturday", "2026-02-07 09:00", false},
		{"OpenOnWorkedSaturday", "2026-01-10 09:00", true},
	}
	for _, o := range opens {
		t.Run(o.name, func(t *testing.T) {
			if got := cal.Open(at(o.at)); got != o.want {
				t.Errorf("Open(%s) = %v, want %v", o.at, got, o.want)
			}
		})
	}
}

func TestLoadFile(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		path := writeConfig(t, "data = \"/var/lib/hotline\"\n[hours]\nsaturday = [\"07:30-11:30\"]\n")
		c := mustLoad(t, path, nil)
		if got, want := c.Path(), path; got != want {
			t.Errorf("Path() = %q, want %q", got, want)
		}
		if got, want := c.Data, "/var/lib/hotline"; got != want {
			t.Errorf("data = %q, want %q", got, want)
		}
		if got, want := c.Hours[time.Saturday], []tickets.Span{{From: 7*time.Hour + 30*time.Minute, To: 11*time.Hour + 30*time.Minute}}; len(got) != 1 || got[0] != want[0] {
			t.Errorf("saturday = %v, want %v", got, want)
		}
		if got, want := len(c.Hours[time.Monday]), 2; got != want {
			t.Errorf("monday kept %d spans, want the default %d", got, want)
		}
		if got, want := len(c.Branches), 9; got != want {
			t.Errorf("branches = %d, want the default %d", got, want)
		}
	})
	t.Run("ListsReplaceDefault", func(t *testing.T) {
		path := writeConfig(t, `holidays = [2026-09-02, "2026-09-03"]
[[departments]]
id = "so-noi-vu"
name = "Sở Nội vụ"
[[branches]]
key = 5
name = "Cán bộ"
department = "so-noi-vu"
`)
		c := mustLoad(t, path, nil)
		if got, want := len(c.Branches), 1; got != want {
			t.Fatalf("branches = %d, want %d", got, want)
		}
		if got, want := c.Branches[0], (tickets.Branch{Key: 5, Name: "Cán bộ", Department: "so-noi-vu", DeadlineDays: 10}); got != want {
			t.Errorf("branch = %+v, want %+v", got, want)
		}
		if got, want := len(c.Departments), 1; got != want {
			t.Errorf("departments = %d, want %d", got, want)
		}
		if got, want := c.Holidays, []tickets.Date{{Year: 2026, Month: 9, Day: 2}, {Year: 2026, Month: 9, Day: 3}}; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("holidays = %v, want %v", got, want)
		}
	})
	t.Run("ErrNotExist", func(t *testing.T) {
		_, err := config.Load(filepath.Join(t.TempDir(), "missing.toml"), nil)
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Load error = %v, want fs.ErrNotExist", err)
		}
	})
}

func TestConversionsOfHandBuiltConfig(t *testing.T) {
	c := &config.Config{TimeZone: "Nowhere/Atlantis"}
	if _, err := c.Menu(); tickets.ErrorCode(err) != tickets.EINVALID {
		t.Errorf("Menu() error = %v, want EINVALID", err)
	}
	if _, err := c.Calendar(); err == nil {
		t.Error("Calendar() with an unknown zone: no error")
	}
	if _, err := (&config.Config{}).Calendar(); err == nil {
		t.Error("Calendar() with no zone: no error")
	}
}
