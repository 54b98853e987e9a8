// SPDX-License-Identifier: Apache-2.0

package config_test

import (
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
)

func TestZaloKeys(t *testing.T) {
	t.Run("OKDefault", func(t *testing.T) {
		c, err := config.Load("", func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		z := c.Zalo
		if z.AppID != "" || z.WebhookPath != "/zalo/webhook" || z.API != "https://openapi.zalo.me" ||
			z.OAuth != "https://oauth.zaloapp.com" || z.Business != "https://business.openapi.zalo.me" || z.TemplateReceived != "" {
			t.Errorf("defaults = %+v", z)
		}
	})
	t.Run("OKEnv", func(t *testing.T) {
		env := map[string]string{"HOTLINE_ZALO_APP_ID": "123", "HOTLINE_ZALO_OA_ID": "456", "HOTLINE_ZALO_WEBHOOK_PATH": "/hooks/zalo",
			"HOTLINE_ZALO_API": "http://127.0.0.1:9", "HOTLINE_ZALO_OAUTH": "http://127.0.0.1:9", "HOTLINE_ZALO_BUSINESS": "http://127.0.0.1:9",
			"HOTLINE_ZALO_TEMPLATE_RECEIVED": "t1", "HOTLINE_ZALO_TEMPLATE_ANSWERED": "t2"}
		c, err := config.Load("", func(k string) string { return env[k] })
		if err != nil {
			t.Fatal(err)
		}
		want := config.Zalo{AppID: "123", OAID: "456", WebhookPath: "/hooks/zalo", API: "http://127.0.0.1:9", OAuth: "http://127.0.0.1:9",
			Business: "http://127.0.0.1:9", TemplateReceived: "t1", TemplateAnswered: "t2"}
		if c.Zalo != want {
			t.Errorf("Zalo = %+v, want %+v", c.Zalo, want)
		}
	})
	for name, tt := range map[string]struct{ key, value, want string }{
		"ErrPath": {"HOTLINE_ZALO_WEBHOOK_PATH", "zalo", "is not a path"},
		"ErrAPI":  {"HOTLINE_ZALO_API", "ftp://x", "http or https URL"},
		"ErrID":   {"HOTLINE_ZALO_APP_ID", "12/3", "is not an id"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := config.Load("", func(k string) string {
				if k == tt.key {
					return tt.value
				}
				return ""
			})
			if err == nil || !strings.Contains(err.Error(), tt.key) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load = %v, want a problem naming %s: %s", err, tt.key, tt.want)
			}
		})
	}
}
