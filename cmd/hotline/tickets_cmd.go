// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/user"
	"sort"
	"strconv"
	"strings"

	"github.com/hotline-cchc/hotline/tickets"
)

const ticketsSynopsis = `hotline tickets new --branch N --channel C --text T [--phone P] [--anonymous]
       hotline tickets import [--workers N]      (JSON lines on standard input)
       hotline tickets import FILE.csv|FILE.xlsx [--dry-run] [--partial] [--sheet S] [--encoding E] [--channel C]
       hotline tickets list [--department D] [--status S] [--branch N] [--channel C] [--limit N] [--after ID]
       hotline tickets show CODE
       hotline tickets assign CODE --department D [--reason R]
       hotline tickets start|resolve|reopen|close CODE [--note N]
       hotline tickets answer CODE --text T      (sent to the citizen's chat, if the ticket came by chat)
       hotline tickets case-type CODE --type ID --reason R   (the deadline is recomputed from receipt)
       hotline tickets extend CODE --until YYYY-MM-DD --reason R   (within the law's limit; the citizen is told)
Every subcommand takes --json and --config FILE.`

// ticketsCmd is one "hotline tickets" subcommand, run on an open app with
// its already parsed options.
type ticketsCmd struct {
	flags func(fs *flag.FlagSet, o *ticketOpts)
	args  int // positional arguments expected: 0, 1 (a code), or -1 (an optional file)
	run   func(m *Main, ctx context.Context, a *app, o *ticketOpts) error
}

// ticketOpts holds every option of the tickets subcommands.
type ticketOpts struct {
	sub, config, channel, text, phone, actor, department, status, note string
	branch, limit, workers                                             int
	after                                                              int64
	anonymous, json                                                    bool
	code                                                               tickets.Code
	caseType, until                                                    string
	registerOpts
}

func ticketsCommands() map[string]ticketsCmd {
	move := ticketsCmd{flags: noteFlag, args: 1, run: (*Main).ticketMove}
	cs := map[string]ticketsCmd{
		"new":     {flags: newFlags, run: (*Main).ticketNew},
		"import":  {flags: importFlags, args: -1, run: (*Main).ticketImport},
		"list":    {flags: listFlags, run: (*Main).ticketList},
		"show":    {flags: func(*flag.FlagSet, *ticketOpts) {}, args: 1, run: (*Main).ticketShow},
		"assign":  {flags: assignFlags, args: 1, run: (*Main).ticketMove},
		"start":   move,
		"resolve": move,
		"reopen":  move,
		"close":   move,
		"answer":  {flags: answerFlags, args: 1, run: (*Main).ticketAnswer},
	}
	cs["case-type"] = ticketsCmd{flags: caseTypeFlags, args: 1, run: (*Main).ticketCaseType}
	cs["extend"] = ticketsCmd{flags: extendFlags, args: 1, run: (*Main).ticketExtend}
	return cs
}

func newFlags(fs *flag.FlagSet, o *ticketOpts) {
	fs.IntVar(&o.branch, "branch", 0, "branch key, 1–9 (required)")
	fs.StringVar(&o.channel, "channel", "operator", "channel: phone, telegram, zalo, web or operator")
	fs.StringVar(&o.text, "text", "", `what the citizen reports (required; "-" reads standard input)`)
	fs.StringVar(&o.phone, "phone", "", "the citizen's phone number, to answer them")
	fs.BoolVar(&o.anonymous, "anonymous", false, "keep no contact: the code is the only handle")
}

func importFlags(fs *flag.FlagSet, o *ticketOpts) {
	fs.IntVar(&o.workers, "workers", 4, "tickets created at the same time (JSON lines)")
	fs.StringVar(&o.channel, "channel", "operator", "a register's channel for rows that name none")
	fs.BoolVar(&o.dryRun, "dry-run", false, "check a register and report every bad row; import nothing")
	fs.BoolVar(&o.partial, "partial", false, "import a register's good rows even if some are bad")
	fs.StringVar(&o.sheet, "sheet", "", "the XLSX sheet to read (default: the active one)")
	fs.StringVar(&o.encoding, "encoding", "", "a CSV's encoding: utf-8 or windows-1258 (default: UTF-8 if valid, else Windows-1258)")
}

