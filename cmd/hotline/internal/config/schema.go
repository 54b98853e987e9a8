// SPDX-License-Identifier: Apache-2.0

package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// key is one setting: its dotted path, how to set it from a TOML value or an
// environment variable, and how to print it back as a TOML literal.
type key struct {
	path string
	set  func(l *loader, path string, v any)
	text func() string // nil for arrays of tables, which Print writes itself
}

// weekdays names the [hours] keys, indexed by time.Weekday.
var weekdays = [7]string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

// settings returns the keys that have an environment variable, in the order
// Print writes them: top-level keys first, then one table after another.
func (c *Config) settings() []key {
	keys := []key{
		strKey("data", &c.Data),
		strKey("time_zone", &c.TimeZone),
		datesKey("holidays", &c.Holidays),
		datesKey("workdays", &c.Workdays),
		strKey("http.addr", &c.HTTP.Addr),
		durationKey("http.read_timeout", &c.HTTP.ReadTimeout),
		durationKey("http.write_timeout", &c.HTTP.WriteTimeout),
		boolKey("http.trust_proxy", &c.HTTP.TrustProxy),
		strKey("log.level", &c.Log.Level),
		strKey("log.format", &c.Log.Format),
		strKey("ari.url", &c.ARI.URL),
		strKey("ari.user", &c.ARI.User),
		strKey("ari.app", &c.ARI.App),
		strKey("ari.operator_endpoint", &c.ARI.OperatorEndpoint),
		durationKey("ari.operator_timeout", &c.ARI.OperatorTimeout),
		durationKey("ari.max_recording", &c.ARI.MaxRecording),
		durationKey("ari.digit_timeout", &c.ARI.DigitTimeout),
		intKey("ari.menu_attempts", &c.ARI.MenuAttempts),
		durationKey("ari.silence_before", &c.ARI.SilenceBefore),
		durationKey("ari.silence_after", &c.ARI.SilenceAfter),
		durationKey("ari.min_speech", &c.ARI.MinSpeech),
		boolKey("ari.recording_notice", &c.ARI.RecordingNotice),
		strKey("ari.recording_notice_text", &c.ARI.NoticeText),
		strKey("ari.sounds_dir", &c.ARI.SoundsDir),
		strKey("telegram.api", &c.Telegram.API),
		strKey("telegram.webhook_url", &c.Telegram.WebhookURL),
		chatTableKey("telegram.department_chats", &c.Telegram.DepartmentChats),
		durationKey("telegram.draft_ttl", &c.Telegram.DraftTTL),
		strKey("zalo.app_id", &c.Zalo.AppID),
		strKey("zalo.oa_id", &c.Zalo.OAID),
		strKey("zalo.webhook_path", &c.Zalo.WebhookPath),
		strKey("zalo.api", &c.Zalo.API),
		strKey("zalo.oauth", &c.Zalo.OAuth),
		strKey("zalo.business", &c.Zalo.Business),
		strKey("zalo.template_received", &c.Zalo.TemplateReceived),
		strKey("zalo.template_answered", &c.Zalo.TemplateAnswered),
		strKey("reports.schedule", &c.Reports.Schedule),
		strKey("reports.time_zone", &c.Reports.TimeZone),
		strKey("reports.format", &c.Reports.Format),
		chatListKey("reports.chats", &c.Reports.Chats),
		durationKey("outbox.send_timeout", &c.Outbox.SendTimeout),
		durationKey("outbox.give_up_after", &c.Outbox.GiveUpAfter),
		durationKey("outbox.stale_after", &c.Outbox.StaleAfter),
		boolKey("survey.enabled", &c.Survey.Enabled),
		floatKey("survey.target", &c.Survey.Target),
		strKey("callback.endpoint", &c.Callback.Endpoint),
		strKey("callback.caller_id", &c.Callback.CallerID),
		intKey("callback.attempts", &c.Callback.Attempts),
		durationKey("callback.interval", &c.Callback.Interval),
		strKey("callback.media_url", &c.Callback.MediaURL),
		strKey("backup.schedule", &c.Backup.Schedule), strKey("backup.dir", &c.Backup.Dir), intKey("backup.keep", &c.Backup.Keep),
		strKey("tls.cert_file", &c.TLS.CertFile), strKey("tls.key_file", &c.TLS.KeyFile),
	}
	keys = append(keys, c.mailKeys()...)
	for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
		keys = append(keys, spansKey("hours."+weekdays[d], &c.Hours[d]))
	}
	return keys
}

