// SPDX-License-Identifier: Apache-2.0

package config_test

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
)

// problems loads text as a file with vars and returns its problems as
// "line: key: message" (file problems, whose File must be the file) or
// "VARIABLE: message".
func problems(tb testing.TB, text string, vars map[string]string) []string {
	tb.Helper()
	path := writeConfig(tb, text)
	_, err := config.Load(path, envOf(vars))
	var ps *config.Problems
	if !errors.As(err, &ps) {
		tb.Fatalf("Load error = %v, want *config.Problems", err)
	}
	var got []string
	for _, p := range ps.List {
		switch p.File {
		case path:
			got = append(got, fmt.Sprintf("%d: %s: %s", p.Line, p.Key, p.Message))
		case "":
			got = append(got, p.String())
		default:
			tb.Errorf("problem in file %q, want %q: %s", p.File, path, p)
		}
	}
	return got
}

// A small menu whose lines the cases below count on: departments at lines
// 1–7, branches 1 and 2 at lines 9–17.
const menuHead = `[[departments]]
id = "so-noi-vu"
name = "Sở Nội vụ"

[[departments]]
id = "so-tu-phap"
name = "Sở Tư pháp"

[[branches]]
key = 1
name = "Một"
department = "so-noi-vu"

[[branches]]
key = 2
name = "Hai"
department = "so-tu-phap"
`

