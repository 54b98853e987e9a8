// SPDX-License-Identifier: Apache-2.0

// Package zalo is the Zalo Official Account channel: a small client of the
// OA API (OAuth v4 tokens, the customer-service message endpoint, uploads and
// template messages to a phone number) and the webhook's signature check and
// event decoding, as ../shared/zalo-oa.md describes them; and the Adapter
// that runs the channel-neutral chatbot.Bot on an OA: a webhook handler that
// stores each signed event in a durable inbox before answering 200, the
// inbox handled per citizen in order, tokens kept fresh (each single-use
// refresh token stored as soon as Zalo returns it), and the outbox delivered
// as replies, query buttons, request_user_info cards or, outside the reply
// window, template messages. Every base URL is configuration, so that tests
// run it against chatbot/zalotest.
//
// Zalo answers errors with HTTP 200 and a negative "error" field; the client
// turns them into *APIError and says which are worth a retry. It may import
// chatbot, tickets, golang.org/x/text and the standard library; no maintained Go client of the
// OA API exists, so this one is hand-written.
package zalo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Default base URLs of Zalo's APIs.
const (
	DefaultAPI      = "https://openapi.zalo.me"
	DefaultOAuth    = "https://oauth.zaloapp.com"
	DefaultBusiness = "https://business.openapi.zalo.me"
)

// MaxText is the longest text of one message, in characters after NFC.
const MaxText = 2000

// maxAnswer bounds what the client reads of one answer.
const maxAnswer = 1 << 20

// Client calls Zalo's APIs. It holds no token: each call is given the access
// token to use, so that the caller decides where tokens live (the store).
type Client struct {
	AppID     string
	AppSecret string // the app's secret key, sent as the secret_key header of token requests
	API       string // base URL of the OA API; DefaultAPI if empty
	OAuth     string // base URL of the OAuth API; DefaultOAuth if empty
	Business  string // base URL of the template message API; DefaultBusiness if empty
	HTTP      *http.Client
}

// Error codes of Zalo's answers that the hotline acts on.
const (
	CodeRateLimit      = -32
	CodeInvalidParam   = -201
	CodeUserNotFollow  = -213
	CodeTokenInvalid   = -216
	CodeTokenExpired   = -220
	CodeOutsideWindow  = -230
	CodeOutsideWindow2 = -232
	CodeInvalidPhone   = -108
	CodeQuota          = -115
	CodeQuota2         = -144
	CodeTemplateToken  = -124
	CodeNightRefused   = -133
)

// APIError is a refusal by Zalo: HTTP 200 with a negative "error", or an
// HTTP status other than 200.
type APIError struct {
	HTTPStatus int // 200 for Zalo's own error answers
	Code       int
	Message    string
}

func (e *APIError) Error() string {
	if e.HTTPStatus != http.StatusOK {
		return fmt.Sprintf("zalo: HTTP %d: %s", e.HTTPStatus, e.Message)
	}
	return fmt.Sprintf("zalo: error %d: %s", e.Code, e.Message)
}

// TokenRejected reports whether err says the access token is invalid or
// expired: refresh it and try once more.
func TokenRejected(err error) bool {
	var e *APIError
	return errors.As(err, &e) && (e.Code == CodeTokenInvalid || e.Code == CodeTokenExpired || e.Code == CodeTemplateToken)
}

// WindowClosed reports whether err says the citizen has not written to the
// OA in the last 7 days, so that no reply can reach them (-230, -232).
func WindowClosed(err error) bool {
	var e *APIError
	return errors.As(err, &e) && (e.Code == CodeOutsideWindow || e.Code == CodeOutsideWindow2)
}

// Transient reports whether err is worth a retry later: Zalo's rate limit,
// a 5xx or 429 answer, a refused night send, or a network failure.
func Transient(err error) bool {
	var e *APIError
	if errors.As(err, &e) {
		return e.Code == CodeRateLimit || e.Code == CodeNightRefused ||
			e.HTTPStatus >= 500 || e.HTTPStatus == http.StatusTooManyRequests
	}
	return err != nil
}

func base(u, def string) string {
	if u == "" {
		u = def
	}
	return strings.TrimRight(u, "/")
}

func (c *Client) http() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return &http.Client{Timeout: 30 * time.Second}
}

