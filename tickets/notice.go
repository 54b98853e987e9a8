// SPDX-License-Identifier: Apache-2.0

package tickets

import "time"

// NoticeKind says what an outbox message tells its recipient.
type NoticeKind string

// The notice kinds.
const (
	// NoticeReply is a chat bot's reply in a conversation; Body holds it in
	// the channel's own encoding.
	NoticeReply NoticeKind = "reply"
	// NoticeAnswer is a focal point's answer to the citizen; Body is the answer.
	NoticeAnswer NoticeKind = "answer"
	// NoticeResolved tells the citizen the ticket is resolved; Body is the
	// focal point's note, if any.
	NoticeResolved NoticeKind = "resolved"
	// NoticeNewTicket tells a department's chat of a ticket it must handle.
	NoticeNewTicket NoticeKind = "new_ticket"
)

// Recipient is an address on a channel: a chat id on Telegram.
type Recipient struct {
	Channel Channel
	ID      string
}

// Notice is a message for a channel's outbox. The store writes it in the
// same transaction as the change that causes it; the channel's adapter
// delivers it later, so that nothing is lost or sent twice across restarts.
type Notice struct {
	Recipient
	Kind NoticeKind
	Body string
}

// Outgoing is a notice waiting in the outbox.
type Outgoing struct {
	ID int64
	Notice
	Ticket    Code // the ticket it is about; empty for a conversation reply
	CreatedAt time.Time
	Attempts  int // failed delivery attempts so far
	PartsSent int // parts of a long message already delivered
}

// Delivery is the outcome of one attempt to deliver an Outgoing.
type Delivery struct {
	PartsSent int
	Sent      bool      // every part is delivered
	Failed    bool      // delivery is given up
	Blocked   bool      // the recipient blocked the bot: record it and give up their other notices
	Retry     time.Time // when to try again, if neither Sent nor Failed
	Error     string    // why the attempt failed, for the operator
	At        time.Time
}

// AttachmentKind is what a citizen attached to a ticket.
type AttachmentKind string

// The attachment kinds.
const (
	AttachPhoto    AttachmentKind = "photo"
	AttachDocument AttachmentKind = "document"
	AttachVoice    AttachmentKind = "voice"
	AttachAudio    AttachmentKind = "audio"
	AttachVideo    AttachmentKind = "video"
	AttachLocation AttachmentKind = "location"
	AttachContact  AttachmentKind = "contact"
)

// Attachment is something a citizen sent with a ticket: a file kept by the
// channel (FileID), a location ("lat,lon" in Value) or a shared phone number
// (Value, personal data).
type Attachment struct {
	Kind     AttachmentKind
	FileID   string `json:",omitempty"` // the channel's handle to download the file
	Name     string `json:",omitempty"`
	MIMEType string `json:",omitempty"`
	Size     int64  `json:",omitempty"`
	Value    string `json:",omitempty"`
}

// ChatCommit is what a chat channel stores, in one transaction, after
// handling one incoming update: that the update is handled, the
// conversation's new state, the replies to send and the attachments of the
// ticket the update opened.
type ChatCommit struct {
	Channel  Channel
	UpdateID int64
	Chat     string
	// State and Draft are the conversation's new state, opaque to the store;
	// an empty State ends the conversation. KeepState leaves both as they are.
	State     string
	Draft     []byte
	KeepState bool
	Replies   []Notice
	// Ticket and Attachments: the attachments to store with that ticket.
	Ticket      Code
	Attachments []Attachment
	// Transcript is the conversation that opened Ticket, stored with the
	// ticket only: never with the chat's id.
	Transcript []ChatLine
	// Activity, if not nil, counts the update in the chat statistics: a
	// citizen's message in a one-to-one chat.
	Activity *ChatActivity
	At       time.Time
}

// ChatActivity is what the statistics keep of a citizen's update: the
// channel and the local day, the chat only as a keyed one-way hash that
// tells chats apart but not who they are, and whether the update started a
// conversation (/start, or the first message after the last one ended).
type ChatActivity struct {
	Day     Date
	Started bool
}

// ChatLine is one message of the conversation that opened a ticket: the
// citizen's (text, or an attachment by kind and name) or the bot's reply.
// It names no chat, so that an anonymous ticket's transcript does not lead
// back to its citizen.
type ChatLine struct {
	At      time.Time
	FromBot bool
	Text    string         `json:",omitempty"`
	Kind    AttachmentKind `json:",omitempty"` // an attachment's kind; "" for text
	Name    string         `json:",omitempty"` // an attached file's name
}