// fileKeys returns every key a file may set: the settings and the two arrays
// of tables.
func (c *Config) fileKeys() []key {
	return append(c.settings(),
		key{path: "departments", set: func(l *loader, path string, v any) { l.departments(path, v) }},
		key{path: "branches", set: func(l *loader, path string, v any) { l.branches(path, v) }},
		key{path: "case_types", set: func(l *loader, path string, v any) { l.caseTypes(path, v) }},
		key{path: "department_changes", set: func(l *loader, path string, v any) { l.departmentChanges(path, v) }},
	)
}

// departmentKeys returns the keys of the department at path, e.g. "departments[0]".
func departmentKeys(path string, d *tickets.Department) []key {
	return []key{strKey(path+".id", &d.ID), strKey(path+".name", &d.Name)}
}

// branchKeys returns the keys of the branch at path, e.g. "branches[0]".
func branchKeys(path string, b *tickets.Branch) []key {
	return []key{
		intKey(path+".key", &b.Key),
		strKey(path+".name", &b.Name),
		strKey(path+".department", &b.Department),
		intKey(path+".deadline_days", &b.DeadlineDays),
		strKey(path+".case_type", &b.CaseType),
	}
}

// envName returns the variable of the setting at path: "ari.url" → HOTLINE_ARI_URL.
func envName(path string) string {
	return "HOTLINE_" + strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(path))
}

// envValue is a value from an environment variable: text that each setter
// parses as its key's type.
type envValue string

func strKey(path string, p *string) key {
	return key{
		path: path,
		set: func(l *loader, path string, v any) {
			if s, ok := l.str(path, v); ok {
				*p = s
				l.note(path)
			}
		},
		text: func() string { return quote(*p) },
	}
}

func intKey(path string, p *int) key {
	return key{
		path: path,
		set: func(l *loader, path string, v any) {
			if n, ok := l.integer(path, v); ok {
				*p = n
				l.note(path)
			}
		},
		text: func() string { return strconv.Itoa(*p) },
	}
}

func floatKey(path string, p *float64) key {
	return key{
		path: path,
		set: func(l *loader, path string, v any) {
			if f, ok := l.float(path, v); ok {
				*p = f
				l.note(path)
			}
		},
		text: func() string { return strconv.FormatFloat(*p, 'f', -1, 64) },
	}
}

func boolKey(path string, p *bool) key {
	return key{
		path: path,
		set: func(l *loader, path string, v any) {
			switch b := v.(type) {
			case bool:
				*p = b
			case envValue:
				x, err := strconv.ParseBool(string(b))
				if err != nil {
					l.bad(path, "%q is not true or false", string(b))
					return
				}
				*p = x
			default:
				l.bad(path, "expected true or false, got %s", typeName(v))
				return
			}
			l.note(path)
		},
		text: func() string { return strconv.FormatBool(*p) },
	}
}

func durationKey(path string, p *time.Duration) key {
	return key{
		path: path,
		set: func(l *loader, path string, v any) {
			s, ok := l.str(path, v)
			if !ok {
				return
			}
			d, err := time.ParseDuration(s)
			if err != nil {
				l.bad(path, "%q is not a duration such as 30s or 3m", s)
				return
			}
			*p = d
			l.note(path)
		},
		text: func() string { return quote(p.String()) },
	}
}

