// SPDX-License-Identifier: Apache-2.0

package telegramtest

import (
	"context"
	"fmt"
	"time"
)

// push queues an update with a fresh id and returns the id; kind is
// "message", "edited_message" or "callback_query".
func (s *Server) push(kind string, body map[string]any) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextUpd++
	id := s.nextUpd
	s.updates = append(s.updates, update{id: id, body: map[string]any{"update_id": id, kind: body}})
	s.notify()
	return id
}

// Push queues a raw update (its update_id is set) and returns its id.
func (s *Server) Push(kind string, body map[string]any) int64 { return s.push(kind, body) }

// Repeat queues again an update with an id already used, as Telegram does
// when it was not confirmed; the bot must ignore it if it handled it.
func (s *Server) Repeat(id int64, kind string, body map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.updates = append(s.updates, update{id: id, body: map[string]any{"update_id": id, kind: body}})
	s.notify()
}

func user(id int64) map[string]any {
	return map[string]any{"id": id, "is_bot": false, "first_name": "Công dân", "language_code": "vi"}
}

func (s *Server) message(chat, from int64, fields map[string]any) map[string]any {
	s.mu.Lock()
	id := s.nextMsg
	s.nextMsg++
	s.mu.Unlock()
	m := map[string]any{"message_id": id, "date": time.Now().Unix(), "from": user(from),
		"chat": map[string]any{"id": chat, "type": chatType(chat)}}
	for k, v := range fields {
		m[k] = v
	}
	return m
}

// Text: the citizen in the private chat chat writes text. A text starting
// with "/" carries a bot_command entity, as Telegram sends it.
func (s *Server) Text(chat int64, text string) int64 { return s.GroupText(chat, chat, text) }

// GroupText: user writes text in chat (a group if chat < 0).
func (s *Server) GroupText(chat, from int64, text string) int64 {
	f := map[string]any{"text": text}
	if len(text) > 1 && text[0] == '/' {
		n := len(text)
		for i, r := range text {
			if r == ' ' {
				n = i
				break
			}
		}
		f["entities"] = []map[string]any{{"type": "bot_command", "offset": 0, "length": n}}
	}
	return s.push("message", s.message(chat, from, f))
}

// Edit: the citizen edits an earlier message to text.
func (s *Server) Edit(chat int64, messageID int, text string) int64 {
	m := s.message(chat, chat, map[string]any{"text": text, "edit_date": time.Now().Unix()})
	m["message_id"] = messageID
	return s.push("edited_message", m)
}

// Press: user presses the inline button with data under the bot's message
// messageID in chat.
func (s *Server) Press(chat, from int64, messageID int, data string) int64 {
	s.mu.Lock()
	s.nextMsg++
	qid := fmt.Sprintf("cq%d", s.nextMsg)
	s.mu.Unlock()
	msg := map[string]any{"message_id": messageID, "date": time.Now().Unix(),
		"from": map[string]any{"id": BotID, "is_bot": true, "first_name": "bot"},
		"chat": map[string]any{"id": chat, "type": chatType(chat)}, "text": "…"}
	return s.push("callback_query", map[string]any{"id": qid, "from": user(from), "message": msg,
		"chat_instance": fmt.Sprint(chat), "data": data})
}

// AddFile stores a file the citizen uploads and returns its file id.
func (s *Server) AddFile(name string, data []byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := fmt.Sprintf("F%d", len(s.files)+1)
	s.files[id] = file{path: "documents/" + id + "_" + name, data: data}
	return id
}

// Photo: the citizen sends a photo, with a caption.
func (s *Server) Photo(chat int64, data []byte, caption string) int64 {
	id := s.AddFile("photo.jpg", data)
	sizes := []map[string]any{
		{"file_id": id + "s", "file_unique_id": "u" + id + "s", "width": 90, "height": 90, "file_size": 100},
		{"file_id": id, "file_unique_id": "u" + id, "width": 1280, "height": 960, "file_size": len(data)},
	}
	f := map[string]any{"photo": sizes}
	if caption != "" {
		f["caption"] = caption
	}
	return s.push("message", s.message(chat, chat, f))
}

