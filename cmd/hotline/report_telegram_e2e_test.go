// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/chatbot/telegramtest"
)

// The monthly report due at start reaches the managers' chat through the
// bot as a document, once: a second start sends nothing more.
func TestServeSendsMonthlyReportByTelegram(t *testing.T) {
	bin, env := binary(t)
	fake := telegramtest.New(e2eToken)
	defer fake.Close()
	const managers = -1002002
	env = append(env, "HOTLINE_TELEGRAM_TOKEN="+e2eToken, "HOTLINE_TELEGRAM_API="+fake.URL,
		"HOTLINE_REPORTS_CHATS=-1002002", "HOTLINE_REPORTS_FORMAT=csv")
	seedCall(t, env, time.Now().AddDate(0, -3, 0))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	first := startServe(t, ctx, bin, env)
	err := fake.WaitFor(ctx, func(v telegramtest.View) bool { return v.Calls("sendDocument") > 0 })
	if err != nil {
		t.Fatalf("no report sent: %v\n%s", err, first.logs)
	}
	first.stop(t) // serve waits for a report run in progress
	docs := fake.Documents()
	if len(docs) != 1 || docs[0].Chat != managers || !strings.HasPrefix(docs[0].Name, "bao-cao-") ||
		!strings.HasSuffix(docs[0].Name, ".csv") || !strings.Contains(string(docs[0].Data), "Cuộc gọi") {
		t.Fatalf("documents = %d; first %+v", len(docs), docs[0].Name)
	}
	if strings.Contains(first.logs.String(), e2eToken) {
		t.Error("the bot token appears in the log")
	}
	second := startServe(t, ctx, bin, env)
	second.stop(t)
	if n := len(fake.Documents()); n != 1 {
		t.Errorf("after a restart %d documents were sent, want still 1\n%s", n, second.logs)
	}
}
