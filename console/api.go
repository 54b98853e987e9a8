// SPDX-License-Identifier: Apache-2.0

package console

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// The JSON API under /api/v1, for other provincial systems. Callers send a
// per-user token ("hotline users token NAME") as "Authorization: Bearer …";
// the same authorisation rules as the console's apply, and a ticket out of
// reach is 404.

func (s *Server) apiRoutes(m *http.ServeMux) {
	m.Handle("GET /api/v1/tickets", s.api(s.apiList))
	m.Handle("GET /api/v1/tickets/{code}", s.api(s.apiGet))
	m.Handle("POST /api/v1/tickets/{code}/transitions", s.api(s.apiTransition))
	m.Handle("POST /api/v1/tickets/{code}/contact", s.api(s.apiContact))
	m.Handle("GET /api/v1/reports/{format}", s.api(s.apiReport))
	m.Handle("/api/", s.api(func(w http.ResponseWriter, r *http.Request, u *tickets.User) {
		s.apiError(w, r, tickets.Errorf(tickets.ENOTFOUND, "no such API call"))
	}))
}

// api wraps an API handler: it authenticates the bearer token.
func (s *Server) api(h func(w http.ResponseWriter, r *http.Request, u *tickets.User)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		var u *tickets.User
		var err error
		if ok && token != "" {
			u, err = s.cfg.Store.TokenUser(r.Context(), HashSecret(strings.TrimSpace(token)))
		}
		if !ok || token == "" || tickets.ErrorCode(err) == tickets.ENOTFOUND {
			w.Header().Set("WWW-Authenticate", `Bearer realm="hotline"`)
			writeJSON(w, http.StatusUnauthorized, apiErr{Error: "unauthorized", Message: "a valid bearer token is required"})
			return
		}
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		h(w, r, u)
	})
}

