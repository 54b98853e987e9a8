// SPDX-License-Identifier: Apache-2.0

package packaging_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestPackageContents(t *testing.T) {
	root := installRoot(t)
	for _, f := range []string{"usr/bin/hotline", "lib/systemd/system/hotline.service", "etc/hotline/hotline.toml",
		"usr/share/asterisk/sounds/vi/hotline/branch-4.wav", "usr/share/doc/hotline/operations.md",
		"usr/share/doc/hotline/alerts.yml", "usr/share/doc/hotline/nginx-hotline.conf"} {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			t.Error(err)
		}
	}
	if st, err := os.Stat(filepath.Join(root, "etc/hotline/credentials")); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("credentials folder: %v %v", st, err)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "etc/passwd")); !strings.Contains(string(b), "hotline:x:") || !strings.Contains(string(b), ":/var/lib/hotline:/usr/sbin/nologin") {
		t.Errorf("no system user hotline:\n%s", b)
	}
	q := exec.Command("dpkg-query", "--admindir="+filepath.Join(root, "var/lib/dpkg"), "-W", "-f=${Status} ${Conffiles}", "hotline")
	if out, err := q.CombinedOutput(); err != nil || !strings.HasPrefix(string(out), "install ok installed") || !strings.Contains(string(out), "/etc/hotline/hotline.toml") {
		t.Errorf("dpkg-query: %v %s", err, out)
	}
	if out, err := exec.Command(filepath.Join(root, "usr/bin/hotline"), "version").Output(); err != nil || !strings.HasPrefix(string(out), "hotline ") {
		t.Errorf("hotline version: %v %q", err, out)
	}
}

// systemd-analyze verify, in the root that holds the unit and the binary,
// with the host's own units beside them for the targets it names: no error
// and no warning.
func TestUnitVerifies(t *testing.T) {
	root := installRoot(t)
	analyze := needTool(t, "systemd-analyze")
	host := "/lib/systemd/system"
	units := filepath.Join(root, "usr/lib/systemd/system")
	if err := os.MkdirAll(units, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(host)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".target") || strings.HasSuffix(e.Name(), ".slice") || strings.HasSuffix(e.Name(), ".socket") {
			if b, err := os.ReadFile(filepath.Join(host, e.Name())); err == nil {
				os.WriteFile(filepath.Join(units, e.Name()), b, 0o644)
			}
		}
	}
	out, err := exec.Command(analyze, "verify", "--root="+root, "hotline.service").CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	unit, _ := os.ReadFile(filepath.Join(root, "lib/systemd/system/hotline.service"))
	for _, want := range []string{"User=hotline", "StateDirectory=hotline", "ConfigurationDirectory=hotline", "LoadCredential=",
		"ProtectSystem=strict", "NoNewPrivileges=yes", "Restart=on-failure"} {
		if !strings.Contains(string(unit), "\n"+want) {
			t.Errorf("the unit lacks %s", want)
		}
	}
}

// The "done when": the installed binary, run as the unit runs it,
// serves; an admin signs in, a ticket is made, a backup taken, restored into
// another data folder, and the ticket is there.
func TestInstalledHotline(t *testing.T) {
	root := installRoot(t)
	bin := filepath.Join(root, "usr/bin/hotline")
	state := filepath.Join(t.TempDir(), "var-lib-hotline") // StateDirectory
	env := append(unitEnv(t, root, t.TempDir()), "HOTLINE_DATA="+state, "HOTLINE_HTTP_ADDR=127.0.0.1:0")
	if out := run(t, bin, env, "", "config", "print"); !strings.Contains(out, "# database: "+state+"/hotline.db (does not exist)") ||
		!strings.Contains(out, "in effect: "+root+"/etc/hotline/hotline.toml") {
		t.Errorf("config print:\n%.300s", out)
	}
	srv := serve(t, bin, env)
	run(t, bin, env, "mật khẩu quản trị đủ dài\n", "users", "add", "admin", "--role", "admin")
	signIn(t, "http://"+srv.addr, "admin", "mật khẩu quản trị đủ dài")
	var ticket struct{ Code string }
	if err := json.Unmarshal([]byte(run(t, bin, env, "", "tickets", "new", "--branch", "4", "--text", "Hồ sơ trễ hẹn", "--json")), &ticket); err != nil || ticket.Code == "" {
		t.Fatalf("tickets new: %v", err)
	}
	file := filepath.Join(t.TempDir(), "hotline.db.gz")
	run(t, bin, env, "", "backup", "--out", file)
	srv.stop(t)

	elsewhere := append(env, "HOTLINE_DATA="+filepath.Join(t.TempDir(), "restored"))
	run(t, bin, elsewhere, "", "restore", file)
	if out := run(t, bin, elsewhere, "", "tickets", "show", ticket.Code); !strings.Contains(out, "Hồ sơ trễ hẹn") {
		t.Errorf("the restored ticket:\n%s", out)
	}
}

// signIn posts the console's sign-in form and checks that it leads in.
func signIn(t *testing.T, base, name, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	res, err := c.PostForm(base+"/login", url.Values{"name": {name}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || strings.Contains(string(body), `name="password"`) {
		t.Fatalf("sign-in as %s: %d\n%.500s", name, res.StatusCode, body)
	}
	return c
}
