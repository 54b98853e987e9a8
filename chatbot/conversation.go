// SPDX-License-Identifier: Apache-2.0

package chatbot

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hotline-cchc/hotline/tickets"
)

// The states of a conversation; "" is idle.
const (
	stateBranch   = "branch"   // the menu is shown
	stateDescribe = "describe" // waiting for the description
	stateContact  = "contact"  // described; more content, a phone number or Skip
	stateConfirm  = "confirm"  // the summary with its buttons is shown
	// stateIdle is stored for a chat that wrote with no draft in progress,
	// so that its next messages do not count as new conversations; it reads
	// as "".
	stateIdle = "idle"
	// stateExpired is a draft the prune discarded; the citizen is told when
	// they write again.
	stateExpired = "expired"
)

// DefaultDraftTTL is how long a conversation left in the middle is kept
// when Bot.DraftTTL is 0.
const DefaultDraftTTL = 7 * 24 * time.Hour

// draft is the ticket being composed, stored with the conversation.
type draft struct {
	ID ID `json:"id"` // the update that started it
	// Key is random, made when the draft starts: the ticket's source key,
	// which must not name the chat of an anonymous ticket.
	Key         string               `json:"key,omitempty"`
	Branch      int                  `json:"branch,omitempty"`
	Text        string               `json:"text,omitempty"`
	Phone       string               `json:"phone,omitempty"`
	Attachments []tickets.Attachment `json:"attachments,omitempty"`
	// Lines is the conversation so far, the ticket's transcript.
	Lines []tickets.ChatLine `json:"lines,omitempty"`
	// Survey is the ticket just rated, whose comment the chat may send
	// (stateComment).
	Survey tickets.Code `json:"survey,omitempty"`
}

func (d *draft) files() int { return len(d.Attachments) }

// newDraftKey returns 128 random bits in hex.
func newDraftKey() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// source is the key that opens the draft's ticket at most once. It names no
// chat: a draft from before keys existed uses a hash of the chat and draft.
func (d *draft) source(channel tickets.Channel, chat string) string {
	key := d.Key
	if key == "" {
		sum := sha256.Sum256(fmt.Appendf(nil, "%s:%s:%s", channel, chat, d.ID))
		key = hex.EncodeToString(sum[:16])
	}
	return string(channel) + ":draft:" + key
}

// step is one update's way through the conversation: what it read and what
// it decided.
type step struct {
	b     *Bot
	u     Update
	prev  string // the stored state before this update
	state string
	d     draft
	// restarted: /start began a new draft.
	restarted bool
	// expired: the stored draft was left too long and is discarded.
	expired bool

	keep     bool // leave the stored state as it is
	replies  []Reply
	cbText   string
	ticket   tickets.Code
	attached []tickets.Attachment
	// anonymous: the ticket opened is anonymous; transcript is its
	// conversation.
	anonymous  bool
	transcript []tickets.ChatLine
}

// Handle runs one update through the conversation and stores its effects
// with the update's id. A repeated update is ignored (Result.Duplicate). An
// error means nothing was stored: the adapter should offer the update again
// later. Handle never returns a citizen's mistake as an error: those get a
// reply.
func (b *Bot) Handle(ctx context.Context, u Update) (Result, error) {
	b.init()
	mu := b.lock(u.Chat)
	mu.Lock()
	defer mu.Unlock()
	if done, err := b.Store.Handled(ctx, b.Channel, u.ID); err != nil || done {
		return Result{Duplicate: done}, err
	}
	s := &step{b: b, u: u}
	if u.Private {
		state, raw, updated, err := b.Store.Conversation(ctx, b.Channel, u.Chat)
		if err != nil {
			return Result{}, err
		}
		s.load(state, updated)
		if s.state != "" && json.Unmarshal(raw, &s.d) != nil {
			b.Log.Warn("chatbot: unreadable draft; starting over", "chat", tickets.MaskContact(u.Chat))
			s.state, s.d = "", draft{}
		}
	}
	if err := s.run(ctx); err != nil {
		return Result{}, err
	}
	if b.SayNotices && s.cbText != "" && len(s.replies) == 0 && u.Private {
		s.say(s.cbText)
	}
	s.record()
	fresh, err := b.Store.CommitChat(ctx, s.commit())
	if err != nil {
		return Result{}, err
	}
	if len(s.replies) > 0 {
		b.Wake()
	}
	return Result{CallbackText: s.cbText, Duplicate: !fresh}, nil
}

