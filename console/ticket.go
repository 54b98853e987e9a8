// SPDX-License-Identifier: Apache-2.0

package console

import (
	"context"
	"net/http"
	"strconv"

	"github.com/hotline-cchc/hotline/tickets"
)

// ticketView is a ticket's page.
type ticketView struct {
	base
	Ticket  *tickets.Ticket
	History []tickets.HistoryEntry
	// HistoryAfter is the cursor this page of the history starts after
	// (0: the first page); HistoryNext the next page's, 0 if none.
	HistoryAfter, HistoryNext int64
	Attachments               []tickets.Attachment
	// Transcript is the chat conversation that opened the ticket, personal
	// data like the contact: loaded only for those who work the ticket.
	Transcript []tickets.ChatLine
	// Personal is the citizen's contact, shared phone number and places:
	// masked and without the places unless ContactShown (reveal.go).
	Personal     personal
	ContactShown bool
	CanWork      bool
	// Delivery is the citizen's last answer that did not reach them, or may
	// have reached them twice; nil if none.
	Delivery    *tickets.DeliveryProblem
	Departments []tickets.Department
	CaseTypes   []tickets.CaseType
	// Note keeps what the user typed when an action failed.
	Note string
	// Audit lists who saw the citizen's personal data; admins only.
	Audit []tickets.AuditEntry
	// attachments are as stored, with the values Attachments hides.
	attachments []tickets.Attachment
	// Survey is the citizen's rating; nil if none (or the store keeps none).
	Survey *tickets.Survey
	// Callbacks are the calls placed to give the citizen the answer.
	Callbacks []tickets.CallbackAttempt
	// VoiceAnswers: recorded answers can be uploaded (Config.VoiceAnswer).
	VoiceAnswers bool
	// PhoneCallback: phone answers call the citizen back (Config.PhoneCallback).
	PhoneCallback bool
}

// CanReveal reports whether the page offers the audited reveal of the
// citizen's personal data: to those who work the ticket, if it holds any.
func (v ticketView) CanReveal() bool {
	if !v.CanWork || v.ContactShown {
		return false
	}
	p := personalOf(v.User, v.Ticket, v.attachments)
	return p.Contact != "" || p.Phone != "" || len(p.Locations) > 0
}

// reveal shows p, the personal data of the page's ticket, in full.
func (v *ticketView) reveal(p personal) {
	v.Personal, v.Attachments, v.ContactShown = p, hideValues(v.attachments, true, len(p.Locations) > 0), true
}

// NoCallback says why a phone ticket's citizen cannot be called back
// with the answer; "" if they can, or the ticket is not a phone one.
func (v ticketView) NoCallback() string {
	t := v.Ticket
	if t.Channel != tickets.ChannelPhone || t.Anonymous {
		return ""
	}
	if t.Contact == "" {
		return "Không có số điện thoại của công dân nên hệ thống không gọi lại được."
	}
	if _, ok := tickets.VietnameseNumber(t.Contact); !ok {
		return "Số liên hệ không phải số điện thoại Việt Nam nên hệ thống không gọi lại được."
	}
	return ""
}

// CallsBack reports whether an answer to the ticket calls the citizen back.
func (v ticketView) CallsBack() bool {
	return v.PhoneCallback && v.NoCallback() == "" && v.Ticket.Channel == tickets.ChannelPhone
}

// callbackReader is the part of a store that records call-backs.
type callbackReader interface {
	CallbackAttempts(ctx context.Context, code tickets.Code) ([]tickets.CallbackAttempt, error)
}

// surveyReader is the part of a store that keeps surveys; the SQLite store
// satisfies it, a store without surveys shows none.
type surveyReader interface {
	Survey(ctx context.Context, code tickets.Code) (*tickets.Survey, error)
}

// survey loads t's survey if the store keeps surveys and t is rated.
func (s *Server) survey(ctx context.Context, t *tickets.Ticket) (*tickets.Survey, error) {
	sr, ok := s.cfg.Store.(surveyReader)
	if !ok {
		return nil, nil
	}
	sv, err := sr.Survey(ctx, t.Code)
	if tickets.ErrorCode(err) == tickets.ENOTFOUND {
		return nil, nil
	}
	return sv, err
}

// HasActions reports whether the page shows any action form.
func (v ticketView) HasActions() bool {
	if !v.CanWork {
		return false
	}
	for _, a := range []string{"take", "start", "answer", "resolve", "assign", "reopen", "close", "extend", "case_type"} {
		if v.Can(a) {
			return true
		}
	}
	return false
}

