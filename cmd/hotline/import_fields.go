// SPDX-License-Identifier: Apache-2.0

package main

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/hotline-cchc/hotline/tickets"
)

// registerField is a column of a register that import understands.
type registerField int

const (
	fieldReceived registerField = iota
	fieldText
	fieldBranch
	fieldDepartment
	fieldStatus
	fieldResolved
	fieldPhone
	fieldChannel
	fieldCount
)

// fieldNames name each field in messages, Vietnamese first.
var fieldNames = [fieldCount]string{"ngày tiếp nhận (received)", "nội dung (text)", "lĩnh vực/nhánh (branch)",
	"cơ quan (department)", "trạng thái (status)", "ngày giải quyết (resolved)", "số điện thoại (phone)", "kênh (channel)"}

// requiredFields must each have a column.
var requiredFields = []registerField{fieldReceived, fieldText, fieldBranch}

// headerAliases maps a normalised header (see normHeader) to its field.
var headerAliases = func() map[string]registerField {
	m := map[string]registerField{}
	for f, names := range [fieldCount][]string{
		fieldReceived:   {"ngày tiếp nhận", "ngày nhận", "thời gian tiếp nhận", "ngày giờ tiếp nhận", "received", "received at", "date received"},
		fieldText:       {"nội dung", "nội dung phản ánh", "nội dung phản ánh, kiến nghị", "nội dung phản ánh kiến nghị", "text", "content"},
		fieldBranch:     {"lĩnh vực", "nhánh", "branch"},
		fieldDepartment: {"cơ quan", "cơ quan đầu mối", "cơ quan xử lý", "cơ quan giải quyết", "đơn vị xử lý", "department"},
		fieldStatus:     {"trạng thái", "tình trạng", "tình trạng xử lý", "status"},
		fieldResolved:   {"ngày giải quyết", "ngày hoàn thành", "ngày xử lý xong", "resolved", "resolved at", "date resolved"},
		fieldPhone:      {"số điện thoại", "điện thoại", "sđt", "phone", "phone number"},
		fieldChannel:    {"kênh", "kênh tiếp nhận", "hình thức tiếp nhận", "channel"},
	} {
		for _, n := range names {
			m[normHeader(n)] = registerField(f)
		}
	}
	return m
}()

var (
	parenthesised = regexp.MustCompile(`\([^)]*\)`)
	spaces        = regexp.MustCompile(`\s+`)
)

// normHeader brings a header to the form aliases are kept in: NFC, lower
// case, without parenthesised notes, trailing ":" or "*", spaces collapsed.
func normHeader(s string) string {
	s = parenthesised.ReplaceAllString(strings.ToLower(norm.NFC.String(s)), " ")
	return strings.Trim(spaces.ReplaceAllString(s, " "), " :*.")
}

// normValue brings a cell to a form for matching names: NFC, lower case,
// spaces collapsed.
func normValue(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(norm.NFC.String(s))), " ")
}

// statusWords maps the words registers use for a status to it.
var statusWords = func() map[string]tickets.Status {
	m := map[string]tickets.Status{}
	for st, words := range map[tickets.Status][]string{
		tickets.StatusNew:        {"mới", "chưa xử lý", "chưa giải quyết", "tiếp nhận", "new"},
		tickets.StatusAssigned:   {"đã giao", "đã chuyển", "đã chuyển xử lý", "assigned"},
		tickets.StatusInProgress: {"đang xử lý", "đang giải quyết", "in progress", "in_progress"},
		tickets.StatusResolved:   {"đã xử lý", "hoàn thành", "đã trả lời", "resolved", "done"},
		tickets.StatusClosed:     {"đóng", "closed"},
	} {
		m[normValue(st.Vietnamese())] = st
		for _, w := range words {
			m[w] = st
		}
	}
	return m
}()

// parseStatus returns the status a register's cell names; "" for none.
func parseStatus(s string) (tickets.Status, error) {
	v := normValue(s)
	if v == "" {
		return "", nil
	}
	if st, ok := statusWords[v]; ok {
		return st, nil
	}
	return "", fmt.Errorf("trạng thái %q is no status: use Mới tiếp nhận, Đã giao, Đang xử lý, Đã giải quyết, Đã đóng (or new, assigned, in_progress, resolved, closed)", s)
}

