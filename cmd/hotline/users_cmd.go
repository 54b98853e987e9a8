// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/hotline-cchc/hotline/console"
	"github.com/hotline-cchc/hotline/tickets"
)

const usersSynopsis = `hotline users add NAME --role R [--department D] [--email ADDR] [--head]   (password asked twice on a terminal, else the first line of standard input)
       hotline users set-email NAME ADDR                  (where reminders and reports are mailed; "" for none)
       hotline users set-head NAME [--off]                (a focal point heads their department: told of its overdue tickets)
       hotline users passwd NAME                          (the same; revokes the user's sessions and API tokens)
       hotline users disable NAME
       hotline users list
       hotline users token NAME [--revoke]                (prints a new API token; --revoke revokes them all)
Roles: admin, manager, focal (needs --department), operator. Every subcommand takes --config FILE.`

// userOpts holds the options of the users subcommands.
type userOpts struct {
	config, role, department, email string
	revoke, head, off               bool
}

// runUsers runs "hotline users SUBCOMMAND".
func (m *Main) runUsers(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("users needs a subcommand; usage:\n%s", usersSynopsis)
	}
	sub := args[0]
	if sub == "-h" || sub == "--help" || sub == "help" {
		fmt.Fprintf(m.Stdout, "Usage: %s\n", usersSynopsis)
		return nil
	}
	want, ok := map[string]int{"add": 1, "passwd": 1, "disable": 1, "list": 0, "token": 1, "set-email": 2, "set-head": 1}[sub]
	if !ok {
		return usagef("unknown users subcommand %q; usage:\n%s", sub, usersSynopsis)
	}
	var o userOpts
	fs := newFlagSet("hotline users "+sub, usersSynopsis, m.Stderr)
	fs.StringVar(&o.config, "config", "", "config file (default: $HOTLINE_CONFIG, else the embedded default)")
	switch sub {
	case "add":
		fs.StringVar(&o.role, "role", "", "admin, manager, focal or operator (required)")
		fs.StringVar(&o.department, "department", "", "the department id of a focal point")
		fs.StringVar(&o.email, "email", "", "the user's e-mail address, for reminders and reports")
		fs.BoolVar(&o.head, "head", false, "the focal point heads the department (told of its overdue tickets)")
	case "set-head":
		fs.BoolVar(&o.off, "off", false, "the user no longer heads the department")
	case "token":
		fs.BoolVar(&o.revoke, "revoke", false, "revoke every token of the user instead")
	}
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return handled(err)
	}
	if len(pos) != want {
		return usagef("users %s takes %d argument(s); usage:\n%s", sub, want, usersSynopsis)
	}
	a, err := m.openApp(ctx, o.config)
	if err != nil {
		return err
	}
	defer a.Close()
	switch sub {
	case "add":
		return m.userAdd(ctx, a, pos[0], o)
	case "passwd":
		return m.userPasswd(ctx, a, pos[0])
	case "disable":
		return m.userDisable(ctx, a, pos[0])
	case "list":
		return m.userList(ctx, a)
	case "set-email", "set-head":
		return m.userContact(ctx, a, sub, pos, o)
	default:
		return m.userToken(ctx, a, pos[0], o.revoke)
	}
}

func (m *Main) userAdd(ctx context.Context, a *app, name string, o userOpts) error {
	role, err := tickets.ParseRole(o.role)
	if err != nil {
		return usagef("%s", tickets.ErrorMessage(err))
	}
	if o.department != "" {
		if _, err := a.menu.Department(o.department); err != nil {
			return err
		}
	}
	if name, err = console.NormalizeName(name); err != nil {
		return usagef("%s", tickets.ErrorMessage(err))
	}
	u := &tickets.User{Name: name, Role: role, Department: o.department, CreatedAt: time.Now().UTC(), Email: o.email, Head: o.head}
	if err := u.Validate(); err != nil {
		return usagef("%s", tickets.ErrorMessage(err))
	}
	// A user added before names were normalised may hold this name in
	// another case.
	if old, err := console.FindUser(ctx, a.db, name); err == nil {
		return tickets.Errorf(tickets.ECONFLICT, "a user named %q exists", old.Name)
	}
	if u.PasswordHash, err = m.readPassword(); err != nil {
		return err
	}
	if err := a.db.CreateUser(ctx, u); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "user %s added (%s)\n", u.Name, u.Role)
	return nil
}

func (m *Main) userPasswd(ctx context.Context, a *app, name string) error {
	u, err := console.FindUser(ctx, a.db, name)
	if err != nil {
		return err
	}
	hash, err := m.readPassword()
	if err != nil {
		return err
	}
	if err := a.db.SetPassword(ctx, u.Name, hash); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "password of %s changed; their console sessions and API tokens are revoked\n", u.Name)
	return nil
}

func (m *Main) userList(ctx context.Context, a *app) error {
	us, err := a.db.Users(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tROLE\tDEPARTMENT\tSTATE\tEMAIL")
	for _, u := range us {
		state := "active"
		if u.Disabled {
			state = "disabled"
		}
		dept := u.Department
		if dept == "" {
			dept = "-"
		}
		if u.Head {
			dept += " (head)"
		}
		email := u.Email
		if email == "" {
			email = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", u.Name, u.Role, dept, state, email)
	}
	return w.Flush()
}

func (m *Main) userDisable(ctx context.Context, a *app, name string) error {
	u, err := console.FindUser(ctx, a.db, name)
	if err != nil {
		return err
	}
	return a.db.DisableUser(ctx, u.Name)
}

func (m *Main) userToken(ctx context.Context, a *app, name string, revoke bool) error {
	now := time.Now().UTC()
	u, err := console.FindUser(ctx, a.db, name)
	if err != nil {
		return err
	}
	if revoke {
		return a.db.RevokeTokens(ctx, u.Name, now)
	}
	if u.Disabled {
		return fmt.Errorf("user %s is disabled", u.Name)
	}
	token, hash := console.NewSecret(console.TokenPrefix)
	if err := a.db.CreateToken(ctx, u.ID, hash, now); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, token)
	return nil
}

// userContact sets a user's e-mail address (set-email NAME ADDR) or head
// flag (set-head NAME [--off]), keeping the other.
func (m *Main) userContact(ctx context.Context, a *app, sub string, pos []string, o userOpts) error {
	u, err := console.FindUser(ctx, a.db, pos[0])
	if err != nil {
		return err
	}
	email, head := u.Email, u.Head
	if sub == "set-email" {
		email = pos[1]
	} else {
		head = !o.off
	}
	if err := a.db.SetUserContact(ctx, u.Name, email, head); err != nil {
		return err
	}
	switch {
	case sub == "set-head" && head:
		fmt.Fprintf(m.Stdout, "%s now heads %s: told of its overdue tickets\n", u.Name, u.Department)
	case sub == "set-head":
		fmt.Fprintf(m.Stdout, "%s no longer heads %s\n", u.Name, u.Department)
	case email == "":
		fmt.Fprintf(m.Stdout, "%s has no e-mail address now\n", u.Name)
	default:
		fmt.Fprintf(m.Stdout, "%s is mailed at %s\n", u.Name, email)
	}
	return nil
}
