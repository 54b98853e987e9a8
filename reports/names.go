// SPDX-License-Identifier: Apache-2.0

package reports

import "github.com/hotline-cchc/hotline/tickets"

// outcomeOrder is the order outcomes are listed in.
var outcomeOrder = []tickets.Outcome{
	tickets.OutcomeTicket, tickets.OutcomeOperator, tickets.OutcomeStatusCheck,
	tickets.OutcomeAbandonedMenu, tickets.OutcomeAbandonedRec, tickets.OutcomeAfterHours,
	tickets.OutcomeFailed, tickets.OutcomeActive,
}

var outcomeNames = map[tickets.Outcome]string{
	tickets.OutcomeTicket:        "Để lại phản ánh (tạo phiếu)",
	tickets.OutcomeOperator:      "Gặp tổng đài viên",
	tickets.OutcomeStatusCheck:   "Tra cứu tình trạng phiếu",
	tickets.OutcomeAbandonedMenu: "Gác máy trước khi chọn nhánh",
	tickets.OutcomeAbandonedRec:  "Gác máy khi đang ghi âm",
	tickets.OutcomeAfterHours:    "Gọi ngoài giờ làm việc",
	tickets.OutcomeFailed:        "Bấm sai nhiều lần hoặc lỗi hệ thống",
	tickets.OutcomeActive:        "Đang diễn ra",
	tickets.OutcomeNoInput:       "Không bấm phím, không để lại lời nhắn",
	tickets.OutcomeFault:         "Lỗi hệ thống",
}

func outcomeName(o tickets.Outcome) string {
	if n, ok := outcomeNames[o]; ok {
		return n
	}
	return string(o)
}

var channelNames = map[tickets.Channel]string{
	tickets.ChannelPhone:    "Điện thoại",
	tickets.ChannelTelegram: "Telegram",
	tickets.ChannelZalo:     "Zalo",
	tickets.ChannelWeb:      "Trang web",
	tickets.ChannelOperator: "Tổng đài viên nhập",
}

func channelName(c tickets.Channel) string {
	if n, ok := channelNames[c]; ok {
		return n
	}
	return string(c)
}

// weekdayNames are Monday first, as Vietnamese calendars are.
var weekdayNames = [7]string{"Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"}
