// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/chatbot/zalotest"
	"github.com/hotline-cchc/hotline/tickets"
)

// The survey in Zalo as in Telegram: the resolution carries the five levels
// as buttons; a citizen who taps «Không hài lòng» is thanked, offered to
// reopen, and the rating is counted for the department; a second tap is
// answered and not counted.
func TestServeSurveyZalo(t *testing.T) {
	bin, env := binary(t)
	fake, env := zaloServe(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	const user = "8471000000000000002"
	in := &zaloInbox{t: t, ctx: ctx, fake: fake, user: user, next: 1}
	waitFor, text := in.waitFor, zaloSays
	srv := startServe(t, ctx, bin, env)
	defer srv.stop(t)
	fake.Hook("http://" + srv.addr + "/zalo/webhook")
	fake.Follow(user)
	waitFor(text("Xin chào"))
	fake.Tap(user, "#hl:b:4")
	waitFor(func(zalotest.Sent) bool { return true })
	fake.Text(user, "Bộ phận một cửa hẹn trả kết quả ba lần vẫn chưa có")
	waitFor(func(m zalotest.Sent) bool { return m.AskInfo })
	fake.SubmitInfo(user, "Trần Thị B", "84912345679")
	waitFor(text("84912345679"))
	fake.Tap(user, "#hl:ok")
	m := regexp.MustCompile(`Mã phiếu: (\d{3} \d{3} \d{3})`).FindStringSubmatch(waitFor(text("Mã phiếu")).Text)
	if m == nil {
		t.Fatal("no code")
	}
	code, _ := tickets.ParseCode(m[1])
	for _, args := range [][]string{{"assign", string(code), "--department", "van-phong-ubnd-tinh"}, {"start", string(code)},
		{"resolve", string(code), "--note", "Đã trả kết quả cho công dân."}} {
		zaloCLI(t, ctx, bin, env, append([]string{"tickets"}, args...)...)
	}
	resolved := waitFor(func(m zalotest.Sent) bool { return len(m.Buttons) == 5 })
	payload := func(title string) string {
		for _, b := range resolved.Buttons {
			if b.Title == title {
				return b.Payload
			}
		}
		t.Fatalf("no button %q in %+v", title, resolved.Buttons)
		return ""
	}
	fake.Tap(user, payload("Không hài lòng"))
	if thanks := waitFor(text("Lãnh đạo cơ quan sẽ xem xét")); len(thanks.Buttons) == 0 {
		t.Errorf("no offer to reopen: %+v", thanks)
	}
	fake.Tap(user, payload("Rất hài lòng"))
	waitFor(text("chỉ được đánh giá một lần"))
	metrics := get(t, "http://"+srv.addr+"/metrics")
	if !strings.Contains(metrics, `hotline_survey_ratings_total{department="van-phong-ubnd-tinh",rating="2"} 1`) ||
		strings.Contains(metrics, `rating="5"`) {
		t.Errorf("/metrics:\n%s", grepLines(metrics, "hotline_survey"))
	}
}
