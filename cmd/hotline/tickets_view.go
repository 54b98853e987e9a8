// SPDX-License-Identifier: Apache-2.0

package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// ticketJSON is a ticket as "hotline tickets … --json" prints it. The field
// names are part of the external interface.
type ticketJSON struct {
	Code           string        `json:"code"`
	Branch         int           `json:"branch"`
	BranchName     string        `json:"branch_name"`
	Department     string        `json:"department"`
	DepartmentName string        `json:"department_name"`
	Channel        string        `json:"channel"`
	Status         string        `json:"status"`
	StatusName     string        `json:"status_name"`
	Deadline       time.Time     `json:"deadline"`
	CaseType       string        `json:"case_type,omitempty"`
	CaseTypeName   string        `json:"case_type_name,omitempty"`
	Extensions     int           `json:"extensions"`
	ForwardBy      *time.Time    `json:"forward_by,omitempty"`
	Overdue        bool          `json:"overdue"`
	CreatedAt      time.Time     `json:"created_at"`
	UpdatedAt      time.Time     `json:"updated_at"`
	ResolvedAt     *time.Time    `json:"resolved_at,omitempty"`
	Text           string        `json:"text,omitempty"`
	Contact        string        `json:"contact,omitempty"`
	Anonymous      bool          `json:"anonymous"`
	Recording      string        `json:"recording,omitempty"`
	History        []historyJSON `json:"history,omitempty"`
	Attachments    []attachJSON  `json:"attachments,omitempty"`
	ID             int64         `json:"id"`
}

// attachJSON is something the citizen sent with the ticket.
type attachJSON struct {
	Kind     string `json:"kind"`
	FileID   string `json:"file_id,omitempty"`
	Name     string `json:"name,omitempty"`
	MIMEType string `json:"mime_type,omitempty"`
	Size     int64  `json:"size,omitempty"`
	Value    string `json:"value,omitempty"`
}

// attachmentNames are the Vietnamese names of the attachment kinds.
var attachmentNames = map[tickets.AttachmentKind]string{
	tickets.AttachPhoto: "ảnh", tickets.AttachDocument: "tài liệu", tickets.AttachVoice: "tin nhắn thoại",
	tickets.AttachAudio: "âm thanh", tickets.AttachVideo: "video", tickets.AttachLocation: "vị trí",
	tickets.AttachContact: "số điện thoại",
}

type historyJSON struct {
	At             time.Time `json:"at"`
	Actor          string    `json:"actor"`
	Action         string    `json:"action"`
	FromStatus     string    `json:"from_status,omitempty"`
	ToStatus       string    `json:"to_status"`
	FromDepartment string    `json:"from_department,omitempty"`
	ToDepartment   string    `json:"to_department,omitempty"`
	Note           string    `json:"note,omitempty"`
}

// toJSON renders t in the province's time zone. Listings mask the contact.
func toJSON(a *app, t *tickets.Ticket, hs []tickets.HistoryEntry, full bool) ticketJSON {
	loc := a.cal.Location()
	j := ticketJSON{
		ID: t.ID, Code: t.Code.String(), Branch: t.Branch, Department: t.Department,
		Channel: string(t.Channel), Status: string(t.Status), StatusName: t.Status.Vietnamese(),
		Deadline: t.Deadline.In(loc), Overdue: t.Overdue(time.Now()), CreatedAt: t.CreatedAt.In(loc),
		UpdatedAt: t.UpdatedAt.In(loc), Text: t.Text, Anonymous: t.Anonymous, Recording: t.Recording,
		Contact: tickets.MaskContact(t.Contact),
	}
	if full {
		j.Contact = t.Contact
	}
	if b, err := a.menu.Branch(t.Branch); err == nil {
		j.BranchName = b.Name
	}
	j.DepartmentName = departmentName(a, t.Department)
	j.CaseType, j.Extensions = t.CaseType, t.Extensions
	if ct, err := a.menu.CaseType(t.CaseType); err == nil {
		j.CaseTypeName = ct.Name
		if f := ct.ForwardBy(a.cal, t.CreatedAt); !f.IsZero() {
			f = f.In(loc)
			j.ForwardBy = &f
		}
	}
	if !t.ResolvedAt.IsZero() {
		r := t.ResolvedAt.In(loc)
		j.ResolvedAt = &r
	}
	for _, h := range hs {
		j.History = append(j.History, historyJSON{h.At.In(loc), h.Actor, string(h.Action), string(h.FromStatus),
			string(h.ToStatus), h.FromDepartment, h.ToDepartment, h.Note})
	}
	return j
}

// departmentName is the department's name, or its id if the config no
// longer knows it.
func departmentName(a *app, id string) string {
	if d, err := a.menu.Department(id); err == nil {
		return d.Name
	}
	return id
}

