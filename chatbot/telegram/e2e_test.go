// SPDX-License-Identifier: Apache-2.0

package telegram_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/hotline-cchc/hotline/chatbot"
	"github.com/hotline-cchc/hotline/chatbot/telegram"
	"github.com/hotline-cchc/hotline/chatbot/telegramtest"
	"github.com/hotline-cchc/hotline/tickets"
)

// fileTicket drives a whole conversation through the fake and returns the
// code and the number of messages the citizen has so far.
func (e *env) fileTicket(chat int64, text string) (tickets.Code, int) {
	e.t.Helper()
	n := len(e.fake.Sent(chat))
	e.fake.Text(chat, "/start")
	menu := e.waitSent(chat, n+1)
	e.fake.Press(chat, chat, menu.ID, "b:4")
	e.waitSent(chat, n+2)
	e.fake.Text(chat, text)
	e.waitSent(chat, n+3)
	e.fake.Text(chat, "Bỏ qua")
	summary := e.waitSent(chat, n+5)
	e.fake.Press(chat, chat, summary.ID, "ok")
	created := e.waitSent(chat, n+6)
	return mustCode(e.t, created.Text), n + 6
}

func TestConversationThroughTelegram(t *testing.T) {
	e := newEnv(t)
	e.start(telegram.Config{})
	ctx := e.ctx()
	e.fake.Text(citizen, "/start")
	menu := e.waitSent(citizen, 1)
	contains(t, menu, "Xin chào")
	if b := menu.Buttons(); len(b) != 4 || b[2][0] != "b:4" {
		t.Fatalf("menu buttons = %v", b)
	}
	e.fake.Press(citizen, citizen, menu.ID, "b:4")
	contains(t, e.waitSent(citizen, 2), "mô tả")
	if err := e.fake.WaitFor(ctx, func(v telegramtest.View) bool { return v.Sent(citizen)[0].Edited == 1 && len(v.Answers()) == 1 }); err != nil {
		t.Fatalf("menu not edited or press not answered: %v", err)
	}
	e.fake.Text(citizen, "Hồ sơ <b>đất đai</b> nộp từ tháng 3 vẫn chưa có kết quả.")
	ask := e.waitSent(citizen, 3)
	if !strings.Contains(string(ask.ReplyMarkup), `"request_contact":true`) {
		t.Errorf("no contact button: %s", ask.ReplyMarkup)
	}
	e.fake.Photo(citizen, []byte("JPEG…"), "")
	e.waitSent(citizen, 4)
	e.fake.Document(citizen, "don.pdf", "application/pdf", []byte("%PDF"))
	e.waitSent(citizen, 5)
	e.fake.Voice(citizen, []byte("OGG"))
	e.waitSent(citizen, 6)
	e.fake.Location(citizen, 10.7769, 106.7009)
	e.waitSent(citizen, 7)
	e.fake.Contact(citizen, "84939015599", true) // without the "+", as some Telegram apps send it
	summary := e.waitSent(citizen, 9)
	contains(t, summary, "+84939015599", "Tệp đính kèm: 4")
	e.fake.Press(citizen, citizen, summary.ID, "ok")
	created := e.waitSent(citizen, 10)
	code := mustCode(t, created.Text)
	contains(t, created, "Văn phòng UBND tỉnh", "Hạn giải quyết: 09/11/2026")
	tk, err := e.db.Ticket(ctx, code)
	if err != nil || tk.Text != "Hồ sơ <b>đất đai</b> nộp từ tháng 3 vẫn chưa có kết quả." || tk.Contact != "42" {
		t.Fatalf("ticket = %+v, %v", tk, err)
	}
	as, _ := e.db.Attachments(ctx, code)
	kinds := ""
	for _, a := range as {
		kinds += string(a.Kind) + " "
	}
	if kinds != "photo document voice location contact " {
		t.Fatalf("attachments = %s", kinds)
	}
	// The place and the number are kept where the console's reveal reads them.
	if as[3].Value != "10.776900,106.700900" || as[4].Value != "+84939015599" {
		t.Errorf("location %q, phone %q", as[3].Value, as[4].Value)
	}
	// The photo can be fetched back from the Bot API.
	data, err := e.a.Download(ctx, as[0].FileID)
	if err != nil || string(data) != "JPEG…" {
		t.Errorf("Download = %q, %v", data, err)
	}
	for _, m := range e.fake.Sent(citizen) {
		if m.ParseMode != "" {
			t.Errorf("message sent with parse mode %q", m.ParseMode)
		}
	}
	// The department's chat got the ticket with its buttons.
	notice := e.waitSent(group, 1)
	contains(t, notice, code.Grouped(), "đất đai")
	if b := notice.Buttons(); len(b) != 1 || b[0][0] != "t:"+string(code) || b[0][1] != "r:"+string(code) {
		t.Errorf("notice buttons = %v", b)
	}
	if cs := e.fake.Commands(); len(cs) != 4 || cs[0].Command != "start" || cs[1].Command != "status" {
		t.Errorf("commands = %+v", cs)
	}
}

