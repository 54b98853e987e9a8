// SPDX-License-Identifier: Apache-2.0

package config_test

import (
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
)

func TestSurveyKeys(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		enabled bool
		target  float64
		want    string // a problem's text; "" for none
	}{
		{"OKDefault", nil, true, 0.8, ""},
		{"OKEnv", map[string]string{"HOTLINE_SURVEY_ENABLED": "false", "HOTLINE_SURVEY_TARGET": "0.9"}, false, 0.9, ""},
		{"ErrTargetAboveOne", map[string]string{"HOTLINE_SURVEY_TARGET": "80"}, false, 0, "HOTLINE_SURVEY_TARGET: the target satisfaction rate"},
		{"ErrTargetNotANumber", map[string]string{"HOTLINE_SURVEY_TARGET": "80%"}, false, 0, "not a number such as 0.8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.Load("", func(k string) string { return tt.env[k] })
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("Load = %v, want a problem with %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Survey.Enabled != tt.enabled || c.Survey.Target != tt.target {
				t.Errorf("survey = %+v", c.Survey)
			}
		})
	}
}
