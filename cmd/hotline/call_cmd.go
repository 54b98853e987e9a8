// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/hotline-cchc/hotline/ivr"
	"github.com/hotline-cchc/hotline/ivr/aritest"
	"github.com/hotline-cchc/hotline/ivr/asterisk"
	"github.com/hotline-cchc/hotline/sounds"
	"github.com/hotline-cchc/hotline/tickets"
	"github.com/hotline-cchc/hotline/tickets/sqlite"
)

const callSynopsis = `hotline call --keys "4" [--from NUMBER] [--say 12s] [--hangup-after 10s] [--operator-answers 5s] [--at "2026-11-02 09:00"] [--store] [--config FILE]`

// callSpeed is how much faster than real time a simulated call runs.
const callSpeed = 100

// runCall places one simulated call through the ARI fake, in-process, with
// the configured menu, and prints each prompt played and the outcome. The
// ticket goes to a throw-away database unless --store is given.
func (m *Main) runCall(ctx context.Context, args []string) error {
	fs := newFlagSet("hotline call", callSynopsis, m.Stderr)
	keys := fs.String("keys", "", `keys the caller presses, in groups separated by commas, each after a prompt ends: "4" or "*,123456789#"`)
	from := fs.String("from", "0939015599", "the caller's number")
	say := fs.Duration("say", 12*time.Second, "how long the caller talks when recorded")
	hangup := fs.Duration("hangup-after", 0, "the caller hangs up this long after the call starts (default: never)")
	operator := fs.Duration("operator-answers", 0, "an operator answers key 0 after this long (default: nobody answers)")
	at := fs.String("at", "", `the call's local time, "2006-01-02 15:04" (default: now), e.g. to try the after-hours message`)
	store := fs.Bool("store", false, "keep the ticket and the call in the configured data folder")
	path := fs.String("config", "", "config file (default: $HOTLINE_CONFIG, else the embedded default)")
	verbose := fs.Bool("verbose", false, "log what the phone channel does")
	if pos, err := parseArgs(fs, args); err != nil {
		return handled(err)
	} else if len(pos) > 0 {
		return usagef("call takes no arguments; usage: %s", callSynopsis)
	}
	a, cleanup, err := m.openCallApp(ctx, *path, *store)
	if err != nil {
		return err
	}
	defer cleanup()
	if *at != "" {
		t, err := time.ParseInLocation("2006-01-02 15:04", *at, a.cal.Location())
		if err != nil {
			return usagef("--at %q: want a local time such as 2026-11-02 09:00", *at)
		}
		a.svc.Now = func() time.Time { return t }
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: level}))
	caller := aritest.Caller{Number: *from, Say: *say, HangupAfter: *hangup}
	if *keys != "" {
		caller.Keys = strings.Split(*keys, ",")
	}
	for _, n := range operatorNotes(a, caller.Keys, *operator > 0) {
		fmt.Fprintln(m.Stdout, "note:", n)
	}
	return simulateCall(ctx, m.Stdout, a, caller, aritest.Operator{AnswerAfter: *operator, Talk: 30 * time.Second}, log)
}

// simulatedOperator is the dial string a simulated call uses for the
// operators when the configuration has none and --operator-answers asks
// for one.
const simulatedOperator = "PJSIP/operator"

// operatorNotes says why key 0 will not reach an operator in this
// simulated call, if the caller presses it; with answers (--operator-answers)
// and no operator configured, the simulation uses simulatedOperator.
func operatorNotes(a *app, keys []string, answers bool) []string {
	if !slices.ContainsFunc(keys, func(k string) bool { return strings.HasPrefix(k, "0") }) {
		return nil
	}
	var notes []string
	switch {
	case a.cfg.ARI.OperatorEndpoint == "" && answers:
		a.cfg.ARI.OperatorEndpoint = simulatedOperator
		notes = append(notes, "ari.operator_endpoint is not set; this simulation dials "+simulatedOperator+
			" (set ari.operator_endpoint or HOTLINE_ARI_OPERATOR_ENDPOINT for the real line)")
	case a.cfg.ARI.OperatorEndpoint == "":
		notes = append(notes, "key 0 is not offered: ari.operator_endpoint is not set (HOTLINE_ARI_OPERATOR_ENDPOINT, e.g. PJSIP/operator)"+
			"; add --operator-answers 5s to simulate an operator who answers")
	case !answers:
		notes = append(notes, "no operator answers in this simulation: add --operator-answers 5s")
	}
	now := time.Now()
	if a.svc.Now != nil {
		now = a.svc.Now()
	}
	if !a.cal.Open(now) {
		notes = append(notes, fmt.Sprintf("key 0 is offered only in business hours ([hours] and holidays); %s is outside them (try --at \"%s\")",
			now.In(a.cal.Location()).Format("2006-01-02 15:04"), nextWorkday(a.cal, now)))
	}
	return notes
}

// nextWorkday is 09:00 of the next working day after t, as --at takes it.
func nextWorkday(cal *tickets.Calendar, t time.Time) string {
	t = t.In(cal.Location())
	for d := 1; d < 30; d++ {
		day := time.Date(t.Year(), t.Month(), t.Day()+d, 9, 0, 0, 0, cal.Location())
		if cal.Open(day) {
			return day.Format("2006-01-02 15:04")
		}
	}
	return "2026-11-02 09:00"
}