func listFlags(fs *flag.FlagSet, o *ticketOpts) {
	fs.StringVar(&o.department, "department", "", "department id")
	fs.StringVar(&o.status, "status", "", `status (new, assigned, in_progress, resolved, closed) or "open"`)
	fs.IntVar(&o.branch, "branch", 0, "branch key")
	fs.StringVar(&o.channel, "channel", "", "channel")
	fs.IntVar(&o.limit, "limit", tickets.DefaultPageSize, "tickets per page")
	fs.Int64Var(&o.after, "after", 0, "continue after this ticket id (printed at the end of a page)")
}

func assignFlags(fs *flag.FlagSet, o *ticketOpts) {
	fs.StringVar(&o.department, "department", "", "department id (required)")
	fs.StringVar(&o.note, "reason", "", "why, when moving the ticket to another department")
}

func answerFlags(fs *flag.FlagSet, o *ticketOpts) {
	fs.StringVar(&o.text, "text", "", `the answer to the citizen (required; "-" reads standard input)`)
}

func noteFlag(fs *flag.FlagSet, o *ticketOpts) {
	fs.StringVar(&o.note, "note", "", "a note for the history")
}

// runTickets runs "hotline tickets SUBCOMMAND".
func (m *Main) runTickets(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("tickets needs a subcommand; usage:\n%s", ticketsSynopsis)
	}
	if h := args[0]; h == "-h" || h == "--help" || h == "help" {
		fmt.Fprintf(m.Stdout, "Usage: %s\n", ticketsSynopsis)
		return nil
	}
	cmd, ok := ticketsCommands()[args[0]]
	if !ok {
		return usagef("unknown tickets subcommand %q; usage:\n%s", args[0], ticketsSynopsis)
	}
	o := &ticketOpts{sub: args[0]}
	fs := newFlagSet("hotline tickets "+args[0], ticketsSynopsis, m.Stderr)
	fs.StringVar(&o.config, "config", "", "config file (default: $HOTLINE_CONFIG, else the embedded default)")
	fs.StringVar(&o.actor, "actor", "", "who acts, for the history (default: cli:$USER)")
	fs.BoolVar(&o.json, "json", false, "print JSON")
	cmd.flags(fs, o)
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return handled(err)
	}
	if err := o.positional(args[0], pos, cmd.args); err != nil {
		return err
	}
	if o.actor == "" {
		o.actor = "cli:" + m.osUser()
	}
	a, err := m.openApp(ctx, o.config)
	if err != nil {
		return err
	}
	defer a.Close()
	return cmd.run(m, ctx, a, o)
}

