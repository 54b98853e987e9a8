// SPDX-License-Identifier: Apache-2.0

package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/secrets"
	"github.com/hotline-cchc/hotline/ivr"
	"github.com/hotline-cchc/hotline/ivr/asterisk"
	"github.com/hotline-cchc/hotline/sounds"
	"github.com/hotline-cchc/hotline/tickets"
)

// flowConfig is the IVR's configuration from the app's.
func flowConfig(a *app) ivr.Config {
	c := a.cfg.ARI
	return ivr.Config{Menu: a.menu, Calendar: a.cal, Operator: c.OperatorEndpoint, OperatorTimeout: c.OperatorTimeout,
		MaxRecording: c.MaxRecording, DigitTimeout: c.DigitTimeout, Attempts: c.MenuAttempts,
		SilenceBefore: c.SilenceBefore, SilenceAfter: c.SilenceAfter, MinSpeech: c.MinSpeech,
		NoRecordingNotice: !c.RecordingNotice}
}

// promptSet is where the prompts come from: ari.sounds_dir, falling back
// to the embedded ones.
func promptSet(a *app) sounds.Set { return sounds.Set{Dir: a.cfg.ARI.SoundsDir} }

// promptTexts returns what each prompt the flow may play with the app's
// menu must say: the branch and department names of the configuration, the
// manifest's text for the others. ids the manifest lacks are left out.
func promptTexts(a *app) (map[string]string, error) {
	texts, err := sounds.Texts()
	if err != nil {
		return nil, err
	}
	for _, b := range a.menu.Branches() {
		texts[ivr.BranchPrompt(b.Key)] = sounds.Spoken(b.Name)
	}
	for _, d := range a.menu.Departments() {
		texts[ivr.DepartmentPrompt(d.ID)] = sounds.Spoken(d.Name)
	}
	if t := strings.TrimSpace(a.cfg.ARI.NoticeText); t != "" {
		texts[ivr.PromptRecordNotice] = t
	}
	want := map[string]string{}
	for _, id := range ivr.Prompts(a.menu) {
		if t, ok := texts[id]; ok {
			want[id] = t
		}
	}
	return want, nil
}

// checkPrompts compares the prompts with the app's menu: stale ones say an
// old text (a branch or department renamed), missing ones do not exist.
func checkPrompts(a *app) (stale, missing []string, err error) {
	want, err := promptTexts(a)
	if err != nil {
		return nil, nil, err
	}
	stale, missing, err = promptSet(a).Check(want)
	for _, id := range ivr.Prompts(a.menu) {
		if _, ok := want[id]; !ok {
			missing = append(missing, id)
		}
	}
	return stale, missing, err
}

// installHint is the command that installs the prompts, logged beside a
// prompt Asterisk lacks.
const installHint = "hotline sounds install /usr/share/asterisk/sounds (Asterisk's astdatadir/sounds; /var/lib/asterisk/sounds on some systems)"

// ariOptions are the ARI client's options from the app's configuration.
func ariOptions(a *app, password string, log *slog.Logger) asterisk.Options {
	return asterisk.Options{URL: a.cfg.ARI.URL, User: a.cfg.ARI.User, Password: password, App: a.cfg.ARI.App,
		Language: "vi", SoundPrefix: sounds.SoundPrefix, Prompts: ivr.Prompts(a.menu), InstallHint: installHint, Log: log}
}

