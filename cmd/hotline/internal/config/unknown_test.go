// SPDX-License-Identifier: Apache-2.0

package config_test

import (
	"testing"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
)

func TestUnknownVariables(t *testing.T) {
	c, err := config.Load("", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	environ := []string{
		"HOME=/root", "HOTLINE_HTTP_ADDR=127.0.0.1:9", "HOTLINE_CONFIG=/etc/hotline/hotline.toml",
		"HOTLINE_BRANCH_4_DEADLINE_DAYS=5", "HOTLINE_DEPARTMENT_SO_NOI_VU_NAME=Sở Nội vụ",
		"HOTLINE_TELEGRAM_TOKEN_FILE=/run/credentials/t", "HOTLINE_HTTP_ADRR=127.0.0.1:9",
		"HOTLINE_ARI_PASWORD=x", "HOTLINE_SOMETHING_ELSE_ENTIRELY=1",
	}
	got := config.UnknownVariables(c, environ, "HOTLINE_TELEGRAM_TOKEN", "HOTLINE_TELEGRAM_TOKEN_FILE", "HOTLINE_ARI_PASSWORD")
	want := []string{
		"HOTLINE_ARI_PASWORD: unknown variable, ignored (did you mean HOTLINE_ARI_PASSWORD?)",
		"HOTLINE_HTTP_ADRR: unknown variable, ignored (did you mean HOTLINE_HTTP_ADDR?)",
		"HOTLINE_SOMETHING_ELSE_ENTIRELY: unknown variable, ignored",
	}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("problem %d = %q, want %q", i, got[i], want[i])
		}
	}
}
