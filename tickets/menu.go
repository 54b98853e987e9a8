// SPDX-License-Identifier: Apache-2.0

package tickets

import (
	"fmt"
	"sort"
)

// Department is a unit that handles the tickets of one or more branches. Its
// staff are focal points (cán bộ đầu mối).
type Department struct {
	ID   string // stable slug used in the store, URLs and config, e.g. "so-noi-vu"
	Name string // Vietnamese name, e.g. "Sở Nội vụ"
}

// Branch is a numbered menu option (digit 1–9) shared by every channel; it routes
// its tickets to one department.
type Branch struct {
	Key          int    // the digit a caller presses, 1–9
	Name         string // Vietnamese name read out and shown, e.g. "Cải cách thủ tục hành chính"
	Department   string // Department.ID
	DeadlineDays int    // working days the department has to resolve a ticket
	// CaseType is the id of the case type its tickets get by default; empty
	// takes the menu's first case type (see Menu.WithCaseTypes).
	CaseType string
}

// DefaultDeadlineDays is the deadline of a branch that sets none.
const DefaultDeadlineDays = 10

// Menu is the set of branches and departments, the routing table of every
// channel. Build it with NewMenu so that it is always consistent.
type Menu struct {
	branches    []Branch // sorted by key
	departments []Department
	byKey       map[int]int
	byDept      map[string]int

	caseTypes     map[string]CaseType // see WithCaseTypes
	caseTypeOrder []string
	history       *departmentHistory // see WithChanges; nil if none
}

// NewMenu checks and indexes branches and departments. It returns an EINVALID
// *Error on a key outside 1–9, a key used twice, an empty name, a department ID
// used twice, or a branch whose department is missing or unknown.
func NewMenu(branches []Branch, departments []Department) (*Menu, error) {
	m := &Menu{byKey: map[int]int{}, byDept: map[string]int{}}
	for _, d := range departments {
		if d.ID == "" || d.Name == "" {
			return nil, Errorf(EINVALID, "department %q needs an id and a name", d.ID)
		}
		if _, dup := m.byDept[d.ID]; dup {
			return nil, Errorf(EINVALID, "department %q is defined twice", d.ID)
		}
		m.byDept[d.ID] = len(m.departments)
		m.departments = append(m.departments, d)
	}
	m.branches = append([]Branch(nil), branches...)
	sort.SliceStable(m.branches, func(i, j int) bool { return m.branches[i].Key < m.branches[j].Key })
	for i, b := range m.branches {
		if err := m.checkBranch(b); err != nil {
			return nil, err
		}
		if b.DeadlineDays == 0 {
			m.branches[i].DeadlineDays = DefaultDeadlineDays
		}
		m.byKey[b.Key] = i
	}
	if len(m.branches) == 0 {
		return nil, Errorf(EINVALID, "the menu has no branches")
	}
	return m, nil
}

func (m *Menu) checkBranch(b Branch) error {
	switch {
	case b.Key < 1 || b.Key > 9:
		return Errorf(EINVALID, "branch %d: the key must be a digit from 1 to 9", b.Key)
	case m.hasKey(b.Key):
		return Errorf(EINVALID, "branch %d is defined twice", b.Key)
	case b.Name == "":
		return Errorf(EINVALID, "branch %d has no name", b.Key)
	case b.Department == "":
		return Errorf(EINVALID, "branch %d has no department", b.Key)
	case b.DeadlineDays < 0:
		return Errorf(EINVALID, "branch %d: the deadline must be a positive number of working days", b.Key)
	}
	if _, ok := m.byDept[b.Department]; !ok {
		return Errorf(EINVALID, "branch %d: unknown department %q", b.Key, b.Department)
	}
	return nil
}

func (m *Menu) hasKey(k int) bool { _, ok := m.byKey[k]; return ok }

// Branches returns the branches in key order.
func (m *Menu) Branches() []Branch { return append([]Branch(nil), m.branches...) }

// Departments returns the departments in configuration order, less those
// merged by the menu's day (see On).
func (m *Menu) Departments() []Department {
	var ds []Department
	for _, d := range m.departments {
		if m.Active(d.ID) {
			ds = append(ds, d)
		}
	}
	return ds
}

// Branch returns the branch on key; ENOTFOUND if there is none.
func (m *Menu) Branch(key int) (Branch, error) {
	i, ok := m.byKey[key]
	if !ok {
		return Branch{}, Errorf(ENOTFOUND, "there is no branch %d", key)
	}
	return m.branches[i], nil
}

// Department returns the department with id; ENOTFOUND if there is none.
func (m *Menu) Department(id string) (Department, error) {
	i, ok := m.byDept[id]
	if !ok {
		return Department{}, Errorf(ENOTFOUND, "there is no department %q", id)
	}
	return m.departments[i], nil
}

// Route returns the branch on key and the department responsible for it
// (the successor of a merged one); ENOTFOUND if key is no branch.
func (m *Menu) Route(key int) (Branch, Department, error) {
	b, err := m.Branch(key)
	if err != nil {
		return Branch{}, Department{}, err
	}
	return b, m.departments[m.byDept[m.Successor(b.Department)]], nil
}

// String names the branch for logs.
func (b Branch) String() string { return fmt.Sprintf("%d %s", b.Key, b.Name) }