// startPhone connects the phone channel to Asterisk and answers calls until
// stop is called; status says "connected", "disconnected" or why the
// channel stopped. While Asterisk is down the rest of the hotline runs on
// and the client keeps reconnecting. It returns an error if the ARI
// password is not set or the settings are unusable.
func (m *Main) startPhone(ctx context.Context, a *app, log *slog.Logger) (status func() string, stop func(), err error) {
	password, _, err := m.secretStore().Lookup(secrets.ARIPassword)
	if err != nil {
		return nil, nil, err
	}
	if stale, missing, err := checkPrompts(a); err != nil || len(stale)+len(missing) > 0 {
		log.Warn("prompts missing or stale for the configured menu: run hotline sounds generate, then hotline sounds install",
			"missing", missing, "stale", stale, "err", err)
	}
	log = log.With("channel_kind", "phone")
	opts := ariOptions(a, password, log)
	var client *asterisk.Client
	opts.Orphans = func(ctx context.Context, names []string) { sweepMessages(ctx, a, client, names, log) }
	client, err = asterisk.New(opts)
	if err != nil {
		return nil, nil, err
	}
	a.missingPrompts = client.Missing
	if err := closeStaleCalls(ctx, a, log); err != nil {
		return nil, nil, err
	}
	a.recordingFile = recordingFile(client)
	flow := phoneFlow(a, log)
	ctx, cancel := context.WithCancel(ctx)
	callbacks := startCallbacks(ctx, a, client, flow, log)
	done := make(chan struct{})
	var mu sync.Mutex
	var failure error
	go func() {
		defer close(done)
		err := client.Run(ctx, func(ctx context.Context, c ivr.Call) { flow.Handle(ctx, c) })
		if err != nil {
			log.Error("phone channel stopped", "err", err)
			mu.Lock()
			failure = err
			mu.Unlock()
		}
	}()
	status = func() string {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case errors.Is(failure, asterisk.ErrUnauthorized):
			return "error: Asterisk refused the ARI user or password"
		case failure != nil:
			return fmt.Sprintf("error: %v", failure)
		case client.Connected():
			return "connected"
		}
		return "disconnected"
	}
	stop = func() {
		cancel()
		<-done
		<-callbacks
	}
	log.Info("phone channel starting", "ari_url", a.cfg.ARI.URL, "app", a.cfg.ARI.App)
	return status, stop, nil
}

// sweepMessages deals with the messages Asterisk kept for calls that ended
// while the hotline was away: one without a ticket is deleted if it holds
// less speech than a message needs, and reported as an error otherwise,
// so that a finished message is never silently lost.
func sweepMessages(ctx context.Context, a *app, client *asterisk.Client, names []string, log *slog.Logger) {
	ticketed, err := phoneRecordings(ctx, a.db)
	if err != nil {
		log.Warn("look up the recordings of phone tickets", "err", err)
		return
	}
	minSpeech := cmp.Or(a.cfg.ARI.MinSpeech, ivr.DefaultMinSpeech)
	for _, name := range names {
		if ticketed[name] {
			continue
		}
		b, err := client.RecordingFile(ctx, name)
		speech, serr := ivr.Speech(b)
		switch {
		case err != nil || serr != nil:
			log.Warn("cannot read a message left on Asterisk without a ticket", "recording", name, "err", cmp.Or(err, serr))
		case speech < minSpeech:
			if err := client.DeleteRecording(ctx, name); err != nil {
				log.Warn("delete a recording without a message", "recording", name, "err", err)
			}
		default:
			log.Error("a message recorded while hotline was away has no ticket: listen to it on Asterisk and open a ticket by hand",
				"recording", name, "speech_seconds", speech.Seconds())
		}
	}
}

// phoneRecordings returns the recording names of every phone ticket.
func phoneRecordings(ctx context.Context, db tickets.Store) (map[string]bool, error) {
	out := map[string]bool{}
	f := tickets.Filter{Channel: tickets.ChannelPhone, Limit: tickets.MaxPageSize}
	for {
		page, err := db.Tickets(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, t := range page.Tickets {
			out[t.Recording] = true
		}
		if page.Next == 0 {
			return out, nil
		}
		f.After = page.Next
	}
}

// recordingFile fetches a call recording from the Asterisk server of client;
// ENOTFOUND when it has none of that name.
func recordingFile(client *asterisk.Client) func(ctx context.Context, name string) ([]byte, error) {
	return func(ctx context.Context, name string) ([]byte, error) {
		b, err := client.RecordingFile(ctx, name)
		if errors.Is(err, asterisk.ErrNoRecording) {
			return nil, tickets.Errorf(tickets.ENOTFOUND, "no recording %s on Asterisk", name)
		}
		return b, err
	}
}
