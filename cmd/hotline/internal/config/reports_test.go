// SPDX-License-Identifier: Apache-2.0

package config_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
)

func TestReportsDefault(t *testing.T) {
	c := mustLoad(t, "", nil)
	if got, want := c.Reports.Schedule, "0 7 1 * *"; got != want {
		t.Errorf("schedule = %q, want %q", got, want)
	}
	if c.Reports.TimeZone != "" || c.Reports.Format != "html" || len(c.Reports.Chats) != 0 {
		t.Errorf("reports = %+v", c.Reports)
	}
	loc, err := c.ReportsLocation()
	if err != nil || loc.String() != "Asia/Ho_Chi_Minh" {
		t.Errorf("ReportsLocation() = %v, %v; want the top-level time zone", loc, err)
	}
}

func TestReportsFileAndEnv(t *testing.T) {
	path := writeConfig(t, "[reports]\nschedule = \"30 6 2 * *\"\nchats = [-1001234567890, 42]\n")
	c := mustLoad(t, path, nil)
	if got := c.Reports; got.Schedule != "30 6 2 * *" || !slices.Equal(got.Chats, []int64{-1001234567890, 42}) {
		t.Errorf("from the file: %+v", got)
	}
	c = mustLoad(t, path, map[string]string{
		"HOTLINE_REPORTS_SCHEDULE":  "@monthly",
		"HOTLINE_REPORTS_TIME_ZONE": "Asia/Bangkok",
		"HOTLINE_REPORTS_FORMAT":    "xlsx",
		"HOTLINE_REPORTS_CHATS":     "-1009876543210, 7",
	})
	want := config.Reports{Schedule: "@monthly", TimeZone: "Asia/Bangkok", Format: "xlsx", Chats: []int64{-1009876543210, 7}}
	if got := c.Reports; got.Schedule != want.Schedule || got.TimeZone != want.TimeZone || got.Format != want.Format || !slices.Equal(got.Chats, want.Chats) {
		t.Errorf("from the environment: %+v, want %+v", got, want)
	}
	if loc, err := c.ReportsLocation(); err != nil || loc.String() != "Asia/Bangkok" {
		t.Errorf("ReportsLocation() = %v, %v", loc, err)
	}
	text := printed(t, c)
	for _, line := range []string{`schedule = "@monthly" # from HOTLINE_REPORTS_SCHEDULE`, "chats = [-1009876543210, 7] # from HOTLINE_REPORTS_CHATS"} {
		if !strings.Contains(text, line+"\n") {
			t.Errorf("config print lacks %q:\n%s", line, text)
		}
	}
	sameSettings(t, c, mustLoad(t, writeConfig(t, text), nil))
}

func TestReportsProblems(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		vars map[string]string
		want []string
	}{
		{"ErrScheduleRange", "[reports]\n\nschedule = \"0 7 32 * *\"\n", nil, []string{
			`3: reports.schedule: "0 7 32 * *" is not a cron schedule such as "0 7 1 * *" (minute hour day month weekday): end of range (32) above maximum (31): 32`}},
		{"ErrScheduleFields", "[reports]\nschedule = \"0 7 1 *\"\n", nil, []string{
			`2: reports.schedule: "0 7 1 *" is not a cron schedule such as "0 7 1 * *" (minute hour day month weekday): expected exactly 5 fields, found 4: [0 7 1 *]`}},
		{"ErrScheduleEnv", "", map[string]string{"HOTLINE_REPORTS_SCHEDULE": "monthly"}, []string{
			`HOTLINE_REPORTS_SCHEDULE: "monthly" is not a cron schedule such as "0 7 1 * *" (minute hour day month weekday): expected exactly 5 fields, found 1: [monthly]`}},
		{"ErrTimeZone", "[reports]\ntime_zone = \"Asia/Hanoi\"\n", nil, []string{`2: reports.time_zone: unknown time zone "Asia/Hanoi"`}},
		{"ErrFormat", "[reports]\nformat = \"pdf\"\n", nil, []string{`2: reports.format: "pdf" is not one of text, csv, xlsx, html`}},
		{"ErrChatNotNumber", "[reports]\nchats = [\n  1,\n  \"boss\",\n]\n", nil, []string{`4: reports.chats[1]: "boss" is not a chat id (a whole number such as -1001234567890)`}},
		{"ErrChatType", "[reports]\nchats = [1.5]\n", nil, []string{`2: reports.chats[0]: expected an integer chat id, got a float`}},
		{"ErrChatTwice", "[reports]\nchats = [\n  7,\n  0,\n  7,\n]\n", nil, []string{
			`4: reports.chats[1]: 0 is not a Telegram chat id`, `5: reports.chats[2]: chat 7 is listed twice (first as reports.chats[0])`}},
		{"ErrChatEnv", "", map[string]string{"HOTLINE_REPORTS_CHATS": "12,x"}, []string{
			`HOTLINE_REPORTS_CHATS: "x" is not a chat id (a whole number such as -1001234567890)`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := problems(t, tc.text, tc.vars)
			if !slices.Equal(got, tc.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
