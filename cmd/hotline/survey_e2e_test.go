// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/chatbot/telegramtest"
	"github.com/hotline-cchc/hotline/tickets"
)

// buttonData returns the callback data of the inline button labelled label
// in m; "" if there is none.
func buttonData(m telegramtest.Message, label string) string {
	var mk struct {
		Inline [][]struct {
			Text string `json:"text"`
			Data string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	json.Unmarshal(m.ReplyMarkup, &mk)
	for _, row := range mk.Inline {
		for _, b := range row {
			if b.Text == label {
				return b.Data
			}
		}
	}
	return ""
}

// Through the binary: a Telegram citizen's ticket is resolved by the CLI;
// the resolution reaches the citizen with the five survey buttons; the
// citizen taps "Không hài lòng"; a focal point signed in to the console
// sees the ticket flagged for the department head's review. A second tap
// is answered and not counted.
func TestServeSurveyTelegram(t *testing.T) {
	bin, env := binary(t)
	fake := telegramtest.New(e2eToken)
	defer fake.Close()
	env = append(env, "HOTLINE_TELEGRAM_TOKEN="+e2eToken, "HOTLINE_TELEGRAM_API="+fake.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if code, out := hotline(t, ctx, bin, env, "mưa rơi trên phố cổ\n", "users", "add", "lan", "--role", "manager"); code != 0 {
		t.Fatalf("users add: %s", out)
	}
	wait := func(n int) telegramtest.Message {
		t.Helper()
		ms, err := fake.WaitSent(ctx, 42, n)
		if err != nil {
			t.Fatalf("message %d: %v (have %d)", n, err, len(ms))
		}
		return ms[n-1]
	}
	srv := startServe(t, ctx, bin, env)
	defer srv.stop(t)
	fake.Text(42, "/start")
	fake.Press(42, 42, wait(1).ID, "b:4")
	wait(2)
	fake.Text(42, "Bộ phận một cửa hẹn trả kết quả ba lần vẫn chưa có")
	wait(3)
	fake.Text(42, "Bỏ qua")
	fake.Press(42, 42, wait(5).ID, "ok")
	m := regexp.MustCompile(`Mã phiếu: (\d{3} \d{3} \d{3})`).FindStringSubmatch(wait(6).Text)
	if m == nil {
		t.Fatal("no code in the confirmation")
	}
	code, _ := tickets.ParseCode(m[1])
	for _, args := range [][]string{{"assign", string(code), "--department", "van-phong-ubnd-tinh"}, {"start", string(code)}, {"resolve", string(code), "--note", "Đã trả kết quả cho công dân."}} {
		if st, out := hotline(t, ctx, bin, env, "", append([]string{"tickets"}, args...)...); st != 0 {
			t.Fatalf("tickets %v: %s", args, out)
		}
	}
	resolved := wait(7)
	unhappy := buttonData(resolved, "Không hài lòng")
	if !strings.Contains(resolved.Text, "Bạn có hài lòng") || unhappy != "sv:"+string(code)+":2" {
		t.Fatalf("the resolution is %q with buttons %s", resolved.Text, resolved.ReplyMarkup)
	}
	fake.Press(42, 42, resolved.ID, unhappy)
	if answer := waitAnswer(t, ctx, fake, 3); !strings.Contains(answer, "Cảm ơn bạn đã đánh giá") {
		t.Errorf("the tap was answered %q", answer)
	}
	if thanks := wait(8); !strings.Contains(thanks.Text, "Lãnh đạo cơ quan sẽ xem xét") || buttonData(thanks, "Yêu cầu mở lại phiếu") == "" {
		t.Errorf("after the tap the citizen got %q %s", thanks.Text, thanks.ReplyMarkup)
	}
	fake.Press(42, 42, resolved.ID, buttonData(resolved, "Rất hài lòng"))
	if answer := waitAnswer(t, ctx, fake, 4); !strings.Contains(answer, "chỉ được đánh giá một lần") {
		t.Errorf("a second tap was answered %q", answer)
	}
	if m := get(t, "http://"+srv.addr+"/metrics"); !strings.Contains(m, `hotline_survey_ratings_total{department="van-phong-ubnd-tinh",rating="2"} 1`) {
		t.Errorf("/metrics lacks the rating:\n%s", grepLines(m, "hotline_survey"))
	}
	page := consolePage(t, "http://"+srv.addr, "lan", "mưa rơi trên phố cổ", "/tickets/"+string(code))
	if !strings.Contains(page, "Cần lãnh đạo xem xét") || !strings.Contains(page, "2 – Không hài lòng") {
		t.Errorf("the ticket page does not show the flag:\n%s", page)
	}
	dash := consolePage(t, "http://"+srv.addr, "lan", "mưa rơi trên phố cổ", "/dashboard")
	if !strings.Contains(dash, "cần lãnh đạo xem xét") || !strings.Contains(dash, `<a href="/tickets/`+string(code)+`">`) ||
		!strings.Contains(dash, "<td>1</td><td>0,0%</td><td>1</td>") {
		t.Errorf("the dashboard does not list the flagged ticket:\n%s", dash)
	}
}

// consolePage signs in to the console as name and returns the page at path.
func consolePage(t *testing.T, base, name, password, path string) string {
	t.Helper()
	return page(t, signIn(t, base, name, password), base, path, nil)
}

// waitAnswer waits for the n-th answer to a button press and returns its text.
func waitAnswer(t *testing.T, ctx context.Context, fake *telegramtest.Server, n int) string {
	t.Helper()
	for {
		if as := fake.Answers(); len(as) >= n {
			return as[n-1].Text
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no answer %d to a button press", n)
		case <-time.After(10 * time.Millisecond):
		}
	}
}
