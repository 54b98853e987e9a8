// SPDX-License-Identifier: Apache-2.0

package chatbot_test

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/chatbot"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

// fakeSender records what the bot sends, per chat, and fails on demand.
type fakeSender struct {
	mu   sync.Mutex
	max  int
	sent map[string][]chatbot.Reply
	fail map[string][]error // next errors per chat, consumed in order
}

func newSender() *fakeSender {
	return &fakeSender{max: 4096, sent: map[string][]chatbot.Reply{}, fail: map[string][]error{}}
}

func (f *fakeSender) MaxText() int { return f.max }

func (f *fakeSender) Send(_ context.Context, chat string, r chatbot.Reply) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if errs := f.fail[chat]; len(errs) > 0 {
		f.fail[chat] = errs[1:]
		return errs[0]
	}
	f.sent[chat] = append(f.sent[chat], r)
	return nil
}

// take returns and forgets what chat received.
func (f *fakeSender) take(chat string) []chatbot.Reply {
	f.mu.Lock()
	defer f.mu.Unlock()
	rs := f.sent[chat]
	delete(f.sent, chat)
	return rs
}

type harness struct {
	t      testing.TB
	bot    *chatbot.Bot
	svc    *tickets.Service
	db     *sqlite.DB
	send   *fakeSender
	clock  *ticketstest.Clock
	nextID int64
	chat   string // the citizen's chat: "42" unless a test sets it
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	svc, clock := ticketstest.Service(t)
	db := svc.Store.(*sqlite.DB)
	svc.DepartmentChats = map[string][]tickets.Recipient{"so-noi-vu": {{Channel: tickets.ChannelTelegram, ID: "-100"}}}
	bot := &chatbot.Bot{Channel: tickets.ChannelTelegram, Store: db, Tickets: svc, Menu: svc.Menu, Calendar: svc.Calendar,
		Departments: map[string]string{"-100": "so-noi-vu"}, Now: clock.Now}
	return &harness{t: t, bot: bot, svc: svc, db: db, send: newSender(), clock: clock, nextID: 100, chat: "42"}
}

// handle runs u (with a fresh id unless set) and delivers the outbox.
func (h *harness) handle(u chatbot.Update) chatbot.Result {
	h.t.Helper()
	if u.ID == "" {
		h.nextID++
		u.ID = strconv.FormatInt(h.nextID, 10)
	}
	if u.Chat == "" {
		u.Chat, u.Private, u.User = h.chat, true, h.chat
	}
	res, err := h.bot.Handle(context.Background(), u)
	if err != nil {
		h.t.Fatalf("Handle(%+v): %v", u, err)
	}
	h.flush()
	return res
}

func (h *harness) flush() {
	h.t.Helper()
	if _, err := h.bot.DeliverOutbox(context.Background(), h.send); err != nil {
		h.t.Fatalf("DeliverOutbox: %v", err)
	}
}

func (h *harness) say(text string) []chatbot.Reply {
	h.t.Helper()
	h.handle(chatbot.Update{Text: text})
	return h.send.take(h.chat)
}

func (h *harness) press(data string) (chatbot.Result, []chatbot.Reply) {
	h.t.Helper()
	res := h.handle(chatbot.Update{Callback: &chatbot.Callback{ID: "cb", Data: data, Message: "7"}})
	return res, h.send.take(h.chat)
}

func texts(rs []chatbot.Reply) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(r.Text)
		b.WriteString("\n---\n")
	}
	return b.String()
}

func mustContain(t *testing.T, rs []chatbot.Reply, wants ...string) {
	t.Helper()
	all := texts(rs)
	for _, w := range wants {
		if !strings.Contains(all, w) {
			t.Errorf("replies lack %q:\n%s", w, all)
		}
	}
}

var codeRe = regexp.MustCompile(`Mã phiếu: (\d{3} \d{3} \d{3})`)

// fileTicket runs a whole conversation and returns the ticket's code. The
// extras (attachments, a shared contact) follow the text; without them the
// citizen skips sharing a contact.
func (h *harness) fileTicket(branch int, text string, anon bool, extras ...chatbot.Update) tickets.Code {
	h.t.Helper()
	h.say("/start")
	h.press(fmt.Sprintf("b:%d", branch))
	h.say(text)
	if len(extras) == 0 {
		h.say("Bỏ qua")
	}
	for _, u := range extras {
		h.handle(u)
	}
	data := "ok"
	if anon {
		data = "anon"
	}
	_, rs := h.press(data)
	m := codeRe.FindStringSubmatch(texts(rs))
	if m == nil {
		h.t.Fatalf("no code in %s", texts(rs))
	}
	code, err := tickets.ParseCode(m[1])
	if err != nil {
		h.t.Fatal(err)
	}
	return code
}