type apiErr struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	code := tickets.ErrorCode(err)
	msg := tickets.ErrorMessage(err)
	if code == tickets.EINTERNAL {
		s.log.Error("api: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeJSON(w, httpStatus(code), apiErr{Error: code, Message: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// apiTicket is a ticket in the API; the contact is always masked (the
// audited POST …/contact reveals it). Times are in the province's zone,
// with its offset.
type apiTicket struct {
	Code       tickets.Code    `json:"code"`
	Branch     int             `json:"branch"`
	Department string          `json:"department"`
	Channel    tickets.Channel `json:"channel"`
	Status     tickets.Status  `json:"status"`
	Text       string          `json:"text"`
	Contact    string          `json:"contact,omitempty"`
	Anonymous  bool            `json:"anonymous"`
	Deadline   time.Time       `json:"deadline"`
	CaseType   string          `json:"case_type,omitempty"`
	Extensions int             `json:"extensions"`
	Overdue    bool            `json:"overdue"`
	CreatedAt  time.Time       `json:"created_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
	// Delivery is the citizen's last answer that did not reach them, or may
	// have reached them twice; absent if none.
	Delivery *apiDelivery `json:"delivery,omitempty"`
	// History is one page of the ticket's history, oldest first; HistoryNext
	// is the history_after of the next page, empty on the last.
	History     []apiHistory `json:"history,omitempty"`
	HistoryNext string       `json:"history_next,omitempty"`
}

type apiHistory struct {
	At             time.Time      `json:"at"`
	Actor          string         `json:"actor"`
	Action         tickets.Action `json:"action"`
	FromStatus     tickets.Status `json:"from_status,omitempty"`
	ToStatus       tickets.Status `json:"to_status"`
	FromDepartment string         `json:"from_department,omitempty"`
	ToDepartment   string         `json:"to_department,omitempty"`
	Note           string         `json:"note,omitempty"`
}

// toAPI returns t and its delivery problem p (nil if none) for the API.
func (s *Server) toAPI(t *tickets.Ticket, p *tickets.DeliveryProblem) apiTicket {
	loc := s.cfg.Location
	return apiTicket{Code: t.Code, Branch: t.Branch, Department: t.Department, Channel: t.Channel, Status: t.Status,
		Text: t.Text, Contact: tickets.MaskContact(t.Contact), Anonymous: t.Anonymous, Deadline: t.Deadline.In(loc),
		CaseType: t.CaseType, Extensions: t.Extensions,
		Overdue: t.Overdue(s.cfg.Now()), CreatedAt: t.CreatedAt.In(loc), UpdatedAt: t.UpdatedAt.In(loc),
		Delivery: toAPIDelivery(p, loc)}
}

// apiTicketOf returns t for the API with its delivery problem.
func (s *Server) apiTicketOf(ctx context.Context, t *tickets.Ticket) (apiTicket, error) {
	p, err := s.deliveryProblem(ctx, t.Code)
	if err != nil {
		return apiTicket{}, err
	}
	return s.toAPI(t, p), nil
}

// apiLimit reads the page size parameter name: def if absent, at most
// tickets.MaxPageSize; EINVALID if it is not a positive number.
func apiLimit(r *http.Request, name string, def int) (int, error) {
	l := r.URL.Query().Get(name)
	if l == "" {
		return def, nil
	}
	n, err := strconv.Atoi(l)
	if err != nil || n < 1 {
		return 0, tickets.Errorf(tickets.EINVALID, "%s must be a positive number", name)
	}
	return min(n, tickets.MaxPageSize), nil
}

func (s *Server) apiList(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	limit, err := apiLimit(r, "limit", 0)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	p, err := s.queuePage(r, u, limit)
	var ps map[tickets.Code]tickets.DeliveryProblem
	if err == nil {
		ps, err = s.deliveryProblems(r.Context(), p.Tickets)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := struct {
		Tickets []apiTicket `json:"tickets"`
		Next    string      `json:"next,omitempty"`
	}{Tickets: make([]apiTicket, 0, len(p.Tickets)), Next: p.Next.String()}
	for _, t := range p.Tickets {
		var dp *tickets.DeliveryProblem
		if d, ok := ps[t.Code]; ok {
			dp = &d
		}
		out.Tickets = append(out.Tickets, s.toAPI(t, dp))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiGet(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	t, err := s.readable(r, u)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	after, err := historyCursor(r)
	limit := HistoryPageSize
	if err == nil {
		limit, err = apiLimit(r, "history_limit", HistoryPageSize)
	}
	var hs []tickets.HistoryEntry
	var next int64
	if err == nil {
		hs, next, err = s.cfg.Store.HistoryPage(r.Context(), t.Code, after, limit)
	}
	var a apiTicket
	if err == nil {
		a, err = s.apiTicketOf(r.Context(), t)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if next != 0 {
		a.HistoryNext = strconv.FormatInt(next, 10)
	}
	for _, h := range hs {
		a.History = append(a.History, apiHistory{At: h.At.In(s.cfg.Location), Actor: h.Actor, Action: h.Action, FromStatus: h.FromStatus,
			ToStatus: h.ToStatus, FromDepartment: h.FromDepartment, ToDepartment: h.ToDepartment, Note: h.Note})
	}
	writeJSON(w, http.StatusOK, a)
}

// apiWorkable returns the ticket named in the request's path if u may work
// on it; otherwise it answers the request itself (404, or 403 with why) and
// reports false.
func (s *Server) apiWorkable(w http.ResponseWriter, r *http.Request, u *tickets.User, why string) (*tickets.Ticket, bool) {
	t, err := s.readable(r, u)
	if err != nil {
		s.apiError(w, r, err)
		return nil, false
	}
	if !canWork(u, t) {
		writeJSON(w, http.StatusForbidden, apiErr{Error: "forbidden", Message: why})
		return nil, false
	}
	return t, true
}

// apiTransition applies {"action": "take|start|resolve|answer|reassign|reopen|close",
// "department": "…", "note": "…"} to a ticket the caller works on.
func (s *Server) apiTransition(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	t, ok := s.apiWorkable(w, r, u, "your role may not change this ticket")
	if !ok {
		return
	}
	var in struct{ Action, Department, Note string }
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&in); err != nil {
		s.apiError(w, r, tickets.Errorf(tickets.EINVALID, "the body must be a JSON object"))
		return
	}
	c, msg := change(in.Action, t, in.Department, in.Note)
	if msg != "" {
		s.apiError(w, r, tickets.Errorf(tickets.EINVALID, "%s", msg))
		return
	}
	c.Actor, c.Within = u.Name, within(u)
	t, err := s.cfg.Service.Move(r.Context(), t.Code, c)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.log.Info("api: ticket moved", "user", u.Name, "ticket", t.Code, "action", c.Action)
	a, err := s.apiTicketOf(r.Context(), t)
	if err != nil { // the move is done: say so, without the delivery
		s.log.Error("api: read delivery problems", "ticket", t.Code, "err", err)
		a = s.toAPI(t, nil)
	}
	writeJSON(w, http.StatusOK, a)
}

func (s *Server) apiReport(w http.ResponseWriter, r *http.Request, u *tickets.User) {
	if !canReport(u) {
		writeJSON(w, http.StatusForbidden, apiErr{Error: "forbidden", Message: "reports are for managers"})
		return
	}
	format := r.PathValue("format")
	b, ctype, err := s.writeReport(r.Context(), u, format, r.URL.Query())
	var busy *busyError
	if errors.As(err, &busy) {
		w.Header().Set("Retry-After", strconv.Itoa(busy.seconds()))
		writeJSON(w, http.StatusTooManyRequests, apiErr{Error: "busy", Message: busy.message()})
		return
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	sendReport(w, b, ctype, format)
}
