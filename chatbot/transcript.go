// SPDX-License-Identifier: Apache-2.0

package chatbot

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hotline-cchc/hotline/tickets"
)

// The transcript of a draft: the citizen's messages and the bot's replies
// from /start on, kept in the draft while it is composed and stored with the
// ticket when it is opened. A cancelled or expired draft's transcript goes
// with the draft.
const (
	maxLines    = 200  // a longer transcript keeps its latest lines
	maxLineText = 4000 // characters of one line; the ticket keeps the full description
	hiddenPhone = "[số điện thoại đã ẩn]"
)

// drafting reports whether state is in the middle of a draft.
func drafting(state string) bool {
	switch state {
	case stateBranch, stateDescribe, stateContact, stateConfirm:
		return true
	}
	return false
}

func (d *draft) add(l tickets.ChatLine) {
	if l.Text == "" && l.Kind == "" {
		return
	}
	if utf8.RuneCountInString(l.Text) > maxLineText {
		l.Text = string([]rune(l.Text)[:maxLineText]) + "…"
	}
	d.Lines = append(d.Lines, l)
	if n := len(d.Lines); n > maxLines {
		d.Lines = append(d.Lines[:0:0], d.Lines[n-maxLines:]...)
	}
}

// record adds the update and the bot's replies to the draft's transcript,
// and, if the update opened the ticket, hands the transcript to the commit.
// A draft whose state stays is written again, with its new lines.
func (s *step) record() {
	if !s.u.Private || s.ticket == "" && !drafting(s.state) {
		return
	}
	at := s.b.now()
	s.d.add(s.citizenLine(at))
	for _, r := range s.replies {
		s.d.add(tickets.ChatLine{At: at, FromBot: true, Text: r.Text})
	}
	if s.ticket == "" {
		s.keep = false
		return
	}
	s.transcript = s.d.scrubbed(s.anonymous)
}

// citizenLine is what the transcript keeps of the update: its text, an
// attachment by kind and name (never a location's place or a shared phone
// number), or the label of the button pressed.
func (s *step) citizenLine(at time.Time) tickets.ChatLine {
	u := s.u
	l := tickets.ChatLine{At: at, Text: strings.TrimSpace(u.Text)}
	switch {
	case u.Callback != nil:
		l.Text = s.b.buttonLabel(u.Callback.Data)
	case u.Attachment != nil:
		l.Kind, l.Name = u.Attachment.Kind, u.Attachment.Name
	case u.Unsupported && l.Text == "":
		l.Text = "(loại tin nhắn không được hỗ trợ)"
	case u.Edited:
		l.Text = "(sửa tin nhắn) " + l.Text
	}
	return l
}

// buttonLabel is the text of the button that sends data; "" if none.
func (b *Bot) buttonLabel(data string) string {
	label := ""
	switch {
	case data == "ok":
		label = btnSend
	case data == "anon":
		label = btnSendAnon
	case data == "cancel":
		label = btnCancel
	case strings.HasPrefix(data, "b:"):
		for _, row := range b.branchButtons() {
			for _, btn := range row {
				if btn.Data == data {
					label = btn.Text
				}
			}
		}
	}
	if label == "" {
		return ""
	}
	return "Bấm nút «" + label + "»"
}

// scrubbed returns the transcript to store with the ticket: the phone
// number the citizen shared is masked in the bot's summary, and removed
// whole from an anonymous ticket's.
func (d *draft) scrubbed(anonymous bool) []tickets.ChatLine {
	out := append([]tickets.ChatLine(nil), d.Lines...)
	if d.Phone == "" {
		return out
	}
	repl := tickets.MaskContact(d.Phone)
	if anonymous {
		repl = hiddenPhone
	}
	for i := range out {
		out[i].Text = strings.ReplaceAll(out[i].Text, d.Phone, repl)
	}
	return out
}