// problemCases are files with one kind of problem each, and what Load reports.
var problemCases = []struct {
	name string
	text string
	want []string
}{
	{"ErrSyntax", "data = \"x\"\n[http\naddr = \"y\"\n", []string{"2: : invalid TOML: expected ']' to close table name"}},
	{"ErrDuplicateKey", "data = \"x\"\ndata = \"y\"\n", []string{"2: data: invalid TOML: key data is already defined"}},
	{"ErrUnknownKey", "[ari]\nurl = \"\"\nurll = \"http://x\"\n", []string{`3: ari.urll: unknown key (did you mean "url"?)`}},
	{"ErrUnknownTable", "\n[database]\npath = \"x\"\n", []string{"2: database: unknown key"}},
	{"ErrUnknownKeyInBranch", menuHead + "deparment = \"x\"\n", []string{`18: branches[1].deparment: unknown key (did you mean "department"?)`}},
	{"ErrWrongTypeInt", "[ari]\nmenu_attempts = \"3\"\n", []string{"2: ari.menu_attempts: expected an integer, got a string"}},
	{"ErrWrongTypeString", "data = 7\n", []string{"1: data: expected a string, got an integer"}},
	{"ErrWrongTypeTable", "http = \"127.0.0.1:80\"\n", []string{"1: http: expected a table, got a string"}},
	{"ErrWrongTypeList", "[hours]\nmonday = \"07:00-11:00\"\n", []string{"2: hours.monday: expected an array, got a string"}},
	{"ErrWrongTypeBranches", "branches = 3\n", []string{"1: branches: expected an array of tables ([[branches]]), got an integer"}},
	{"ErrDuplicateBranchKey", menuHead + "\n[[branches]]\nkey = 2\nname = \"Ba\"\ndepartment = \"so-noi-vu\"\n", []string{"20: branches[2].key: branch 2 is defined twice (first as branches[1])"}},
	{"ErrBranchKeyOutOfRange", menuHead + "\n[[branches]]\nkey = 10\nname = \"Mười\"\ndepartment = \"so-noi-vu\"\n", []string{"20: branches[2].key: 10 is not a digit from 1 to 9"}},
	{"ErrBranchKeyZero", menuHead + "\n[[branches]]\nkey = 0\nname = \"Không\"\ndepartment = \"so-noi-vu\"\n", []string{"20: branches[2].key: 0 is not a digit from 1 to 9"}},
	{"ErrBranchWithoutKey", menuHead + "\n[[branches]]\nname = \"Ba\"\ndepartment = \"so-noi-vu\"\n", []string{"19: branches[2].key: the branch has no key (the digit a caller presses, 1 to 9)"}},
	{"ErrBranchWithoutDepartment", menuHead + "\n[[branches]]\nkey = 3\nname = \"Ba\"\n", []string{"19: branches[2].department: the branch has no department"}},
	{"ErrUnknownDepartment", menuHead + "\n[[branches]]\nkey = 3\nname = \"Ba\"\ndepartment = \"so-noi-vuu\"\n", []string{`22: branches[2].department: unknown department "so-noi-vuu"`}},
	{"ErrBranchWithoutName", menuHead + "\n[[branches]]\nkey = 3\ndepartment = \"so-noi-vu\"\n", []string{"19: branches[2].name: the name is missing"}},
	{"ErrDepartmentWithoutName", menuHead + "\n[[departments]]\nid = \"so-tai-chinh\"\n", []string{"19: departments[2].name: the name is missing"}},
	{"ErrDuplicateDepartment", menuHead + "\n[[departments]]\nid = \"so-tu-phap\"\nname = \"Sở Tư pháp\"\n", []string{`20: departments[2].id: department "so-tu-phap" is defined twice (first as departments[1])`}},
	{"ErrDepartmentIDNotSlug", "[[departments]]\nid = \"Sở Nội vụ\"\nname = \"Sở Nội vụ\"\n[[branches]]\nkey = 1\nname = \"Một\"\ndepartment = \"Sở Nội vụ\"\n", []string{
		`2: departments[0].id: "Sở Nội vụ" is not an id of lower-case letters, digits and '-', such as so-noi-vu`,
		`7: branches[0].department: unknown department "Sở Nội vụ"`,
	}},
	{"ErrNameNotNFC", menuHead + "\n[[departments]]\nid = \"so-tai-chinh\"\nname = \"So\u031b\u0309 Ta\u0300i chi\u0301nh\"\n", []string{
		"21: departments[2].name: \"So\u031b\u0309 Ta\u0300i chi\u0301nh\" is not in composed form (NFC): it contains the combining mark U+031B; retype it or save the file as NFC",
	}},
	{"ErrDeadlineDays", menuHead + "deadline_days = 0\n", []string{"18: branches[1].deadline_days: 0 is not a number of working days from 1 to 365"}},
	{"ErrNoBranches", "branches = []\n", []string{"1: branches: the menu has no branches"}},
	{"ErrSpanSyntax", "[hours]\nmonday = [\"7h-11h\"]\n", []string{`2: hours.monday[0]: "7h-11h" is not an interval like 07:30-11:30`}},
	{"ErrSpanEndsBeforeStart", "[hours]\ntuesday = [\n  \"07:00-11:30\",\n  \"17:00-13:30\",\n]\n", []string{`4: hours.tuesday[1]: "17:00-13:30" ends before it starts`}},
	{"ErrSpansOverlap", "[hours]\nfriday = [\"13:30-17:00\", \"07:00-14:00\"]\n", []string{"2: hours.friday[0]: 13:30-17:00 overlaps 07:00-14:00"}},
	{"ErrSpanSyntaxAmongOverlaps", "[hours]\nmonday = [\"08:00-09:00\", \"7-11\", \"08:30-10:00\"]\n", []string{`2: hours.monday[1]: "7-11" is not an interval like 07:30-11:30`}},
	{"ErrInInlineTables", "departments = [{ id = \"so-noi-vu\", name = \"Sở Nội vụ\" }]\nbranches = [\n  { key = 1, name = \"Một\", department = \"so-noi-vu\" },\n  { key = 2, name = \"Hai\", department = \"so-tu-phap\" },\n]\n", []string{`4: branches[1].department: unknown department "so-tu-phap"`}},
	{"ErrDottedKeys", "http.addr = \"x\"\nhours.sunday = [\"08:00-07:00\"]\n", []string{`1: http.addr: "x" is not a host:port address: missing port in address`, `2: hours.sunday[0]: "08:00-07:00" ends before it starts`}},
	{"ErrLocalDateHoliday", "holidays = [\n  2026-01-01,\n  2026-01-01,\n]\n", []string{"3: holidays[1]: 2026-01-01 is listed twice (first as holidays[0])"}},
	{"ErrHolidayWrongType", "holidays = [\n  20260101,\n]\n", []string{"2: holidays[0]: expected a string, got an integer"}},
	{"ErrNotARealDate", "holidays = [\n  \"2026-01-01\",\n  \"2026-02-30\",\n]\n", []string{`3: holidays[1]: "2026-02-30" is not a real date in the form YYYY-MM-DD`}},
	{"ErrDuplicateWorkday", "workdays = [\n  \"2026-01-10\",\n  \"2026-01-10\",\n]\n", []string{"3: workdays[1]: 2026-01-10 is listed twice (first as workdays[0])"}},
	{"ErrWorkdayOnWeekday", "workdays = [\n  \"2026-01-12\",\n]\n", []string{"2: workdays[0]: 2026-01-12 is a Monday, a working day anyway: list only weekend days worked in exchange for a day off"}},
	{"ErrWorkdayIsHoliday", "holidays = [\"2026-01-10\"]\nworkdays = [\n  \"2026-01-10\",\n]\n", []string{"3: workdays[0]: 2026-01-10 is also a holiday (holidays[0])"}},
	{"ErrDuplicateHoliday", "holidays = [\n  \"2026-01-01\",\n  \"2026-04-30\",\n  \"2026-01-01\",\n]\n", []string{"4: holidays[2]: 2026-01-01 is listed twice (first as holidays[0])"}},
	{"ErrUnknownTimeZone", "time_zone = \"Asia/Hanoi\"\n", []string{`1: time_zone: unknown time zone "Asia/Hanoi"`}},
	{"ErrEmptyTimeZone", "time_zone = \"\"\n", []string{"1: time_zone: the time zone must not be empty"}},
	{"ErrLogLevel", "[log]\nlevel = \"verbose\"\n", []string{`2: log.level: "verbose" is not one of debug, info, warn, error`}},
	{"ErrLogFormat", "[log]\nformat = \"xml\"\n", []string{`2: log.format: "xml" is not one of text, json`}},
	{"ErrDurationSyntax", "[ari]\ndigit_timeout = \"5\"\n", []string{`2: ari.digit_timeout: "5" is not a duration such as 30s or 3m`}},
	{"ErrDurationNotPositive", "[ari]\noperator_timeout = \"0s\"\n", []string{"2: ari.operator_timeout: the duration must be more than 0, got 0s"}},
	{"ErrMenuAttempts", "[ari]\nmenu_attempts = 0\n", []string{"2: ari.menu_attempts: 0 is not a number of attempts from 1 to 10"}},
	{"ErrHTTPAddr", "[http]\naddr = \"localhost\"\n", []string{`2: http.addr: "localhost" is not a host:port address: missing port in address`}},
	{"ErrHTTPPort", "[http]\naddr = \"localhost:http\"\n", []string{`2: http.addr: "localhost:http": the port must be a number from 0 to 65535`}},
	{"ErrARIURL", "[ari]\nurl = \"127.0.0.1:8088/ari\"\n", []string{`2: ari.url: "127.0.0.1:8088/ari" is not an absolute http or https URL`}},
	{"ErrTelegramAPI", "[telegram]\napi = \"ftp://api.telegram.org\"\n", []string{`2: telegram.api: "ftp://api.telegram.org" is not an absolute http or https URL`}},
	{"ErrWebhookNotHTTPS", "[telegram]\nwebhook_url = \"http://example.org/hook\"\n", []string{`2: telegram.webhook_url: "http://example.org/hook" is not an absolute https URL`}},
	{"ErrOperatorEndpoint", "[ari]\noperator_endpoint = \"operator\"\n", []string{`2: ari.operator_endpoint: "operator" is not a dial string such as PJSIP/operator`}},
	{"ErrSecretKey", "[ari]\nuser = \"hotline\"\npassword = \"hunter2\"\n", []string{"3: ari.password: " + secretMessage}},
	{"ErrSecretKeys", "telegram_token = \"1:x\"\n[secrets]\nari = \"x\"\n[extra]\nclient_secret = \"y\"\n", []string{
		"1: telegram_token: " + secretMessage,
		"2: secrets: " + secretMessage,
		"4: extra: unknown key",
		"5: extra.client_secret: " + secretMessage,
	}},
	{"ErrPasswordInURL", "[ari]\nurl = \"http://hotline:hunter2@127.0.0.1:8088/ari\"\n", []string{"2: ari.url: the URL must not contain a password; " + secretMessage}},
	{"ErrWebhookWithoutPath", "[telegram]\nwebhook_url = \"https://hotline.example.gov.vn/\"\n", []string{`2: telegram.webhook_url: "https://hotline.example.gov.vn/" needs a path, such as https://hotline.example.gov.vn/telegram, that reaches hotline's HTTP server`}},
	{"ErrDepartmentChatUnknown", menuHead + "\n[telegram.department_chats]\nso-noi-vu = -1001\nso-tai-chinh = -1002\n", []string{`21: telegram.department_chats.so-tai-chinh: unknown department "so-tai-chinh"`}},
	{"ErrDepartmentChatZero", "[telegram.department_chats]\nso-noi-vu = 0\n", []string{"2: telegram.department_chats.so-noi-vu: 0 is not a chat id; a group's id is negative, e.g. -1001234567890"}},
	{"ErrDepartmentChatNotInteger", "[telegram]\ndepartment_chats = { so-noi-vu = \"-1001\" }\n", []string{"2: telegram.department_chats.so-noi-vu: expected a chat id (an integer), got a string"}},
	{"ErrDepartmentChatsNotTable", "[telegram]\ndepartment_chats = 5\n", []string{"2: telegram.department_chats: expected a table of department id = chat id, got an integer"}},
	{"ErrDraftTTLTooShort", "[telegram]\ndraft_ttl = \"30m\"\n", []string{"2: telegram.draft_ttl: an unfinished report must be kept at least 1h0m0s, got 30m0s"}},
	{"ErrSendTimeoutTooShort", "[outbox]\nsend_timeout = \"0s\"\n", []string{"2: outbox.send_timeout: a send may take from 1s to 10m, got 0s"}},
	{"ErrDraftTTLSyntax", "[telegram]\ndraft_ttl = \"7d\"\n", []string{`2: telegram.draft_ttl: "7d" is not a duration such as 30s or 3m`}},
	{"ErrTokenInURL", "[telegram]\napi = \"https://api.telegram.org/bot123:ABC\"\n", []string{"2: telegram.api: the Bot API URL must not contain the bot token; " + secretMessage}},
}

