// SPDX-License-Identifier: Apache-2.0

package config

import (
	"errors"
	"strconv"
	"strings"

	"github.com/hotline-cchc/hotline/tickets"
)

// maxCaseDays bounds a case type's limit and each extension.
const maxCaseDays = 365

// caseTypeKeys returns the keys of the case type at path, e.g. "case_types[0]".
func caseTypeKeys(path string, t *tickets.CaseType) []key {
	return []key{
		strKey(path+".id", &t.ID),
		strKey(path+".name", &t.Name),
		intKey(path+".limit_days", &t.LimitDays),
		daysKey(path+".days", &t.CalendarDays),
		intKey(path+".forward_days", &t.ForwardDays),
		listKey(path+".extensions", &t.Extensions, (*loader).listInt, intList),
		strKey(path+".source", &t.Source),
	}
}

// departmentChangeKeys returns the keys of the change at path, e.g.
// "department_changes[0]".
func departmentChangeKeys(path string, c *tickets.DepartmentChange) []key {
	return []key{
		strKey(path+".department", &c.Department),
		dateKey(path+".from", &c.From),
		strKey(path+".old_name", &c.OldName),
		strKey(path+".into", &c.Into),
	}
}

func (l *loader) caseTypes(path string, v any) {
	tableList(l, path, v, &l.c.CaseTypes, nil, caseTypeKeys)
}

func (l *loader) departmentChanges(path string, v any) {
	tableList(l, path, v, &l.c.DepartmentChanges, nil, departmentChangeKeys)
}

// daysKey reads "working" (false) or "calendar" (true).
func daysKey(path string, p *bool) key {
	return key{
		path: path,
		set: func(l *loader, path string, v any) {
			s, ok := l.str(path, v)
			if !ok {
				return
			}
			switch s {
			case "working", "calendar":
				*p = s == "calendar"
				l.note(path)
			default:
				l.bad(path, "%q is neither \"working\" nor \"calendar\"", s)
			}
		},
		text: func() string {
			if *p {
				return quote("calendar")
			}
			return quote("working")
		},
	}
}

// dateKey reads one date, "2006-01-02" or a TOML local date.
func dateKey(path string, p *tickets.Date) key {
	return key{
		path: path,
		set: func(l *loader, path string, v any) {
			if d, ok := l.date(path, v); ok {
				*p = d
				l.note(path)
			}
		},
		text: func() string { return quote(p.String()) },
	}
}

// listInt reads an integer of a list: a TOML integer or an item of a
// comma-separated variable.
func (l *loader) listInt(path string, v any) (int, bool) {
	if s, ok := v.(string); ok {
		v = envValue(s)
	}
	return l.integer(path, v)
}

func intList(ns []int) string {
	items := make([]string, len(ns))
	for i, n := range ns {
		items[i] = strconv.Itoa(n)
	}
	return "[" + strings.Join(items, ", ") + "]"
}

// caseTypeEnv applies HOTLINE_CASE_TYPE_<ID>_<KEY> to each case type's
// keys but the id, <ID> being the id in capitals with '-' as '_'.
func (l *loader) caseTypeEnv(getenv func(string) string) {
	for i := range l.c.CaseTypes {
		t := &l.c.CaseTypes[i]
		for _, k := range caseTypeKeys(index("case_types", i), t)[1:] {
			l.setenv(getenv, caseTypeVar(t.ID, leaf(k.path)), k)
		}
	}
}

// caseTypeVar names the variable of a case type's key.
func caseTypeVar(id, leaf string) string { return envName("case_type." + id + "." + leaf) }

// caseTypeVars lists the variables of the case types, for UnknownVariables.
func (c *Config) caseTypeVars() []string {
	var names []string
	for i := range c.CaseTypes {
		for _, k := range caseTypeKeys(index("case_types", i), &c.CaseTypes[i])[1:] {
			names = append(names, caseTypeVar(c.CaseTypes[i].ID, leaf(k.path)))
		}
	}
	return names
}

// checkCaseTypes checks the case types and the branches' choice of one.
func (l *loader) checkCaseTypes() {
	ids := map[string]int{}
	for i, t := range l.c.CaseTypes {
		path := index("case_types", i)
		l.uniqueID(ids, "case_types", "case type", "khieu-nai", i, t.ID)
		l.name(path+".name", t.Name)
		l.days(path+".limit_days", t.LimitDays, 0)
		l.days(path+".forward_days", t.ForwardDays, 0)
		for j, n := range t.Extensions {
			l.days(index(path+".extensions", j), n, 1)
		}
	}
	if len(l.c.CaseTypes) == 0 {
		l.invalid("case_types", "there are no case types: the first one is every branch's default")
	}
	for i, b := range l.c.Branches {
		if _, ok := ids[b.CaseType]; b.CaseType != "" && !ok {
			l.invalid(index("branches", i)+".case_type", "unknown case type %q", b.CaseType)
		}
	}
}

func (l *loader) days(path string, n, least int) {
	if n < least || n > maxCaseDays {
		l.invalid(path, "%d is not a number of days from %d to %d", n, least, maxCaseDays)
	}
}

// checkDepartmentChanges checks each change as the menu will: known
// departments, no merge into itself, no colliding rename.
func (l *loader) checkDepartmentChanges() {
	if len(l.c.DepartmentChanges) == 0 || len(l.problems) > 0 {
		return
	}
	base, err := tickets.NewMenu(l.c.Branches, l.c.Departments)
	if err != nil {
		return
	}
	for i, c := range l.c.DepartmentChanges {
		path := index("department_changes", i)
		if c.From == (tickets.Date{}) {
			l.invalid(path+".from", "the change needs the date it takes effect (from = \"2025-07-01\")")
			continue
		}
		if c.Merge() && c.OldName != "" {
			l.invalid(path+".old_name", "a merge keeps the department's names: leave out old_name")
			continue
		}
		if _, err := base.WithChanges(l.c.DepartmentChanges[:i+1], c.From); err != nil {
			var te *tickets.Error
			if errors.As(err, &te) {
				l.invalid(path, "%s", te.Message)
			} else {
				l.invalid(path, "%v", err)
			}
			return
		}
	}
}
