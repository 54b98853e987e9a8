// SPDX-License-Identifier: Apache-2.0

package config

import (
	"cmp"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/robfig/cron/v3"

	"github.com/hotline-cchc/hotline/tickets"
)

// Bounds that keep a valid configuration usable.
const (
	maxDeadlineDays = 365 // working days
	maxMenuAttempts = 10
)

// invalid reports a problem with the value at path, where that value came from.
func (l *loader) invalid(path, format string, args ...any) {
	o := l.c.origin(path)
	p := Problem{File: o.file, Line: o.line, Key: path, Message: fmt.Sprintf(format, args...)}
	if o.env != "" {
		p = Problem{Key: o.env, Message: p.Message}
	}
	l.problems = append(l.problems, p)
}

// validate checks the assembled configuration.
func (l *loader) validate() {
	c := l.c
	if strings.TrimSpace(c.Data) == "" {
		l.invalid("data", "the data folder must not be empty")
	}
	l.timeZone()
	l.oneOf("log.level", c.Log.Level, "debug", "info", "warn", "error")
	l.oneOf("log.format", c.Log.Format, "text", "json")
	l.hostPort("http.addr", c.HTTP.Addr)
	l.positive("http.read_timeout", c.HTTP.ReadTimeout)
	l.positive("http.write_timeout", c.HTTP.WriteTimeout)
	if c.ARI.URL != "" {
		l.url("ari.url", c.ARI.URL, "http", "https")
	}
	if strings.TrimSpace(c.ARI.App) == "" {
		l.invalid("ari.app", "the ARI application name must not be empty")
	}
	if e := c.ARI.OperatorEndpoint; e != "" && !dialString.MatchString(e) {
		l.invalid("ari.operator_endpoint", "%q is not a dial string such as PJSIP/operator", e)
	}
	l.positive("ari.operator_timeout", c.ARI.OperatorTimeout)
	l.positive("ari.max_recording", c.ARI.MaxRecording)
	l.positive("ari.digit_timeout", c.ARI.DigitTimeout)
	l.positive("ari.silence_before", c.ARI.SilenceBefore)
	l.positive("ari.silence_after", c.ARI.SilenceAfter)
	l.positive("ari.min_speech", c.ARI.MinSpeech)
	if n := c.ARI.MenuAttempts; n < 1 || n > maxMenuAttempts {
		l.invalid("ari.menu_attempts", "%d is not a number of attempts from 1 to %d", n, maxMenuAttempts)
	}
	l.url("telegram.api", c.Telegram.API, "http", "https")
	if strings.Contains(c.Telegram.API, "/bot") {
		l.invalid("telegram.api", "the Bot API URL must not contain the bot token; %s", secretMessage)
	}
	if c.Telegram.WebhookURL != "" {
		l.url("telegram.webhook_url", c.Telegram.WebhookURL, "https")
		if u, err := url.Parse(c.Telegram.WebhookURL); err == nil && u.Host != "" && !webhookPath.MatchString(u.Path) {
			l.invalid("telegram.webhook_url", "%q needs a path, such as https://hotline.example.gov.vn/telegram, that reaches hotline's HTTP server", c.Telegram.WebhookURL)
		}
	}
	if d := c.Telegram.DraftTTL; d < minDraftTTL {
		l.invalid("telegram.draft_ttl", "an unfinished report must be kept at least %s, got %s", minDraftTTL, d)
	}
	l.zalo()
	l.outbox()
	l.mail()
	l.callback()
	l.reports()
	if b := c.Backup; b.Keep < 1 || (b.Schedule != "" && cronErr(b.Schedule) != nil) {
		l.invalid("backup", "backup.keep must be at least 1 and backup.schedule empty or a cron schedule such as \"30 2 * * *\"")
	}
	if (c.TLS.CertFile == "") != (c.TLS.KeyFile == "") {
		l.invalid("tls", "tls.cert_file and tls.key_file go together: set both, or neither")
	}
	l.hours()
	l.holidays()
	l.menu()
	l.checkCaseTypes()
	l.checkDepartmentChanges()
	l.departmentChats()
}

func cronErr(spec string) error { _, err := cron.ParseStandard(spec); return err }

func (l *loader) reports() {
	r := l.c.Reports
	if _, err := cron.ParseStandard(r.Schedule); err != nil {
		l.invalid("reports.schedule", "%q is not a cron schedule such as \"0 7 1 * *\" (minute hour day month weekday): %s", r.Schedule, err)
	}
	if r.TimeZone != "" {
		if _, err := time.LoadLocation(r.TimeZone); err != nil {
			l.invalid("reports.time_zone", "unknown time zone %q", r.TimeZone)
		}
	}
	l.oneOf("reports.format", r.Format, "text", "csv", "xlsx", "html")
	seen := map[int64]int{}
	for i, id := range r.Chats {
		if first, dup := seen[id]; dup {
			l.invalid(index("reports.chats", i), "chat %d is listed twice (first as reports.chats[%d])", id, first)
			continue
		}
		if id == 0 {
			l.invalid(index("reports.chats", i), "0 is not a Telegram chat id")
		}
		seen[id] = i
	}
}

