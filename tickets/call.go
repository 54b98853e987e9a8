// SPDX-License-Identifier: Apache-2.0

package tickets

import "time"

// Outcome is how a phone call ended. The statistics count calls by outcome
// and by branch, whatever the caller did.
type Outcome string

// The outcomes. OutcomeActive is a call still in progress.
const (
	OutcomeActive        Outcome = "active"
	OutcomeTicket        Outcome = "ticket"              // left a message; a ticket was created
	OutcomeOperator      Outcome = "operator"            // talked to an operator
	OutcomeStatusCheck   Outcome = "status_check"        // asked for a ticket's status
	OutcomeAbandonedMenu Outcome = "abandoned_menu"      // hung up before choosing
	OutcomeAbandonedRec  Outcome = "abandoned_recording" // hung up while recording, nothing kept
	OutcomeAfterHours    Outcome = "after_hours"         // called outside business hours and left
	OutcomeNoInput       Outcome = "no_input"            // pressed nothing, or left no message when offered
	OutcomeFailed        Outcome = "failed"              // too many invalid keys
	OutcomeFault         Outcome = "fault"               // a system fault: Asterisk lost, a request failed
)

// Call is one inbound phone call, recorded from answer to hangup.
type Call struct {
	ID         int64
	ChannelID  string // the Asterisk channel id
	Caller     string // caller id; personal data
	StartedAt  time.Time
	EndedAt    time.Time // zero while active
	Branch     int       // the branch chosen; 0 for none
	TicketCode Code      // the ticket created, if any
	Outcome    Outcome
}
