// SPDX-License-Identifier: Apache-2.0

package sqlite_test

import (
	"context"
	"database/sql"
	"strconv"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
	"github.com/hotline-cchc/hotline/tickets/ticketstest"
)

const tg = tickets.ChannelTelegram

func TestCommitChat(t *testing.T) {
	ctx := context.Background()
	svc, _ := ticketstest.Service(t)
	db := svc.Store.(*sqlite.DB)
	tk, err := svc.Open(ctx, tickets.NewTicket{Branch: 1, Channel: tg, Text: "x", Contact: "42"})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC)
	c := &tickets.ChatCommit{Channel: tg, UpdateID: "7", Chat: "42", State: "describe", Draft: []byte(`{"branch":1}`), At: at,
		Replies:     []tickets.Notice{{Recipient: tickets.Recipient{Channel: tg, ID: "42"}, Kind: tickets.NoticeReply, Body: "hi"}},
		Ticket:      tk.Code,
		Attachments: []tickets.Attachment{{Kind: tickets.AttachPhoto, FileID: "F1", Size: 10}, {Kind: tickets.AttachLocation, Value: "10.1,106.2"}}}
	if fresh, err := db.CommitChat(ctx, c); err != nil || !fresh {
		t.Fatalf("CommitChat = %v, %v", fresh, err)
	}
	t.Run("OKRepeatIgnored", func(t *testing.T) {
		c2 := *c
		c2.State = "other"
		if fresh, err := db.CommitChat(ctx, &c2); err != nil || fresh {
			t.Fatalf("repeated CommitChat = %v, %v; want false, nil", fresh, err)
		}
		state, draft, updated, err := db.Conversation(ctx, tg, "42")
		if err != nil || state != "describe" || string(draft) != `{"branch":1}` || !updated.Equal(at) {
			t.Errorf("Conversation = %q %q %v %v", state, draft, updated, err)
		}
		if out, _ := db.Outbox(ctx, tg, at, 10); len(out) != 1 {
			t.Errorf("outbox has %d replies, want 1", len(out))
		}
		if as, _ := db.Attachments(ctx, tk.Code); len(as) != 2 || as[0].FileID != "F1" || as[1].Value != "10.1,106.2" {
			t.Errorf("Attachments = %+v", as)
		}
	})
	t.Run("OKHandled", func(t *testing.T) {
		if h, _ := db.Handled(ctx, tickets.ChannelZalo, "7"); h {
			t.Error("Handled(7) on another channel = true")
		}
		if h, err := db.Handled(ctx, tg, "7"); err != nil || !h {
			t.Errorf("Handled(7) = %v, %v", h, err)
		}
		if h, _ := db.Handled(ctx, tg, "6"); h {
			t.Error("Handled(6) = true")
		}
	})
	t.Run("OKEndConversation", func(t *testing.T) {
		if _, err := db.CommitChat(ctx, &tickets.ChatCommit{Channel: tg, UpdateID: "9", Chat: "42", At: at}); err != nil {
			t.Fatal(err)
		}
		if state, _, _, _ := db.Conversation(ctx, tg, "42"); state != "" {
			t.Errorf("state after end = %q", state)
		}
	})
	t.Run("ErrUnknownTicket", func(t *testing.T) {
		_, err := db.CommitChat(ctx, &tickets.ChatCommit{Channel: tg, UpdateID: "10", Chat: "42", At: at, Ticket: tickets.NewCode(),
			Attachments: []tickets.Attachment{{Kind: tickets.AttachVoice, FileID: "V"}}})
		if tickets.ErrorCode(err) != tickets.ENOTFOUND {
			t.Fatalf("CommitChat = %v, want ENOTFOUND", err)
		}
		if h, _ := db.Handled(ctx, tg, "10"); h {
			t.Error("a failed commit marked its update handled")
		}
	})
}