// Can reports whether the lifecycle allows action now, for showing its form.
func (v ticketView) Can(action string) bool {
	a := tickets.Action(action)
	if action == "take" {
		return v.Ticket.Status == tickets.StatusNew
	}
	if action == "extend" || action == "case_type" {
		return v.canChangeDeadline(action)
	}
	_, err := tickets.Next(v.Ticket.Status, a)
	return err == nil
}

// errNoTicket is the one answer to a malformed code, a code no ticket has
// and a ticket out of the user's reach, so that nobody learns which codes
// exist.
var errNoTicket = tickets.Errorf(tickets.ENOTFOUND, "no such ticket")

// readable loads the ticket named in the request's path if u may read it;
// errNoTicket otherwise, whether or not it exists.
func (s *Server) readable(r *http.Request, u *tickets.User) (*tickets.Ticket, error) {
	code, err := tickets.ParseCode(r.PathValue("code"))
	if err != nil {
		return nil, errNoTicket
	}
	t, err := s.cfg.Store.Ticket(r.Context(), code)
	if tickets.ErrorCode(err) == tickets.ENOTFOUND {
		return nil, errNoTicket
	}
	if err != nil {
		return nil, err
	}
	if !canRead(u, t) {
		s.log.Warn("console: ticket outside the user's reach", "user", u.Name, "ticket", t.Code)
		return nil, errNoTicket
	}
	return t, nil
}

// workable returns the ticket named in the request's path if u may work on
// it; otherwise it answers the request itself (404 or 403) and reports false.
func (s *Server) workable(w http.ResponseWriter, r *http.Request, u *tickets.User) (*tickets.Ticket, bool) {
	t, err := s.readable(r, u)
	if err != nil {
		s.fail(w, r, u, err)
		return nil, false
	}
	if !canWork(u, t) {
		s.forbidden(w, u)
		return nil, false
	}
	return t, true
}

// ticketPage loads everything a ticket's page shows.
func (s *Server) ticketPage(r *http.Request, u *tickets.User, t *tickets.Ticket) (ticketView, error) {
	v := ticketView{base: base{User: u, Title: "Phiếu " + t.Code.Grouped()}, Ticket: t, CanWork: canWork(u, t),
		VoiceAnswers: s.cfg.VoiceAnswer != nil, PhoneCallback: s.cfg.PhoneCallback,
		Departments: s.cfg.Menu.Departments(), CaseTypes: s.cfg.Menu.CaseTypes()}
	var err error
	if v.HistoryAfter, err = historyCursor(r); err != nil {
		return v, err
	}
	if v.History, v.HistoryNext, err = s.cfg.Store.HistoryPage(r.Context(), t.Code, v.HistoryAfter, HistoryPageSize); err != nil {
		return v, err
	}
	if v.attachments, err = s.cfg.Store.Attachments(r.Context(), t.Code); err != nil {
		return v, err
	}
	v.Attachments, v.Personal = hideValues(v.attachments, false, false), personalOf(u, t, v.attachments).masked()
	if v.Delivery, err = s.deliveryProblem(r.Context(), t.Code); err != nil {
		return v, err
	}
	if v.CanWork && t.Channel.Chat() {
		if v.Transcript, err = s.cfg.Store.Transcript(r.Context(), t.Code); err != nil {
			return v, err
		}
	}
	if v.Survey, err = s.survey(r.Context(), t); err != nil {
		return v, err
	}
	if cr, ok := s.cfg.Store.(callbackReader); ok && v.CanWork && t.Channel == tickets.ChannelPhone {
		if v.Callbacks, err = cr.CallbackAttempts(r.Context(), t.Code); err != nil {
			return v, err
		}
	}
	if u.Role == tickets.RoleAdmin {
		if v.Audit, err = s.cfg.Store.AuditLog(r.Context(), t.Code); err != nil {
			return v, err
		}
	}
	return v, nil
}

// HistoryPageSize is how many history entries a ticket's page shows; the
// API's default page is as long.
const HistoryPageSize = 100

// historyCursor reads ?history_after, the cursor of a history page; EINVALID
// if it is not a cursor.
func historyCursor(r *http.Request) (int64, error) {
	v := r.URL.Query().Get("history_after")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, tickets.Errorf(tickets.EINVALID, "history_after is not a history cursor")
	}
	return n, nil
}

func (s *Server) ticket(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	t, err := s.readable(r, u)
	if err != nil {
		s.fail(w, r, u, err)
		return
	}
	v, err := s.ticketPage(r, u, t)
	if err != nil {
		s.fail(w, r, u, err)
		return
	}
	s.render(w, http.StatusOK, "ticket", v)
}
