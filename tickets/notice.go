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
	// NoticeExtended tells the citizen the deadline was extended; Body says
	// to when and why.
	NoticeExtended NoticeKind = "extended"
	// NoticeNewTicket tells a department's chat of a ticket it must handle.
	NoticeNewTicket NoticeKind = "new_ticket"
	// NoticeReport is a scheduled report file for a managers' chat; Body is
	// a ReportNotice in JSON.
	NoticeReport NoticeKind = "report"
	// NoticeReceived tells a phone caller the code of the ticket their call
	// opened (Service.PhoneNotices).
	NoticeReceived NoticeKind = "received"
)

// Priority orders the outbox across recipients: a lower number goes first.
// Conversation replies go before answers, answers before department notices,
// and those before reports. One recipient's messages keep their order
// whatever their priority.
func (k NoticeKind) Priority() int {
	switch k {
	case NoticeReply:
		return 0
	case NoticeAnswer, NoticeResolved, NoticeExtended, NoticeReceived:
		return 1
	case NoticeNewTicket:
		return 2
	}
	return 3
}

// ReportNotice is the body of a NoticeReport: the file to send and its caption.
type ReportNotice struct {
	Period  string `json:"period"`
	Format  string `json:"format"`
	File    string `json:"file"`
	Caption string `json:"caption"`
}

// Recipient is an address on a channel: a chat id on Telegram.
type Recipient struct {
	Channel Channel
	ID      string
}

// Notice is a message for a channel's outbox. The store writes it in the
// same transaction as the change that causes it; the channel's adapter
// delivers it later, so that nothing is lost across restarts.
type Notice struct {
	Recipient
	Kind NoticeKind
	Body string
	// Key, if set, makes the notice unique on its channel: a second notice
	// with the same key is not queued (a report sent once per chat).
	Key string
}

// DeliveryState is where an outbox message stands.
//
// queued → sending → sent | failed | expired; a message is marked sending
// in a committed write before the channel is called, so a message found
// sending at start may have been delivered: it is queued again once, marked
// uncertain.
type DeliveryState string

// The delivery states.
const (
	StateQueued  DeliveryState = "queued"  // waiting for its turn or its next attempt
	StateSending DeliveryState = "sending" // handed to the channel; outcome not yet recorded
	StateSent    DeliveryState = "sent"
	StateFailed  DeliveryState = "failed"  // refused for good: blocked, chat not found, malformed
	StateExpired DeliveryState = "expired" // transient errors until its useful life ended
)

// ParseDeliveryState returns the state named s; EINVALID if there is none.
func ParseDeliveryState(s string) (DeliveryState, error) {
	switch st := DeliveryState(s); st {
	case StateQueued, StateSending, StateSent, StateFailed, StateExpired:
		return st, nil
	}
	return "", Errorf(EINVALID, "unknown delivery state %q (queued, sending, sent, failed, expired)", s)
}

// Error classes of a failed delivery attempt, for metrics and the reason
// shown to staff.
const (
	ClassRateLimit  = "rate_limit" // the channel asked to wait (429); counts no attempt
	ClassTimeout    = "timeout"
	ClassServer     = "server"     // 5xx and other answers worth retrying
	ClassConnection = "connection" // the channel could not be reached
	ClassBlocked    = "blocked"    // the recipient blocked the bot
	ClassRejected   = "rejected"   // the channel refused the message for good
	ClassMalformed  = "malformed"  // the item cannot be read: unknown kind, bad body, missing file
	ClassExpired    = "expired"    // transient errors until outbox.give_up_after
	// ClassUnreachable: the channel can no longer reach the citizen (Zalo,
	// 7 days after their last message) and they left no phone number.
	ClassUnreachable = "unreachable"
)

// Outgoing is a notice in the outbox.
type Outgoing struct {
	ID int64
	Notice
	Ticket    Code // the ticket it is about; empty for a conversation reply
	State     DeliveryState
	CreatedAt time.Time
	StartedAt time.Time // when the last attempt began; zero if none did
	Attempts  int       // attempts begun, 429s not counted
	PartsSent int       // parts of a long message already delivered
	// Uncertain: the message was found sending after a crash and queued
	// again; it may reach its recipient twice.
	Uncertain bool
	Error     string // the last failure, for the operator
	Class     string // the last failure's class
	DoneAt    time.Time
}

// Delivery is the outcome of one attempt to deliver an Outgoing. State is
// StateSent, StateFailed, StateExpired or StateQueued (try again at Retry).
type Delivery struct {
	State     DeliveryState
	PartsSent int
	Blocked   bool      // the recipient blocked the bot: record it and fail their other messages
	Retry     time.Time // when to try again, for StateQueued
	// Uncount: the attempt does not count (the channel asked to wait).
	Uncount bool
	Error   string // why the attempt failed, for the operator
	Class   string
	At      time.Time
}

// DeliveryProblem is a message to a citizen that did not reach them (failed
// or expired: staff must contact the citizen another way), or that was sent
// again after a crash and may have reached them twice (sent, Uncertain).
type DeliveryProblem struct {
	Ticket    Code
	Kind      NoticeKind
	State     DeliveryState
	Class     string
	Uncertain bool
	At        time.Time
}

// Failed reports whether the message did not reach the citizen.
func (p DeliveryProblem) Failed() bool { return p.State == StateFailed || p.State == StateExpired }

// Title is what the ticket page and the queue show.
func (p DeliveryProblem) Title() string {
	if !p.Failed() {
		return "Trả lời có thể đã đến công dân hai lần"
	}
	return "Chưa gửi được trả lời — hãy liên hệ công dân"
}

// Reason says in Vietnamese why the message did not arrive, or may have
// arrived twice.
func (p DeliveryProblem) Reason() string {
	if !p.Failed() {
		return "Máy chủ dừng đột ngột khi đang gửi; hệ thống đã gửi lại một lần."
	}
	switch p.Class {
	case ClassBlocked:
		return "Công dân đã chặn hoặc rời cuộc trò chuyện với bot."
	case ClassRejected:
		return "Kênh từ chối tin nhắn: cuộc trò chuyện không còn tồn tại hoặc không nhận tin."
	case ClassMalformed:
		return "Tin nhắn bị lỗi, hệ thống không đọc được để gửi."
	case ClassUnreachable:
		return "Đã quá 7 ngày kể từ tin nhắn cuối của công dân nên Zalo không cho gửi trả lời, và công dân không chia sẻ số điện thoại: hãy gọi điện hoặc liên hệ trực tiếp."
	case ClassExpired:
		return "Kênh không nhận tin nhắn suốt thời gian thử gửi lại; đã ngừng gửi."
	case ClassNoAnswer:
		return "Hệ thống đã gọi lại công dân đủ số lần nhưng không ai nghe máy."
	case ClassInvalidNumber:
		return "Số liên hệ không phải số điện thoại Việt Nam nên hệ thống không gọi lại được."
	}
	if p.State == StateExpired {
		return "Kênh không nhận tin nhắn suốt thời gian thử gửi lại; đã ngừng gửi."
	}
	return "Kênh từ chối tin nhắn."
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
	Channel Channel
	// UpdateID is the update's key, unique among the channel's updates.
	UpdateID string
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
