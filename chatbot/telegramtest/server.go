// SPDX-License-Identifier: Apache-2.0

// Package telegramtest is a fake Telegram Bot API on 127.0.0.1 for tests and
// demos: getMe, getUpdates (offset, limit, long poll), sendMessage,
// editMessageText, answerCallbackQuery, setMyCommands, sendDocument, getFile
// and file download, setWebhook (with the secret token header on each POST)
// and deleteWebhook, with the real error answers (400, 401, 403, 404, 409,
// 429 with retry_after) and fault modes (a late answer, none, a dropped
// connection, a status). Scripted citizens write, press buttons, send files
// and share contacts; tests read what the bot sent.
//
// It speaks the wire protocol of https://core.telegram.org/bots/api, so the
// real client library runs against it. It imports only the standard library.
package telegramtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
	"unicode/utf16"
)

// BotID is the fake bot's user id.
const BotID = 7000000001

// MaxText is the Bot API's limit on a message's text, in UTF-16 code units.
const MaxText = 4096

// Server is the fake Bot API. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL, e.g. http://127.0.0.1:34567: the client appends
	// /bot<token>/<method>.
	URL   string
	token string
	srv   *httptest.Server

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced whenever something happens
	updates  []update      // not yet confirmed by an offset
	nextUpd  int64
	nextMsg  int
	sent     map[int64][]Message // by chat, in order; edits change them in place
	answers  []CallbackAnswer
	commands []Command
	docs     []Document
	files    map[string]file // by file id
	faults   []Fault
	blocked  map[int64]bool
	calls    map[string]int
	hook     webhook
	closing  chan struct{}
	delivers sync.WaitGroup
}

type update struct {
	id   int64
	body map[string]any
}

type file struct {
	path string
	data []byte
}

type webhook struct {
	url, secret string
}

// Message is a message the bot sent (or edited) in a chat.
type Message struct {
	ID          int
	Chat        int64
	Text        string
	ReplyMarkup json.RawMessage // as the bot sent it
	ParseMode   string
	Edited      int // how many times it was edited
}

// Buttons returns the inline buttons' callback data, row by row.
func (m Message) Buttons() [][]string {
	var mk struct {
		Inline [][]struct {
			Data string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	json.Unmarshal(m.ReplyMarkup, &mk)
	var rows [][]string
	for _, r := range mk.Inline {
		var row []string
		for _, b := range r {
			row = append(row, b.Data)
		}
		rows = append(rows, row)
	}
	return rows
}

// CallbackAnswer is an answerCallbackQuery call.
type CallbackAnswer struct{ ID, Text string }

// Command is one entry of setMyCommands.
type Command struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// Document is a file the bot sent with sendDocument.
type Document struct {
	Chat    int64
	Name    string
	Data    []byte
	Caption string
}

// Fault makes the next Times calls of Method (to Chat, or any chat if 0)
// misbehave: fail with Code (an HTTP status), Description and, for 429,
// RetryAfter seconds; or, with Code 0, take effect (the message is sent)
// and then answer late (Delay), never (Hang, until the client gives up) or
// by dropping the connection (Drop). A Code with Delay fails late.
type Fault struct {
	Method      string
	Chat        int64
	Code        int
	Description string
	RetryAfter  int
	Times       int
	Delay       time.Duration
	Hang        bool
	Drop        bool
}

// New starts a fake Bot API for the bot with token on 127.0.0.1.
func New(token string) *Server {
	s := &Server{token: token, changed: make(chan struct{}), nextUpd: 100000, nextMsg: 1,
		sent: map[int64][]Message{}, files: map[string]file{}, blocked: map[int64]bool{},
		calls: map[string]int{}, closing: make(chan struct{})}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Endpoint is the client library's API endpoint pattern for this server.
func (s *Server) Endpoint() string { return s.URL + "/bot%s/%s" }

// Close stops the server; long polls in progress end.
func (s *Server) Close() {
	close(s.closing)
	s.srv.CloseClientConnections()
	s.srv.Close()
	s.delivers.Wait()
}

// notify wakes long polls and waiters; s.mu is held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if path, ok := strings.CutPrefix(r.URL.Path, "/file/bot"+s.token+"/"); ok && r.Method == http.MethodGet {
		s.download(w, path)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		fail(w, http.StatusNotFound, "Not Found", 0)
		return
	}
	if token != s.token {
		fail(w, http.StatusUnauthorized, "Unauthorized", 0)
		return
	}
	if err := r.ParseMultipartForm(32 << 20); err != nil && err != http.ErrNotMultipart {
		fail(w, http.StatusBadRequest, "Bad Request: "+err.Error(), 0)
		return
	}
	s.mu.Lock()
	s.calls[method]++
	s.notify()
	f, faulted := s.fault(method, r.FormValue("chat_id"))
	s.mu.Unlock()
	h, ok := s.methods()[method]
	switch {
	case faulted:
		s.misbehave(w, r, f, h)
	case !ok:
		fail(w, http.StatusNotFound, "Not Found: method not found", 0)
	default:
		h(w, r)
	}
}

// misbehave answers a call as its fault says.
func (s *Server) misbehave(w http.ResponseWriter, r *http.Request, f Fault, h http.HandlerFunc) {
	rec := httptest.NewRecorder()
	if f.Code != 0 {
		fail(rec, f.Code, f.Description, f.RetryAfter)
	} else if h != nil {
		h(rec, r) // accepted: the call takes effect before the fault
	}
	if f.Delay > 0 || f.Hang {
		var after <-chan time.Time
		if !f.Hang {
			t := time.NewTimer(f.Delay)
			defer t.Stop()
			after = t.C
		}
		select {
		case <-after:
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		}
	}
	if f.Drop {
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
			}
		}
		return
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

func (s *Server) methods() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"getMe":               s.getMe,
		"getUpdates":          s.getUpdates,
		"sendMessage":         s.sendMessage,
		"editMessageText":     s.editMessageText,
		"answerCallbackQuery": s.answerCallbackQuery,
		"setMyCommands":       s.setMyCommands,
		"sendDocument":        s.sendDocument,
		"getFile":             s.getFile,
		"setWebhook":          s.setWebhook,
		"deleteWebhook":       s.deleteWebhook,
	}
}

