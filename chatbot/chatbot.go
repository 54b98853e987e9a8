// SPDX-License-Identifier: Apache-2.0

// Package chatbot is the hotline's conversation with citizens in a chat: the
// same branches as the phone menu, a description with attachments, an
// optional phone number, a confirmation and the ticket's code, department and
// deadline; status look-ups by code; answers and resolutions from focal
// points; new-ticket notices to department chats with buttons to take or
// resolve a ticket. It is channel-neutral: an adapter (chatbot/telegram,
// chatbot/zalo) turns its channel's updates into Update, calls Bot.Handle,
// and delivers the outbox through a Sender.
//
// Exactly once: each update is handled under its key, a string unique among
// its channel's updates and the same each time the channel delivers the
// update again (Telegram's update_id in decimal, Zalo's event key and part;
// keys are not ordered). Its effects — the conversation's new state, the
// replies, the attachments — are stored in one transaction with that key, so
// a repeated update is ignored; a ticket is opened with a key made of the
// chat and the draft, so a crash between opening and storing that
// transaction opens nothing twice.
// Replies and notices go through the store's outbox.
//
// The package may import only tickets and the standard library; it declares
// the store and ticket operations it needs.
package chatbot

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"log/slog"
	"sync"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// Store keeps conversations, handled updates and the outbox;
// tickets/sqlite satisfies it.
type Store interface {
	// Conversation returns the state and draft of chat's conversation and
	// when they last changed; an empty state if there is none.
	Conversation(ctx context.Context, channel tickets.Channel, chat string) (state string, draft []byte, updated time.Time, err error)
	// ExpireConversations ends the conversations of channel last changed
	// before t: one in state mark or in a state of drop is deleted; any
	// other loses its draft and gets state mark, changed at now. It returns
	// how many it ended.
	ExpireConversations(ctx context.Context, channel tickets.Channel, t, now time.Time, mark string, drop ...string) (int64, error)
	// Handled reports whether the update is already handled.
	Handled(ctx context.Context, channel tickets.Channel, updateID string) (bool, error)
	// CommitChat stores c in one transaction; false if c's update was
	// already handled, and then nothing is written.
	CommitChat(ctx context.Context, c *tickets.ChatCommit) (bool, error)
	// Ticket returns the ticket with code; ENOTFOUND if there is none.
	Ticket(ctx context.Context, code tickets.Code) (*tickets.Ticket, error)
	// NextOutbox returns up to limit messages of channel to send now: the
	// first pending message of each recipient not in skip, if it is queued
	// and due; replies first, then the oldest.
	NextOutbox(ctx context.Context, channel tickets.Channel, now time.Time, limit int, skip []string) ([]tickets.Outgoing, error)
	// StartSending marks a queued message as being sent, committed before
	// it returns; false if it is no longer queued.
	StartSending(ctx context.Context, id int64, at time.Time) (bool, error)
	// RecoverSending queues again, marked uncertain, the messages of channel
	// left sending by a run that stopped, and returns how many.
	RecoverSending(ctx context.Context, channel tickets.Channel, at time.Time) (int64, error)
	// Delivered records the outcome of an attempt to deliver an outbox message.
	Delivered(ctx context.Context, id int64, d tickets.Delivery) error
	// ForgetHandled forgets the update keys of channel handled before t and
	// returns how many it forgot.
	ForgetHandled(ctx context.Context, channel tickets.Channel, t time.Time) (int64, error)
}

// Tickets opens and moves tickets; *tickets.Service satisfies it.
type Tickets interface {
	Open(ctx context.Context, n tickets.NewTicket) (*tickets.Ticket, error)
	Move(ctx context.Context, code tickets.Code, c tickets.Change) (*tickets.Ticket, error)
}

// Bot is the conversation on one channel. Its fields are set before the
// first Handle; Handle and RunOutbox are safe for concurrent use.
type Bot struct {
	Channel  tickets.Channel
	Store    Store
	Tickets  Tickets
	Menu     *tickets.Menu
	Calendar *tickets.Calendar // shows dates in the province's time zone
	// Departments maps a department chat's id to the department whose
	// tickets the chat's members may take and resolve with its buttons.
	Departments map[string]string
	// Surveys, if set, offers the satisfaction survey with each resolution
	// and takes the ratings; nil offers none.
	Surveys Surveys
	Log     *slog.Logger
	Now     func() time.Time // time.Now if nil
	// DraftTTL is how long a conversation left in the middle is kept;
	// DefaultDraftTTL if zero.
	DraftTTL time.Duration
	// OutboxPoll is how often the outbox is read when nothing wakes it (a
	// focal point's answer written by another process); 1s if zero.
	OutboxPoll time.Duration
	// SendTimeout bounds one send; DefaultSendTimeout if zero.
	SendTimeout time.Duration
	// GiveUpAfter is a message's useful life: one still failing with
	// transient errors that long after it was queued expires;
	// DefaultGiveUpAfter if zero.
	GiveUpAfter time.Duration
	// Workers bounds the recipients served at once; 64 if zero.
	Workers int
	// GreetFirst: the channel has no /start of its own (Zalo), so a chat's
	// first message, unless it is a ticket code, shows the greeting and the
	// menu as /start does.
	GreetFirst bool
	// SayNotices: the channel cannot answer a button press with a short
	// notice (Zalo), so a press that gets no reply gets the notice as one.
	SayNotices bool
	// Stats counts the outbox's outcomes since start.
	Stats OutboxStats

	once  sync.Once
	wake  chan struct{}
	dmu   sync.Mutex
	d     *deliverer
	seed  maphash.Seed
	locks [64]sync.Mutex // one conversation step at a time per chat
}

