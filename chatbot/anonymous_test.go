// SPDX-License-Identifier: Apache-2.0

package chatbot_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/chatbot"
	"github.com/hotline-cchc/hotline/tickets"
)

// rowsContaining opens the store's file apart and returns, for every row of
// every table in which some column holds one of the needles, the table and
// the row.
func rowsContaining(t *testing.T, path string, needles ...string) []string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tables []string
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	var found []string
	for _, table := range tables {
		rows, err := db.Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			row := fmt.Sprintf("%s", vals)
			for _, n := range needles {
				if strings.Contains(row, n) {
					found = append(found, table+": "+row)
					break
				}
			}
		}
		rows.Close()
	}
	return found
}

// Once an anonymous ticket is filed and the bot's replies are delivered, no
// table holds the citizen's chat id or the phone number they shared: nothing
// links the ticket to the chat. A named ticket keeps both, which shows the
// search finds them.
func TestAnonymousTicketUnlinkable(t *testing.T) {
	for _, tt := range []struct {
		name   string
		anon   bool
		linked bool
	}{
		{"OKAnonymous", true, false},
		{"OKNamed", false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.chat = "7350012345"
			const phone = "0939876543"
			code := h.fileTicket(9, "Cán bộ một cửa đòi tiền bồi dưỡng", tt.anon,
				chatbot.Update{Attachment: &tickets.Attachment{Kind: tickets.AttachPhoto, FileID: "PHOTO1"}},
				chatbot.Update{Attachment: &tickets.Attachment{Kind: tickets.AttachContact, Value: phone}})
			tk, err := h.db.Ticket(context.Background(), code)
			if err != nil || tk.Anonymous != tt.anon {
				t.Fatalf("ticket = %+v, %v", tk, err)
			}
			found := rowsContaining(t, h.db.Path(), h.chat, phone)
			if got := len(found) > 0; got != tt.linked {
				t.Errorf("rows naming the chat or phone:\n%s\nwant some: %v", strings.Join(found, "\n"), tt.linked)
			}
			// The code is in the tickets table, and in the transcript that
			// is linked to the ticket alone, and nowhere else.
			for _, r := range rowsContaining(t, h.db.Path(), string(code)) {
				if !strings.HasPrefix(r, "tickets: ") && !strings.HasPrefix(r, "chat_transcripts: ") {
					t.Errorf("the code is outside the tickets table: %s", r)
				}
			}
		})
	}
}