func TestStatusThroughTelegram(t *testing.T) {
	e := newEnv(t)
	e.start(telegram.Config{})
	code, n := e.fileTicket(citizen, "Thủ tục cấp phép chậm")
	e.fake.Text(citizen, "/status "+string(code))
	contains(t, e.waitSent(citizen, n+1), "Tình trạng: Mới tiếp nhận", "Thủ tục cấp phép chậm")
	e.fake.Text(7, code.Grouped())
	bare := e.waitSent(7, 1)
	contains(t, bare, "Đã tiếp nhận")
	if strings.Contains(bare.Text, "cấp phép") {
		t.Errorf("a stranger sees the details: %q", bare.Text)
	}
	e.fake.Text(7, "/status 123456789")
	contains(t, e.waitSent(7, 2), "không hợp lệ")
}

func TestTwoWayThroughTelegram(t *testing.T) {
	e := newEnv(t)
	e.start(telegram.Config{})
	ctx := e.ctx()
	code, n := e.fileTicket(citizen, "Cần hướng dẫn")
	notice := e.waitSent(group, 1)
	// A focal point answers from the CLI (another process in real life: the
	// outbox row is all that links them).
	// Under the note's limit in characters, over Telegram's in UTF-16 code units.
	long := strings.Repeat("Bổ sung hồ sơ 📄📄📄📄📄📄. ", 180)
	if _, err := e.svc.Move(ctx, code, tickets.Change{Action: tickets.ActionAnswer, Note: long, Actor: "cli:canbo"}); err != nil {
		t.Fatal(err)
	}
	e.bot.Wake()
	e.waitSent(citizen, n+2)
	var joined string
	for _, m := range e.fake.Sent(citizen)[n:] {
		if l := len(utf16.Encode([]rune(m.Text))); l > telegramtest.MaxText {
			t.Errorf("message of %d code units", l)
		}
		joined += m.Text
	}
	if !strings.Contains(joined, strings.TrimSpace(long)) {
		t.Error("the long answer is not delivered whole")
	}
	// The department takes and resolves it from its chat.
	e.fake.Press(group, 555, notice.ID, "t:"+string(code))
	if err := e.fake.WaitFor(ctx, func(v telegramtest.View) bool {
		return strings.Contains(v.Sent(group)[0].Text, "Đang xử lý")
	}); err != nil {
		t.Fatalf("notice not updated after take: %v", err)
	}
	e.fake.Press(group, 555, notice.ID, "r:"+string(code))
	contains(t, e.waitSent(citizen, n+3), "đã được Văn phòng UBND tỉnh giải quyết")
	if tk, _ := e.db.Ticket(ctx, code); tk.Status != tickets.StatusResolved {
		t.Errorf("status = %s", tk.Status)
	}
	if err := e.fake.WaitFor(ctx, func(v telegramtest.View) bool { return len(v.Sent(group)[0].Buttons()) == 0 }); err != nil {
		t.Errorf("resolved notice still has buttons %v", e.fake.Sent(group)[0].Buttons())
	}
}

func TestRestartResumesConversation(t *testing.T) {
	e := newEnv(t)
	e.start(telegram.Config{})
	e.fake.Text(citizen, "/start")
	menu := e.waitSent(citizen, 1)
	e.fake.Press(citizen, citizen, menu.ID, "b:4")
	e.waitSent(citizen, 2)
	id := e.fake.Text(citizen, "Giấy phép kinh doanh bị trả lại nhiều lần")
	e.waitSent(citizen, 3)
	e.stop()

	// Telegram sends again an update whose confirmation was lost in the
	// crash: it was handled, so it is ignored.
	e.fake.Repeat(id, "message", map[string]any{"message_id": 9999, "date": time.Now().Unix(),
		"from": map[string]any{"id": citizen, "is_bot": false, "first_name": "C"},
		"chat": map[string]any{"id": citizen, "type": "private"}, "text": "Giấy phép kinh doanh bị trả lại nhiều lần"})
	e.start(telegram.Config{})
	e.fake.Text(citizen, "Bỏ qua")
	summary := e.waitSent(citizen, 5)
	contains(t, summary, "Giấy phép kinh doanh bị trả lại nhiều lần")
	if strings.Count(summary.Text, "Giấy phép kinh doanh") != 1 {
		t.Errorf("the repeated update was handled twice: %q", summary.Text)
	}
	e.fake.Press(citizen, citizen, summary.ID, "ok")
	mustCode(t, e.waitSent(citizen, 6).Text)
	if p, _ := e.db.Tickets(e.ctx(), tickets.Filter{}); len(p.Tickets) != 1 {
		t.Errorf("%d tickets, want 1", len(p.Tickets))
	}
}

