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
	PromptGreeting         = "greeting"
	PromptAfterHours       = "after-hours"
	PromptMenuIntro        = "menu-intro"
	PromptMenuOperator     = "menu-operator"
	PromptMenuStatus       = "menu-status"
	PromptNoInput          = "no-input"
	PromptInvalidKey       = "invalid-key"
	PromptChosen           = "chosen"
	PromptRecordInvite     = "record-invite"
	PromptRecordNotice     = "record-notice"
	PromptNoSpeech         = "no-speech"
	PromptNoInputOffer     = "no-input-offer"
	PromptNoMessage        = "no-message"
	PromptTicketCode       = "ticket-code"
	PromptRepeat           = "repeat"
	PromptOperatorWait     = "operator-wait"
	PromptOperatorBusy     = "operator-busy"
	PromptCodeEnter        = "code-enter"
	PromptCodeInvalid      = "code-invalid"
	PromptStatusUnknown    = "status-unknown"
	PromptStatusReceived   = "status-received"
	PromptStatusHandling   = "status-handling"
	PromptStatusResolved   = "status-resolved"
	PromptDay              = "date-day"
	PromptMonth            = "date-month"
	PromptYear             = "date-year"
	PromptThousand         = "num-thousand"
	PromptHundred          = "num-hundred"
	PromptOdd              = "num-odd"
	PromptTens             = "num-tens"
	PromptUnitOne          = "num-unit-1"
	PromptUnitFive         = "num-unit-5"
	PromptError            = "error"
	PromptGoodbye          = "goodbye"
	PromptAnswerIntro      = "answer-intro"
	PromptSurveyAsk        = "survey-ask"
	PromptSurveyInvalid    = "survey-invalid"
	PromptSurveyThanks     = "survey-thanks"
	PromptSurveyFlagged    = "survey-flagged"
	PromptCallbackGreeting = "callback-greeting"
)

var fixedPrompts = []string{
	PromptGreeting, PromptAfterHours, PromptMenuIntro, PromptMenuOperator,
	PromptMenuStatus, PromptNoInput, PromptInvalidKey, PromptChosen, PromptRecordInvite,
	PromptRecordNotice, PromptNoSpeech, PromptNoInputOffer,
	PromptNoMessage, PromptTicketCode, PromptRepeat, PromptOperatorWait, PromptOperatorBusy,
	PromptCodeEnter, PromptCodeInvalid, PromptStatusUnknown, PromptStatusReceived,
	PromptStatusHandling, PromptStatusResolved, PromptDay, PromptMonth, PromptYear,
	PromptThousand, PromptHundred, PromptOdd, PromptTens, PromptUnitOne, PromptUnitFive,
	PromptError, PromptGoodbye, PromptAnswerIntro, PromptSurveyAsk, PromptSurveyInvalid,
	PromptSurveyThanks, PromptSurveyFlagged, PromptCallbackGreeting,
}

// BranchPrompt is the id of the prompt naming the branch on key: "branch-4".
func BranchPrompt(key int) string { return "branch-" + strconv.Itoa(key) }

// DepartmentPrompt is the id of the prompt naming a department: "dept-so-noi-vu".
func DepartmentPrompt(id string) string { return "dept-" + id }

// DigitPrompt is the id of the prompt saying one digit: "digit-7".
func DigitPrompt(d byte) string { return "digit-" + string(d) }

// numberPrompts says n, 0–9999, as a number is read: 2026 is "hai nghìn
// không trăm hai mươi sáu", 2005 "hai nghìn không trăm linh năm".
func NumberPrompts(n int) []string {
	var out []string
	if n >= 1000 {
		out = append(out, DigitPrompt(byte('0'+n/1000)), PromptThousand)
	}
	if h := n / 100 % 10; h > 0 || (n >= 1000 && n%100 > 0) {
		out = append(out, DigitPrompt(byte('0'+h)), PromptHundred)
	}
	r := n % 100
	switch {
	case r == 0 && n > 0:
	case r < 10 && n >= 100:
		out = append(out, PromptOdd, DigitPrompt(byte('0'+r)))
	case r < 10:
		out = append(out, DigitPrompt(byte('0'+r)))
	case r <= 31:
		out = append(out, "num-"+strconv.Itoa(r))
	default:
		out = append(out, DigitPrompt(byte('0'+r/10)), PromptTens)
		switch u := r % 10; u {
		case 0:
		case 1:
			out = append(out, PromptUnitOne)
		case 5:
			out = append(out, PromptUnitFive)
		default:
			out = append(out, DigitPrompt(byte('0'+u)))
		}
	}
	return out
}

// digitPrompts says s digit by digit; s holds digits only.
func digitPrompts(s string) []string {
	out := make([]string, 0, len(s))
	for i := 0; i < len(s); i++ {
		out = append(out, DigitPrompt(s[i]))
	}
	return out
}

// datePrompts says t's date: "ngày năm tháng mười một năm hai nghìn không
// trăm hai mươi sáu".
func datePrompts(t time.Time) []string {
	out := []string{PromptDay}
	out = append(out, NumberPrompts(t.Day())...)
	out = append(out, PromptMonth)
	out = append(out, NumberPrompts(int(t.Month()))...)
	out = append(out, PromptYear)
	return append(out, NumberPrompts(t.Year())...)
}

// MenuPrompts is the main menu: the status check and (with operator) the
// operator first, for the callers who know what they want, then each
// branch's key and name.
func MenuPrompts(menu *tickets.Menu, operator bool) []string {
	out := []string{PromptMenuStatus}
	if operator {
		out = append(out, PromptMenuOperator)
	}
	out = append(out, PromptMenuIntro)
	for _, b := range menu.Branches() {
		out = append(out, DigitPrompt(byte('0'+b.Key)), BranchPrompt(b.Key))
	}
	return out
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
		out = append(out, NumberPrompts(n)...)
	}
	return out
}
