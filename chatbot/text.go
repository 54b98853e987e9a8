// SPDX-License-Identifier: Apache-2.0

package chatbot

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hotline-cchc/hotline/tickets"
)

// Everything the bot says, in Vietnamese. Texts are plain: adapters never
// parse them as HTML or Markdown.
const (
	msgGreeting = "Xin chào! Đây là đường dây nóng tiếp nhận phản ánh, kiến nghị về cải cách hành chính của tỉnh.\n\n" +
		"Vui lòng chọn lĩnh vực bạn muốn phản ánh:"
	msgChooseBranch  = "Vui lòng chọn một lĩnh vực bằng các nút bên dưới (hoặc gõ số của lĩnh vực)."
	msgDescribe      = "Xin mời mô tả nội dung phản ánh, kiến nghị. Bạn có thể gửi kèm ảnh, tài liệu, tin nhắn thoại hoặc vị trí."
	msgAskContact    = "Đã ghi nhận nội dung. Bạn có thể gửi thêm ảnh, tài liệu, tin nhắn thoại, vị trí hoặc bổ sung nội dung.\n\nĐể cán bộ liên hệ lại khi cần, bấm «Chia sẻ số điện thoại»; nếu không, bấm «Bỏ qua»."
	btnShareContact  = "📱 Chia sẻ số điện thoại"
	btnSkip          = "Bỏ qua"
	msgAdded         = "Đã bổ sung nội dung. Khi xong, bấm «Chia sẻ số điện thoại» hoặc «Bỏ qua»."
	msgAttached      = "Đã nhận tệp đính kèm."
	msgAttachedFirst = "Đã nhận tệp đính kèm. Xin mời mô tả nội dung phản ánh bằng văn bản."
	msgThanks        = "Cảm ơn bạn."
	msgConfirmHint   = "Vui lòng bấm «Gửi phản ánh», «Gửi ẩn danh» hoặc «Hủy» ở tin nhắn trên."
	btnSend          = "✅ Gửi phản ánh"
	btnSendAnon      = "Gửi ẩn danh"
	btnCancel        = "Hủy"
	msgDraftExpired  = "Phản ánh bạn soạn dở trước đây đã bị hủy vì quá lâu chưa hoàn tất."
	msgCancelled     = "Đã hủy phản ánh đang soạn. Gõ /start để bắt đầu lại."
	msgNothingToStop = "Không có phản ánh nào đang soạn. Gõ /start để gửi phản ánh mới."
	msgHelp          = "Các lệnh của đường dây nóng:\n" +
		"/start – gửi phản ánh, kiến nghị mới\n" +
		"/status MÃ_PHIẾU – tra cứu tình trạng phiếu (hoặc chỉ cần gửi mã phiếu)\n" +
		"/cancel – hủy phản ánh đang soạn\n" +
		"/help – xem hướng dẫn này\n\n" +
		"Mã phiếu gồm 9 chữ số, được gửi cho bạn khi phản ánh được tiếp nhận."
	msgIdle             = "Gõ /start để gửi phản ánh, kiến nghị, hoặc gửi mã phiếu để tra cứu. Gõ /help để xem hướng dẫn."
	msgUnknownCommand   = "Lệnh không được hỗ trợ. Gõ /help để xem các lệnh."
	msgEmpty            = "Tin nhắn không có nội dung. Xin mời mô tả phản ánh bằng chữ."
	msgNoWords          = "Nội dung phản ánh cần có chữ hoặc số, không chỉ biểu tượng cảm xúc. Xin mời mô tả bằng chữ."
	msgUnsupported      = "Đường dây nóng chưa nhận được loại tin nhắn này. Vui lòng gửi văn bản, ảnh, tài liệu, tin nhắn thoại hoặc vị trí."
	msgEdited           = "Tin nhắn đã sửa không được cập nhật vào phản ánh. Nếu cần bổ sung, vui lòng gửi tin nhắn mới."
	msgStatusUsage      = "Vui lòng gửi kèm mã phiếu, ví dụ: /status 482913075"
	msgBadCode          = "Mã phiếu không hợp lệ: mã gồm 9 chữ số và có chữ số kiểm tra. Vui lòng kiểm tra lại."
	msgNoTicket         = "Không tìm thấy phiếu có mã %s."
	msgStale            = "Nút này đã hết hiệu lực."
	msgNotYourGroup     = "Nhóm này không được phân công xử lý phiếu này."
	msgTakenNote        = "Tiếp nhận qua nhóm chat của cơ quan"
	msgResolvedNote     = "Giải quyết qua nhóm chat của cơ quan"
	cbTaken             = "Đã tiếp nhận phiếu."
	cbResolved          = "Đã đánh dấu phiếu là đã giải quyết."
	cbSent              = "Đã gửi phản ánh."
	cbCancelled         = "Đã hủy."
	msgDomainInvalid    = "Không thể tạo phiếu: nội dung không hợp lệ. Vui lòng kiểm tra lại và gửi lại."
	msgConflictTemplate = "Không thể thực hiện: phiếu đang ở trạng thái «%s»."
)

