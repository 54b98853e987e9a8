// SPDX-License-Identifier: Apache-2.0

package config_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
)

// sameSettings reports the exported fields on which a and b differ.
func sameSettings(tb testing.TB, a, b *config.Config) {
	tb.Helper()
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for i := range va.NumField() {
		f := va.Type().Field(i)
		if f.IsExported() && !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			tb.Errorf("%s: %v, read back as %v", f.Name, va.Field(i).Interface(), vb.Field(i).Interface())
		}
	}
}

// printed returns Print's output for c.
func printed(tb testing.TB, c *config.Config) string {
	tb.Helper()
	var b bytes.Buffer
	if err := config.Print(&b, c); err != nil {
		tb.Fatal(err)
	}
	return b.String()
}

func TestPrintRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		file string
		vars map[string]string
	}{
		{"Default", "", nil},
		{"File", menuHead + `
[[branches]]
key = 3
name = "Tên có \"ngoặc kép\" và \\ gạch chéo"
department = "so-noi-vu"
deadline_days = 30
[hours]
saturday = ["07:30-11:30"]
sunday = ["00:00-24:00"]
monday = []
[telegram.department_chats]
so-tu-phap = -1009876543210
so-noi-vu = -1001234567890
`, nil},
		{"Env", "", map[string]string{
			"HOTLINE_HTTP_ADDR":                    "0.0.0.0:8080",
			"HOTLINE_HOLIDAYS":                     "2026-09-02",
			"HOTLINE_HOURS_FRIDAY":                 "closed",
			"HOTLINE_ARI_MAX_RECORDING":            "90s",
			"HOTLINE_BRANCH_4_NAME":                "Thủ tục hành chính",
			"HOTLINE_DEPARTMENT_SO_TAI_CHINH_NAME": "Sở Tài chính tỉnh",
			"HOTLINE_TELEGRAM_DEPARTMENT_CHATS":    "so-noi-vu=-1001",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := ""
			if tc.file != "" {
				path = writeConfig(t, tc.file)
			}
			c := mustLoad(t, path, tc.vars)
			text := printed(t, c)
			back := mustLoad(t, writeConfig(t, text), nil)
			sameSettings(t, c, back)
			if again := printed(t, back); again[strings.IndexByte(again, '\n'):] != stripComments(text[strings.IndexByte(text, '\n'):]) {
				t.Errorf("printing the printed config changed it:\n%s\nthen:\n%s", text, again)
			}
		})
	}
}

// stripComments drops the "# from VAR" annotations.
func stripComments(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if j := strings.Index(l, " # from HOTLINE_"); j >= 0 {
			lines[i] = l[:j]
		}
	}
	return strings.Join(lines, "\n")
}

func TestPrintNamesVariables(t *testing.T) {
	c := mustLoad(t, "", map[string]string{
		"HOTLINE_HTTP_ADDR":     "0.0.0.0:8080",
		"HOTLINE_BRANCH_4_NAME": "Thủ tục hành chính",
		"HOTLINE_HOLIDAYS":      "2026-09-02",
	})
	text := printed(t, c)
	for _, want := range []string{
		"addr = \"0.0.0.0:8080\" # from HOTLINE_HTTP_ADDR\n",
		"name = \"Thủ tục hành chính\" # from HOTLINE_BRANCH_4_NAME\n",
		"holidays = [\n  \"2026-09-02\",\n] # from HOTLINE_HOLIDAYS\n",
		"level = \"info\"\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
}

func TestPrintHasNoSecrets(t *testing.T) {
	vars := map[string]string{
		"HOTLINE_ARI_PASSWORD":          "pw-7f3a9c",
		"HOTLINE_TELEGRAM_TOKEN":        "123456:tok-AAEf",
		"HOTLINE_WEBHOOK_SECRET":        "whs-91be",
		"HOTLINE_ARI_PASSWORD_FILE":     "/run/credentials/ari",
		"HOTLINE_TELEGRAM_TOKEN_FILE":   "/run/credentials/telegram",
		"HOTLINE_ARI_USER":              "hotline",
		"HOTLINE_ARI_URL":               "http://127.0.0.1:8088/ari",
		"HOTLINE_TELEGRAM_WEBHOOK_URL":  "https://hotline.example.gov.vn/hook",
		"HOTLINE_ARI_OPERATOR_ENDPOINT": "PJSIP/operator",
	}
	text := printed(t, mustLoad(t, "", vars))
	for name, value := range vars {
		upper := strings.ToUpper(name)
		secret := strings.Contains(upper, "PASSWORD") || strings.Contains(upper, "TOKEN") || strings.Contains(upper, "SECRET")
		if secret && strings.Contains(text, value) {
			t.Errorf("output contains the value of %s:\n%s", name, text)
		}
		if !secret && !strings.Contains(text, value) {
			t.Errorf("output lacks the value of %s", name)
		}
	}
}
