// SPDX-License-Identifier: Apache-2.0

package ivr

import (
	"strconv"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// The prompts the flow plays, by their id in the sounds manifest. Branch
// names, department names, digits and numbers are built by BranchPrompt,
// DepartmentPrompt, DigitPrompt and numberPrompts.
const (
	PromptGreeting       = "greeting"
	PromptAfterHours     = "after-hours"
	PromptMenuFor        = "menu-for"
	PromptMenuPress      = "menu-press"
	PromptMenuOperator   = "menu-operator"
	PromptMenuStatus     = "menu-status"
	PromptNoInput        = "no-input"
	PromptInvalidKey     = "invalid-key"
	PromptChosen         = "chosen"
	PromptRecordInvite   = "record-invite"
	PromptRecordNotice   = "record-notice"
	PromptNoSpeech       = "no-speech"
	PromptNoInputOffer   = "no-input-offer"
	PromptNoMessage      = "no-message"
	PromptTicketCode     = "ticket-code"
	PromptRepeat         = "repeat"
	PromptOperatorWait   = "operator-wait"
	PromptOperatorBusy   = "operator-busy"
	PromptCodeEnter      = "code-enter"
	PromptCodeInvalid    = "code-invalid"
	PromptStatusUnknown  = "status-unknown"
	PromptStatusReceived = "status-received"
	PromptStatusHandling = "status-handling"
	PromptStatusResolved = "status-resolved"
	PromptDay            = "date-day"
	PromptMonth          = "date-month"
	PromptYear           = "date-year"
	PromptError          = "error"
	PromptGoodbye        = "goodbye"
)

var fixedPrompts = []string{
	PromptGreeting, PromptAfterHours, PromptMenuFor, PromptMenuPress, PromptMenuOperator,
	PromptMenuStatus, PromptNoInput, PromptInvalidKey, PromptChosen, PromptRecordInvite,
	PromptRecordNotice, PromptNoSpeech, PromptNoInputOffer,
	PromptNoMessage, PromptTicketCode, PromptRepeat, PromptOperatorWait, PromptOperatorBusy,
	PromptCodeEnter, PromptCodeInvalid, PromptStatusUnknown, PromptStatusReceived,
	PromptStatusHandling, PromptStatusResolved, PromptDay, PromptMonth, PromptYear,
	PromptError, PromptGoodbye,
}

// BranchPrompt is the id of the prompt naming the branch on key: "branch-4".
func BranchPrompt(key int) string { return "branch-" + strconv.Itoa(key) }

// DepartmentPrompt is the id of the prompt naming a department: "dept-so-noi-vu".
func DepartmentPrompt(id string) string { return "dept-" + id }

// DigitPrompt is the id of the prompt saying one digit: "digit-7".
func DigitPrompt(d byte) string { return "digit-" + string(d) }

// numberPrompts says n, 1–31, as a day or month is said.
func numberPrompts(n int) []string {
	if n < 10 {
		return []string{DigitPrompt(byte('0' + n))}
	}
	return []string{"num-" + strconv.Itoa(n)}
}

// digitPrompts says s digit by digit; s holds digits only.
func digitPrompts(s string) []string {
	out := make([]string, 0, len(s))
	for i := 0; i < len(s); i++ {
		out = append(out, DigitPrompt(s[i]))
	}
	return out
}

// datePrompts says t's date: "ngày 5 tháng 11 năm 2 0 2 6".
func datePrompts(t time.Time) []string {
	out := []string{PromptDay}
	out = append(out, numberPrompts(t.Day())...)
	out = append(out, PromptMonth)
	out = append(out, numberPrompts(int(t.Month()))...)
	out = append(out, PromptYear)
	return append(out, digitPrompts(strconv.Itoa(t.Year()))...)
}

// Prompts returns the id of every prompt the flow can play with menu, each
// once: the sounds manifest must hold them all.
func Prompts(menu *tickets.Menu) []string {
	out := append([]string(nil), fixedPrompts...)
	for _, b := range menu.Branches() {
		out = append(out, BranchPrompt(b.Key))
	}
	for _, d := range menu.Departments() {
		out = append(out, DepartmentPrompt(d.ID))
	}
	for d := byte('0'); d <= '9'; d++ {
		out = append(out, DigitPrompt(d))
	}
	for n := 10; n <= 31; n++ {
		out = append(out, numberPrompts(n)...)
	}
	return out
}
