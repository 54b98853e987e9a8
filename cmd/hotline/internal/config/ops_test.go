// SPDX-License-Identifier: Apache-2.0

package config_test

import (
	"strings"
	"testing"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
)

func TestBackupAndTLSKeys(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string // a problem's text; "" for none
	}{
		{"OKDefault", nil, ""},
		{"OKSchedule", map[string]string{"HOTLINE_BACKUP_SCHEDULE": "30 2 * * *", "HOTLINE_BACKUP_KEEP": "3", "HOTLINE_BACKUP_DIR": "/srv/backup"}, ""},
		{"ErrSchedule", map[string]string{"HOTLINE_BACKUP_SCHEDULE": "daily"}, "backup.schedule empty or a cron schedule"},
		{"ErrKeep", map[string]string{"HOTLINE_BACKUP_KEEP": "0"}, "backup.keep must be at least 1"},
		{"OKTLS", map[string]string{"HOTLINE_TLS_CERT_FILE": "/c.pem", "HOTLINE_TLS_KEY_FILE": "/k.pem"}, ""},
		{"ErrTLSHalf", map[string]string{"HOTLINE_TLS_CERT_FILE": "/c.pem"}, "tls.cert_file and tls.key_file go together"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.Load("", func(k string) string { return tt.env[k] })
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if v := tt.env["HOTLINE_BACKUP_KEEP"]; v != "" && c.Backup.Keep != 3 {
					t.Errorf("backup.keep = %d", c.Backup.Keep)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load = %v, want a problem with %q", err, tt.want)
			}
		})
	}
}
