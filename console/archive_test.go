// SPDX-License-Identifier: Apache-2.0

package console_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/console"
	"github.com/hotline-cchc/hotline/tickets"
)

// Managers see the issued reports on the dashboard, newest first with
// their corrections, and download each one's bytes as issued; other roles
// may not.
func TestIssuedReportsForManagers(t *testing.T) {
	e := newEnv(t, func(c *console.Config) { c.Archive = c.Store.(console.Archive) })
	ctx := context.Background()
	issue := func(replaces int64, body string) {
		t.Helper()
		_, err := e.db.IssueReport(ctx, tickets.IssuedReport{Period: "2026-10", Label: "tháng 10/2026", Format: "xlsx",
			Source: tickets.ReportSourceSchedule, IssuedAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Replaces: replaces}, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
	}
	issue(0, "PK first")
	issue(1, "PK corrected")
	page := body(t, e.do(t, "manager", "GET", "/dashboard", nil))
	i1, i2 := strings.Index(page, `href="/reports/issued/1"`), strings.Index(page, `href="/reports/issued/2"`)
	if !strings.Contains(page, "Báo cáo đã phát hành") || i1 < 0 || i2 < 0 || i2 > i1 ||
		!strings.Contains(page, "Đính chính báo cáo số 1") || !strings.Contains(page, "Đã được thay bằng báo cáo số 2") ||
		!strings.Contains(page, "01/11/2026 07:00") {
		t.Errorf("dashboard lacks the issued reports, newest first:\n%s", page)
	}
	res := e.do(t, "manager", "GET", "/reports/issued/1", nil)
	sum := sha256.Sum256([]byte("PK first"))
	if got := body(t, res); res.StatusCode != http.StatusOK || got != "PK first" ||
		res.Header.Get("Content-Disposition") != `attachment; filename="bao-cao-2026-10-so-1.xlsx"` ||
		res.Header.Get("Repr-Digest") != "sha-256=:"+base64.StdEncoding.EncodeToString(sum[:])+":" {
		t.Errorf("download: %d %q %v", res.StatusCode, got, res.Header)
	}
	if res := e.do(t, "focal", "GET", "/reports/issued/1", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("a focal point's download: %d, want 403", res.StatusCode)
	}
	if res := e.do(t, "manager", "GET", "/reports/issued/7", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("no such report: %d, want 404", res.StatusCode)
	}
}