// load sets the step's state from the stored one, last changed at updated:
// an idle chat reads as "", and one idle or in the middle of a draft for
// longer than the TTL as never seen, the draft discarded.
func (s *step) load(state string, updated time.Time) {
	old := s.b.now().Sub(updated) >= s.b.draftTTL()
	s.prev, s.state = state, state
	switch {
	case state == stateExpired || state != "" && state != stateIdle && old:
		s.prev, s.state, s.expired = "", "", true
	case state == stateIdle && old:
		s.prev, s.state = "", ""
	case state == stateIdle:
		s.state = ""
	}
}

func (s *step) commit() *tickets.ChatCommit {
	c := &tickets.ChatCommit{Channel: s.b.Channel, UpdateID: s.u.ID, Chat: s.u.Chat, State: s.state,
		KeepState: s.keep || !s.u.Private, Ticket: s.ticket, Attachments: s.attached, Transcript: s.transcript, At: s.b.now()}
	if s.state != "" {
		c.Draft, _ = json.Marshal(&s.d)
	}
	if s.expired && s.keep { // the discarded draft goes, whatever the update did
		c.KeepState, c.State, c.Draft = false, "", nil
	}
	if s.u.Private {
		started := s.started()
		c.Activity = &tickets.ChatActivity{Day: tickets.DateOf(c.At.In(s.b.location())), Started: started}
		if started && s.state == "" {
			c.State, c.KeepState = stateIdle, false
		}
	}
	for _, r := range s.replies {
		body, _ := json.Marshal(r)
		c.Replies = append(c.Replies, tickets.Notice{Recipient: tickets.Recipient{Channel: s.b.Channel, ID: s.u.Chat},
			Kind: tickets.NoticeReply, Body: string(body)})
	}
	return c
}

// started reports whether the update starts a conversation: the first
// message of a chat with nothing stored (never seen, or its last
// conversation ended), or /start in the middle of a draft. A chat that only
// wrote while idle continues its conversation with /start.
func (s *step) started() bool {
	switch {
	case s.expired:
		return true
	case s.u.Callback != nil || s.u.Edited:
		return false
	case s.prev == "":
		return true
	case s.prev == stateIdle:
		return false
	}
	return s.restarted
}

func (s *step) say(text string) { s.replies = append(s.replies, Reply{Text: text}) }
func (s *step) reply(r Reply)   { s.replies = append(s.replies, r) }
func (s *step) to(state string) { s.state = state }
func (s *step) stay()           { s.keep = true }

func (s *step) run(ctx context.Context) error {
	u := s.u
	if s.expired {
		return s.restart(ctx)
	}
	switch {
	case u.Callback != nil:
		return s.callback(ctx)
	case !u.Private: // group chats are for department notices only: ignored on purpose
		return nil
	case u.Edited:
		s.stay()
		s.say(msgEdited)
		return nil
	}
	if cmd, arg, ok := command(u.Text); ok && u.Attachment == nil {
		return s.command(ctx, cmd, arg)
	}
	switch s.state {
	case "":
		s.stay()
		if looksLikeCode(u.Text) {
			return s.status(ctx, u.Text)
		}
		if s.b.GreetFirst && s.prev == "" {
			s.keep = false
			s.startDraft()
			return nil
		}
		s.say(msgIdle)
	case stateBranch:
		s.stay()
		if k, err := strconv.Atoi(strings.TrimSpace(u.Text)); err == nil {
			if _, err := s.b.Menu.Branch(k); err == nil {
				s.chooseBranch(k, "")
				return nil
			}
		}
		s.reply(Reply{Text: msgChooseBranch, Buttons: s.b.branchButtons()})
	case stateDescribe, stateContact:
		s.describe()
	case stateConfirm:
		s.stay()
		s.say(msgConfirmHint)
	case stateComment:
		return s.comment(ctx)
	default:
		s.to("")
		s.say(msgIdle)
	}
	return nil
}

// command parses "/name arg" or "/name@bot arg".
func command(text string) (name, arg string, ok bool) {
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, "/") {
		return "", "", false
	}
	name, arg, _ = strings.Cut(text[1:], " ")
	name, _, _ = strings.Cut(name, "@")
	return strings.ToLower(name), strings.TrimSpace(arg), true
}

func (s *step) command(ctx context.Context, name, arg string) error {
	switch name {
	case "start":
		s.startDraft()
	case "status":
		s.stay()
		if arg == "" {
			s.say(msgStatusUsage)
			return nil
		}
		return s.status(ctx, arg)
	case "cancel":
		if s.state == "" {
			s.stay()
			s.say(msgNothingToStop)
			return nil
		}
		s.to("")
		s.reply(Reply{Text: msgCancelled, RemoveKeyboard: true})
	case "help":
		s.stay()
		s.say(msgHelp)
	default:
		s.stay()
		s.say(msgUnknownCommand)
	}
	return nil
}