// departmentChats checks that each department chat names a known department
// and a chat id.
func (l *loader) departmentChats() {
	const path = "telegram.department_chats"
	chats := l.c.Telegram.DepartmentChats
	ids := make([]string, 0, len(chats))
	for id := range chats {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if !slices.ContainsFunc(l.c.Departments, func(d tickets.Department) bool { return d.ID == id }) {
			l.invalid(path+"."+id, "unknown department %q", id)
		}
		if chats[id] == 0 {
			l.invalid(path+"."+id, "0 is not a chat id; a group's id is negative, e.g. -1001234567890")
		}
	}
}

var webhookPath = regexp.MustCompile(`^/[A-Za-z0-9._~/-]*[A-Za-z0-9._~-]$`)

var dialString = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*/\S+$`)

func (l *loader) timeZone() {
	switch tz := l.c.TimeZone; {
	case tz == "":
		l.invalid("time_zone", "the time zone must not be empty")
	default:
		if _, err := time.LoadLocation(tz); err != nil {
			l.invalid("time_zone", "unknown time zone %q", tz)
		}
	}
}

func (l *loader) oneOf(path, v string, allowed ...string) {
	if !slices.Contains(allowed, v) {
		l.invalid(path, "%q is not one of %s", v, strings.Join(allowed, ", "))
	}
}

// minDraftTTL is the shortest telegram.draft_ttl: a citizen may pause to
// find a document or a photo.
const minDraftTTL = time.Hour

func (l *loader) positive(path string, d time.Duration) {
	if d <= 0 {
		l.invalid(path, "the duration must be more than 0, got %s", d)
	}
}

func (l *loader) hostPort(path, addr string) {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		l.invalid(path, "%q is not a host:port address: %s", addr, strings.TrimPrefix(err.Error(), "address "+addr+": "))
		return
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		l.invalid(path, "%q: the port must be a number from 0 to 65535", addr)
	}
}

// url checks that s is an absolute URL with one of the schemes and no password.
func (l *loader) url(path, s string, schemes ...string) {
	u, err := url.Parse(s)
	if err != nil || !slices.Contains(schemes, u.Scheme) || u.Host == "" {
		l.invalid(path, "%q is not an absolute %s URL", s, strings.Join(schemes, " or "))
		return
	}
	if _, ok := u.User.Password(); ok {
		l.invalid(path, "the URL must not contain a password; %s", secretMessage)
	}
}

func (l *loader) hours() {
	for d, spans := range l.c.Hours {
		path := "hours." + weekdays[d]
		order := make([]int, len(spans))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(spans[a].From, spans[b].From) })
		for j := 1; j < len(order); j++ {
			prev, cur := spans[order[j-1]], spans[order[j]]
			if cur.From < prev.To {
				l.invalid(index(path, order[j]), "%s overlaps %s", formatSpan(cur), formatSpan(prev))
			}
		}
	}
}

func (l *loader) holidays() {
	holidays := l.uniqueDates("holidays", l.c.Holidays)
	workdays := l.uniqueDates("workdays", l.c.Workdays)
	for i, d := range l.c.Workdays {
		if workdays[d] != i {
			continue // reported as listed twice
		}
		wd := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
		switch first, both := holidays[d]; {
		case both:
			l.invalid(index("workdays", i), "%s is also a holiday (holidays[%d])", d, first)
		case wd != time.Saturday && wd != time.Sunday:
			l.invalid(index("workdays", i), "%s is a %s, a working day anyway: list only weekend days worked in exchange for a day off", d, wd)
		}
	}
}

// uniqueDates reports the dates listed twice under key and returns each date's
// first index.
func (l *loader) uniqueDates(key string, ds []tickets.Date) map[tickets.Date]int {
	seen := map[tickets.Date]int{}
	for i, d := range ds {
		if first, dup := seen[d]; dup {
			l.invalid(index(key, i), "%s is listed twice (first as %s[%d])", d, key, first)
			continue
		}
		seen[d] = i
	}
	return seen
}

// uniqueID checks the id of the i-th entry of the list table (each entry a
// kind, with an id such as example) and records it in ids.
func (l *loader) uniqueID(ids map[string]int, table, kind, example string, i int, id string) {
	path := index(table, i) + ".id"
	switch first, dup := ids[id]; {
	case id == "":
		l.invalid(path, "the %s has no id", kind)
	case !slug.MatchString(id):
		l.invalid(path, "%q is not an id of lower-case letters, digits and '-', such as %s", id, example)
	case dup:
		l.invalid(path, "%s %q is defined twice (first as %s[%d])", kind, id, table, first)
	default:
		ids[id] = i
	}
}

// menu checks departments and branches at least as strictly as tickets.NewMenu.
func (l *loader) menu() {
	ids := map[string]int{}
	for i, d := range l.c.Departments {
		path := index("departments", i)
		l.uniqueID(ids, "departments", "department", "so-noi-vu", i, d.ID)
		l.name(path+".name", d.Name)
	}
	keys := map[int]int{}
	for i, b := range l.c.Branches {
		path := index("branches", i)
		l.branchKey(path, b.Key, keys, i)
		l.name(path+".name", b.Name)
		l.branchDepartment(path, b.Department, ids)
		if n := b.DeadlineDays; n < 1 || n > maxDeadlineDays {
			l.invalid(path+".deadline_days", "%d is not a number of working days from 1 to %d", n, maxDeadlineDays)
		}
	}
	if len(l.c.Branches) == 0 {
		l.invalid("branches", "the menu has no branches")
	}
}

var slug = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func (l *loader) branchKey(path string, k int, keys map[int]int, i int) {
	_, set := l.c.origins[path+".key"]
	switch first, dup := keys[k]; {
	case !set && k == 0:
		l.invalid(path+".key", "the branch has no key (the digit a caller presses, 1 to 9)")
	case k < 1 || k > 9:
		l.invalid(path+".key", "%d is not a digit from 1 to 9", k)
	case dup:
		l.invalid(path+".key", "branch %d is defined twice (first as branches[%d])", k, first)
	default:
		keys[k] = i
	}
}

func (l *loader) branchDepartment(path, id string, ids map[string]int) {
	if id == "" {
		l.invalid(path+".department", "the branch has no department")
		return
	}
	if _, ok := ids[id]; ok {
		return
	}
	hint := ""
	if l.c.origin(path).file == Embedded && l.c.origin("departments").file != Embedded {
		hint = " (the default branches use the default departments; a file that replaces the departments must define its [[branches]] too)"
	}
	l.invalid(path+".department", "unknown department %q%s", id, hint)
}

// name checks a Vietnamese name: present, and composed (NFC) so that it
// matches, sorts and displays like the same name typed elsewhere.
func (l *loader) name(path, s string) {
	if strings.TrimSpace(s) == "" {
		l.invalid(path, "the name is missing")
		return
	}
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			l.invalid(path, "%q is not in composed form (NFC): it contains the combining mark %U; retype it or save the file as NFC", s, r)
			return
		case unicode.IsControl(r):
			l.invalid(path, "%q contains the control character %U", s, r)
			return
		}
	}
}

// outbox checks the outbox's time limits.
func (l *loader) outbox() {
	o := l.c.Outbox
	if o.SendTimeout < time.Second || o.SendTimeout > 10*time.Minute {
		l.invalid("outbox.send_timeout", "a send may take from 1s to 10m, got %s", o.SendTimeout)
	}
	if o.GiveUpAfter < time.Hour {
		l.invalid("outbox.give_up_after", "a message must be retried at least 1h, got %s", o.GiveUpAfter)
	}
	if o.StaleAfter < time.Minute {
		l.invalid("outbox.stale_after", "at least 1m, got %s", o.StaleAfter)
	}
}

// zalo checks the Zalo OA channel's keys.
func (l *loader) zalo() {
	z := l.c.Zalo
	l.url("zalo.api", z.API, "http", "https")
	l.url("zalo.oauth", z.OAuth, "http", "https")
	l.url("zalo.business", z.Business, "http", "https")
	if !webhookPath.MatchString(z.WebhookPath) {
		l.invalid("zalo.webhook_path", "%q is not a path such as /zalo/webhook", z.WebhookPath)
	}
	for _, k := range []struct{ path, v string }{{"zalo.app_id", z.AppID}, {"zalo.oa_id", z.OAID}} {
		if strings.TrimSpace(k.v) != k.v || strings.ContainsAny(k.v, "/?#") {
			l.invalid(k.path, "%q is not an id as Zalo shows it (digits)", k.v)
		}
	}
}

// callback checks the survey's and the call-back's settings.
func (l *loader) callback() {
	if t := l.c.Survey.Target; !(t > 0 && t <= 1) {
		l.invalid("survey.target", "the target satisfaction rate is a share above 0 and at most 1, such as 0.8, got %v", t)
	}
	cb := l.c.Callback
	if cb.MediaURL != "" {
		l.url("callback.media_url", cb.MediaURL, "http", "https")
	}
	if cb.Endpoint != "" && (!strings.Contains(cb.Endpoint, "{number}") || !strings.Contains(cb.Endpoint, "/")) {
		l.invalid("callback.endpoint", "%q must be a dial string with {number}, such as PJSIP/{number}@trunk", cb.Endpoint)
	}
	if cb.Attempts < 1 || cb.Attempts > 10 {
		l.invalid("callback.attempts", "%d is not a number of calls from 1 to 10", cb.Attempts)
	}
	if cb.Interval < time.Second {
		l.invalid("callback.interval", "at least 1s, got %s", cb.Interval)
	}
}