// fault consumes a matching fault; s.mu is held.
func (s *Server) fault(method, chat string) (Fault, bool) {
	for i := range s.faults {
		f := &s.faults[i]
		if f.Method == method && f.Times > 0 && (f.Chat == 0 || fmt.Sprint(f.Chat) == chat) {
			f.Times--
			return *f, true
		}
	}
	if method == "sendMessage" || method == "sendDocument" {
		var id int64
		fmt.Sscan(chat, &id)
		if s.blocked[id] {
			return Fault{Code: http.StatusForbidden, Description: "Forbidden: bot was blocked by the user"}, true
		}
	}
	return Fault{}, false
}

func ok(w http.ResponseWriter, result any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

func fail(w http.ResponseWriter, code int, desc string, retryAfter int) {
	body := map[string]any{"ok": false, "error_code": code, "description": desc}
	if retryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": retryAfter}
		if desc == "" {
			body["description"] = fmt.Sprintf("Too Many Requests: retry after %d", retryAfter)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(body)
}

func (s *Server) getMe(w http.ResponseWriter, _ *http.Request) {
	ok(w, map[string]any{"id": BotID, "is_bot": true, "first_name": "Đường dây nóng CCHC", "username": "hotline_test_bot",
		"can_join_groups": true})
}

// getUpdates confirms the updates before offset and returns those after it,
// waiting up to timeout seconds for one to come.
func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request) {
	var offset, limit, timeout int64
	fmt.Sscan(r.FormValue("offset"), &offset)
	fmt.Sscan(r.FormValue("limit"), &limit)
	fmt.Sscan(r.FormValue("timeout"), &timeout)
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	deadline := time.Now().Add(time.Duration(timeout) * time.Second)
	for {
		s.mu.Lock()
		if s.hook.url != "" {
			s.mu.Unlock()
			fail(w, http.StatusConflict, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", 0)
			return
		}
		s.confirm(offset)
		var out []map[string]any
		for _, u := range s.updates {
			if int64(len(out)) < limit {
				out = append(out, u.body)
			}
		}
		changed := s.changed
		s.mu.Unlock()
		wait := time.Until(deadline)
		if len(out) > 0 || wait <= 0 {
			if out == nil {
				out = []map[string]any{}
			}
			ok(w, out)
			return
		}
		t := time.NewTimer(wait)
		select {
		case <-changed:
		case <-t.C:
		case <-r.Context().Done():
		case <-s.closing:
		}
		t.Stop()
		if r.Context().Err() != nil {
			return
		}
	}
}

// confirm forgets the updates before offset; s.mu is held. A negative
// offset counts from the end, as in the Bot API.
func (s *Server) confirm(offset int64) {
	if offset < 0 {
		n := max(0, len(s.updates)+int(offset))
		s.updates = s.updates[n:]
		return
	}
	i := 0
	for i < len(s.updates) && s.updates[i].id < offset {
		i++
	}
	s.updates = s.updates[i:]
}

// Pending returns how many updates are not yet confirmed.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

func textLen(s string) int { return len(utf16.Encode([]rune(s))) }

func (s *Server) sendMessage(w http.ResponseWriter, r *http.Request) {
	var chat int64
	if _, err := fmt.Sscan(r.FormValue("chat_id"), &chat); err != nil {
		fail(w, http.StatusBadRequest, "Bad Request: chat not found", 0)
		return
	}
	text := r.FormValue("text")
	if msg := badText(text, r.FormValue("reply_markup")); msg != "" {
		fail(w, http.StatusBadRequest, msg, 0)
		return
	}
	s.mu.Lock()
	m := Message{ID: s.nextMsg, Chat: chat, Text: text, ReplyMarkup: json.RawMessage(r.FormValue("reply_markup")), ParseMode: r.FormValue("parse_mode")}
	s.nextMsg++
	s.sent[chat] = append(s.sent[chat], m)
	s.notify()
	s.mu.Unlock()
	ok(w, messageJSON(m))
}

func badText(text, markup string) string {
	switch {
	case strings.TrimSpace(text) == "":
		return "Bad Request: message text is empty"
	case textLen(text) > MaxText:
		return "Bad Request: message is too long"
	case markup != "" && !json.Valid([]byte(markup)):
		return "Bad Request: can't parse reply keyboard markup JSON object"
	}
	return ""
}

func messageJSON(m Message) map[string]any {
	return map[string]any{"message_id": m.ID, "date": time.Now().Unix(), "text": m.Text,
		"from": map[string]any{"id": BotID, "is_bot": true, "first_name": "Đường dây nóng CCHC"},
		"chat": map[string]any{"id": m.Chat, "type": chatType(m.Chat)}}
}

func chatType(chat int64) string {
	if chat < 0 {
		return "supergroup"
	}
	return "private"
}

func (s *Server) editMessageText(w http.ResponseWriter, r *http.Request) {
	var chat int64
	var id int
	fmt.Sscan(r.FormValue("chat_id"), &chat)
	fmt.Sscan(r.FormValue("message_id"), &id)
	text, markup := r.FormValue("text"), r.FormValue("reply_markup")
	if msg := badText(text, markup); msg != "" {
		fail(w, http.StatusBadRequest, msg, 0)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, m := range s.sent[chat] {
		if m.ID != id {
			continue
		}
		if m.Text == text && string(m.ReplyMarkup) == markup {
			fail(w, http.StatusBadRequest, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message", 0)
			return
		}
		m.Text, m.ReplyMarkup, m.Edited = text, json.RawMessage(markup), m.Edited+1
		s.sent[chat][i] = m
		s.notify()
		ok(w, messageJSON(m))
		return
	}
	fail(w, http.StatusBadRequest, "Bad Request: message to edit not found", 0)
}

func (s *Server) answerCallbackQuery(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.answers = append(s.answers, CallbackAnswer{ID: r.FormValue("callback_query_id"), Text: r.FormValue("text")})
	s.notify()
	s.mu.Unlock()
	ok(w, true)
}

func (s *Server) setMyCommands(w http.ResponseWriter, r *http.Request) {
	var cs []Command
	if err := json.Unmarshal([]byte(r.FormValue("commands")), &cs); err != nil {
		fail(w, http.StatusBadRequest, "Bad Request: can't parse commands JSON object", 0)
		return
	}
	s.mu.Lock()
	s.commands = cs
	s.mu.Unlock()
	ok(w, true)
}

func (s *Server) sendDocument(w http.ResponseWriter, r *http.Request) {
	var chat int64
	fmt.Sscan(r.FormValue("chat_id"), &chat)
	f, hdr, err := r.FormFile("document")
	if err != nil {
		fail(w, http.StatusBadRequest, "Bad Request: there is no document in the request", 0)
		return
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		fail(w, http.StatusBadRequest, "Bad Request: "+err.Error(), 0)
		return
	}
	s.mu.Lock()
	s.docs = append(s.docs, Document{Chat: chat, Name: hdr.Filename, Data: data, Caption: r.FormValue("caption")})
	m := Message{ID: s.nextMsg, Chat: chat}
	s.nextMsg++
	s.notify()
	s.mu.Unlock()
	ok(w, messageJSON(m))
}
