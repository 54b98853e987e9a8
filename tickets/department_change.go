// SPDX-License-Identifier: Apache-2.0

package tickets

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// DepartmentChange is a department renamed, or merged into another, from a
// date. Tickets keep the department id they had; names are read as of a day
// (Menu.On), so a report for a period before the change shows the old name
// and one after it the new one. Open tickets of a merged department move to
// its successor (ActionMerge), and its branches route to the successor.
type DepartmentChange struct {
	Department string
	From       Date // the first day of the new name or of the merge
	// A rename has OldName, the name before From, and NewName, the name from
	// From ("" takes the configured name: the config form's current name).
	OldName, NewName string
	// Into, for a merge, is the successor's id.
	Into  string
	At    time.Time // when it was recorded; zero for the config form
	Actor string
}

// Merge reports whether c is a merge.
func (c DepartmentChange) Merge() bool { return c.Into != "" }

// departmentHistory is a menu's department changes, by day.
type departmentHistory struct {
	base    map[string]string // configured names
	changes []DepartmentChange
	day     Date // the day the menu's names are of
}

// WithChanges returns a copy of m that knows the department changes, with
// names and routing as of the day on. It returns EINVALID for a change that
// Check refuses against the changes before it.
func (m *Menu) WithChanges(changes []DepartmentChange, on Date) (*Menu, error) {
	h := &departmentHistory{base: map[string]string{}}
	for _, d := range m.baseDepartments() {
		h.base[d.ID] = d.Name
	}
	sorted := slices.Clone(changes)
	slices.SortStableFunc(sorted, func(a, b DepartmentChange) int { return cmp.Compare(a.From.String(), b.From.String()) })
	c := *m
	c.history = h
	for _, ch := range sorted {
		if err := c.Check(ch); err != nil {
			return nil, err
		}
		h.changes = append(h.changes, ch)
	}
	return c.On(on), nil
}

// baseDepartments returns the departments with their configured names.
func (m *Menu) baseDepartments() []Department {
	ds := append([]Department(nil), m.departments...)
	if m.history != nil {
		for i := range ds {
			ds[i].Name = m.history.base[ds[i].ID]
		}
	}
	return ds
}

// On returns the menu as it stood on day d: department names of that day,
// merged departments out of Departments (Department still finds them, their
// name saying so) and branches routed to their successors.
func (m *Menu) On(d Date) *Menu {
	if m.history == nil {
		return m
	}
	c := *m
	h := *m.history
	h.day = d
	c.history = &h
	c.departments = m.baseDepartments()
	for i := range c.departments {
		c.departments[i].Name = h.name(c.departments[i].ID, d)
	}
	return &c
}

// Day returns the day the menu's names are of; the zero Date for a menu
// without department changes.
func (m *Menu) Day() Date {
	if m.history == nil {
		return Date{}
	}
	return m.history.day
}

// Changes returns the department changes, by date.
func (m *Menu) Changes() []DepartmentChange {
	if m.history == nil {
		return nil
	}
	return slices.Clone(m.history.changes)
}

// name returns id's name on day d; a merged department's name says into
// which department it was merged.
func (h *departmentHistory) name(id string, d Date) string {
	name := h.plainName(id, d)
	if into, ok := h.mergedInto(id, d); ok {
		name += " (đã sáp nhập vào " + h.plainName(into, d) + ")"
	}
	return name
}

// plainName is id's name on day d: the old name of its first rename after
// d, else the new name of its last rename by d, else the configured name.
func (h *departmentHistory) plainName(id string, d Date) string {
	name := h.base[id]
	for _, c := range h.changes {
		if c.Department != id || c.Merge() {
			continue
		}
		if after(c.From, d) {
			return c.OldName
		}
		name = cmp.Or(c.NewName, h.base[id])
	}
	return name
}

// mergedInto returns the department id was merged into by day d.
func (h *departmentHistory) mergedInto(id string, d Date) (string, bool) {
	for _, c := range h.changes {
		if c.Department == id && c.Merge() && !after(c.From, d) {
			return c.Into, true
		}
	}
	return "", false
}

// after reports whether a is a later day than b.
func after(a, b Date) bool { return a.String() > b.String() }

// Active reports whether the department id exists and was not merged by the
// menu's day.
func (m *Menu) Active(id string) bool {
	if _, ok := m.byDept[id]; !ok {
		return false
	}
	if m.history == nil {
		return true
	}
	_, merged := m.history.mergedInto(id, m.history.day)
	return !merged
}

// Successor returns the department that handles id's tickets on the menu's
// day: id itself, or the department it was merged into (followed through
// later merges).
func (m *Menu) Successor(id string) string {
	for range len(m.departments) {
		if m.history == nil {
			return id
		}
		into, ok := m.history.mergedInto(id, m.history.day)
		if !ok {
			return id
		}
		id = into
	}
	return id
}

// NameOn returns the name of department id on day d, as a report of a
// period ending that day shows it.
func (m *Menu) NameOn(id string, d Date) string {
	if m.history == nil {
		if dep, err := m.Department(id); err == nil {
			return dep.Name
		}
		return id
	}
	if _, ok := m.history.base[id]; !ok {
		return id
	}
	return m.history.name(id, d)
}

