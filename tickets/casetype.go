// SPDX-License-Identifier: Apache-2.0

package tickets

import (
	"time"
)

// CaseType is a kind of case with its legal time limit: feedback and
// recommendations (phản ánh, kiến nghị), complaints (khiếu nại),
// denunciations (tố cáo). Each branch has a default case type; a ticket's
// case type may be changed, which recomputes its deadline.
type CaseType struct {
	ID   string // stable slug, e.g. "khieu-nai"
	Name string // Vietnamese name, e.g. "Khiếu nại"
	// LimitDays is the time allowed from receipt; 0 takes the branch's
	// DeadlineDays, in working days (the province's own limit for feedback).
	LimitDays int
	// CalendarDays: the limit counts calendar days, ending on the next
	// working day when the last one is a day off (Civil Code 2015 art. 148);
	// otherwise it counts working days.
	CalendarDays bool
	// ForwardDays is the working days allowed to forward a case to the
	// competent body; 0 if the law sets none. It is shown, not enforced.
	ForwardDays int
	// Extensions lists the most days each successive extension may add, in
	// the type's units: [30, 30] allows two extensions of up to 30 days.
	Extensions []int
	// Source cites the law that sets the limits, for staff and errors.
	Source string
}

// WithCaseTypes returns a copy of m that knows the case types; each branch
// takes the first case type unless it names its own. It returns EINVALID for
// a type without an id or name, an id used twice, a negative limit or
// extension, or a branch naming an unknown type.
func (m *Menu) WithCaseTypes(types []CaseType) (*Menu, error) {
	c := *m
	c.caseTypes = map[string]CaseType{}
	c.caseTypeOrder = nil
	for _, t := range types {
		switch _, dup := c.caseTypes[t.ID]; {
		case t.ID == "" || t.Name == "":
			return nil, Errorf(EINVALID, "case type %q needs an id and a name", t.ID)
		case dup:
			return nil, Errorf(EINVALID, "case type %q is defined twice", t.ID)
		case t.LimitDays < 0 || t.ForwardDays < 0:
			return nil, Errorf(EINVALID, "case type %q: the limits must not be negative", t.ID)
		}
		for _, e := range t.Extensions {
			if e < 1 {
				return nil, Errorf(EINVALID, "case type %q: each extension must allow at least 1 day", t.ID)
			}
		}
		c.caseTypes[t.ID] = t
		c.caseTypeOrder = append(c.caseTypeOrder, t.ID)
	}
	c.branches = append([]Branch(nil), m.branches...)
	for i, b := range c.branches {
		if b.CaseType == "" && len(types) > 0 {
			c.branches[i].CaseType = types[0].ID
		}
		if _, ok := c.caseTypes[c.branches[i].CaseType]; !ok && c.branches[i].CaseType != "" {
			return nil, Errorf(EINVALID, "branch %d: unknown case type %q", b.Key, b.CaseType)
		}
	}
	return &c, nil
}

// CaseTypes returns the case types in configuration order.
func (m *Menu) CaseTypes() []CaseType {
	out := make([]CaseType, 0, len(m.caseTypeOrder))
	for _, id := range m.caseTypeOrder {
		out = append(out, m.caseTypes[id])
	}
	return out
}

// CaseType returns the case type with id; ENOTFOUND if there is none.
func (m *Menu) CaseType(id string) (CaseType, error) {
	t, ok := m.caseTypes[id]
	if !ok {
		return CaseType{}, Errorf(ENOTFOUND, "không có loại vụ việc %q", id)
	}
	return t, nil
}

// Days returns the time the type allows a ticket of branch b, before any
// extension: its LimitDays, or the branch's DeadlineDays if it sets none.
func (t CaseType) Days(b Branch) int {
	if t.LimitDays > 0 {
		return t.LimitDays
	}
	if b.DeadlineDays > 0 {
		return b.DeadlineDays
	}
	return DefaultDeadlineDays
}

// Unit names the type's days in Vietnamese: "ngày làm việc" or "ngày".
func (t CaseType) Unit() string {
	if t.CalendarDays {
		return "ngày"
	}
	return "ngày làm việc"
}

// Due returns the deadline (23:59:59 local time of the last day) of a
// ticket received at received that has days of t's kind.
func (t CaseType) Due(c *Calendar, received time.Time, days int) time.Time {
	if !t.CalendarDays {
		return c.Deadline(received, days)
	}
	return c.CalendarDeadline(received, days)
}

// ForwardBy returns the deadline to forward a case received at received to
// the competent body: the end of its ForwardDays-th working day; zero if
// the type sets none.
func (t CaseType) ForwardBy(c *Calendar, received time.Time) time.Time {
	if t.ForwardDays == 0 {
		return time.Time{}
	}
	return c.Deadline(received, t.ForwardDays)
}

// MaxDue returns the latest deadline the law allows a ticket of branch b
// received at received after n extensions: the limit plus the first n
// extensions. n beyond the extensions allowed counts them all.
func (t CaseType) MaxDue(c *Calendar, b Branch, received time.Time, n int) time.Time {
	days := t.Days(b)
	for i := 0; i < n && i < len(t.Extensions); i++ {
		days += t.Extensions[i]
	}
	return t.Due(c, received, days)
}

// CalendarDeadline returns the end (23:59:59 local time) of the days-th
// calendar day after the day of received; if that day is not a working day,
// the deadline moves to the end of the next working day (Civil Code 2015
// art. 148(5)). days < 1 counts as 1.
func (c *Calendar) CalendarDeadline(received time.Time, days int) time.Time {
	t := received.In(c.loc)
	day := time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, c.loc).AddDate(0, 0, max(days, 1))
	for !c.WorkingDay(DateOf(day)) {
		day = day.AddDate(0, 0, 1)
	}
	return time.Date(day.Year(), day.Month(), day.Day(), 23, 59, 59, 0, c.loc)
}

// EndOfDay returns the deadline that ends on d: 23:59:59 local time.
func (c *Calendar) EndOfDay(d Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 23, 59, 59, 0, c.loc)
}
