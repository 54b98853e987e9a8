// SPDX-License-Identifier: Apache-2.0

package config_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

func TestLoadEnvOverrides(t *testing.T) {
	path := writeConfig(t, "[http]\naddr = \"127.0.0.1:9000\"\n[ari]\nurl = \"http://pbx:8088/ari\"\n")
	c := mustLoad(t, path, map[string]string{
		"HOTLINE_DATA":                      "/srv/hotline",
		"HOTLINE_TIME_ZONE":                 "UTC",
		"HOTLINE_HTTP_ADDR":                 "0.0.0.0:8080",
		"HOTLINE_LOG_LEVEL":                 "debug",
		"HOTLINE_LOG_FORMAT":                "json",
		"HOTLINE_ARI_URL":                   " ",
		"HOTLINE_ARI_USER":                  "hotline",
		"HOTLINE_ARI_APP":                   "cchc",
		"HOTLINE_ARI_OPERATOR_ENDPOINT":     "PJSIP/operator",
		"HOTLINE_ARI_OPERATOR_TIMEOUT":      "45s",
		"HOTLINE_ARI_MAX_RECORDING":         "2m",
		"HOTLINE_ARI_DIGIT_TIMEOUT":         "7s",
		"HOTLINE_ARI_MENU_ATTEMPTS":         "5",
		"HOTLINE_TELEGRAM_API":              "http://127.0.0.1:8081",
		"HOTLINE_TELEGRAM_WEBHOOK_URL":      "https://hotline.example.gov.vn/telegram",
		"HOTLINE_TELEGRAM_DRAFT_TTL":        "72h",
		"HOTLINE_OUTBOX_GIVE_UP_AFTER":      "48h",
		"HOTLINE_TELEGRAM_DEPARTMENT_CHATS": "so-noi-vu=-1001, so-tu-phap = -1002",
		"HOTLINE_HOURS_MONDAY":              "closed",
		"HOTLINE_HOURS_SATURDAY":            "07:30-11:30, 13:30-16:00",
		"HOTLINE_HOLIDAYS":                  "2026-01-01,2026-12-31",
		"HOTLINE_DEPARTMENT_SO_NOI_VU_NAME": "Sở Nội vụ tỉnh",
		"HOTLINE_BRANCH_4_DEPARTMENT":       "so-noi-vu",
		"HOTLINE_BRANCH_4_DEADLINE_DAYS":    "15",
		"HOTLINE_BRANCH_9_NAME":             "Thái độ phục vụ",
		"HOTLINE_ARI_RECORDING_NOTICE":      "false",
		"HOTLINE_ARI_SILENCE_AFTER":         "4s",
	})
	checks := []struct {
		name      string
		got, want any
	}{
		{"data", c.Data, "/srv/hotline"},
		{"time_zone", c.TimeZone, "UTC"},
		{"http.addr", c.HTTP.Addr, "0.0.0.0:8080"},
		{"log.level", c.Log.Level, "debug"},
		{"log.format", c.Log.Format, "json"},
		{"ari.url", c.ARI.URL, ""},
		{"ari.user", c.ARI.User, "hotline"},
		{"ari.app", c.ARI.App, "cchc"},
		{"ari.operator_endpoint", c.ARI.OperatorEndpoint, "PJSIP/operator"},
		{"ari.operator_timeout", c.ARI.OperatorTimeout, 45 * time.Second},
		{"ari.max_recording", c.ARI.MaxRecording, 2 * time.Minute},
		{"ari.digit_timeout", c.ARI.DigitTimeout, 7 * time.Second},
		{"ari.menu_attempts", c.ARI.MenuAttempts, 5},
		{"ari.recording_notice", c.ARI.RecordingNotice, false},
		{"ari.silence_after", c.ARI.SilenceAfter, 4 * time.Second},
		{"telegram.api", c.Telegram.API, "http://127.0.0.1:8081"},
		{"telegram.webhook_url", c.Telegram.WebhookURL, "https://hotline.example.gov.vn/telegram"},
		{"telegram.department_chats", fmt.Sprint(c.Telegram.DepartmentChats), "map[so-noi-vu:-1001 so-tu-phap:-1002]"},
		{"telegram.draft_ttl", c.Telegram.DraftTTL, 72 * time.Hour},
		{"outbox.give_up_after", c.Outbox.GiveUpAfter, 48 * time.Hour},
		{"hours.monday", len(c.Hours[time.Monday]), 0},
		{"hours.saturday", len(c.Hours[time.Saturday]), 2},
		{"holidays", len(c.Holidays), 2},
		{"holidays[1]", c.Holidays[1], tickets.Date{Year: 2026, Month: 12, Day: 31}},
		{"departments[0].name", c.Departments[0].Name, "Sở Nội vụ tỉnh"},
		{"branches[3]", c.Branches[3], tickets.Branch{Key: 4, Name: "Cải cách thủ tục hành chính", Department: "so-noi-vu", DeadlineDays: 15}},
		{"branches[8].name", c.Branches[8].Name, "Thái độ phục vụ"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestLoadEnvAddsBranch(t *testing.T) {
	c := mustLoad(t, writeConfig(t, menuHead), map[string]string{
		"HOTLINE_BRANCH_7_NAME":       "Chính quyền số",
		"HOTLINE_BRANCH_7_DEPARTMENT": "so-tu-phap",
	})
	m, err := c.Menu()
	if err != nil {
		t.Fatal(err)
	}
	b, d, err := m.Route(7)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := b, (tickets.Branch{Key: 7, Name: "Chính quyền số", Department: "so-tu-phap", DeadlineDays: 10, CaseType: "phan-anh"}); got != want {
		t.Errorf("branch 7 = %+v, want %+v", got, want)
	}
	if got, want := d.Name, "Sở Tư pháp"; got != want {
		t.Errorf("branch 7 department = %q, want %q", got, want)
	}
}

func TestLoadEnvProblems(t *testing.T) {
	got := problems(t, menuHead, map[string]string{
		"HOTLINE_DATA":                      "\xff",
		"HOTLINE_TIME_ZONE":                 "Mars/Olympus",
		"HOTLINE_HTTP_ADDR":                 "nohost",
		"HOTLINE_ARI_MENU_ATTEMPTS":         "three",
		"HOTLINE_HOURS_FRIDAY":              "07:00-11:00,7-11",
		"HOTLINE_HOLIDAYS":                  "2026-13-01",
		"HOTLINE_BRANCH_2_DEPARTMENT":       "so-khong-co",
		"HOTLINE_BRANCH_2_DEADLINE_DAYS":    "0",
		"HOTLINE_BRANCH_8_NAME":             "Một cửa",
		"HOTLINE_TELEGRAM_DEPARTMENT_CHATS": "so-noi-vu",
	})
	want := []string{
		`HOTLINE_ARI_MENU_ATTEMPTS: "three" is not a whole number`,
		"HOTLINE_BRANCH_2_DEADLINE_DAYS: 0 is not a number of working days from 1 to 365",
		`HOTLINE_BRANCH_2_DEPARTMENT: unknown department "so-khong-co"`,
		"HOTLINE_BRANCH_8_NAME: there is no branch 8 to change; to add one, set both HOTLINE_BRANCH_8_NAME and HOTLINE_BRANCH_8_DEPARTMENT",
		"HOTLINE_DATA: the value is not valid UTF-8",
		`HOTLINE_HOLIDAYS: "2026-13-01" is not a real date in the form YYYY-MM-DD`,
		`HOTLINE_HOURS_FRIDAY: "7-11" is not an interval like 07:30-11:30`,
		`HOTLINE_HTTP_ADDR: "nohost" is not a host:port address: missing port in address`,
		`HOTLINE_TELEGRAM_DEPARTMENT_CHATS: "so-noi-vu" is not department-id=chat-id, e.g. so-noi-vu=-1001234567890`,
		`HOTLINE_TIME_ZONE: unknown time zone "Mars/Olympus"`,
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestLoadEnvDepartmentChatUnknown(t *testing.T) {
	got := problems(t, menuHead, map[string]string{"HOTLINE_TELEGRAM_DEPARTMENT_CHATS": "so-tu-phap=-1002,so-khong-co=-1003"})
	want := []string{`HOTLINE_TELEGRAM_DEPARTMENT_CHATS: unknown department "so-khong-co"`}
	if !slices.Equal(got, want) {
		t.Errorf("problems = %q, want %q", got, want)
	}
}
