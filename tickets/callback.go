// SPDX-License-Identifier: Apache-2.0

package tickets

import (
	"strings"
	"time"
)

// CallbackOutcome is how one call-back attempt ended.
type CallbackOutcome string

// The call-back outcomes.
const (
	CallbackCalling     CallbackOutcome = "calling"     // dialled; the outcome is not recorded yet
	CallbackAnswered    CallbackOutcome = "answered"    // the citizen picked up and heard the answer
	CallbackNoAnswer    CallbackOutcome = "no_answer"   // rang out (cause 18, 19) or went to voicemail
	CallbackBusy        CallbackOutcome = "busy"        // cause 17
	CallbackRejected    CallbackOutcome = "rejected"    // declined or unreachable (cause 21 and others)
	CallbackFailed      CallbackOutcome = "failed"      // Asterisk refused the originate or could not be reached
	CallbackInterrupted CallbackOutcome = "interrupted" // hotline stopped during the attempt: the outcome is unknown
)

// Vietnamese names the outcome for staff.
func (o CallbackOutcome) Vietnamese() string {
	switch o {
	case CallbackCalling:
		return "Đang gọi"
	case CallbackAnswered:
		return "Công dân đã nghe máy"
	case CallbackNoAnswer:
		return "Không nghe máy"
	case CallbackBusy:
		return "Máy bận"
	case CallbackRejected:
		return "Từ chối hoặc không liên lạc được"
	case CallbackFailed:
		return "Tổng đài không gọi được"
	case CallbackInterrupted:
		return "Gián đoạn (hệ thống dừng khi đang gọi)"
	}
	return string(o)
}

// OutcomeOfCause maps the Q.850 cause of an unanswered call to its outcome.
func OutcomeOfCause(cause int) CallbackOutcome {
	switch cause {
	case 17:
		return CallbackBusy
	case 16, 18, 19, 31:
		return CallbackNoAnswer
	}
	return CallbackRejected
}

// CallbackAttempt is one call placed to a citizen to give the answer.
type CallbackAttempt struct {
	Ticket    Code
	Attempt   int // 1 for the first call of the notice
	StartedAt time.Time
	EndedAt   time.Time // zero while calling
	Outcome   CallbackOutcome
	Cause     int // Q.850 cause of an unanswered call; 0 if none
}

// Error classes of a failed call-back (Outgoing.Class).
const (
	ClassNoAnswer      = "no_answer"      // every attempt went unanswered
	ClassInvalidNumber = "invalid_number" // the contact is no Vietnamese phone number
)

// VietnameseNumber returns s as a Vietnamese phone number in national form
// (0 and 9 digits for a mobile, 0 and 10 for a landline), reading +84 or
// 84 as 0 and ignoring spaces, dots, dashes and brackets; false if s is not
// such a number.
func VietnameseNumber(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(" .-()", r) {
			return -1
		}
		return r
	}, s)
	switch {
	case strings.HasPrefix(s, "+84"):
		s = "0" + s[3:]
	case strings.HasPrefix(s, "84") && len(s) >= 11:
		s = "0" + s[2:]
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	switch {
	case len(s) == 10 && s[0] == '0' && strings.ContainsRune("35789", rune(s[1])):
		return s, true
	case len(s) == 11 && strings.HasPrefix(s, "02"):
		return s, true
	}
	return "", false
}

// NextOpen returns the first minute at or after t in business hours,
// looking up to 30 days ahead; false if there is none.
func (c *Calendar) NextOpen(t time.Time) (time.Time, bool) {
	if c.Open(t) {
		return t, true
	}
	t = t.Truncate(time.Minute).Add(time.Minute)
	for end := t.AddDate(0, 0, 30); t.Before(end); t = t.Add(time.Minute) {
		if c.Open(t) {
			return t, true
		}
	}
	return time.Time{}, false
}

// CallbackCount is the number of call-back attempts started in a period
// that ended one way.
type CallbackCount struct {
	Outcome CallbackOutcome
	N       int
}
