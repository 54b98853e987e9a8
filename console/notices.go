// SPDX-License-Identifier: Apache-2.0

package console

import (
	"context"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// NoticeStore keeps a user's reminders and e-mail address; the SQLite store
// satisfies it.
type NoticeStore interface {
	// UserNotices returns the user's latest limit notices, newest first,
	// and how many of all of them are unread.
	UserNotices(ctx context.Context, userID int64, limit int) ([]tickets.UserNotice, int, error)
	// UnreadNotices counts the user's unread notices.
	UnreadNotices(ctx context.Context, userID int64) (int, error)
	// ReadNotices marks the user's notices read at at.
	ReadNotices(ctx context.Context, userID int64, at time.Time) error
	// SetUserContact sets the user's e-mail address and head flag;
	// EINVALID for a bad address.
	SetUserContact(ctx context.Context, name, email string, head bool) error
}

// noticesShown bounds the notice list.
const noticesShown = 100

// noticesView is the list of a user's reminders.
type noticesView struct {
	base
	Notices []tickets.UserNotice
	Unread  int
}

// accountView is the page on which a user sees their account and sets
// the address their reminders are mailed to.
type accountView struct {
	base
	Saved bool
}

const (
	noticesTitle = "Thông báo nhắc việc"
	accountTitle = "Tài khoản"
)

// noticeFuncs are the layout's: whether notices are on, and the signed-in
// user's unread count for the menu (0 if it cannot be read).
func (s *Server) noticeFuncs() template.FuncMap {
	return template.FuncMap{
		"noticesOn": func() bool { return s.cfg.Notices != nil },
		"unread": func(u *tickets.User) int {
			if s.cfg.Notices == nil || u == nil {
				return 0
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			n, err := s.cfg.Notices.UnreadNotices(ctx, u.ID)
			if err != nil {
				s.log.Error("console: count notices", "user", u.Name, "err", err)
			}
			return n
		},
		"level": func(l tickets.ReminderLevel) string { return l.Title() },
	}
}

// notices lists the user's reminders, newest first, the unread ones
// marked; showing them does not mark them read (the button does).
func (s *Server) notices(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	if s.cfg.Notices == nil {
		http.NotFound(w, r)
		return
	}
	ns, unread, err := s.cfg.Notices.UserNotices(r.Context(), u.ID, noticesShown)
	if err != nil {
		s.fail(w, r, u, err)
		return
	}
	s.render(w, http.StatusOK, "notices", noticesView{base: base{User: u, Title: noticesTitle}, Notices: ns, Unread: unread})
}

// readNotices marks every notice of the user read.
func (s *Server) readNotices(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	if s.cfg.Notices == nil {
		http.NotFound(w, r)
		return
	}
	if err := s.cfg.Notices.ReadNotices(r.Context(), u.ID, s.now()); err != nil {
		s.fail(w, r, u, err)
		return
	}
	http.Redirect(w, r, "/notices", http.StatusSeeOther)
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	s.render(w, http.StatusOK, "account", accountView{base: base{User: u, Title: accountTitle}})
}

// setEmail stores the address the user's reminders are mailed to ("" for
// none); a malformed one is refused with the reason, and nothing changes.
func (s *Server) setEmail(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	if s.cfg.Notices == nil {
		http.NotFound(w, r)
		return
	}
	email := strings.TrimSpace(r.PostFormValue("email"))
	if err := tickets.ValidEmail(email); err != nil {
		v := accountView{base: base{User: u, Title: accountTitle, Error: "Địa chỉ thư điện tử không hợp lệ; hãy nhập dạng ten@tinh.gov.vn."}}
		s.render(w, http.StatusBadRequest, "account", v)
		return
	}
	if err := s.cfg.Notices.SetUserContact(r.Context(), u.Name, email, u.Head); err != nil {
		s.fail(w, r, u, err)
		return
	}
	s.log.Info("console: e-mail address set", "user", u.Name)
	u.Email = email
	s.render(w, http.StatusOK, "account", accountView{base: base{User: u, Title: accountTitle}, Saved: true})
}
