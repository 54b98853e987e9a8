// SPDX-License-Identifier: Apache-2.0

package tickets

// Status is where a ticket stands in its lifecycle:
// new → assigned → in_progress → resolved → closed, and resolved → in_progress
// when a ticket is reopened.
type Status string

// The statuses, in lifecycle order.
const (
	StatusNew        Status = "new"
	StatusAssigned   Status = "assigned"
	StatusInProgress Status = "in_progress"
	StatusResolved   Status = "resolved"
	StatusClosed     Status = "closed"
)

// Statuses lists every status in lifecycle order.
var Statuses = []Status{StatusNew, StatusAssigned, StatusInProgress, StatusResolved, StatusClosed}

var statusNames = map[Status]string{
	StatusNew:        "Mới tiếp nhận",
	StatusAssigned:   "Đã giao cơ quan đầu mối",
	StatusInProgress: "Đang xử lý",
	StatusResolved:   "Đã giải quyết",
	StatusClosed:     "Đã đóng",
}

// Vietnamese returns the status's name as shown to citizens and staff.
func (s Status) Vietnamese() string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return string(s)
}

// Open reports whether the ticket still needs work from its department.
func (s Status) Open() bool {
	return s == StatusNew || s == StatusAssigned || s == StatusInProgress
}

// ParseStatus returns the status named s; EINVALID if there is none.
func ParseStatus(s string) (Status, error) {
	if _, ok := statusNames[Status(s)]; ok {
		return Status(s), nil
	}
	return "", Errorf(EINVALID, "unknown status %q (want new, assigned, in_progress, resolved or closed)", s)
}

// Action is a change a person makes to a ticket; each one is a history entry.
type Action string

// The actions. ActionCreate and ActionAssign may change the department; the
// others only move the status.
const (
	ActionCreate  Action = "create"
	ActionAssign  Action = "assign"
	ActionStart   Action = "start"
	ActionResolve Action = "resolve"
	ActionReopen  Action = "reopen"
	ActionClose   Action = "close"
	// ActionAnswer answers the citizen without changing the status; it is
	// allowed while the ticket is open and needs a note, the answer.
	ActionAnswer Action = "answer"
	// ActionCaseType changes the ticket's case type and recomputes its
	// deadline; ActionExtend extends its deadline. Both keep the status and
	// go through Service.SetCaseType and Service.Extend.
	ActionCaseType Action = "case_type"
	ActionExtend   Action = "extend"
	// ActionMerge moves an open ticket to the successor of its department,
	// merged into it (see DepartmentChange); it keeps the status.
	ActionMerge Action = "merge"
)

// ParseAction returns the action named s; EINVALID if there is none.
func ParseAction(s string) (Action, error) {
	switch a := Action(s); a {
	case ActionAssign, ActionStart, ActionResolve, ActionReopen, ActionClose, ActionAnswer:
		return a, nil
	}
	return "", Errorf(EINVALID, "unknown action %q (want assign, start, resolve, reopen, close or answer)", s)
}

// transitions maps an action to the statuses it may start from and the one it
// leads to. Assigning also covers reassignment to another department while the
// ticket is still open.
var transitions = map[Action]struct {
	from []Status
	to   Status
}{
	ActionAssign:  {[]Status{StatusNew, StatusAssigned, StatusInProgress}, StatusAssigned},
	ActionStart:   {[]Status{StatusAssigned}, StatusInProgress},
	ActionResolve: {[]Status{StatusInProgress}, StatusResolved},
	ActionReopen:  {[]Status{StatusResolved}, StatusInProgress},
	ActionClose:   {[]Status{StatusResolved}, StatusClosed},
}

// Next returns the status that action leads to from status from. It returns an
// ECONFLICT *Error naming both if the lifecycle does not allow it, and EINVALID
// for an action that is not a transition.
func Next(from Status, action Action) (Status, error) {
	if action == ActionAnswer {
		if !from.Open() {
			return "", Errorf(ECONFLICT, "cannot answer a ticket that is %s", from)
		}
		return from, nil
	}
	t, ok := transitions[action]
	if !ok {
		return "", Errorf(EINVALID, "%q is not a status change", action)
	}
	for _, s := range t.from {
		if s == from {
			return t.to, nil
		}
	}
	return "", Errorf(ECONFLICT, "cannot %s a ticket that is %s", action, from)
}