// maxDraftText bounds a draft's description: the ticket's limit.
const maxDraftText = tickets.MaxTextLen

func msgTooLong() string {
	return fmt.Sprintf("Nội dung quá dài: tối đa %s ký tự. Vui lòng rút gọn hoặc gửi thành tệp đính kèm.", thousands(maxDraftText))
}

// thousands writes n with dots between groups of three digits, the Vietnamese way.
func thousands(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// excerpt cuts s to n characters, marking the cut.
func excerpt(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// citizenStatus is the bare status shown to anyone who is not the ticket's owner.
func citizenStatus(s tickets.Status) string {
	switch s {
	case tickets.StatusNew:
		return "Đã tiếp nhận"
	case tickets.StatusResolved, tickets.StatusClosed:
		return "Đã giải quyết"
	}
	return "Đang xử lý"
}

func (b *Bot) branchLine(key int) string {
	br, err := b.Menu.Branch(key)
	if err != nil {
		return fmt.Sprintf("Lĩnh vực %d", key)
	}
	return fmt.Sprintf("%d. %s", br.Key, br.Name)
}

func (b *Bot) departmentName(id string) string {
	if d, err := b.Menu.Department(id); err == nil {
		return d.Name
	}
	return id
}

func (b *Bot) date(t time.Time) string { return b.Calendar.FormatDate(t) }

// branchButtons is the menu: one button per branch.
func (b *Bot) branchButtons() [][]Button {
	var rows [][]Button
	for _, br := range b.Menu.Branches() {
		rows = append(rows, []Button{{Text: fmt.Sprintf("%d. %s", br.Key, br.Name), Data: fmt.Sprintf("b:%d", br.Key)}})
	}
	return rows
}

// summary is the confirmation shown before a ticket is opened.
func (b *Bot) summary(d *draft) string {
	var s strings.Builder
	fmt.Fprintf(&s, "Vui lòng kiểm tra lại phản ánh của bạn:\n\nLĩnh vực: %s\n", b.branchLine(d.Branch))
	if _, dept, err := b.Menu.Route(d.Branch); err == nil {
		fmt.Fprintf(&s, "Cơ quan xử lý: %s\n", dept.Name)
	}
	fmt.Fprintf(&s, "Nội dung: %s\n", excerpt(d.Text, 1000))
	if n := d.files(); n > 0 {
		fmt.Fprintf(&s, "Tệp đính kèm: %d\n", n)
	}
	if d.Phone != "" {
		fmt.Fprintf(&s, "Số điện thoại liên hệ: %s\n", d.Phone)
	} else {
		s.WriteString("Số điện thoại liên hệ: không cung cấp\n")
	}
	s.WriteString("\nBấm «Gửi phản ánh» để gửi; «Gửi ẩn danh» để không lưu thông tin liên hệ (khi đó bạn chỉ tra cứu được bằng mã phiếu); hoặc «Hủy».")
	return s.String()
}

func (b *Bot) created(t *tickets.Ticket) string {
	s := fmt.Sprintf("Phản ánh của bạn đã được tiếp nhận.\n\nMã phiếu: %s\nLĩnh vực: %s\nCơ quan xử lý: %s\nHạn giải quyết: %s\n\n"+
		"Vui lòng ghi lại mã phiếu. Tra cứu bằng lệnh /status %s.",
		t.Code.Grouped(), b.branchLine(t.Branch), b.departmentName(t.Department), b.date(t.Deadline), t.Code)
	if t.Anonymous {
		s += "\nPhiếu ẩn danh: câu trả lời sẽ không được gửi tới cuộc trò chuyện này; hãy tra cứu bằng mã phiếu."
	}
	return s
}

// details is the full status, for the chat that filed the ticket.
func (b *Bot) details(t *tickets.Ticket) string {
	s := fmt.Sprintf("Phiếu %s\nTình trạng: %s\nLĩnh vực: %s\nCơ quan xử lý: %s\nNgày tiếp nhận: %s\nHạn giải quyết: %s\n",
		t.Code.Grouped(), t.Status.Vietnamese(), b.branchLine(t.Branch), b.departmentName(t.Department),
		b.date(t.CreatedAt), b.date(t.Deadline))
	if !t.ResolvedAt.IsZero() && !t.Status.Open() {
		s += fmt.Sprintf("Ngày giải quyết: %s\n", b.date(t.ResolvedAt))
	}
	return s + "Nội dung: " + excerpt(t.Text, 1000)
}

func bareStatus(t *tickets.Ticket) string {
	return fmt.Sprintf("Phiếu %s: %s.", t.Code.Grouped(), citizenStatus(t.Status))
}

// departmentNotice is a ticket as a department's chat sees it, with buttons
// to take or resolve it while it is open.
func (b *Bot) departmentNotice(t *tickets.Ticket) Reply {
	text := fmt.Sprintf("📋 Phiếu %s\nLĩnh vực: %s\nCơ quan xử lý: %s\nKênh: %s\nNgày tiếp nhận: %s\nHạn giải quyết: %s\nTình trạng: %s\n\nNội dung:\n%s",
		t.Code.Grouped(), b.branchLine(t.Branch), b.departmentName(t.Department), t.Channel,
		b.date(t.CreatedAt), b.date(t.Deadline), t.Status.Vietnamese(), t.Text)
	r := Reply{Text: text}
	if t.Status.Open() {
		r.Buttons = [][]Button{{{Text: "Tiếp nhận", Data: "t:" + string(t.Code)}, {Text: "Đã giải quyết", Data: "r:" + string(t.Code)}}}
	}
	return r
}

func (b *Bot) answerNotice(t *tickets.Ticket, body string) string {
	return fmt.Sprintf("Trả lời phản ánh (phiếu %s) từ %s:\n\n%s", t.Code.Grouped(), b.departmentName(t.Department), body)
}

func (b *Bot) extendedNotice(t *tickets.Ticket, body string) string {
	return fmt.Sprintf("Phản ánh của bạn (phiếu %s) do %s xử lý:\n\n%s", t.Code.Grouped(), b.departmentName(t.Department), body)
}

func (b *Bot) resolvedNotice(t *tickets.Ticket, body string) string {
	s := fmt.Sprintf("Phản ánh của bạn (phiếu %s) đã được %s giải quyết.", t.Code.Grouped(), b.departmentName(t.Department))
	if body != "" {
		s += "\n\n" + body
	}
	return s + "\n\nCảm ơn bạn đã đóng góp cho công tác cải cách hành chính."
}