func TestForgetHandled(t *testing.T) {
	ctx := context.Background()
	db := ticketstest.Open(t)
	day := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	for id, at := range map[string]time.Time{"1": day, "2": day, "3": day.Add(48 * time.Hour)} {
		if _, err := db.CommitChat(ctx, &tickets.ChatCommit{Channel: tg, UpdateID: id, Chat: "1", KeepState: true, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	n, err := db.ForgetHandled(ctx, tg, day.Add(24*time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("ForgetHandled = %d, %v; want 2 (those handled before the cut)", n, err)
	}
	for id, want := range map[string]bool{"1": false, "2": false, "3": true} {
		if h, _ := db.Handled(ctx, tg, id); h != want {
			t.Errorf("Handled(%s) after forgetting = %v, want %v", id, h, want)
		}
	}
}

// Expiring ends conversations last changed before the cut: marked ones and
// those in a dropped state go, the others lose their drafts and are marked.
func TestExpireConversations(t *testing.T) {
	ctx := context.Background()
	db := ticketstest.Open(t)
	day := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	id := int64(0)
	for _, c := range []struct {
		chat, state string
		at          time.Time
	}{
		{"old-draft", "describe", day}, {"old-idle", "idle", day}, {"old-mark", "expired", day},
		{"new-draft", "describe", day.Add(48 * time.Hour)}, {"new-idle", "idle", day.Add(48 * time.Hour)},
	} {
		id++
		if _, err := db.CommitChat(ctx, &tickets.ChatCommit{Channel: tg, UpdateID: strconv.FormatInt(id, 10), Chat: c.chat, State: c.state,
			Draft: []byte(`{"text":"bí mật"}`), At: c.at}); err != nil {
			t.Fatal(err)
		}
	}
	now := day.Add(72 * time.Hour)
	n, err := db.ExpireConversations(ctx, tg, day.Add(time.Hour), now, "expired", "idle")
	if err != nil || n != 3 {
		t.Fatalf("ExpireConversations = %d, %v; want 3", n, err)
	}
	for _, tt := range []struct {
		chat, state, draft string
		updated            time.Time
	}{
		{"old-draft", "expired", "", now},
		{"old-idle", "", "", time.Time{}},
		{"old-mark", "", "", time.Time{}},
		{"new-draft", "describe", `{"text":"bí mật"}`, day.Add(48 * time.Hour)},
		{"new-idle", "idle", `{"text":"bí mật"}`, day.Add(48 * time.Hour)},
	} {
		t.Run(tt.chat, func(t *testing.T) {
			state, draft, updated, err := db.Conversation(ctx, tg, tt.chat)
			if err != nil || state != tt.state || string(draft) != tt.draft || !updated.Equal(tt.updated) {
				t.Errorf("Conversation = %q %q %v %v; want %q %q %v", state, draft, updated, err, tt.state, tt.draft, tt.updated)
			}
		})
	}
}

func TestTranscript(t *testing.T) {
	ctx := context.Background()
	svc, _ := ticketstest.Service(t)
	db := svc.Store.(*sqlite.DB)
	tk, err := svc.Open(ctx, tickets.NewTicket{Branch: 1, Channel: tg, Text: "x", Anonymous: true})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC)
	lines := []tickets.ChatLine{
		{At: at, Text: "/start"},
		{At: at, FromBot: true, Text: "Xin chào!"},
		{At: at.Add(time.Minute), Kind: tickets.AttachDocument, Name: "đơn.pdf"},
	}
	c := &tickets.ChatCommit{Channel: tg, UpdateID: "1", Chat: "4242", At: at, Ticket: tk.Code, Transcript: lines}
	if _, err := db.CommitChat(ctx, c); err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		got, err := db.Transcript(ctx, tk.Code)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(lines) {
			t.Fatalf("Transcript has %d lines, want %d: %+v", len(got), len(lines), got)
		}
		for i := range lines {
			if g, w := got[i], lines[i]; !g.At.Equal(w.At) || g.FromBot != w.FromBot || g.Text != w.Text || g.Kind != w.Kind || g.Name != w.Name {
				t.Errorf("line %d = %+v, want %+v", i, g, w)
			}
		}
	})
	t.Run("OKNoChatStored", func(t *testing.T) {
		raw, err := sql.Open("sqlite3", "file:"+db.Path()+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		var n int
		err = raw.QueryRowContext(ctx, `SELECT count(*) FROM chat_transcripts WHERE text LIKE '%4242%' OR name LIKE '%4242%'`).Scan(&n)
		if err != nil || n != 0 {
			t.Errorf("transcript rows naming the chat = %d, %v", n, err)
		}
	})
	t.Run("OKNone", func(t *testing.T) {
		other, err := svc.Open(ctx, tickets.NewTicket{Branch: 1, Channel: tickets.ChannelWeb, Text: "y"})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := db.Transcript(ctx, other.Code); err != nil || len(got) != 0 {
			t.Errorf("Transcript of a web ticket = %+v, %v", got, err)
		}
	})
}