func TestConversationFilesTicket(t *testing.T) {
	h := newHarness(t)
	rs := h.say("/start")
	if len(rs) != 1 || len(rs[0].Buttons) != 4 || rs[0].Buttons[1][0].Data != "b:2" {
		t.Fatalf("/start = %+v, want a greeting with the 4 branches", rs)
	}
	mustContain(t, rs, "Xin chào")
	_, rs = h.press("b:4")
	if len(rs) != 2 || rs[0].Edit != "7" {
		t.Fatalf("branch press = %+v, want the menu edited and a prompt", rs)
	}
	mustContain(t, rs, "Cải cách thủ tục hành chính", "mô tả")
	rs = h.say("Hồ sơ cấp phép xây dựng của tôi bị trễ hẹn 2 tháng.")
	if len(rs) != 1 || rs[0].AskContact == "" || rs[0].Skip != "Bỏ qua" {
		t.Fatalf("description = %+v, want the contact keyboard", rs)
	}
	h.handle(chatbot.Update{Attachment: &tickets.Attachment{Kind: tickets.AttachPhoto, FileID: "PHOTO1", Size: 1234}})
	mustContain(t, h.send.take("42"), "Đã nhận tệp")
	h.handle(chatbot.Update{Attachment: &tickets.Attachment{Kind: tickets.AttachLocation, Value: "10.77,106.70"}})
	h.send.take("42")
	h.handle(chatbot.Update{Attachment: &tickets.Attachment{Kind: tickets.AttachContact, Value: "0939015599"}})
	rs = h.send.take("42")
	if len(rs) != 2 || !rs[0].RemoveKeyboard || len(rs[1].Buttons) != 2 {
		t.Fatalf("contact = %+v, want the keyboard removed and the summary", rs)
	}
	mustContain(t, rs, "0939015599", "Tệp đính kèm: 2", "Văn phòng UBND tỉnh")
	res, rs := h.press("ok")
	if res.CallbackText == "" {
		t.Error("no answer to the press")
	}
	mustContain(t, rs, "Đã gửi", "Mã phiếu", "Hạn giải quyết: 09/11/2026", "Văn phòng UBND tỉnh")
	m := codeRe.FindStringSubmatch(texts(rs))
	code, _ := tickets.ParseCode(m[1])
	tk, err := h.db.Ticket(context.Background(), code)
	if err != nil || tk.Contact != "42" || tk.Channel != tickets.ChannelTelegram || tk.Branch != 4 ||
		tk.Text != "Hồ sơ cấp phép xây dựng của tôi bị trễ hẹn 2 tháng." {
		t.Fatalf("ticket = %+v, %v", tk, err)
	}
	as, _ := h.db.Attachments(context.Background(), code)
	if len(as) != 3 || as[0].FileID != "PHOTO1" || as[2].Kind != tickets.AttachContact || as[2].Value != "0939015599" {
		t.Errorf("attachments = %+v", as)
	}
	// The conversation is over: a stale press changes nothing.
	if res, rs := h.press("ok"); res.CallbackText != "Nút này đã hết hiệu lực." || len(rs) != 0 {
		t.Errorf("stale press = %+v %+v", res, rs)
	}
}