// openCallApp opens the configuration with the configured store, or with a
// store in a temporary folder that cleanup removes.
func (m *Main) openCallApp(ctx context.Context, path string, keep bool) (*app, func(), error) {
	if keep {
		a, err := m.openApp(ctx, path)
		if err != nil {
			return nil, nil, err
		}
		return a, func() { a.Close() }, nil
	}
	cfg, err := m.loadConfig(path)
	if err != nil {
		return nil, nil, err
	}
	menu, err := cfg.Menu()
	if err != nil {
		return nil, nil, err
	}
	cal, err := cfg.Calendar()
	if err != nil {
		return nil, nil, err
	}
	dir, err := os.MkdirTemp("", "hotline-call-")
	if err != nil {
		return nil, nil, err
	}
	db, err := sqlite.Open(ctx, filepath.Join(dir, dbFile))
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("open store: %w", err)
	}
	if menu, err = withDepartmentChanges(ctx, cfg, db, menu, cal); err != nil {
		db.Close()
		os.RemoveAll(dir)
		return nil, nil, err
	}
	svc := &tickets.Service{Store: db, Menu: menu, Calendar: cal, Normalize: norm.NFC.String}
	a := &app{cfg: cfg, db: db, svc: svc, menu: menu, cal: cal}
	return a, func() { db.Close(); os.RemoveAll(dir) }, nil
}

// simulateCall runs the fake, the real ARI client and the real flow, places
// one call from caller and prints what the caller heard and the outcome.
func simulateCall(ctx context.Context, out io.Writer, a *app, caller aritest.Caller, op aritest.Operator, log *slog.Logger) error {
	texts, err := promptTexts(a)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for id := range texts {
		known[sounds.SoundPrefix+id] = true
	}
	password := tickets.NewCode().String() // any value: the fake lives in this process only
	fake, err := aritest.New(aritest.Options{User: "hotline", Password: password, Speed: callSpeed, Sounds: known,
		Operator: op, PromptLength: promptLength(promptSet(a))})
	if err != nil {
		return err
	}
	defer fake.Close()
	cfg := flowConfig(a)
	cfg.Now = a.svc.Now
	flow := ivr.New(cfg, a.svc, a.db, log)
	client, err := asterisk.New(asterisk.Options{URL: fake.URL(), User: "hotline", Password: password, App: "hotline",
		Language: "vi", Speed: callSpeed, RetryDelay: 10 * time.Millisecond, Log: log})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan tickets.Call, 1)
	runErr := make(chan error, 1)
	go func() {
		runErr <- client.Run(ctx, func(ctx context.Context, c ivr.Call) { results <- flow.Handle(ctx, c) })
	}()
	for !fake.Connected("hotline") || !client.Connected() {
		select {
		case err := <-runErr:
			return fmt.Errorf("simulated call: %w", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
	}
	start := fake.Now()
	k := fake.Call("hotline", caller)
	var result tickets.Call
	select {
	case result = <-results:
	case <-ctx.Done():
		return ctx.Err()
	}
	<-k.Done()
	printCall(out, k.Log(), start, texts)
	return printOutcome(ctx, out, a, result)
}

// promptLength returns how long a prompt of set plays: its WAV's length.
func promptLength(set sounds.Set) func(media string) time.Duration {
	return func(media string) time.Duration {
		if id, ok := strings.CutPrefix(media, "sound:"+sounds.SoundPrefix); ok {
			if data, err := set.WAV(id); err == nil && len(data) > 44 {
				return time.Duration(len(data)-44) * time.Second / 16000 // 8 kHz, 2 bytes a sample
			}
		}
		return time.Second
	}
}

func printCall(out io.Writer, log []aritest.Entry, start time.Duration, texts map[string]string) {
	for _, e := range log {
		at := e.At - start
		stamp := fmt.Sprintf("%2d:%04.1f", int(at.Minutes()), (at % time.Minute).Seconds())
		switch e.What {
		case "play":
			id := strings.TrimPrefix(e.Arg, "sound:"+sounds.SoundPrefix)
			fmt.Fprintf(out, "%s  ▶ %-24s %s\n", stamp, id, texts[id])
		case "key":
			fmt.Fprintf(out, "%s  ☎ key %s\n", stamp, e.Arg)
		case "record":
			fmt.Fprintf(out, "%s  ● recording %s\n", stamp, e.Arg)
		case "recorded":
			fmt.Fprintf(out, "%s  ■ recorded\n", stamp)
		case "ring":
			fmt.Fprintf(out, "%s  ♪ ringing the operators\n", stamp)
		case "bridge":
			fmt.Fprintf(out, "%s  ⇄ talking to an operator\n", stamp)
		case "hangup":
			fmt.Fprintf(out, "%s  ✕ the hotline hangs up\n", stamp)
		case "caller-hangup":
			fmt.Fprintf(out, "%s  ✕ the caller hangs up\n", stamp)
		}
	}
}

func printOutcome(ctx context.Context, out io.Writer, a *app, c tickets.Call) error {
	if c.TicketCode == "" {
		fmt.Fprintf(out, "outcome: %s\n", c.Outcome)
		switch c.Outcome {
		case tickets.OutcomeFailed:
			return fmt.Errorf("the caller pressed a key the menu does not offer %d times (ari.menu_attempts)", a.cfg.ARI.MenuAttempts)
		case tickets.OutcomeFault:
			return errors.New("the simulated call failed on a system fault; run with --verbose for the log")
		}
		return nil
	}
	t, err := a.db.Ticket(ctx, c.TicketCode)
	if err != nil {
		return err
	}
	b, dept, err := a.menu.Route(t.Branch)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "outcome: %s, ticket %s — branch %d %s → %s, due %s, recording %s\n", c.Outcome, t.Code.Grouped(),
		b.Key, b.Name, dept.Name, a.cal.FormatDate(t.Deadline), t.Recording)
	return nil
}