func TestBadInputThroughTelegram(t *testing.T) {
	e := newEnv(t)
	e.start(telegram.Config{})
	e.fake.Text(citizen, "/start")
	menu := e.waitSent(citizen, 1)
	e.fake.Press(citizen, citizen, menu.ID, "b:4")
	e.waitSent(citizen, 2)
	for i, tt := range []struct {
		name string
		send func() int64
		want string
	}{
		{"Sticker", func() int64 { return e.fake.Sticker(citizen) }, "chưa nhận được loại tin nhắn"},
		{"EmojiOnly", func() int64 { return e.fake.Text(citizen, "🙏🙏🙏") }, "biểu tượng cảm xúc"},
		{"Edited", func() int64 { return e.fake.Edit(citizen, 1, "sửa lại") }, "đã sửa"},
		{"UnknownCommand", func() int64 { return e.fake.Text(citizen, "/xoa_het") }, "không được hỗ trợ"},
		{"SomeoneElsesContact", func() int64 { return e.fake.Contact(citizen, "0900000000", false) }, "chưa nhận được"},
		{"StaleButton", func() int64 { return e.fake.Press(citizen, citizen, menu.ID, "ok") }, ""},
		{"Group", func() int64 { return e.fake.GroupText(group, 5, "/start") }, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			id := tt.send()
			e.waitHandled(id)
			if tt.want != "" {
				contains(t, e.waitSent(citizen, 3+i), tt.want)
			}
		})
	}
	if n := len(e.fake.Sent(group)); n != 0 {
		t.Errorf("the bot spoke in the group %d times", n)
	}
	if a := e.fake.Answers(); a[len(a)-1].Text != "Nút này đã hết hiệu lực." {
		t.Errorf("stale press answered %+v", a[len(a)-1])
	}
}

func TestDeliveryErrors(t *testing.T) {
	e := newEnv(t)
	e.start(telegram.Config{})
	ctx := e.ctx()
	code, n := e.fileTicket(citizen, "Hỏi về lệ phí")
	// 429: retried after retry_after (on the bot's clock), in order, and
	// the attempt is not counted.
	e.fake.Fail(telegramtest.Fault{Method: "sendMessage", Chat: citizen, Code: 429, RetryAfter: 30, Times: 1})
	for _, note := range []string{"Trả lời một", "Trả lời hai"} {
		if _, err := e.svc.Move(ctx, code, tickets.Change{Action: tickets.ActionAnswer, Note: note}); err != nil {
			t.Fatal(err)
		}
	}
	e.bot.Wake()
	e.eventually("the 429 recorded", func() bool {
		out, _ := e.db.Outbox(ctx, tickets.ChannelTelegram, time.Now().Add(24*time.Hour), 10)
		return len(out) == 2 && out[0].State == tickets.StateQueued && out[0].Class == tickets.ClassRateLimit && out[0].Attempts == 0
	})
	e.advance(31 * time.Second)
	e.bot.Wake()
	contains(t, e.waitSent(citizen, n+1), "Trả lời một")
	contains(t, e.waitSent(citizen, n+2), "Trả lời hai")
	// 403: recorded and given up, not retried.
	e.fake.Block(citizen, true)
	if _, err := e.svc.Move(ctx, code, tickets.Change{Action: tickets.ActionAnswer, Note: "Trả lời ba"}); err != nil {
		t.Fatal(err)
	}
	calls := e.fake.Calls("sendMessage")
	e.bot.Wake()
	e.eventually("the block recorded", func() bool {
		b, _ := e.db.Blocked(ctx, tickets.ChannelTelegram, "42")
		return b
	})
	e.advance(24 * time.Hour)
	n2, err := e.bot.DeliverOutbox(ctx, e.a)
	if err != nil || n2 != 0 || e.fake.Calls("sendMessage") != calls+1 {
		t.Errorf("after a 403: %d due, %d more sends, %v", n2, e.fake.Calls("sendMessage")-calls, err)
	}
	// 400 on a message is given up at once.
	e.fake.Block(citizen, false)
	e.fake.Fail(telegramtest.Fault{Method: "sendMessage", Chat: citizen, Code: 400, Description: "Bad Request: chat not found", Times: 1})
	e.fake.Text(citizen, "/help")
	e.fake.Text(citizen, "/help")
	contains(t, e.waitSent(citizen, n+3), "/status")
	e.advance(time.Hour)
	if due, err := e.bot.DeliverOutbox(ctx, e.a); due != 0 || err != nil || len(e.fake.Sent(citizen)) != n+3 {
		t.Errorf("after a 400: %d due, %d messages, %v", due, len(e.fake.Sent(citizen)), err)
	}
}