func spansKey(path string, p *[]tickets.Span) key {
	return listKey(path, p, func(l *loader, path string, item any) (tickets.Span, bool) {
		s, ok := l.str(path, item)
		if !ok {
			return tickets.Span{}, false
		}
		sp, err := tickets.ParseSpan(s)
		if err != nil {
			l.bad(path, "%s", tickets.ErrorMessage(err))
			return tickets.Span{}, false
		}
		return sp, true
	}, spanList)
}

func datesKey(path string, p *[]tickets.Date) key {
	return listKey(path, p, (*loader).date, dateList)
}

// listKey is a key holding a list whose items parse reports problems on. The
// list is set only if every item is good; else the problems are reported and
// *p is kept.
func listKey[T any](path string, p *[]T, parse func(l *loader, path string, item any) (T, bool), text func([]T) string) key {
	return key{
		path: path,
		set: func(l *loader, path string, v any) {
			items, ok := l.list(path, v)
			if !ok {
				return
			}
			var out []T
			for i, item := range items {
				if x, ok := parse(l, index(path, i), item); ok {
					out = append(out, x)
				}
			}
			if len(out) == len(items) {
				*p = out
				l.markList(path, len(items))
			}
		},
		text: func() string { return text(*p) },
	}
}

// chatListKey is a list of Telegram chat ids: TOML integers, or a
// comma-separated variable.
func chatListKey(path string, p *[]int64) key {
	return listKey(path, p, (*loader).chatID, chatList)
}

// chatTableKey is a table of department id → chat id; its variable is a list
// "so-noi-vu=-1001234567890,so-tu-phap=-1009876543210" (blank: none).
func chatTableKey(path string, p *map[string]int64) key {
	return key{
		path: path,
		set: func(l *loader, path string, v any) {
			chats, ok := l.chats(path, v)
			if ok {
				*p = chats
				l.mark(path)
				for id := range chats {
					l.note(path + "." + id)
				}
			}
		},
		text: func() string { return chatTable(*p) },
	}
}

// chats reads a table of chat ids, or the variable's list of id=chat pairs.
func (l *loader) chats(path string, v any) (map[string]int64, bool) {
	out := map[string]int64{}
	switch v := v.(type) {
	case map[string]any:
		good := true
		for _, id := range l.ordered(path, v) {
			n, ok := l.integer64(join(path, id), v[id])
			good = good && ok
			out[id] = n
		}
		return out, good
	case envValue:
		good := true
		for item := range strings.SplitSeq(string(v), ",") {
			if item = strings.TrimSpace(item); item == "" {
				continue
			}
			id, chat, found := strings.Cut(item, "=")
			n, err := strconv.ParseInt(strings.TrimSpace(chat), 10, 64)
			if !found || err != nil {
				l.bad(path, "%q is not department-id=chat-id, e.g. so-noi-vu=-1001234567890", item)
				good = false
				continue
			}
			out[strings.TrimSpace(id)] = n
		}
		return out, good
	}
	l.bad(path, "expected a table of department id = chat id, got %s", typeName(v))
	return nil, false
}

func (l *loader) integer64(path string, v any) (int64, bool) {
	if n, ok := v.(int64); ok {
		return n, true
	}
	l.bad(path, "expected a chat id (an integer), got %s", typeName(v))
	return 0, false
}

// chatTable writes chats as an inline table, sorted by department id.
func chatTable(chats map[string]int64) string {
	ids := make([]string, 0, len(chats))
	for id := range chats {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	items := make([]string, len(ids))
	for i, id := range ids {
		items[i] = quote(id) + " = " + strconv.FormatInt(chats[id], 10)
	}
	if len(items) == 0 {
		return "{}"
	}
	return "{ " + strings.Join(items, ", ") + " }"
}

// formatSpan writes a span as it is read: "07:30-11:30".
func formatSpan(s tickets.Span) string {
	hm := func(d time.Duration) string { return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60) }
	return hm(s.From) + "-" + hm(s.To)
}