// startDraft begins a new draft with the menu.
func (s *step) startDraft() {
	s.restarted = true
	s.d = draft{ID: ID(s.u.ID), Key: newDraftKey()}
	s.to(stateBranch)
	s.reply(Reply{Text: msgGreeting, Buttons: s.b.branchButtons()})
}

// restart answers the first update after a draft expired: a note that it is
// discarded, then the menu, or the answer to a command other than /start.
func (s *step) restart(ctx context.Context) error {
	u := s.u
	s.say(msgDraftExpired)
	if u.Callback != nil {
		s.cbText = msgStale
	}
	if cmd, arg, ok := command(u.Text); ok && cmd != "start" && u.Callback == nil && u.Attachment == nil {
		s.to("")
		return s.command(ctx, cmd, arg)
	}
	s.startDraft()
	return nil
}

// looksLikeCode reports whether a message is just a ticket code (or a
// mistyped one): digits with spaces, dots or dashes, nothing else.
func looksLikeCode(text string) bool {
	n := 0
	for _, r := range strings.TrimSpace(text) {
		switch {
		case r >= '0' && r <= '9':
			n++
		case r == ' ' || r == '.' || r == '-':
		default:
			return false
		}
	}
	return n >= 6 && n <= 12
}

// status answers a look-up: the check digit first, then the ticket; full
// details only to the chat that filed it.
func (s *step) status(ctx context.Context, arg string) error {
	code, err := tickets.ParseCode(arg)
	if err != nil {
		s.say(msgBadCode)
		return nil
	}
	t, err := s.b.Store.Ticket(ctx, code)
	switch {
	case tickets.ErrorCode(err) == tickets.ENOTFOUND:
		s.say(fmt.Sprintf(msgNoTicket, code.Grouped()))
		return nil
	case err != nil:
		return err
	}
	r := Reply{Text: bareStatus(t)}
	own := t.Channel == s.b.Channel && t.Contact != "" && t.Contact == s.u.Chat
	if own {
		r.Text = s.b.details(t)
	}
	if own || t.Anonymous {
		if err := s.b.offerSurvey(ctx, t, &r); err != nil {
			return err
		}
	}
	s.reply(r)
	return nil
}

func (s *step) chooseBranch(key int, edit ID) {
	s.d.Branch = key
	s.to(stateDescribe)
	s.keep = false
	if edit != "" {
		s.reply(Reply{Text: "Lĩnh vực đã chọn: " + s.b.branchLine(key), Edit: edit})
	}
	s.say(msgDescribe)
}

// describe takes content for the draft: text, attachments, the phone number
// or Skip.
func (s *step) describe() {
	u := s.u
	if u.Unsupported {
		s.stay()
		s.say(msgUnsupported)
		return
	}
	if a := u.Attachment; a != nil && a.Kind == tickets.AttachContact {
		s.d.Phone = a.Value
		s.confirm()
		return
	}
	if s.state == stateContact && strings.EqualFold(strings.TrimSpace(u.Text), btnSkip) && u.Attachment == nil {
		s.confirm()
		return
	}
	text := strings.TrimSpace(u.Text)
	if u.Attachment == nil {
		if msg := badText(text); msg != "" {
			s.stay()
			s.say(msg)
			return
		}
	}
	if text != "" {
		joined := text
		if s.d.Text != "" {
			joined = s.d.Text + "\n" + text
		}
		if utf8.RuneCountInString(joined) > maxDraftText {
			s.stay()
			s.say(msgTooLong())
			return
		}
		s.d.Text = joined
	}
	if u.Attachment != nil {
		s.d.Attachments = append(s.d.Attachments, *u.Attachment)
	}
	switch {
	case s.d.Text == "":
		s.say(msgAttachedFirst)
	case s.state == stateDescribe:
		s.to(stateContact)
		s.reply(Reply{Text: msgAskContact, AskContact: btnShareContact, Skip: btnSkip})
	case text == "":
		s.say(msgAttached)
	default:
		s.say(msgAdded)
	}
}

// badText returns why text cannot describe a problem, or "".
func badText(text string) string {
	switch {
	case text == "":
		return msgEmpty
	case !utf8.ValidString(text) || strings.ContainsRune(text, 0):
		return msgEmpty
	case utf8.RuneCountInString(text) > maxDraftText:
		return msgTooLong()
	case strings.IndexFunc(text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0:
		return msgNoWords
	}
	return ""
}

func (s *step) confirm() {
	s.to(stateConfirm)
	s.reply(Reply{Text: msgThanks, RemoveKeyboard: true})
	s.reply(Reply{Text: s.b.summary(&s.d), Buttons: [][]Button{
		{{Text: btnSend, Data: "ok"}, {Text: btnSendAnon, Data: "anon"}},
		{{Text: btnCancel, Data: "cancel"}},
	}})
}