func TestWebhook(t *testing.T) {
	e := newEnv(t)
	mux := http.NewServeMux()
	var handler http.Handler = http.NotFoundHandler()
	mux.HandleFunc("/telegram/webhook", func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) })
	hook := httptest.NewServer(mux)
	defer hook.Close()
	e.start(telegram.Config{WebhookURL: hook.URL + "/telegram/webhook", WebhookSecret: "s3cret-hook"})
	handler = e.a.WebhookHandler()
	ctx := e.ctx()
	if err := e.fake.WaitFor(ctx, func(v telegramtest.View) bool { return v.Webhook() != "" }); err != nil {
		t.Fatal(err)
	}
	e.fake.Text(citizen, "/help")
	contains(t, e.waitSent(citizen, 1), "/status")
	if e.a.State() != "webhook" {
		t.Errorf("State = %q", e.a.State())
	}
	for _, secret := range []string{"", "wrong"} {
		body := `{"update_id":1,"message":{"message_id":1,"chat":{"id":1,"type":"private"},"text":"/start"}}`
		if code := postUpdate(t, hook.URL+"/telegram/webhook", secret, body); code != http.StatusUnauthorized {
			t.Errorf("secret %q: status %d, want 401", secret, code)
		}
	}
	if ok, _ := e.db.Handled(ctx, tickets.ChannelTelegram, "1"); ok {
		t.Error("an update without the secret was handled")
	}
}

func TestTokenRedacted(t *testing.T) {
	fake := telegramtest.New("other:token")
	defer fake.Close()
	for _, api := range []string{fake.URL, "http://127.0.0.1:1"} {
		_, err := telegram.New(context.Background(), telegram.Config{Token: token, API: api}, nil)
		if err == nil {
			t.Fatalf("New against %s succeeded", api)
		}
		if strings.Contains(err.Error(), token) || strings.Contains(err.Error(), "secret-token") {
			t.Errorf("error shows the token: %v", err)
		}
	}
}

func TestSendDocument(t *testing.T) {
	e := newEnv(t)
	e.start(telegram.Config{})
	if err := e.a.SendDocument(e.ctx(), group, "bao-cao-thang-10.xlsx", []byte("PK…"), "Báo cáo tháng 10"); err != nil {
		t.Fatal(err)
	}
	ds := e.fake.Documents()
	if len(ds) != 1 || ds[0].Name != "bao-cao-thang-10.xlsx" || string(ds[0].Data) != "PK…" || ds[0].Caption != "Báo cáo tháng 10" {
		t.Errorf("documents = %+v", ds)
	}
}

// One chat whose sends hang holds up no other: another citizen is answered
// while it hangs, and the hung send ends at SendTimeout as a timeout, to be
// retried.
func TestHungChatBlocksNoOther(t *testing.T) {
	e := newEnv(t)
	e.start(telegram.Config{})
	e.bot.SendTimeout = 2 * time.Second
	const hung, other = 61, 62
	e.fake.Fail(telegramtest.Fault{Method: "sendMessage", Chat: hung, Hang: true, Times: 1})
	e.fake.Text(hung, "/help")
	e.waitSent(hung, 1) // taken; the answer never comes
	e.fake.Text(other, "/help")
	contains(t, e.waitSent(other, 1), "/status")
	ctx := e.ctx()
	e.eventually("the hung send recorded as a timeout", func() bool {
		out, _ := e.db.Outbox(ctx, tickets.ChannelTelegram, time.Now().Add(24*time.Hour), 10)
		return len(out) == 1 && out[0].State == tickets.StateQueued && out[0].Class == tickets.ClassTimeout
	})
}

// A failed upload keeps its HTTP status, classified like a message's: the
// client library leaves the code out of an upload's error.
func TestUploadStatusClassified(t *testing.T) {
	e := newEnv(t)
	_, a := newOutboxBot(t, e)
	ctx := e.ctx()
	for _, tc := range []struct {
		code int
		want string
	}{{403, tickets.ClassBlocked}, {400, tickets.ClassRejected}, {502, tickets.ClassServer}} {
		e.fake.Fail(telegramtest.Fault{Method: "sendDocument", Code: tc.code, Description: "x", Times: 1})
		err := a.SendDocument(ctx, -1002, "bao-cao.csv", []byte("a,b"), "Báo cáo")
		if got := chatbot.ErrorClass(err); err == nil || got != tc.want || !strings.Contains(err.Error(), fmt.Sprint(tc.code)) {
			t.Errorf("upload answered %d: %v, class %s, want %s", tc.code, err, got, tc.want)
		}
	}
}
