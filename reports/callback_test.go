// SPDX-License-Identifier: Apache-2.0

package reports_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/reports"
	"github.com/hotline-cchc/hotline/tickets"
)

// September's phone tickets T1 and T7 are called back: T1's resolution on
// 03/09 after a busy line (answered on the second call), T7's in October
// (outside the period).
func TestCallbackReport(t *testing.T) {
	f := newFixture(t)
	f.svc.PhoneCallback = true
	septemberTickets(t, f)
	ctx := context.Background()
	out, err := f.db.NextOutbox(ctx, tickets.ChannelPhone, f.at(t, "2026-12-01 00:00:00.000"), 10, nil)
	if err != nil || len(out) != 2 {
		t.Fatalf("phone outbox = %+v, %v", out, err)
	}
	attempt := func(id int64, at string, o tickets.CallbackOutcome, cause int) {
		t.Helper()
		a, ok, err := f.db.StartCallback(ctx, id, f.at(t, at))
		if err != nil || !ok {
			t.Fatalf("start call-back: %v", err)
		}
		if err := f.db.EndCallback(ctx, a, o, cause, f.at(t, at).Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := f.db.Delivered(ctx, id, tickets.Delivery{State: tickets.StateQueued, At: f.at(t, at)}); err != nil {
			t.Fatal(err)
		}
	}
	attempt(out[0].ID, "2026-09-03 10:05:00.000", tickets.CallbackBusy, 17)
	attempt(out[0].ID, "2026-09-03 14:05:00.000", tickets.CallbackAnswered, 0)
	attempt(out[1].ID, "2026-10-02 09:05:00.000", tickets.CallbackNoAnswer, 19)
	r := f.build(t, reports.Month(2026, time.September, f.loc), f.at(t, "2026-11-22 08:00:00.000"))
	checkTable(t, r, rendered(t, r), "Gọi lại công dân", [][]string{
		{"Kết quả", "Số lần gọi", "Tỷ lệ"},
		{"Công dân đã nghe máy", "1", "50,0%"},
		{"Không nghe máy", "0", "0,0%"},
		{"Máy bận", "1", "50,0%"},
		{"Từ chối hoặc không liên lạc được", "0", "0,0%"},
		{"Tổng đài không gọi được", "0", "0,0%"},
		{"Gián đoạn (hệ thống dừng khi đang gọi)", "0", "0,0%"},
		{"Tổng cộng", "2", "100,0%"},
	})
	if want := "Hệ thống đã gọi lại công dân 2 lần để trả lời phản ánh qua điện thoại, trong đó 1 lần công dân nghe máy (50,0%)."; !strings.Contains(r.Summary, want) {
		t.Errorf("summary:\n%s\nwant it to contain:\n%s", r.Summary, want)
	}
}
