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

const usersSynopsis = `hotline users add NAME --role R [--department D]   (password asked twice on a terminal, else the first line of standard input)
       hotline users passwd NAME                          (the same; revokes the user's sessions and API tokens)
       hotline users disable NAME
       hotline users list
       hotline users token NAME [--revoke]                (prints a new API token; --revoke revokes them all)
Roles: admin, manager, focal (needs --department), operator. Every subcommand takes --config FILE.`

// userOpts holds the options of the users subcommands.
type userOpts struct {
	config, role, department string
	revoke                   bool
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
	want, ok := map[string]int{"add": 1, "passwd": 1, "disable": 1, "list": 0, "token": 1}[sub]
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
	u := &tickets.User{Name: name, Role: role, Department: o.department, CreatedAt: time.Now().UTC()}
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
	fmt.Fprintln(w, "NAME\tROLE\tDEPARTMENT\tSTATE")
	for _, u := range us {
		state := "active"
		if u.Disabled {
			state = "disabled"
		}
		dept := u.Department
		if dept == "" {
			dept = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", u.Name, u.Role, dept, state)
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
