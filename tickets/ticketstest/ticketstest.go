// SPDX-License-Identifier: Apache-2.0

// Package ticketstest gives tests a migrated SQLite store in a temporary
// folder and a Service over it with a fixed menu, calendar and clock. It may
// import tickets and tickets/sqlite.
package ticketstest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

// Open returns a migrated store in tb.TempDir(), closed when the test ends.
func Open(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "hotline.db"))
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("close store: %v", err)
		}
	})
	return db
}

// Location is Asia/Ho_Chi_Minh.
func Location(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		tb.Fatalf("load time zone: %v", err)
	}
	return loc
}

// Menu returns a menu with the seed's three branches: 1 and 9 to Sở Nội vụ,
// 4 to Văn phòng UBND tỉnh (5 working days), and 2 to Sở Tư pháp.
func Menu(tb testing.TB) *tickets.Menu {
	tb.Helper()
	m, err := tickets.NewMenu([]tickets.Branch{
		{Key: 1, Name: "Công tác chỉ đạo, điều hành CCHC", Department: "so-noi-vu"},
		{Key: 2, Name: "Cải cách thể chế", Department: "so-tu-phap"},
		{Key: 4, Name: "Cải cách thủ tục hành chính", Department: "van-phong-ubnd-tinh", DeadlineDays: 5},
		{Key: 9, Name: "Tinh thần, thái độ của công chức, viên chức", Department: "so-noi-vu"},
	}, []tickets.Department{
		{ID: "so-noi-vu", Name: "Sở Nội vụ"},
		{ID: "so-tu-phap", Name: "Sở Tư pháp"},
		{ID: "van-phong-ubnd-tinh", Name: "Văn phòng UBND tỉnh"},
	})
	if err != nil {
		tb.Fatalf("menu: %v", err)
	}
	return m
}

// Calendar returns a calendar in Asia/Ho_Chi_Minh with Tết 2027 (5–12
// February) as holidays and office hours 07:00–11:30, 13:30–17:00 on weekdays.
func Calendar(tb testing.TB) *tickets.Calendar {
	tb.Helper()
	var hs []tickets.Date
	for d := 5; d <= 12; d++ {
		hs = append(hs, tickets.Date{Year: 2027, Month: time.February, Day: d})
	}
	var hours [7][]tickets.Span
	for wd := time.Monday; wd <= time.Friday; wd++ {
		hours[wd] = []tickets.Span{{From: 7 * time.Hour, To: 11*time.Hour + 30*time.Minute}, {From: 13*time.Hour + 30*time.Minute, To: 17 * time.Hour}}
	}
	return tickets.NewCalendar(Location(tb), hs, hours)
}

// Clock is a settable clock for Service.Now.
type Clock struct{ T time.Time }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { return c.T }

// Service returns a Service over a fresh store with Menu and Calendar, and the
// clock it reads, set to Monday 2 November 2026, 09:00 in Vietnam.
func Service(tb testing.TB) (*tickets.Service, *Clock) {
	tb.Helper()
	clock := &Clock{T: time.Date(2026, time.November, 2, 9, 0, 0, 0, Location(tb))}
	return &tickets.Service{Store: Open(tb), Menu: Menu(tb), Calendar: Calendar(tb), Now: clock.Now}, clock
}