// answer is the envelope of every OA API answer.
type answer struct {
	Error   json.Number     `json:"error"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// do sends req and decodes the envelope's data into out (if not nil).
func (c *Client) do(req *http.Request, out any) error {
	resp, err := c.http().Do(req)
	if err != nil {
		return fmt.Errorf("zalo: %s: %w", req.URL.Path, redactErr(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return fmt.Errorf("zalo: %s: read answer: %w", req.URL.Path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return &APIError{HTTPStatus: resp.StatusCode, Message: strings.TrimSpace(string(bytes.ToValidUTF8(body[:min(len(body), 200)], nil)))}
	}
	var a answer
	if err := json.Unmarshal(body, &a); err != nil {
		return &APIError{HTTPStatus: http.StatusBadGateway, Message: "unreadable answer: " + err.Error()}
	}
	if code, _ := a.Error.Int64(); code != 0 {
		return &APIError{HTTPStatus: http.StatusOK, Code: int(code), Message: a.Message}
	}
	if out == nil || len(a.Data) == 0 {
		return nil
	}
	if err := json.Unmarshal(a.Data, out); err != nil {
		return &APIError{HTTPStatus: http.StatusBadGateway, Message: "unreadable data: " + err.Error()}
	}
	return nil
}

// redactErr drops the URL from a transport error: a query string could hold
// a token in other APIs, and none of ours needs it in a log.
func redactErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}

func (c *Client) postJSON(ctx context.Context, u, access string, in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("access_token", access)
	return c.do(req, out)
}

// Button is a button under a message. A "query" button sends Payload back
// as the citizen's text when tapped.
type Button struct {
	Title   string
	Payload string
}

// Message is one customer-service message to a user.
type Message struct {
	Text    string
	Buttons []Button
	// AskInfo, when set, makes the message a request for the citizen's
	// contact details (request_user_info): the citizen's consent gives the
	// hotline their phone number in a user_submit_info event.
	AskInfo *InfoRequest
	// FileToken sends an uploaded file (Upload's token) instead of text.
	FileToken string
}

// InfoRequest is the card of a request for the citizen's details.
type InfoRequest struct {
	Title, Subtitle, ImageURL string
}

// Send sends m to user through /v3.0/oa/message/cs and returns Zalo's
// message id. Errors: *APIError (see TokenRejected, WindowClosed, Transient)
// or a network error.
func (c *Client) Send(ctx context.Context, access, user string, m Message) (string, error) {
	msg := map[string]any{}
	switch {
	case m.AskInfo != nil:
		el := map[string]string{"title": m.AskInfo.Title, "subtitle": m.AskInfo.Subtitle}
		if m.AskInfo.ImageURL != "" {
			el["image_url"] = m.AskInfo.ImageURL
		}
		msg["attachment"] = map[string]any{"type": "template", "payload": map[string]any{
			"template_type": "request_user_info", "elements": []any{el}}}
	case m.FileToken != "":
		msg["attachment"] = map[string]any{"type": "file", "payload": map[string]string{"token": m.FileToken}}
	default:
		msg["text"] = m.Text
		if len(m.Buttons) > 0 {
			bs := make([]map[string]string, len(m.Buttons))
			for i, b := range m.Buttons {
				bs[i] = map[string]string{"title": b.Title, "type": "oa.query.hide", "payload": b.Payload}
			}
			msg["attachment"] = map[string]any{"type": "template", "payload": map[string]any{"buttons": bs}}
		}
	}
	var data struct {
		MessageID string `json:"message_id"`
	}
	body := map[string]any{"recipient": map[string]string{"user_id": user}, "message": msg}
	err := c.postJSON(ctx, base(c.API, DefaultAPI)+"/v3.0/oa/message/cs", access, body, &data)
	return data.MessageID, err
}

// Template is a template message (ZNS/ZBS) to a phone number.
type Template struct {
	Phone      string            // 84… form
	TemplateID string            // approved by Zalo beforehand
	Data       map[string]string // the template's parameters
	TrackingID string            // unique, at most 48 characters: Zalo sends one message per id
}

// SendTemplate sends t and returns Zalo's message id.
func (c *Client) SendTemplate(ctx context.Context, access string, t Template) (string, error) {
	if len(t.TrackingID) == 0 || len(t.TrackingID) > 48 {
		return "", fmt.Errorf("zalo: tracking id %q: want 1 to 48 characters", t.TrackingID)
	}
	var data struct {
		MsgID string `json:"msg_id"`
	}
	body := map[string]any{"phone": t.Phone, "template_id": t.TemplateID, "template_data": t.Data, "tracking_id": t.TrackingID}
	err := c.postJSON(ctx, base(c.Business, DefaultBusiness)+"/message/template", access, body, &data)
	return data.MsgID, err
}

// Upload uploads a file for a later message and returns its token.
func (c *Client) Upload(ctx context.Context, access, name string, content io.Reader) (string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	part, err := w.CreateFormFile("file", name)
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(part, content); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base(c.API, DefaultAPI)+"/v2.0/oa/upload/file", &buf)
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("access_token", access)
	var data struct {
		Token string `json:"token"`
	}
	err = c.do(req, &data)
	return data.Token, err
}
