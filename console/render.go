// SPDX-License-Identifier: Apache-2.0

package console

import (
	"bytes"
	"html/template"
	"net/http"
	"time"

	"github.com/hotline-cchc/hotline/tickets"
)

// base is what the layout shows on every page.
type base struct {
	User  *tickets.User
	Title string
	Error string // a message in Vietnamese for the user, if something failed
}

// CanFile, CanReport tell the layout which links to show.
func (b base) CanFile() bool   { return b.User != nil && canFile(b.User) }
func (b base) CanReport() bool { return b.User != nil && canReport(b.User) }

func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(s.cfg.Location).Format("02/01/2006 15:04")
		},
		"department": func(id string) string {
			if d, err := s.cfg.Menu.Department(id); err == nil {
				return d.Name
			}
			return id
		},
		"branch": func(key int) string {
			if b, err := s.cfg.Menu.Branch(key); err == nil {
				return b.String()
			}
			return ""
		},
		"overdue": func(t *tickets.Ticket) bool { return t.Overdue(s.cfg.Now()) },
		"action":  actionName,
		"channel": func(c tickets.Channel) string {
			if n, ok := channelNames[c]; ok {
				return n
			}
			return string(c)
		},
		"attachment": func(k tickets.AttachmentKind) string {
			if n, ok := attachmentNames[k]; ok {
				return n
			}
			return string(k)
		},
		"audit": func(a string) string {
			if n, ok := auditNames[a]; ok {
				return n
			}
			return a
		},
	}
}

var channelNames = map[tickets.Channel]string{
	tickets.ChannelPhone: "Điện thoại", tickets.ChannelTelegram: "Telegram", tickets.ChannelZalo: "Zalo",
	tickets.ChannelWeb: "Trang web", tickets.ChannelOperator: "Tổng đài viên",
}

var attachmentNames = map[tickets.AttachmentKind]string{
	tickets.AttachPhoto: "Ảnh", tickets.AttachDocument: "Tài liệu", tickets.AttachVoice: "Tin nhắn thoại",
	tickets.AttachAudio: "Âm thanh", tickets.AttachVideo: "Video", tickets.AttachLocation: "Vị trí",
	tickets.AttachContact: "Số điện thoại được chia sẻ",
}

var auditNames = map[string]string{
	tickets.AuditViewContact:    "Xem số liên hệ",
	tickets.AuditViewLocation:   "Xem vị trí",
	tickets.AuditPlayRecording:  "Nghe ghi âm",
	tickets.AuditOpenAttachment: "Mở tệp đính kèm",
}

var actionNames = map[tickets.Action]string{
	tickets.ActionCreate: "Tiếp nhận", tickets.ActionAssign: "Giao / nhận xử lý", tickets.ActionStart: "Bắt đầu xử lý",
	tickets.ActionResolve: "Giải quyết", tickets.ActionReopen: "Mở lại", tickets.ActionClose: "Đóng",
	tickets.ActionAnswer: "Trả lời công dân", tickets.ActionCaseType: "Đổi loại vụ việc", tickets.ActionExtend: "Gia hạn",
	tickets.ActionMerge: "Sáp nhập cơ quan",
}

func actionName(a tickets.Action) string {
	if n, ok := actionNames[a]; ok {
		return n
	}
	return string(a)
}

// render writes view with data and status; a template failure is logged and
// becomes a plain 500.
func (s *Server) render(w http.ResponseWriter, status int, view string, data any) {
	var b bytes.Buffer
	if err := s.views[view].Execute(&b, data); err != nil {
		s.log.Error("console: render", "view", view, "err", err)
		http.Error(w, "Lỗi hệ thống.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	b.WriteTo(w)
}

// httpStatus maps a domain error code to an HTTP status, in one place.
func httpStatus(code string) int {
	switch code {
	case tickets.EINVALID:
		return http.StatusBadRequest
	case tickets.ENOTFOUND:
		return http.StatusNotFound
	case tickets.ECONFLICT:
		return http.StatusConflict
	}
	return http.StatusInternalServerError
}

// userMessages are what a user reads for each error code; the error's own
// text goes to the log only.
var userMessages = map[string]string{
	tickets.EINVALID:  "Dữ liệu không hợp lệ.",
	tickets.ENOTFOUND: "Không tìm thấy.",
	tickets.ECONFLICT: "Không thể thực hiện thao tác này ở trạng thái hiện tại của phiếu.",
	tickets.EINTERNAL: "Lỗi hệ thống. Vui lòng thử lại sau.",
}

// fail answers a page request that failed with err.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, u *tickets.User, err error) {
	code := tickets.ErrorCode(err)
	if code == tickets.EINTERNAL {
		s.log.Error("console: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	s.render(w, httpStatus(code), "error", base{User: u, Title: "Lỗi", Error: userMessages[code]})
}

// forbidden answers a page a user's role may not open.
func (s *Server) forbidden(w http.ResponseWriter, u *tickets.User) {
	s.render(w, http.StatusForbidden, "error", base{User: u, Title: "Không có quyền", Error: "Bạn không có quyền truy cập trang này."})
}
