// SPDX-License-Identifier: Apache-2.0

package packaging_test

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// needTool returns the path of a tool, skipping the test outside CI when
// it is missing; in CI (CI=true) a missing tool fails it: .ci/deps
// installs it.
func needTool(tb testing.TB, name string) string {
	tb.Helper()
	if testing.Short() {
		tb.Skip("builds and installs the Debian package")
	}
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "" {
			tb.Skipf("%s not installed (.ci/deps installs it)", name)
		}
		tb.Fatalf("%s not installed: .ci/deps should have installed it", name)
	}
	return p
}

// installed builds the package with "make deb" once per test run and
// installs it with dpkg into a throw-away root, the maintainer script run
// outside it with DPKG_ROOT set. It returns the .deb and the root.
var installed = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "hotline-deb-")
	if err != nil {
		return "", err
	}
	mk := exec.Command("make", "-C", "..", "deb", "DEB_DIR="+dir)
	if out, err := mk.CombinedOutput(); err != nil {
		return "", fmt.Errorf("make deb: %v\n%s", err, out)
	}
	debs, _ := filepath.Glob(filepath.Join(dir, "hotline_*_amd64.deb"))
	if len(debs) != 1 {
		return "", fmt.Errorf("make deb made %v", debs)
	}
	root := filepath.Join(dir, "root")
	for _, d := range []string{"var/lib/dpkg/info", "var/lib/dpkg/updates", "etc"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			return "", err
		}
	}
	for name, text := range map[string]string{
		"var/lib/dpkg/status": "", "etc/passwd": "root:x:0:0:root:/root:/bin/sh\n", "etc/group": "root:x:0:\n",
		"etc/shadow": "root:*:19000:0:99999:7:::\n", "etc/gshadow": "root:*::\n",
	} {
		if err := os.WriteFile(filepath.Join(root, name), []byte(text), 0o644); err != nil {
			return "", err
		}
	}
	// The root holds no libc6 or passwd package: the host's serve.
	dpkg := exec.Command("dpkg", "--root="+root, "--force-script-chrootless", "--force-depends", "--log=/dev/null", "-i", debs[0])
	if out, err := dpkg.CombinedOutput(); err != nil {
		return "", fmt.Errorf("dpkg -i: %v\n%s", err, out)
	}
	return root, nil
})

func installRoot(tb testing.TB) string {
	tb.Helper()
	needTool(tb, "dpkg")
	root, err := installed()
	if err != nil {
		tb.Fatal(err)
	}
	return root
}

// unitEnv returns the environment the unit gives hotline, %d (the
// credentials folder) replaced by creds, and the files it names moved into
// root.
func unitEnv(tb testing.TB, root, creds string) []string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(root, "lib/systemd/system/hotline.service"))
	if err != nil {
		tb.Fatal(err)
	}
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + tb.TempDir()}
	for _, line := range strings.Split(string(b), "\n") {
		if kv, ok := strings.CutPrefix(line, "Environment="); ok {
			kv = strings.ReplaceAll(kv, "%d", creds)
			kv = strings.Replace(kv, "=/etc/", "="+root+"/etc/", 1)
			env = append(env, kv)
		}
	}
	return env
}

// process is a running "hotline serve".
type process struct {
	cmd  *exec.Cmd
	addr string
	logs *strings.Builder
	mu   *sync.Mutex
	done chan struct{}
}

// serve starts "bin serve" with env and waits until it listens.
func serve(tb testing.TB, bin string, env []string) *process {
	tb.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = env
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	p := &process{cmd: cmd, logs: &strings.Builder{}, mu: &sync.Mutex{}, done: make(chan struct{})}
	listening := regexp.MustCompile(`msg=listening addr=(\S+)`)
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		p.logs.WriteString(sc.Text() + "\n")
		if m := listening.FindStringSubmatch(sc.Text()); m != nil {
			p.addr = m[1]
			break
		}
	}
	if p.addr == "" {
		cmd.Wait()
		tb.Fatalf("serve did not listen:\n%s", p.logs)
	}
	go func() {
		defer close(p.done)
		b, _ := io.ReadAll(stderr)
		p.mu.Lock()
		p.logs.Write(b)
		p.mu.Unlock()
	}()
	return p
}

func (p *process) stop(tb testing.TB) {
	tb.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	<-p.done
	if err := p.cmd.Wait(); err != nil {
		tb.Errorf("serve after SIGTERM: %v\n%s", err, p.logs)
	}
}

// run runs "bin args…" with env and stdin and returns its standard output;
// a failure fails the test.
func run(tb testing.TB, bin string, env []string, stdin string, args ...string) string {
	tb.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Stdin = env, strings.NewReader(stdin)
	var errb strings.Builder
	cmd.Stderr = &errb
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("hotline %s: %v\n%s%s", strings.Join(args, " "), err, out, errb.String())
	}
	return string(out)
}