// NameBefore returns the name of department id on the day before d: the
// name a change from d changes or merges.
func (m *Menu) NameBefore(id string, d Date) string { return m.NameOn(id, dayBefore(d)) }

// Prepare checks a change made today (by the CLI) and fills a rename's
// OldName with the name the day before it takes effect. A merge takes
// effect at once, so its date may not be later than today: its open tickets
// move when it is recorded. It returns Check's errors, EINVALID for a merge
// dated after today, and ECONFLICT for a change dated before a recorded
// change of the same department.
func (m *Menu) Prepare(c DepartmentChange, today Date) (DepartmentChange, error) {
	if c.Merge() && after(c.From, today) {
		return c, Errorf(EINVALID, "Sáp nhập có hiệu lực ngay khi ghi nhận (các phiếu đang mở được chuyển ngay): ngày %s còn ở tương lai; hãy ghi nhận vào ngày đó.", formatDate(c.From))
	}
	h := m.withHistory().history
	for _, old := range h.changes {
		if old.Department == c.Department && after(old.From, c.From) {
			return c, Errorf(ECONFLICT, "Cơ quan %q đã có thay đổi từ ngày %s, sau ngày %s: hãy ghi nhận các thay đổi theo thứ tự thời gian.",
				c.Department, formatDate(old.From), formatDate(c.From))
		}
	}
	if !c.Merge() {
		c.OldName = h.plainName(c.Department, dayBefore(c.From))
	}
	return c, m.Check(c)
}

// withHistory returns m with an empty history if it has none.
func (m *Menu) withHistory() *Menu {
	if m.history != nil {
		return m
	}
	c := *m
	c.history = &departmentHistory{base: map[string]string{}}
	for _, d := range m.departments {
		c.history.base[d.ID] = d.Name
	}
	return &c
}

// Check checks a change against the menu and the changes it knows. It
// returns ENOTFOUND for an unknown department or successor, EINVALID for a
// merge into itself or a rename without names or to the name it has, and
// ECONFLICT for a change to a department already merged, a merge into one
// merged by then, or a rename to a name another department has then.
func (m *Menu) Check(c DepartmentChange) error {
	h := m.withHistory().history
	if _, ok := h.base[c.Department]; !ok {
		return Errorf(ENOTFOUND, "Không có cơ quan %q (xem hotline departments list).", c.Department)
	}
	if into, ok := h.mergedInto(c.Department, c.From); ok || h.mergedAny(c.Department) {
		if !ok {
			into = c.Department
		}
		return Errorf(ECONFLICT, "Cơ quan «%s» đã được sáp nhập vào «%s»: không thể đổi tên hay sáp nhập nữa.", h.plainName(c.Department, c.From), h.plainName(into, c.From))
	}
	if c.Merge() {
		return h.checkMerge(c)
	}
	return h.checkRename(c)
}

// mergedAny reports whether id is merged at any date.
func (h *departmentHistory) mergedAny(id string) bool {
	return slices.ContainsFunc(h.changes, func(c DepartmentChange) bool { return c.Department == id && c.Merge() })
}

func (h *departmentHistory) checkMerge(c DepartmentChange) error {
	if c.Into == c.Department {
		return Errorf(EINVALID, "Không thể sáp nhập cơ quan «%s» vào chính nó.", h.plainName(c.Department, c.From))
	}
	if _, ok := h.base[c.Into]; !ok {
		return Errorf(ENOTFOUND, "Không có cơ quan %q để sáp nhập vào (xem hotline departments list).", c.Into)
	}
	if into, ok := h.mergedInto(c.Into, c.From); ok {
		return Errorf(ECONFLICT, "Cơ quan «%s» đã được sáp nhập vào «%s» trước ngày %s: hãy sáp nhập vào %q.",
			h.plainName(c.Into, c.From), h.plainName(into, c.From), formatDate(c.From), into)
	}
	return nil
}

func (h *departmentHistory) checkRename(c DepartmentChange) error {
	name := cmp.Or(c.NewName, h.base[c.Department])
	if c.OldName == "" || name == "" {
		return Errorf(EINVALID, "Đổi tên cơ quan %q cần cả tên cũ và tên mới.", c.Department)
	}
	if name == c.OldName {
		return Errorf(EINVALID, "Cơ quan %q đã mang tên «%s».", c.Department, name)
	}
	before := dayBefore(c.From)
	if id := h.named(c.OldName, c.Department, before); id != "" {
		return Errorf(ECONFLICT, "Tên cũ «%s» trùng với tên cơ quan %q vào ngày %s.", c.OldName, id, formatDate(before))
	}
	if id := h.named(name, c.Department, c.From); id != "" {
		return Errorf(ECONFLICT, "Tên «%s» trùng với tên cơ quan %q vào ngày %s.", name, id, formatDate(c.From))
	}
	return nil
}

// named returns the department other than self not merged by day d that
// has name then (in any case), or "".
func (h *departmentHistory) named(name, self string, d Date) string {
	for id := range h.base {
		if _, merged := h.mergedInto(id, d); id == self || merged {
			continue
		}
		if strings.EqualFold(h.plainName(id, d), name) {
			return id
		}
	}
	return ""
}

// formatDate writes d as dd/mm/yyyy.
func formatDate(d Date) string { return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year) }

// dayBefore returns the day before d.
func dayBefore(d Date) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day-1, 12, 0, 0, 0, time.UTC))
}
