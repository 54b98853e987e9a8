// SPDX-License-Identifier: Apache-2.0

package zalo

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SignatureHeader carries the webhook's signature, "mac=<hex>".
const SignatureHeader = "X-ZEvent-Signature"

// Signer is one way of computing the webhook's signature: lower-case hex
// SHA-256 of ID + raw body + timestamp + Secret. Sources disagree whether ID
// is the app id or the OA id and whether Secret is the OA secret key or the
// app secret, so the adapter tries every configured combination.
type Signer struct {
	Name   string // for the log: which combination matched
	ID     string
	Secret string
}

// Sign returns the signature of body with the timestamp ts, as Zalo sends it.
func (s Signer) Sign(body []byte, ts string) string {
	h := sha256.New()
	h.Write([]byte(s.ID))
	h.Write(body)
	h.Write([]byte(ts))
	h.Write([]byte(s.Secret))
	return hex.EncodeToString(h.Sum(nil))
}

// Signers returns the combinations of ids and secrets to try, skipping
// empty ones.
func Signers(appID, oaID, oaSecretKey, appSecret string) []Signer {
	var ss []Signer
	for _, id := range []struct{ name, v string }{{"app_id", appID}, {"oa_id", oaID}} {
		for _, sec := range []struct{ name, v string }{{"oa_secret_key", oaSecretKey}, {"app_secret", appSecret}} {
			if id.v != "" && sec.v != "" {
				ss = append(ss, Signer{Name: id.name + "+" + sec.name, ID: id.v, Secret: sec.v})
			}
		}
	}
	return ss
}

// Errors of Verify.
var (
	ErrNoSignature  = errors.New("zalo webhook: no signature")
	ErrBadSignature = errors.New("zalo webhook: signature does not match")
)

// Verify checks header ("mac=<hex>") against body signed by one of signers,
// with the timestamp taken from the body, and returns the one that matched.
func Verify(body []byte, header string, signers []Signer) (Signer, error) {
	mac, ok := strings.CutPrefix(strings.TrimSpace(header), "mac=")
	if !ok || mac == "" {
		return Signer{}, ErrNoSignature
	}
	var head struct {
		Timestamp json.RawMessage `json:"timestamp"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		return Signer{}, fmt.Errorf("%w: body is not JSON", ErrBadSignature)
	}
	ts := strings.Trim(string(head.Timestamp), `"`)
	want := []byte(strings.ToLower(mac))
	for _, s := range signers {
		if subtle.ConstantTimeCompare([]byte(s.Sign(body, ts)), want) == 1 {
			return s, nil
		}
	}
	return Signer{}, ErrBadSignature
}

// Event is one webhook event, decoded tolerantly: ids may come as strings
// or numbers, the timestamp as either.
type Event struct {
	Name        string // event_name, e.g. user_send_text
	AppID       string
	SenderID    string // the citizen (or follower, for follow/unfollow)
	RecipientID string // the OA
	MsgID       string // "" for events without a message
	Text        string
	At          time.Time
	Attachments []Attachment
	Info        *UserInfo // user_submit_info
}

// Attachment is one item of message.attachments.
type Attachment struct {
	Type      string // image, file, audio, video, sticker, gif, link, location
	URL       string
	Name      string
	Size      int64
	Latitude  float64
	Longitude float64
}

// UserInfo is what a citizen shared after a request_user_info message.
type UserInfo struct {
	Name, Phone, Address, Ward, District, City string
}

// id is a Zalo id: a string, or a number in sources that send one.
type id string

func (i *id) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*i = id(s)
		return nil
	}
	if string(b) == "null" {
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("id %s: neither a string nor a number", b)
	}
	*i = id(n.String())
	return nil
}

type party struct {
	ID id `json:"id"`
}

type wireEvent struct {
	AppID     id     `json:"app_id"`
	EventName string `json:"event_name"`
	Sender    party  `json:"sender"`
	Recipient party  `json:"recipient"`
	Follower  party  `json:"follower"`
	Timestamp id     `json:"timestamp"`
	Message   struct {
		MsgID       id     `json:"msg_id"`
		Text        string `json:"text"`
		Attachments []struct {
			Type    string `json:"type"`
			Payload struct {
				URL         string  `json:"url"`
				Name        string  `json:"name"`
				Size        id      `json:"size"`
				Coordinates *coords `json:"coordinates"`
			} `json:"payload"`
		} `json:"attachments"`
	} `json:"message"`
	Info *struct {
		Name     string `json:"name"`
		Phone    string `json:"phone"`
		Address  string `json:"address"`
		Ward     string `json:"ward"`
		District string `json:"district"`
		City     string `json:"city"`
	} `json:"info"`
}

type coords struct {
	Latitude  id `json:"latitude"`
	Longitude id `json:"longitude"`
}

// ParseEvent decodes a webhook body. It returns an error for a body that is
// not an event (not JSON, no event name, no sender); unknown event names
// decode, for the caller to ignore on purpose.
func ParseEvent(body []byte) (Event, error) {
	var w wireEvent
	if err := json.Unmarshal(body, &w); err != nil {
		return Event{}, fmt.Errorf("zalo webhook: %w", err)
	}
	e := Event{Name: w.EventName, AppID: string(w.AppID), SenderID: string(w.Sender.ID),
		RecipientID: string(w.Recipient.ID), MsgID: string(w.Message.MsgID), Text: w.Message.Text}
	if e.SenderID == "" {
		e.SenderID = string(w.Follower.ID)
	}
	if e.Name == "" || e.SenderID == "" {
		return Event{}, errors.New("zalo webhook: an event needs event_name and a sender")
	}
	if ms, err := strconv.ParseInt(string(w.Timestamp), 10, 64); err == nil {
		e.At = time.UnixMilli(ms)
	}
	for _, a := range w.Message.Attachments {
		at := Attachment{Type: a.Type, URL: a.Payload.URL, Name: a.Payload.Name}
		at.Size, _ = strconv.ParseInt(string(a.Payload.Size), 10, 64)
		if c := a.Payload.Coordinates; c != nil {
			at.Latitude, _ = strconv.ParseFloat(string(c.Latitude), 64)
			at.Longitude, _ = strconv.ParseFloat(string(c.Longitude), 64)
		}
		e.Attachments = append(e.Attachments, at)
	}
	if i := w.Info; i != nil {
		e.Info = &UserInfo{Name: i.Name, Phone: i.Phone, Address: i.Address, Ward: i.Ward, District: i.District, City: i.City}
	}
	return e, nil
}

// Key is the event's identity for de-duplication: Zalo retries a webhook
// whose answer was late, so the same event may arrive more than once. A
// message's id when it has one; else the event, its sender and its time.
func (e Event) Key() string {
	if e.MsgID != "" {
		return "msg:" + e.MsgID
	}
	return fmt.Sprintf("ev:%s:%s:%d", e.Name, e.SenderID, e.At.UnixMilli())
}
