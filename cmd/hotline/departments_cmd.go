// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

const departmentsSynopsis = `hotline departments list [--on YYYY-MM-DD] [--json]
       hotline departments rename ID --name NAME --from YYYY-MM-DD
       hotline departments merge ID --into ID [--from YYYY-MM-DD]   (default: today; never a later day)
Every subcommand takes --config FILE. A running "hotline serve" routes by the
new names and successors after its next start.`

// departmentOpts holds the options of the departments subcommands.
type departmentOpts struct {
	config, name, into, from, on, actor string
	json                                bool
}

// runDepartments runs "hotline departments SUBCOMMAND".
func (m *Main) runDepartments(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("departments needs a subcommand; usage:\n%s", departmentsSynopsis)
	}
	sub := args[0]
	if sub == "-h" || sub == "--help" || sub == "help" {
		fmt.Fprintf(m.Stdout, "Usage: %s\n", departmentsSynopsis)
		return nil
	}
	want, ok := map[string]int{"list": 0, "rename": 1, "merge": 1}[sub]
	if !ok {
		return usagef("unknown departments subcommand %q; usage:\n%s", sub, departmentsSynopsis)
	}
	var o departmentOpts
	fs := newFlagSet("hotline departments "+sub, departmentsSynopsis, m.Stderr)
	fs.StringVar(&o.config, "config", "", "config file (default: $HOTLINE_CONFIG, else the embedded default)")
	fs.StringVar(&o.actor, "actor", "", "who acts, for the record (default: cli:$USER)")
	switch sub {
	case "list":
		fs.StringVar(&o.on, "on", "", "the names of that day (default: today)")
		fs.BoolVar(&o.json, "json", false, "print JSON")
	case "rename":
		fs.StringVar(&o.name, "name", "", "the new name (required)")
		fs.StringVar(&o.from, "from", "", "the first day of the new name (required)")
	case "merge":
		fs.StringVar(&o.into, "into", "", "the successor's id (required)")
		fs.StringVar(&o.from, "from", "", "the first day of the merge (default: today)")
	}
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return handled(err)
	}
	if len(pos) != want {
		return usagef("departments %s takes %d argument(s); usage:\n%s", sub, want, departmentsSynopsis)
	}
	if o.actor == "" {
		o.actor = "cli:" + m.osUser()
	}
	a, err := m.openApp(ctx, o.config)
	if err != nil {
		return err
	}
	defer a.Close()
	if sub == "list" {
		return m.departmentList(a, o)
	}
	return m.departmentChange(ctx, a, sub, pos[0], o)
}

// departmentChange records a rename or a merge and says what it did.
func (m *Main) departmentChange(ctx context.Context, a *app, sub, id string, o departmentOpts) error {
	today := tickets.DateOf(time.Now().In(a.cal.Location()))
	c := tickets.DepartmentChange{Department: id, At: time.Now(), Actor: o.actor, From: today}
	switch {
	case sub == "rename" && (o.name == "" || o.from == ""):
		return usagef("departments rename needs --name and --from")
	case sub == "merge" && o.into == "":
		return usagef("departments merge needs --into")
	case sub == "rename":
		c.NewName = strings.TrimSpace(norm.NFC.String(o.name))
	default:
		c.Into = o.into
	}
	if o.from != "" {
		d, err := tickets.ParseDate(o.from)
		if err != nil {
			return usagef("--from: %s", tickets.ErrorMessage(err))
		}
		c.From = d
	}
	c, err := a.menu.Prepare(c, today)
	if err != nil {
		return err
	}
	moved, err := a.db.RecordDepartmentChange(ctx, c, mergeNote(a.menu, c))
	if err != nil {
		return err
	}
	if c.Merge() {
		fmt.Fprintf(m.Stdout, "Đã ghi nhận: %s sáp nhập vào %s từ ngày %s; %d phiếu đang mở đã được chuyển.\n",
			a.menu.NameOn(c.Department, today), a.menu.NameOn(c.Into, today), a.cal.FormatDate(a.cal.EndOfDay(c.From)), moved)
	} else {
		fmt.Fprintf(m.Stdout, "Đã ghi nhận: %s đổi tên thành %s từ ngày %s.\n",
			c.OldName, c.NewName, a.cal.FormatDate(a.cal.EndOfDay(c.From)))
	}
	fmt.Fprintln(m.Stdout, "A running \"hotline serve\" uses the change after its next start.")
	return nil
}