func TestStatus(t *testing.T) {
	h := newHarness(t)
	code := h.fileTicket(1, "Thủ tục rườm rà", false)
	anon := h.fileTicket(9, "Cán bộ gây khó dễ", true)
	other := func(text string) string {
		h.handle(chatbot.Update{Chat: "77", Private: true, User: "77", Text: text})
		return texts(h.send.take("77"))
	}
	for _, tt := range []struct {
		name, chat, text string
		want, not        string
	}{
		{"OKOwnerFull", "42", "/status " + string(code), "Nội dung: Thủ tục rườm rà", ""},
		{"OKPlainCode", "42", code.Grouped(), "Tình trạng: Mới tiếp nhận", ""},
		{"OKOtherBare", "77", "/status " + string(code), "Đã tiếp nhận", "rườm rà"},
		{"OKAnonymousBareEvenToFiler", "42", "/status " + string(anon), "Đã tiếp nhận", "khó dễ"},
		{"ErrCheckDigit", "77", "/status " + string(code[:8]) + string('0'+(code[8]-'0'+1)%10), "không hợp lệ", ""},
		{"ErrUnknown", "77", "/status " + string(tickets.NewCode()), "Không tìm thấy", ""},
		{"ErrNoCode", "77", "/status", "ví dụ", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			if tt.chat == "77" {
				got = other(tt.text)
			} else {
				got = texts(h.say(tt.text))
			}
			if !strings.Contains(got, tt.want) || tt.not != "" && strings.Contains(got, tt.not) {
				t.Errorf("%q → %s; want %q, not %q", tt.text, got, tt.want, tt.not)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	h := newHarness(t)
	h.say("/start")
	h.press("b:1")
	for _, tt := range []struct {
		name string
		u    chatbot.Update
		want string // fragment of the reply; "" for none
	}{
		{"Empty", chatbot.Update{Text: "   "}, "không có nội dung"},
		{"EmojiOnly", chatbot.Update{Text: "😡😡👎"}, "không chỉ biểu tượng"},
		{"Huge", chatbot.Update{Text: strings.Repeat("a", tickets.MaxTextLen+1)}, "quá dài"},
		{"Sticker", chatbot.Update{Unsupported: true}, "chưa nhận được loại tin nhắn"},
		{"Edited", chatbot.Update{Text: "sửa", Edited: true}, "đã sửa"},
		{"UnknownCommand", chatbot.Update{Text: "/foo"}, "không được hỗ trợ"},
		{"StaleButton", chatbot.Update{Callback: &chatbot.Callback{Data: "b:9", Message: "3"}}, ""},
		{"Garbage callback", chatbot.Update{Callback: &chatbot.Callback{Data: "\x00zz"}}, ""},
		{"Group", chatbot.Update{Chat: "-5", Text: "/start"}, ""},
		{"Help", chatbot.Update{Text: "/help"}, "/status"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			u := tt.u
			if u.Chat == "" {
				u.Chat, u.Private = "42", true
			}
			h.handle(u)
			got := texts(h.send.take("42")) + texts(h.send.take("-5"))
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("reply = %q, want %q", got, tt.want)
			}
		})
	}
	// Through it all the draft waited for its description.
	if state, _, _, _ := h.db.Conversation(context.Background(), tickets.ChannelTelegram, "42"); state != "describe" {
		t.Errorf("state = %q, want describe", state)
	}
	// HTML and Markdown are stored and echoed as they are.
	h.say("<b>Hồ sơ</b> *trễ* [hẹn](http://x)")
	h.say("Bỏ qua")
	_, rs := h.press("ok")
	m := codeRe.FindStringSubmatch(texts(rs))
	code, _ := tickets.ParseCode(m[1])
	if tk, _ := h.db.Ticket(context.Background(), code); tk.Text != "<b>Hồ sơ</b> *trễ* [hẹn](http://x)" {
		t.Errorf("text = %q", tk.Text)
	}
}

func TestCancel(t *testing.T) {
	h := newHarness(t)
	mustContain(t, h.say("/cancel"), "Không có phản ánh")
	h.say("/start")
	h.press("b:2")
	h.say("Nội dung")
	mustContain(t, h.say("/cancel"), "Đã hủy")
	if state, _, _, _ := h.db.Conversation(context.Background(), tickets.ChannelTelegram, "42"); state != "" {
		t.Errorf("state after /cancel = %q", state)
	}
}

func TestRepeatedUpdateIgnored(t *testing.T) {
	h := newHarness(t)
	h.handle(chatbot.Update{ID: "5", Text: "/start"})
	h.send.take("42")
	if res := h.handle(chatbot.Update{ID: "5", Text: "/start"}); !res.Duplicate {
		t.Error("repeated update not reported as a duplicate")
	}
	if rs := h.send.take("42"); len(rs) != 0 {
		t.Errorf("repeated update answered again: %+v", rs)
	}
}

func TestTwoWay(t *testing.T) {
	h := newHarness(t)
	code := h.fileTicket(1, "Cần hướng dẫn thủ tục", false)
	ctx := context.Background()
	notices := h.send.take("-100")
	if len(notices) != 1 || len(notices[0].Buttons) != 1 || notices[0].Buttons[0][0].Data != "t:"+string(code) {
		t.Fatalf("department chat got %+v, want the new ticket with buttons", notices)
	}
	if _, err := h.svc.Move(ctx, code, tickets.Change{Action: tickets.ActionAnswer, Note: "Mời anh mang CCCD đến bộ phận một cửa.", Actor: "cli"}); err != nil {
		t.Fatal(err)
	}
	h.flush()
	mustContain(t, h.send.take("42"), "Trả lời phản ánh", "Mời anh mang CCCD", "Sở Nội vụ")
	// A department member takes, then resolves it with the notice's buttons.
	group := func(data string) chatbot.Result {
		res := h.handle(chatbot.Update{Chat: "-100", User: "9", Callback: &chatbot.Callback{ID: "c", Data: data, Message: "55"}})
		return res
	}
	if res := group("t:" + string(code)); res.CallbackText != "Đã tiếp nhận phiếu." {
		t.Errorf("take = %+v", res)
	}
	edits := h.send.take("-100")
	if len(edits) != 1 || edits[0].Edit != "55" || !strings.Contains(edits[0].Text, "Đang xử lý") {
		t.Errorf("after take the notice is %+v", edits)
	}
	if res := group("r:" + string(code)); res.CallbackText != "Đã đánh dấu phiếu là đã giải quyết." {
		t.Errorf("resolve = %+v", res)
	}
	if edits := h.send.take("-100"); len(edits) != 1 || len(edits[0].Buttons) != 0 {
		t.Errorf("after resolve the notice is %+v, want no buttons", edits)
	}
	mustContain(t, h.send.take("42"), "đã được Sở Nội vụ giải quyết")
	if res := group("r:" + string(code)); !strings.Contains(res.CallbackText, "Đã giải quyết") {
		t.Errorf("resolving twice = %+v", res)
	}
	// Another group may not touch the ticket.
	h.bot.Departments["-200"] = "so-tu-phap"
	if res := h.handle(chatbot.Update{Chat: "-200", Callback: &chatbot.Callback{Data: "t:" + string(code)}}); res.CallbackText != "Nhóm này không được phân công xử lý phiếu này." {
		t.Errorf("foreign group = %+v", res)
	}
	hs, _ := h.db.History(ctx, code)
	if last := hs[len(hs)-1]; last.Action != tickets.ActionResolve || last.Actor != "telegram:9" {
		t.Errorf("history ends with %+v", last)
	}
}

func TestOutboxErrors(t *testing.T) {
	h := newHarness(t)
	h.send.fail["42"] = []error{&chatbot.RetryError{After: 30 * time.Second, Err: fmt.Errorf("429")}}
	h.handle(chatbot.Update{Text: "/help"})
	h.handle(chatbot.Update{Text: "/help"})
	if rs := h.send.take("42"); len(rs) != 0 {
		t.Fatalf("sent %d before retry_after", len(rs))
	}
	h.clock.T = h.clock.T.Add(31 * time.Second)
	h.flush()
	if rs := h.send.take("42"); len(rs) != 2 {
		t.Fatalf("after retry_after sent %d, want 2 in order", len(rs))
	}
	// A blocked chat is recorded and its message given up, not retried.
	h.send.fail["42"] = []error{fmt.Errorf("403: %w", chatbot.ErrBlocked)}
	h.handle(chatbot.Update{Text: "/help"})
	if b, _ := h.db.Blocked(context.Background(), tickets.ChannelTelegram, "42"); !b {
		t.Error("chat not recorded as blocked")
	}
	h.clock.T = h.clock.T.Add(time.Hour)
	if n, _ := h.bot.DeliverOutbox(context.Background(), h.send); n != 0 {
		t.Errorf("%d messages still due after the block", n)
	}
	// Writing again unblocks the chat.
	h.handle(chatbot.Update{Text: "/help"})
	if b, _ := h.db.Blocked(context.Background(), tickets.ChannelTelegram, "42"); b {
		t.Error("chat still blocked after writing again")
	}
	if rs := h.send.take("42"); len(rs) != 1 {
		t.Errorf("after unblocking sent %d, want 1", len(rs))
	}
	// A transient failure is retried with a backoff; a rejection is final.
	h.send.fail["42"] = []error{fmt.Errorf("connection reset"), fmt.Errorf("400: %w", chatbot.ErrRejected)}
	h.handle(chatbot.Update{Text: "/help"})
	h.clock.T = h.clock.T.Add(2 * time.Second)
	h.flush()
	h.clock.T = h.clock.T.Add(time.Hour)
	if n, _ := h.bot.DeliverOutbox(context.Background(), h.send); n != 0 || len(h.send.take("42")) != 0 {
		t.Errorf("a rejected message is still due (%d)", n)
	}
}

func TestSplitLongMessages(t *testing.T) {
	h := newHarness(t)
	h.send.max = 100
	code := h.fileTicket(1, "x y", false)
	long := strings.Repeat("Câu trả lời dài. ", 30) // ~510 characters
	if _, err := h.svc.Move(context.Background(), code, tickets.Change{Action: tickets.ActionAnswer, Note: long}); err != nil {
		t.Fatal(err)
	}
	h.flush()
	rs := h.send.take("42")
	if len(rs) < 6 {
		t.Fatalf("sent %d parts, want at least 6", len(rs))
	}
	var joined string
	for _, r := range rs {
		if n := len([]rune(r.Text)); n > 100 {
			t.Errorf("part of %d characters", n)
		}
		joined += r.Text
	}
	if !strings.Contains(joined, strings.TrimSpace(long)) {
		t.Error("parts do not add up to the answer")
	}
}
