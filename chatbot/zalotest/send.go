// SPDX-License-Identifier: Apache-2.0

package zalotest

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// Window limits of the customer-service endpoint.
const (
	FreeWindow = 48 * time.Hour     // replies are free within it
	ReplyLimit = 7 * 24 * time.Hour // refused (-230) after it
	MaxText    = 2000
)

type wireMessage struct {
	Recipient struct {
		UserID string `json:"user_id"`
	} `json:"recipient"`
	Message struct {
		Text       string `json:"text"`
		Attachment *struct {
			Type    string `json:"type"`
			Payload struct {
				TemplateType string   `json:"template_type"`
				Buttons      []Button `json:"buttons"`
				Token        string   `json:"token"`
			} `json:"payload"`
		} `json:"attachment"`
	} `json:"message"`
}

func (s *Server) send(w http.ResponseWriter, r *http.Request) {
	raw := bodyText(r)
	var m wireMessage
	if err := json.Unmarshal(raw, &m); err != nil || m.Recipient.UserID == "" {
		s.mu.Lock()
		ok := s.authorized(w, r)
		s.mu.Unlock()
		if ok {
			zaloError(w, -201, "invalid parameter")
		}
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.authorized(w, r) || s.limited(w) {
		return
	}
	sent := Sent{User: m.Recipient.UserID, Text: m.Message.Text, At: s.opts.Now(), Raw: raw}
	if a := m.Message.Attachment; a != nil {
		sent.Buttons = a.Payload.Buttons
		sent.AskInfo = a.Payload.TemplateType == "request_user_info"
		sent.File = a.Payload.Token
	}
	if utf8.RuneCountInString(sent.Text) > MaxText {
		zaloError(w, -201, "text is longer than 2000 characters")
		return
	}
	if sent.Text == "" && !sent.AskInfo && sent.File == "" {
		zaloError(w, -201, "message is empty")
		return
	}
	last, ok := s.lastMsg[sent.User]
	age := sent.At.Sub(last)
	if !ok || age > ReplyLimit {
		zaloError(w, -230, "user has not interacted with the OA in the last 7 days")
		return
	}
	sent.Billed = age > FreeWindow
	sent.ID = s.nextMsgID()
	sent.Recorded = len(s.sent)
	s.sent = append(s.sent, sent)
	s.touch()
	writeJSON(w, map[string]any{"error": 0, "message": "Success", "data": map[string]string{"message_id": sent.ID, "user_id": sent.User}})
}

func (s *Server) template(w http.ResponseWriter, r *http.Request) {
	var t struct {
		Phone      string            `json:"phone"`
		TemplateID string            `json:"template_id"`
		Data       map[string]string `json:"template_data"`
		TrackingID string            `json:"tracking_id"`
	}
	err := json.Unmarshal(bodyText(r), &t)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.authorized(w, r) || s.limited(w) {
		return
	}
	switch {
	case err != nil || t.TrackingID == "" || len(t.TrackingID) > 48:
		zaloError(w, -201, "invalid parameter")
		return
	case !strings.HasPrefix(t.Phone, "84") || len(t.Phone) < 11 || len(t.Phone) > 12:
		zaloError(w, -108, "invalid phone number")
		return
	case !contains(s.opts.Templates, t.TemplateID):
		zaloError(w, -131, "template is not approved")
		return
	}
	if old, ok := s.templates[t.TrackingID]; ok { // one message per tracking id
		writeJSON(w, map[string]any{"error": 0, "message": "Success", "data": map[string]string{"msg_id": old.MsgID}})
		return
	}
	ts := TemplateSent{MsgID: s.nextMsgID(), Phone: t.Phone, TemplateID: t.TemplateID, TrackingID: t.TrackingID, Data: t.Data}
	s.templates[t.TrackingID] = ts
	s.touch()
	writeJSON(w, map[string]any{"error": 0, "message": "Success", "data": map[string]string{"msg_id": ts.MsgID,
		"sent_time": time.Now().Format(time.RFC3339)}})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// SentTo returns what the OA sent to user, in order.
func (s *Server) SentTo(user string) []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Sent
	for _, m := range s.sent {
		if m.User == user {
			out = append(out, m)
		}
	}
	return out
}

// Templates returns the template messages sent, one per tracking id.
func (s *Server) Templates() []TemplateSent {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]TemplateSent, 0, len(s.templates))
	for _, t := range s.templates {
		out = append(out, t)
	}
	return out
}

// WaitSent waits until user has received n messages and returns them.
func (s *Server) WaitSent(ctx context.Context, user string, n int) ([]Sent, error) {
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if got := s.SentTo(user); len(got) >= n {
			return got, nil
		}
		select {
		case <-ctx.Done():
			return s.SentTo(user), ctx.Err()
		case <-ch:
		}
	}
}