// Update is one incoming event of a chat, in channel-neutral form.
type Update struct {
	// ID is the update's key, unique among its channel's updates and the
	// same each time the channel delivers the update again; not ordered.
	ID      string
	Chat    string // the chat's id
	Private bool   // a one-to-one chat with a citizen (else a group)
	User    string // the sender's user id, for the history
	Edited  bool   // an edit of an earlier message
	Text    string // the message's text or a file's caption
	// Attachment is a file, a location, or the sender's own phone number
	// (AttachContact) shared with the contact button.
	Attachment *tickets.Attachment
	// Unsupported is a message of a kind the bot does not take: a sticker,
	// a poll, someone else's contact.
	Unsupported bool
	Callback    *Callback
}

// ID is a channel's id of a message or an update. It is written to JSON as
// a string and read from a string or a number: drafts and outbox replies
// stored when ids were integers have numbers.
type ID string

// UnmarshalJSON reads a string or a number.
func (id *ID) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, (*string)(id))
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("chatbot: id: want a string or a number: %w", err)
	}
	*id = ID(n)
	return nil
}

// Callback is a press on one of the bot's buttons.
type Callback struct {
	ID      string // to answer the press
	Data    string // the button's data
	Message ID     // the id of the message that carries the button
}

// Reply is one message from the bot. Adapters send Text as plain text, never
// parsed as HTML or Markdown.
type Reply struct {
	Text string `json:"text"`
	// Buttons are shown under the message, rows of buttons.
	Buttons [][]Button `json:"buttons,omitempty"`
	// AskContact, with Skip, shows a keyboard with a button that shares the
	// citizen's phone number and a button that sends Skip.
	AskContact string `json:"ask_contact,omitempty"`
	Skip       string `json:"skip,omitempty"`
	// RemoveKeyboard hides a keyboard shown by AskContact.
	RemoveKeyboard bool `json:"remove_keyboard,omitempty"`
	// Edit, if set, replaces the text and buttons of that message of the
	// bot instead of sending a new one.
	Edit ID `json:"edit,omitempty"`
	// Document, if set, is sent as a file with Text as its caption.
	Document *Document `json:"-"`
	// Notice, set on every part of an outbox notice, says which one it is:
	// an adapter may deliver it otherwise (Zalo's template message).
	Notice *NoticeRef `json:"-"`
}

// NoticeRef names the outbox notice a Reply is part of.
type NoticeRef struct {
	OutboxID int64
	Kind     tickets.NoticeKind
	Ticket   tickets.Code
	Body     string // the focal point's text
}

// Document is a file the bot sends: a scheduled report.
type Document struct {
	Name string
	Data []byte
}

// Button is an inline button; pressing it sends Data back as a Callback.
type Button struct {
	Text string `json:"text"`
	Data string `json:"data"`
}

// Result is what the adapter does after Handle, besides delivering the outbox.
type Result struct {
	// CallbackText answers a button press (a short notice); "" for none.
	CallbackText string
	// Duplicate: the update was handled before and is ignored.
	Duplicate bool
}

func (b *Bot) init() {
	b.once.Do(func() {
		b.wake = make(chan struct{}, 1)
		b.seed = maphash.MakeSeed()
		if b.Log == nil {
			b.Log = slog.New(slog.DiscardHandler)
		}
	})
}

func (b *Bot) now() time.Time {
	if b.Now != nil {
		return b.Now().UTC().Truncate(time.Millisecond)
	}
	return time.Now().UTC().Truncate(time.Millisecond)
}

func (b *Bot) draftTTL() time.Duration {
	if b.DraftTTL > 0 {
		return b.DraftTTL
	}
	return DefaultDraftTTL
}

// location is the province's time zone, for the local days of statistics.
func (b *Bot) location() *time.Location {
	if b.Calendar != nil {
		return b.Calendar.Location()
	}
	return time.UTC
}

func (b *Bot) sendTimeout() time.Duration {
	if b.SendTimeout > 0 {
		return b.SendTimeout
	}
	return DefaultSendTimeout
}

func (b *Bot) giveUpAfter() time.Duration {
	if b.GiveUpAfter > 0 {
		return b.GiveUpAfter
	}
	return DefaultGiveUpAfter
}

func (b *Bot) workers() int {
	if b.Workers > 0 {
		return b.Workers
	}
	return defaultWorkers
}

// Wake makes RunOutbox read the outbox now.
func (b *Bot) Wake() {
	b.init()
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

func (b *Bot) lock(chat string) *sync.Mutex {
	return &b.locks[maphash.String(b.seed, chat)%uint64(len(b.locks))]
}
