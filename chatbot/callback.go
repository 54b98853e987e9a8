// SPDX-License-Identifier: Apache-2.0

package chatbot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hotline-cchc/hotline/tickets"
)

// callback handles a button press. A press that does not fit where the
// conversation stands — a button of an old message — changes nothing.
func (s *step) callback(ctx context.Context) error {
	cb := s.u.Callback
	s.stay()
	if !s.u.Private {
		return s.departmentAction(ctx, cb)
	}
	switch data := cb.Data; {
	case strings.HasPrefix(data, "sv:"):
		return s.rate(ctx, data)
	case strings.HasPrefix(data, "ro:"):
		return s.reopen(ctx, data)
	case strings.HasPrefix(data, "b:") && s.state == stateBranch:
		k, err := strconv.Atoi(data[2:])
		if _, berr := s.b.Menu.Branch(k); err != nil || berr != nil {
			s.cbText = msgStale
			return nil
		}
		s.chooseBranch(k, cb.Message)
	case (data == "ok" || data == "anon") && s.state == stateConfirm:
		return s.open(ctx, data == "anon", cb.Message)
	case data == "cancel" && s.state == stateConfirm:
		s.keep = false
		s.to("")
		s.cbText = cbCancelled
		s.reply(Reply{Text: msgCancelled, Edit: cb.Message})
	default:
		s.cbText = msgStale
	}
	return nil
}

// open opens the draft's ticket. The source key makes it safe to run again
// for the same draft after a crash.
func (s *step) open(ctx context.Context, anonymous bool, edit ID) error {
	b, d := s.b, &s.d
	t, err := b.Tickets.Open(ctx, tickets.NewTicket{
		Branch: d.Branch, Channel: b.Channel, Text: d.Text, Contact: s.u.Chat, Anonymous: anonymous,
		Actor: string(b.Channel), Source: d.source(b.Channel, s.u.Chat),
	})
	switch tickets.ErrorCode(err) {
	case "":
	case tickets.EINVALID, tickets.ENOTFOUND:
		b.Log.Warn("chatbot: draft refused", "err", err)
		s.cbText = msgStale
		s.say(msgDomainInvalid)
		return nil
	default:
		return err
	}
	s.keep = false
	s.to("")
	s.cbText = cbSent
	s.ticket, s.anonymous = t.Code, anonymous
	s.attached = append(s.attached, d.Attachments...)
	if d.Phone != "" && !anonymous {
		s.attached = append(s.attached, tickets.Attachment{Kind: tickets.AttachContact, Value: d.Phone})
	}
	s.reply(Reply{Text: b.summaryDone(d), Edit: edit})
	s.say(b.created(t))
	return nil
}

func (b *Bot) summaryDone(d *draft) string {
	return fmt.Sprintf("Lĩnh vực: %s\nNội dung: %s\n\n✅ Đã gửi.", b.branchLine(d.Branch), excerpt(d.Text, 1000))
}

// departmentAction takes ("t:CODE") or resolves ("r:CODE") a ticket from a
// department's chat, then shows the notice again with its new status.
func (s *step) departmentAction(ctx context.Context, cb *Callback) error {
	b := s.b
	kind, raw, _ := strings.Cut(cb.Data, ":")
	dept, ok := b.Departments[s.u.Chat]
	code, err := tickets.ParseCode(raw)
	if !ok || err != nil || (kind != "t" && kind != "r") {
		s.cbText = msgStale
		return nil
	}
	t, err := b.Store.Ticket(ctx, code)
	switch {
	case tickets.ErrorCode(err) == tickets.ENOTFOUND:
		s.cbText = msgStale
		return nil
	case err != nil:
		return err
	case t.Department != dept:
		s.cbText = msgNotYourGroup
		return nil
	}
	actor := string(b.Channel) + ":" + s.u.User
	steps := takeSteps(t.Status)
	if kind == "r" {
		steps = append(steps, tickets.ActionResolve)
	}
	if len(steps) == 0 {
		s.cbText = fmt.Sprintf(msgConflictTemplate, t.Status.Vietnamese())
	}
	for _, a := range steps {
		note := msgTakenNote
		if a == tickets.ActionResolve {
			note = msgResolvedNote
		}
		moved, err := b.Tickets.Move(ctx, code, tickets.Change{Action: a, Department: dept, Note: note, Actor: actor})
		if tickets.ErrorCode(err) == tickets.ECONFLICT {
			s.cbText = fmt.Sprintf(msgConflictTemplate, t.Status.Vietnamese())
			return nil
		}
		if err != nil {
			return err
		}
		t = moved
		s.cbText = cbTaken
		if a == tickets.ActionResolve {
			s.cbText = cbResolved
		}
	}
	r := b.departmentNotice(t)
	r.Edit = cb.Message
	s.reply(r)
	return nil
}

// takeSteps are the actions that bring a ticket in status st to in_progress.
func takeSteps(st tickets.Status) []tickets.Action {
	switch st {
	case tickets.StatusNew:
		return []tickets.Action{tickets.ActionAssign, tickets.ActionStart}
	case tickets.StatusAssigned:
		return []tickets.Action{tickets.ActionStart}
	case tickets.StatusInProgress:
		return nil
	}
	return nil
}
