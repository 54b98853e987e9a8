// SPDX-License-Identifier: Apache-2.0

package tickets

import (
	"context"
	"fmt"
	"time"
)

// openDeadline returns the case type and deadline of a ticket opened on
// branch b at now: the branch's case type's limit, or the branch's working
// days on a menu without case types.
func (s *Service) openDeadline(now time.Time, b Branch) (string, time.Time) {
	ct, err := s.Menu.CaseType(b.CaseType)
	if err != nil {
		return "", s.Calendar.Deadline(now, b.DeadlineDays).UTC()
	}
	return ct.ID, ct.Due(s.Calendar, now, ct.Days(b)).UTC()
}

// CaseTypeChange is a request to change a ticket's case type.
type CaseTypeChange struct {
	CaseType string // the new type's id
	Reason   string
	Actor    string
	Within   string // as in Change
}

// SetCaseType gives the ticket with code another case type and recomputes its
// deadline from its receipt under the new type's limit, dropping earlier
// extensions; the history records both types, the new deadline and the
// reason. It returns ENOTFOUND for an unknown type or ticket (or one outside
// c.Within), EINVALID without a reason, and ECONFLICT for a ticket that is
// no longer open or already of that type.
func (s *Service) SetCaseType(ctx context.Context, code Code, c CaseTypeChange) (*Ticket, error) {
	ct, err := s.Menu.CaseType(c.CaseType)
	if err != nil {
		return nil, err
	}
	reason, err := s.reason(c.Reason, "Đổi loại vụ việc cần có lý do.")
	if err != nil {
		return nil, err
	}
	now := s.now()
	return s.Store.UpdateTicket(ctx, code, func(t *Ticket) (HistoryEntry, error) {
		b, err := s.openTicket(t, c.Within, "đổi loại vụ việc")
		if err != nil {
			return HistoryEntry{}, err
		}
		if t.CaseType == ct.ID {
			return HistoryEntry{}, Errorf(ECONFLICT, "Phiếu đã thuộc loại «%s».", ct.Name)
		}
		old := s.caseTypeName(t.CaseType)
		t.CaseType, t.Extensions = ct.ID, 0
		t.Deadline = ct.Due(s.Calendar, t.CreatedAt, ct.Days(b)).UTC()
		t.UpdatedAt = now
		note := fmt.Sprintf("Loại vụ việc: %s → %s; hạn giải quyết %s (%d %s). Lý do: %s",
			old, ct.Name, s.Calendar.FormatDate(t.Deadline), ct.Days(b), ct.Unit(), reason)
		return HistoryEntry{At: now, Actor: actor(c.Actor), Action: ActionCaseType,
			FromStatus: t.Status, ToStatus: t.Status, Note: note}, nil
	})
}

// Extension is a request to extend a ticket's deadline to the end of Until.
type Extension struct {
	Until  Date
	Reason string
	Actor  string
	Within string // as in Change
}