// channelWords maps the words registers use for a channel to it.
var channelWords = map[string]tickets.Channel{
	"điện thoại": tickets.ChannelPhone, "tổng đài": tickets.ChannelPhone, "phone": tickets.ChannelPhone,
	"telegram": tickets.ChannelTelegram, "zalo": tickets.ChannelZalo, "web": tickets.ChannelWeb, "website": tickets.ChannelWeb,
	"cổng thông tin": tickets.ChannelWeb, "trực tiếp": tickets.ChannelOperator, "tổng đài viên": tickets.ChannelOperator,
	"operator": tickets.ChannelOperator,
}

// parseChannel returns the channel a cell names, or def if it is empty.
func parseChannel(s string, def tickets.Channel) (tickets.Channel, error) {
	v := normValue(s)
	if v == "" {
		return def, nil
	}
	if c, ok := channelWords[v]; ok {
		return c, nil
	}
	return "", fmt.Errorf("kênh %q is no channel: use điện thoại, telegram, zalo, web or trực tiếp", s)
}

var leadingKey = regexp.MustCompile(`^(?:nhánh\s*)?([1-9])(?:\.0+)?(?:$|[^0-9])`)

// menuNames finds branches and departments by the names a register gives.
type menuNames struct {
	branches    map[string]int    // normalised name → key
	departments map[string]string // id or normalised name → id
}

func newMenuNames(menu *tickets.Menu) *menuNames {
	n := &menuNames{branches: map[string]int{}, departments: map[string]string{}}
	for _, b := range menu.Branches() {
		n.branches[normValue(b.Name)] = b.Key
	}
	for _, d := range menu.Departments() {
		n.departments[d.ID], n.departments[normValue(d.Name)] = d.ID, d.ID
	}
	return n
}

// branch returns the branch a cell names: its key ("4", "4 - Cải cách thủ
// tục hành chính", "Nhánh 4") or its name.
func (n *menuNames) branch(s string) (int, error) {
	v := normValue(s)
	if k, ok := n.branches[v]; ok {
		return k, nil
	}
	if m := leadingKey.FindStringSubmatch(v); m != nil {
		return int(m[1][0] - '0'), nil
	}
	if v == "" {
		return 0, fmt.Errorf("lĩnh vực/nhánh is empty")
	}
	return 0, fmt.Errorf("lĩnh vực %q is no branch of the menu: give its number 1–9 or its name (hotline config print lists them)", s)
}

// department returns the id of the department a cell names by id or name;
// "" if it is empty.
func (n *menuNames) department(s string) (string, error) {
	v := normValue(s)
	if v == "" {
		return "", nil
	}
	if id, ok := n.departments[v]; ok {
		return id, nil
	}
	return "", fmt.Errorf("cơ quan %q is no department of the menu (hotline config print lists them)", s)
}

// parsePhone returns a phone number; a number Excel stored as a number has
// lost its leading zero, which is put back.
func parsePhone(s string) string {
	s = strings.TrimSpace(s)
	if len(s) == 9 && strings.Trim(s, "0123456789") == "" && s[0] != '0' {
		return "0" + s
	}
	return s
}

// Excel's day 0 (its 1900 date system, with the 1900 leap-year bug) and the
// serials of the dates accepted: 01/01/1990 up to 31/12/2099.
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

const minSerial, maxSerial = 32874, 73415

var dateLayouts = []string{"2/1/2006 15:04:05", "2/1/2006 15:04", "2/1/2006", "2-1-2006 15:04", "2-1-2006",
	"2.1.2006", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02", "2006-01-02T15:04:05"}

// date1904Offset is how many days the 1904 date system of old Mac
// workbooks counts fewer than the 1900 system.
const date1904Offset = 1462

// parseDate reads a date, with or without a time of day, in loc: dd/mm/yyyy
// (also with - or .), yyyy-mm-dd, or an Excel serial number (of the 1904
// date system if date1904). The zero time for an empty cell.
func parseDate(name, s string, loc *time.Location, date1904 bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if date1904 {
			f += date1904Offset
		}
		if f < minSerial || f >= maxSerial {
			return time.Time{}, fmt.Errorf("%s %q is a number but no Excel date between 01/01/1990 and 31/12/2099", name, s)
		}
		days := math.Floor(f)
		secs := math.Round((f - days) * 86400)
		d := excelEpoch.AddDate(0, 0, int(days))
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, int(secs), 0, loc), nil
	}
	for _, l := range dateLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			if t.Year() < 1990 || t.Year() > 2099 {
				break
			}
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%s %q is not a date: write dd/mm/yyyy (a time hh:mm may follow) or use an Excel date cell", name, s)
}