// mergeNote is the history note of a ticket moved by the merge c.
func mergeNote(menu *tickets.Menu, c tickets.DepartmentChange) string {
	if !c.Merge() {
		return ""
	}
	return fmt.Sprintf("Sáp nhập %s vào %s từ ngày %02d/%02d/%04d", menu.NameBefore(c.Department, c.From),
		menu.NameOn(c.Into, c.From), c.From.Day, c.From.Month, c.From.Year)
}

// departmentJSON is a department as "hotline departments list --json"
// prints it.
type departmentJSON struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	MergedInto string `json:"merged_into,omitempty"`
}

// departmentList prints every department with its name on a day, the
// merged ones with their successor, then the changes.
func (m *Main) departmentList(a *app, o departmentOpts) error {
	day := tickets.DateOf(time.Now().In(a.cal.Location()))
	if o.on != "" {
		d, err := tickets.ParseDate(o.on)
		if err != nil {
			return usagef("--on: %s", tickets.ErrorMessage(err))
		}
		day = d
	}
	menu := a.menu.On(day)
	var ds []departmentJSON
	for _, d := range a.cfg.Departments {
		j := departmentJSON{ID: d.ID, Name: menu.NameOn(d.ID, day)}
		if s := menu.Successor(d.ID); s != d.ID {
			j.MergedInto = s
		}
		ds = append(ds, j)
	}
	if o.json {
		return encodeJSON(m.Stdout, ds)
	}
	w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tTÊN\tSÁP NHẬP VÀO")
	for _, d := range ds {
		fmt.Fprintf(w, "%s\t%s\t%s\n", d.ID, d.Name, d.MergedInto)
	}
	if cs := menu.Changes(); len(cs) > 0 {
		fmt.Fprintln(w, "\nTỪ NGÀY\tCƠ QUAN\tTHAY ĐỔI")
		for _, c := range cs {
			what := "đổi tên từ «" + c.OldName + "» thành «" + menu.NameOn(c.Department, c.From) + "»"
			if c.Merge() {
				what = "sáp nhập vào " + c.Into
			}
			fmt.Fprintf(w, "%s\t%s\t%s\n", a.cal.FormatDate(a.cal.EndOfDay(c.From)), c.Department, what)
		}
	}
	return w.Flush()
}

// withDepartmentChanges returns the menu with the config's and the store's
// department changes, as of today, and moves the open tickets of
// departments the config form merged (a recorded merge moved them when it
// was recorded).
func withDepartmentChanges(ctx context.Context, cfg *config.Config, db *sqlite.DB, menu *tickets.Menu, cal *tickets.Calendar) (*tickets.Menu, error) {
	stored, err := db.DepartmentChanges(ctx)
	if err != nil {
		return nil, err
	}
	if len(stored) == 0 && len(cfg.DepartmentChanges) == 0 {
		return menu, nil
	}
	today := tickets.DateOf(time.Now().In(cal.Location()))
	all := append(slices.Clone(cfg.DepartmentChanges), stored...)
	if menu, err = menu.WithChanges(all, today); err != nil {
		return nil, fmt.Errorf("department changes (config and \"hotline departments\"): %w", err)
	}
	for _, c := range cfg.DepartmentChanges {
		if !c.Merge() || c.From.String() > today.String() {
			continue
		}
		if _, err := db.MoveOpenTickets(ctx, c.Department, menu.Successor(c.Department), time.Now(), "config", mergeNote(menu, c)); err != nil {
			return nil, err
		}
	}
	return menu, nil
}
