// SPDX-License-Identifier: Apache-2.0

package console

import "github.com/hotline-cchc/hotline/tickets"

// The authorisation rules, in one place. A ticket a user may not read is
// answered as if it did not exist.

// canRead reports whether u may see t: admins and managers every ticket, a
// focal point those of their department, an operator the new ones.
func canRead(u *tickets.User, t *tickets.Ticket) bool {
	switch u.Role {
	case tickets.RoleAdmin, tickets.RoleManager:
		return true
	case tickets.RoleFocal:
		return t.Department == u.Department
	case tickets.RoleOperator:
		return t.Status == tickets.StatusNew
	}
	return false
}

// canWork reports whether u may move t, answer the citizen, and see the
// citizen's phone number and recording: an admin, or a focal point of t's
// department.
func canWork(u *tickets.User, t *tickets.Ticket) bool {
	return u.Role == tickets.RoleAdmin || (u.Role == tickets.RoleFocal && t.Department == u.Department)
}

// canFile reports whether u may file a ticket for a caller.
func canFile(u *tickets.User) bool {
	return u.Role == tickets.RoleAdmin || u.Role == tickets.RoleOperator
}

// canReport reports whether u may see the dashboard and the reports.
func canReport(u *tickets.User) bool {
	return u.Role == tickets.RoleAdmin || u.Role == tickets.RoleManager
}

// queueFilter is the work queue u sees.
func queueFilter(u *tickets.User) tickets.QueueFilter {
	switch u.Role {
	case tickets.RoleFocal:
		return tickets.QueueFilter{Department: u.Department}
	case tickets.RoleOperator:
		return tickets.QueueFilter{NewOnly: true}
	}
	return tickets.QueueFilter{}
}
