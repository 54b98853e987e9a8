// SPDX-License-Identifier: Apache-2.0

package asterisk

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
)

// Sounds returns the ids of the sounds Asterisk has in language lang
// (GET /sounds?lang=…), e.g. "hotline/greeting".
func (cl *Client) Sounds(ctx context.Context, lang string) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, cl.opts.RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, cl.opts.URL+"/sounds?lang="+url.QueryEscape(lang), nil)
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(cl.opts.User, cl.opts.Password)
	resp, err := cl.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("ari sounds: %w", err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return nil, ErrUnauthorized
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("ari sounds: %s", resp.Status)
	}
	var list []struct {
		ID string `json:"id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		return nil, fmt.Errorf("ari sounds: %w", err)
	}
	ids := make([]string, 0, len(list))
	for _, s := range list {
		ids = append(ids, s.ID)
	}
	return ids, nil
}

// MissingPrompts returns the prompts of ids (without SoundPrefix) that
// Asterisk does not have in the client's language (vi if unset).
func (cl *Client) MissingPrompts(ctx context.Context, ids []string) ([]string, error) {
	lang := cl.opts.Language
	if lang == "" {
		lang = "vi"
	}
	have, err := cl.Sounds(ctx, lang)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, id := range ids {
		if !slices.Contains(have, cl.opts.SoundPrefix+id) {
			missing = append(missing, id)
		}
	}
	return missing, nil
}

// checkPrompts runs at each connection when Options.Prompts is set: every
// missing prompt is logged as an error naming its file and the command
// that installs it, and kept for Missing.
func (cl *Client) checkPrompts(ctx context.Context) {
	if len(cl.opts.Prompts) == 0 {
		return
	}
	missing, err := cl.MissingPrompts(ctx, cl.opts.Prompts)
	if err != nil {
		cl.log.Warn("ari: cannot list Asterisk's sounds to check the prompts", "err", err)
		return
	}
	cl.mu.Lock()
	cl.missing = missing
	cl.mu.Unlock()
	for _, id := range missing {
		cl.log.Error("prompt missing on Asterisk: callers hear silence", "prompt", id,
			"file", cl.opts.Language+"/"+cl.opts.SoundPrefix+id+".wav", "install", cl.opts.InstallHint)
	}
}

// Missing returns the prompts Asterisk lacked at the last connection
// (Options.Prompts); nil if none or not checked yet.
func (cl *Client) Missing() []string {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	return slices.Clone(cl.missing)
}