// Document: the citizen sends a file.
func (s *Server) Document(chat int64, name, mime string, data []byte) int64 {
	id := s.AddFile(name, data)
	return s.push("message", s.message(chat, chat, map[string]any{"document": map[string]any{
		"file_id": id, "file_unique_id": "u" + id, "file_name": name, "mime_type": mime, "file_size": len(data)}}))
}

// Voice: the citizen sends a voice note.
func (s *Server) Voice(chat int64, data []byte) int64 {
	id := s.AddFile("voice.ogg", data)
	return s.push("message", s.message(chat, chat, map[string]any{"voice": map[string]any{
		"file_id": id, "file_unique_id": "u" + id, "duration": 3, "mime_type": "audio/ogg", "file_size": len(data)}}))
}

// Location: the citizen shares a location.
func (s *Server) Location(chat int64, lat, lon float64) int64 {
	return s.push("message", s.message(chat, chat, map[string]any{"location": map[string]any{"latitude": lat, "longitude": lon}}))
}

// Contact: the citizen shares a phone number; own is whether it is their
// own (the contact button) rather than someone else's.
func (s *Server) Contact(chat int64, phone string, own bool) int64 {
	c := map[string]any{"phone_number": phone, "first_name": "Công dân"}
	if own {
		c["user_id"] = chat
	} else {
		c["user_id"] = chat + 1
	}
	return s.push("message", s.message(chat, chat, map[string]any{"contact": c}))
}

// Sticker: the citizen sends a sticker.
func (s *Server) Sticker(chat int64) int64 {
	return s.push("message", s.message(chat, chat, map[string]any{"sticker": map[string]any{
		"file_id": "STK", "file_unique_id": "uSTK", "width": 512, "height": 512, "is_animated": false, "emoji": "😀"}}))
}

// Sent returns the messages the bot sent in chat, edits applied.
func (s *Server) Sent(chat int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.sent[chat]...)
}

// WaitFor waits until cond, called under the server's lock with the
// server's state, holds (cond must not call the Server's methods); it returns ctx's error if it ends first.
func (s *Server) WaitFor(ctx context.Context, cond func(v View) bool) error {
	for {
		s.mu.Lock()
		v := View{s}
		done := cond(v)
		changed := s.changed
		s.mu.Unlock()
		if done {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// WaitSent waits until the bot sent at least n messages in chat and returns them.
func (s *Server) WaitSent(ctx context.Context, chat int64, n int) ([]Message, error) {
	err := s.WaitFor(ctx, func(v View) bool { return len(v.Sent(chat)) >= n })
	return s.Sent(chat), err
}

// View reads the server's state inside WaitFor.
type View struct{ s *Server }

// Sent is Server.Sent without locking.
func (v View) Sent(chat int64) []Message { return v.s.sent[chat] }

// Answers is the callback answers so far.
func (v View) Answers() []CallbackAnswer { return v.s.answers }

// Pending is how many updates are not yet confirmed.
func (v View) Pending() int { return len(v.s.updates) }

// Calls is how many times method was called.
func (v View) Calls(method string) int { return v.s.calls[method] }

// Webhook is the webhook URL set, "" if none.
func (v View) Webhook() string { return v.s.hook.url }

// Answers returns the callback answers so far.
func (s *Server) Answers() []CallbackAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]CallbackAnswer(nil), s.answers...)
}

// Commands returns the bot's commands as last set.
func (s *Server) Commands() []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Command(nil), s.commands...)
}

// Documents returns the documents the bot sent.
func (s *Server) Documents() []Document {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Document(nil), s.docs...)
}

// Calls returns how many times method was called.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// Fail queues a fault.
func (s *Server) Fail(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f)
}

// Block: the citizen in chat blocks the bot (sending to it answers 403);
// unblock with false.
func (s *Server) Block(chat int64, blocked bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[chat] = blocked
}

// Webhook returns the webhook URL set, "" if none.
func (s *Server) Webhook() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hook.url
}

// ClearFaults forgets the faults not yet used up.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}
