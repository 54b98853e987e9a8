// SPDX-License-Identifier: Apache-2.0

package tickets

import (
	"errors"
	"fmt"
)

// Error codes. Each front end (CLI, console, IVR, chat bot) maps these to an exit
// status, an HTTP status, a prompt or a Vietnamese message in one place.
const (
	EINVALID  = "invalid"   // the input is malformed: a bad code, an unknown branch
	ENOTFOUND = "not_found" // no such ticket, department or call
	ECONFLICT = "conflict"  // the change is not allowed in the ticket's current state
	EINTERNAL = "internal"  // anything else; its text is for the log only
)

// Error is a domain error: a machine-readable code and a message that is safe to
// show to the person who caused it.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("tickets: %s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, "" for nil and
// EINTERNAL for any other error.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the message of the first *Error in err's chain, or a generic
// message for any other error: internal details never reach a user.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	default:
		return "internal error"
	}
}