func TestLoadProblems(t *testing.T) {
	for _, tc := range problemCases {
		t.Run(tc.name, func(t *testing.T) {
			got := problems(t, tc.text, nil)
			if !slices.Equal(got, tc.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	text := `time_zone = "Asia/Hanoi"
[http]
addr = "localhost"
[log]
level = "loud"
[ari]
password = "x"
digit_timeout = "five"
[hours]
monday = ["07:00-12:00", "11:00-17:00"]
[[departments]]
id = "so-noi-vu"
name = "Sở Nội vụ"
[[branches]]
key = 1
name = "Một"
department = "so-noi-vu"
[[branches]]
key = 1
name = "Một lần nữa"
department = "so-noi-vuu"
deadline_days = -1
[[branches]]
key = 12
department = "so-noi-vu"
`
	want := []string{
		`1: time_zone: unknown time zone "Asia/Hanoi"`,
		`3: http.addr: "localhost" is not a host:port address: missing port in address`,
		`5: log.level: "loud" is not one of debug, info, warn, error`,
		"7: ari.password: " + secretMessage,
		`8: ari.digit_timeout: "five" is not a duration such as 30s or 3m`,
		"10: hours.monday[1]: 11:00-17:00 overlaps 07:00-12:00",
		"19: branches[1].key: branch 1 is defined twice (first as branches[0])",
		`21: branches[1].department: unknown department "so-noi-vuu"`,
		"22: branches[1].deadline_days: -1 is not a number of working days from 1 to 365",
		"23: branches[2].name: the name is missing",
		"24: branches[2].key: 12 is not a digit from 1 to 9",
	}
	got := problems(t, text, nil)
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestDefaultBranchesNeedDefaultDepartments(t *testing.T) {
	path := writeConfig(t, "[[departments]]\nid = \"so-noi-vu\"\nname = \"Sở Nội vụ\"\n")
	_, err := config.Load(path, nil)
	var ps *config.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Load error = %v, want *config.Problems", err)
	}
	if got, want := len(ps.List), 5; got != want {
		t.Fatalf("%d problems, want %d:\n%v", got, want, err)
	}
	data, err := os.ReadFile("default.toml")
	if err != nil {
		t.Fatal(err)
	}
	line := slices.Index(strings.Split(string(data), "\n"), `department = "so-tu-phap"`) + 1
	want := fmt.Sprintf(`(embedded default):%d: branches[1].department: unknown department "so-tu-phap" (the default branches use the default departments; a file that replaces the departments must define its [[branches]] too)`, line)
	if got := ps.List[0].String(); got != want {
		t.Errorf("first problem:\n%s\nwant:\n%s", got, want)
	}
}

func TestProblemString(t *testing.T) {
	cases := []struct {
		name string
		p    config.Problem
		want string
	}{
		{"File", config.Problem{File: "hotline.toml", Line: 12, Key: "branches[3].department", Message: `unknown department "so-noi-vuu"`}, `hotline.toml:12: branches[3].department: unknown department "so-noi-vuu"`},
		{"FileWithoutLine", config.Problem{File: "hotline.toml", Message: "invalid TOML"}, "hotline.toml: invalid TOML"},
		{"Env", config.Problem{Key: "HOTLINE_HTTP_ADDR", Message: "bad"}, "HOTLINE_HTTP_ADDR: bad"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
		})
	}
	ps := &config.Problems{List: []config.Problem{cases[0].p, cases[2].p}}
	if got, want := ps.Error(), cases[0].want+"\n"+cases[2].want; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

const secretMessage = "secrets do not belong in the config file; use `hotline secrets set NAME`"