func (m *Main) printTicket(a *app, t *tickets.Ticket, hs []tickets.HistoryEntry, asJSON bool, as ...tickets.Attachment) error {
	j := toJSON(a, t, hs, true)
	for _, at := range as {
		j.Attachments = append(j.Attachments, attachJSON{string(at.Kind), at.FileID, at.Name, at.MIMEType, at.Size, at.Value})
	}
	if asJSON {
		return encodeJSON(m.Stdout, j)
	}
	w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "Mã phiếu:\t%s\n", t.Code.Grouped())
	fmt.Fprintf(w, "Nhánh:\t%d — %s\n", j.Branch, j.BranchName)
	fmt.Fprintf(w, "Cơ quan đầu mối:\t%s\n", j.DepartmentName)
	fmt.Fprintf(w, "Kênh:\t%s\n", j.Channel)
	fmt.Fprintf(w, "Trạng thái:\t%s\n", j.StatusName)
	if j.CaseTypeName != "" {
		fmt.Fprintf(w, "Loại vụ việc:\t%s\n", j.CaseTypeName)
	}
	if j.ForwardBy != nil {
		fmt.Fprintf(w, "Hạn chuyển cơ quan có thẩm quyền:\t%s\n", a.cal.FormatDate(*j.ForwardBy))
	}
	fmt.Fprintf(w, "Hạn xử lý:\t%s%s%s\n", a.cal.FormatDate(t.Deadline), overdueMark(j.Overdue), extendedMark(t.Extensions))
	fmt.Fprintf(w, "Tiếp nhận:\t%s\n", t.CreatedAt.In(a.cal.Location()).Format("15:04 02/01/2006"))
	if t.Anonymous {
		fmt.Fprintf(w, "Liên hệ:\tẩn danh\n")
	} else if t.Contact != "" {
		fmt.Fprintf(w, "Liên hệ:\t%s\n", t.Contact)
	}
	if t.Text != "" {
		fmt.Fprintf(w, "Nội dung:\t%s\n", t.Text)
	}
	if t.Recording != "" {
		fmt.Fprintf(w, "Ghi âm:\t%s\n", t.Recording)
	}
	for _, at := range as {
		desc := at.Name
		if at.Value != "" {
			desc = at.Value
		}
		fmt.Fprintf(w, "Đính kèm:\t%s %s\n", attachmentNames[at.Kind], desc)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return m.printHistory(a, hs)
}

func (m *Main) printHistory(a *app, hs []tickets.HistoryEntry) error {
	if len(hs) == 0 {
		return nil
	}
	fmt.Fprintln(m.Stdout, "\nLịch sử:")
	w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	for _, h := range hs {
		what := h.ToStatus.Vietnamese()
		if n, ok := historyActions[h.Action]; ok {
			what = n
		}
		if h.FromDepartment != "" && h.FromDepartment != h.ToDepartment {
			what += fmt.Sprintf(" (chuyển từ %s sang %s)", departmentName(a, h.FromDepartment), departmentName(a, h.ToDepartment))
		}
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", h.At.In(a.cal.Location()).Format("15:04 02/01/2006"), h.Actor, what, h.Note)
	}
	return w.Flush()
}

// historyActions names the actions that keep the status.
var historyActions = map[tickets.Action]string{
	tickets.ActionAnswer: "Trả lời công dân", tickets.ActionCaseType: "Đổi loại vụ việc",
	tickets.ActionExtend: "Gia hạn", tickets.ActionMerge: "Sáp nhập cơ quan",
}

func extendedMark(n int) string {
	if n > 0 {
		return fmt.Sprintf(" (đã gia hạn %d lần)", n)
	}
	return ""
}

func overdueMark(overdue bool) string {
	if overdue {
		return " (quá hạn)"
	}
	return ""
}

func (m *Main) printList(a *app, p tickets.Page, asJSON bool) error {
	if asJSON {
		out := struct {
			Tickets []ticketJSON `json:"tickets"`
			Next    int64        `json:"next,omitempty"`
		}{Tickets: []ticketJSON{}, Next: p.Next}
		for _, t := range p.Tickets {
			out.Tickets = append(out.Tickets, toJSON(a, t, nil, false))
		}
		return encodeJSON(m.Stdout, out)
	}
	w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "MÃ PHIẾU\tNHÁNH\tCƠ QUAN\tTRẠNG THÁI\tHẠN XỬ LÝ")
	for _, t := range p.Tickets {
		fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s%s\n", t.Code.Grouped(), t.Branch, departmentName(a, t.Department),
			t.Status.Vietnamese(), a.cal.FormatDate(t.Deadline), overdueMark(t.Overdue(time.Now())))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if p.Next != 0 {
		fmt.Fprintf(m.Stdout, "\nTrang sau: --after %d\n", p.Next)
	}
	return nil
}

func readAllLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read standard input: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("standard input is longer than %d bytes", limit)
	}
	return b, nil
}