// osUser names the operator for the history: $USER, else the account the
// process runs as (a systemd unit or a cron job has no $USER).
func (m *Main) osUser() string {
	if u := m.Getenv("USER"); u != "" {
		return u
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "uid-" + strconv.Itoa(os.Getuid())
}

// positional checks the positional arguments; a code is parsed, check digit
// first, before anything is opened.
func (o *ticketOpts) positional(sub string, pos []string, want int) error {
	if want < 0 && len(pos) <= 1 {
		if len(pos) == 1 {
			o.file = pos[0]
		}
		return nil
	}
	if len(pos) != want {
		switch {
		case want < 0:
			return usagef("tickets %s takes at most one file besides options", sub)
		case want == 0:
			return usagef("tickets %s takes no arguments besides options", sub)
		}
		return usagef("tickets %s needs one ticket code", sub)
	}
	if want == 1 {
		code, err := tickets.ParseCode(pos[0])
		if err != nil {
			return usagef("%s", tickets.ErrorMessage(err))
		}
		o.code = code
	}
	return nil
}

func (m *Main) ticketNew(ctx context.Context, a *app, o *ticketOpts) error {
	if o.branch == 0 || o.text == "" {
		return usagef("tickets new needs --branch and --text")
	}
	if o.anonymous && o.phone != "" {
		return usagef("--anonymous keeps no contact: leave out --phone")
	}
	if o.text == "-" {
		b, err := readAllLimited(m.Stdin, 4*tickets.MaxTextLen)
		if err != nil {
			return err
		}
		o.text = string(b)
	}
	t, err := a.svc.Open(ctx, tickets.NewTicket{
		Branch: o.branch, Channel: tickets.Channel(o.channel), Text: o.text,
		Contact: o.phone, Anonymous: o.anonymous, Actor: o.actor,
	})
	if err != nil {
		return err
	}
	return m.printTicket(a, t, nil, o.json)
}

func (m *Main) ticketShow(ctx context.Context, a *app, o *ticketOpts) error {
	t, err := a.svc.Store.Ticket(ctx, o.code)
	if err != nil {
		return err
	}
	hs, err := a.svc.Store.History(ctx, o.code)
	if err != nil {
		return err
	}
	as, err := a.db.Attachments(ctx, o.code)
	if err != nil {
		return err
	}
	return m.printTicket(a, t, hs, o.json, as...)
}

func (m *Main) ticketMove(ctx context.Context, a *app, o *ticketOpts) error {
	action, err := tickets.ParseAction(o.sub)
	if err != nil {
		return err
	}
	if action == tickets.ActionAssign && o.department == "" {
		return usagef("tickets assign needs --department")
	}
	if action == tickets.ActionReopen && strings.TrimSpace(o.note) == "" {
		return usagef("tickets reopen needs --note with the reason, as in the console")
	}
	t, err := a.svc.Move(ctx, o.code, tickets.Change{Action: action, Department: o.department, Note: o.note, Actor: o.actor})
	if err != nil {
		return err
	}
	return m.printTicket(a, t, nil, o.json)
}

// ticketAnswer answers the citizen without changing the ticket's status: the
// answer goes into the history and, for a ticket that came by chat, into the
// outbox that the running bot delivers.
func (m *Main) ticketAnswer(ctx context.Context, a *app, o *ticketOpts) error {
	if o.text == "" {
		return usagef("tickets answer needs --text")
	}
	if o.text == "-" {
		b, err := readAllLimited(m.Stdin, 4*tickets.MaxNoteLen)
		if err != nil {
			return err
		}
		o.text = string(b)
	}
	t, err := a.svc.Move(ctx, o.code, tickets.Change{Action: tickets.ActionAnswer, Note: o.text, Actor: o.actor})
	if err != nil {
		return err
	}
	if !o.json {
		if t.Channel.Chat() && t.Contact != "" {
			fmt.Fprintf(m.Stdout, "Câu trả lời đã được xếp hàng gửi tới công dân qua %s.\n\n", t.Channel)
		} else {
			fmt.Fprintf(m.Stdout, "Câu trả lời đã được ghi vào lịch sử phiếu (phiếu không nhận tin qua kênh chat).\n\n")
		}
	}
	return m.printTicket(a, t, nil, o.json)
}

func (m *Main) ticketList(ctx context.Context, a *app, o *ticketOpts) error {
	f := tickets.Filter{Department: o.department, Branch: o.branch, Channel: tickets.Channel(o.channel), After: o.after, Limit: o.limit}
	switch o.status {
	case "":
	case "open":
		f.Statuses = tickets.OpenStatuses
	default:
		s, err := tickets.ParseStatus(o.status)
		if err != nil {
			return usagef("unknown status %q (want new, assigned, in_progress, resolved, closed, or open for the first three)", o.status)
		}
		f.Statuses = []tickets.Status{s}
	}
	if f.Department != "" {
		if _, err := a.menu.Department(f.Department); err != nil {
			return usagef("unknown department %q; known: %s", f.Department, departmentIDs(a.menu))
		}
	}
	p, err := a.svc.Store.Tickets(ctx, f)
	if err != nil {
		return err
	}
	return m.printList(a, p, o.json)
}

func departmentIDs(menu *tickets.Menu) string {
	var ids []string
	for _, d := range menu.Departments() {
		ids = append(ids, d.ID)
	}
	sort.Strings(ids)
	return strings.Join(ids, ", ")
}

func encodeJSON(w interface{ Write([]byte) (int, error) }, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
