// SPDX-License-Identifier: Apache-2.0

package zalo

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hotline-cchc/hotline/chatbot"
	"github.com/hotline-cchc/hotline/tickets"
)

// ButtonPrefix starts the payload of the bot's query buttons: a tap comes
// back as user_send_text with the payload, which becomes a button press.
const ButtonPrefix = "#hl:"

// maxParts bounds the updates one event becomes, one per attachment.
const maxParts = 16

// updates turns an event into the bot's updates, or says why it has none.
// Each update's key is the event's (Key) and the part's number, so an event
// Zalo delivers again, even once the inbox has forgotten it, maps to the
// same keys and is handled once.
func updates(ev Event) ([]chatbot.Update, string) {
	u := chatbot.Update{ID: partKey(ev, 0), Chat: ev.SenderID, Private: true, User: ev.SenderID, Text: ev.Text}
	switch ev.Name {
	case "follow":
		u.Text = "/start"
	case "unfollow":
		return nil, "unfollow"
	case "user_send_text":
		if data, ok := strings.CutPrefix(strings.TrimSpace(ev.Text), ButtonPrefix); ok {
			u.Text, u.Callback = "", &chatbot.Callback{Data: data}
		}
	case "user_submit_info":
		if ev.Info == nil || strings.TrimSpace(ev.Info.Phone) == "" {
			return nil, "no_phone"
		}
		u.Attachment = &tickets.Attachment{Kind: tickets.AttachContact, Value: dialable(ev.Info.Phone)}
	default:
		return attachments(u, ev)
	}
	return []chatbot.Update{u}, ""
}

// attachments makes one update per attachment, the caption with the first.
func attachments(u chatbot.Update, ev Event) ([]chatbot.Update, string) {
	if len(ev.Attachments) == 0 {
		if u.Text == "" {
			u.Unsupported = true
		}
		return []chatbot.Update{u}, ""
	}
	var ups []chatbot.Update
	for i, at := range ev.Attachments[:min(len(ev.Attachments), maxParts)] {
		v := u
		v.ID = partKey(ev, i)
		if i > 0 {
			v.Text = ""
		}
		v.Attachment = attachment(at)
		if v.Attachment == nil {
			if at.Type == "link" && at.URL != "" {
				v.Text = strings.TrimSpace(v.Text + " " + at.URL)
			} else {
				v.Unsupported = true
			}
		}
		ups = append(ups, v)
	}
	return ups, ""
}

// partKey is the key of part i of ev: "msg:<msg_id>/0", the first.
func partKey(ev Event, i int) string { return ev.Key() + "/" + strconv.Itoa(i) }

// attachment maps a Zalo attachment to the ticket's kinds; nil for a
// sticker, a link or anything else the hotline does not keep as a file.
func attachment(at Attachment) *tickets.Attachment {
	kind := map[string]tickets.AttachmentKind{"image": tickets.AttachPhoto, "gif": tickets.AttachPhoto,
		"file": tickets.AttachDocument, "audio": tickets.AttachVoice, "video": tickets.AttachVideo}[at.Type]
	switch {
	case at.Type == "location":
		return &tickets.Attachment{Kind: tickets.AttachLocation, Value: fmt.Sprintf("%.6f,%.6f", at.Latitude, at.Longitude)}
	case kind != "" && at.URL != "":
		return &tickets.Attachment{Kind: kind, FileID: at.URL, Name: at.Name, Size: at.Size}
	}
	return nil
}

// dialable writes a shared number as a focal point dials it: Zalo gives
// "84912345678", which becomes "+84912345678".
func dialable(phone string) string {
	phone = strings.TrimSpace(phone)
	if phone == "" || strings.Trim(phone, "0123456789") != "" || strings.HasPrefix(phone, "0") {
		return phone
	}
	return "+" + phone
}

// templatePhone writes a number as the template API wants it: 84 and the
// subscriber number; "" if it is not a Vietnamese number.
func templatePhone(phone string) string {
	p := strings.NewReplacer(" ", "", ".", "", "-", "").Replace(strings.TrimSpace(phone))
	p = strings.TrimPrefix(p, "+")
	if strings.HasPrefix(p, "0") {
		p = "84" + p[1:]
	}
	if !strings.HasPrefix(p, "84") || len(p) < 11 || len(p) > 12 || strings.Trim(p, "0123456789") != "" {
		return ""
	}
	return p
}