// Extend moves the ticket's deadline to the end of e.Until, within the limit
// its case type's law allows, and queues a notice for the citizen on the
// ticket's chat. It returns ENOTFOUND for an unknown ticket (or one outside
// e.Within), EINVALID without a reason, or for a date not after the current
// deadline or past the legal limit, and ECONFLICT for a ticket that is no
// longer open, has no case type, or has had every extension its type allows.
func (s *Service) Extend(ctx context.Context, code Code, e Extension) (*Ticket, error) {
	reason, err := s.reason(e.Reason, "Gia hạn cần có lý do.")
	if err != nil {
		return nil, err
	}
	now := s.now()
	return s.Store.UpdateTicket(ctx, code, func(t *Ticket) (HistoryEntry, error) {
		b, err := s.openTicket(t, e.Within, "gia hạn")
		if err != nil {
			return HistoryEntry{}, err
		}
		ct, err := s.Menu.CaseType(t.CaseType)
		if err != nil {
			return HistoryEntry{}, Errorf(ECONFLICT, "Phiếu chưa có loại vụ việc: hãy chọn loại vụ việc trước khi gia hạn.")
		}
		until := s.Calendar.EndOfDay(e.Until).UTC()
		if err := s.checkExtension(t, b, ct, until); err != nil {
			return HistoryEntry{}, err
		}
		old := t.Deadline
		t.Deadline, t.Extensions, t.UpdatedAt = until, t.Extensions+1, now
		note := fmt.Sprintf("Gia hạn lần %d đến %s (hạn cũ %s). Lý do: %s",
			t.Extensions, s.Calendar.FormatDate(until), s.Calendar.FormatDate(old), reason)
		h := HistoryEntry{At: now, Actor: actor(e.Actor), Action: ActionExtend, FromStatus: t.Status, ToStatus: t.Status, Note: note}
		if t.Channel.Chat() && t.Contact != "" {
			body := fmt.Sprintf("Thời hạn giải quyết được gia hạn đến hết ngày %s.\nLý do: %s", s.Calendar.FormatDate(until), reason)
			h.Notices = []Notice{{Recipient: Recipient{Channel: t.Channel, ID: t.Contact}, Kind: NoticeExtended, Body: body}}
		}
		return h, nil
	})
}

// checkExtension checks that until is later than t's deadline and within
// what the law allows after one more extension.
func (s *Service) checkExtension(t *Ticket, b Branch, ct CaseType, until time.Time) error {
	law := ""
	if ct.Source != "" {
		law = " (" + ct.Source + ")"
	}
	if len(ct.Extensions) == 0 {
		return Errorf(ECONFLICT, "Loại vụ việc «%s» không được gia hạn thời hạn giải quyết%s.", ct.Name, law)
	}
	if t.Extensions >= len(ct.Extensions) {
		return Errorf(ECONFLICT, "Phiếu đã được gia hạn %d lần, số lần tối đa của loại vụ việc «%s»%s.", t.Extensions, ct.Name, law)
	}
	if !until.After(t.Deadline) {
		return Errorf(EINVALID, "Hạn mới %s phải sau hạn hiện tại %s.", s.Calendar.FormatDate(until), s.Calendar.FormatDate(t.Deadline))
	}
	limit := ct.MaxDue(s.Calendar, b, t.CreatedAt, t.Extensions+1)
	if until.After(limit) {
		return Errorf(EINVALID, "Không thể gia hạn đến %s: lần gia hạn thứ %d của loại vụ việc «%s» chỉ được đến hết ngày %s (thêm tối đa %d %s)%s.",
			s.Calendar.FormatDate(until), t.Extensions+1, ct.Name, s.Calendar.FormatDate(limit), ct.Extensions[t.Extensions], ct.Unit(), law)
	}
	return nil
}

// openTicket checks that t is open and within the department within, and
// returns its branch (a branch since removed from the menu counts as one
// without its own limit).
func (s *Service) openTicket(t *Ticket, within, what string) (Branch, error) {
	if within != "" && t.Department != within {
		return Branch{}, Errorf(ENOTFOUND, "there is no ticket with this code")
	}
	if !t.Status.Open() {
		return Branch{}, Errorf(ECONFLICT, "Chỉ %s được phiếu đang xử lý; phiếu này đang ở trạng thái «%s».", what, t.Status.Vietnamese())
	}
	b, err := s.Menu.Branch(t.Branch)
	if err != nil {
		b = Branch{Key: t.Branch}
	}
	return b, nil
}

// reason cleans a required reason; EINVALID with msg if it is empty.
func (s *Service) reason(r, msg string) (string, error) {
	r, err := s.cleanText("reason", r, MaxNoteLen)
	if err != nil {
		return "", err
	}
	if r == "" {
		return "", Errorf(EINVALID, "%s", msg)
	}
	return r, nil
}

// caseTypeName names the case type id for the history; "chưa phân loại"
// for none.
func (s *Service) caseTypeName(id string) string {
	if ct, err := s.Menu.CaseType(id); err == nil {
		return ct.Name
	}
	if id == "" {
		return "chưa phân loại"
	}
	return id
}
