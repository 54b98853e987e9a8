// SPDX-License-Identifier: Apache-2.0

package packaging_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/chatbot/telegramtest"
)

const (
	botToken    = "123456:AAF-nginx-test-token"
	hookSecret  = "webhook-secret-through-nginx"
	exampleConf = "../docs/nginx-hotline.conf"
)

// TestNginxInFront runs docs/nginx-hotline.conf, with only its addresses and
// certificate files replaced, in front of the installed binary in Telegram
// webhook mode: /readyz and the webhook pass, with the secret header; the
// console's cookie is made Secure; /metrics stays inside; HTTP redirects.
func TestNginxInFront(t *testing.T) {
	root := installRoot(t)
	nginx := needTool(t, "nginx")
	httpsPort, httpPort := freePort(t), freePort(t)
	fake := telegramtest.New(botToken)
	defer fake.Close()
	env := append(unitEnv(t, root, t.TempDir()), "HOTLINE_DATA="+t.TempDir(), "HOTLINE_HTTP_ADDR=127.0.0.1:0",
		"HOTLINE_TELEGRAM_TOKEN="+botToken, "HOTLINE_TELEGRAM_API="+fake.URL, "HOTLINE_TELEGRAM_WEBHOOK_SECRET="+hookSecret,
		fmt.Sprintf("HOTLINE_TELEGRAM_WEBHOOK_URL=https://127.0.0.1:%d/telegram", httpsPort))
	bin := filepath.Join(root, "usr/bin/hotline")
	srv := serve(t, bin, env)
	defer srv.stop(t)

	pool := startNginx(t, nginx, srv.addr, httpsPort, httpPort)
	base := fmt.Sprintf("https://127.0.0.1:%d", httpsPort)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	if code, body := request(t, client, "GET", base+"/readyz", "", nil); code != 200 || !strings.Contains(body, `"status":"ready"`) {
		t.Errorf("/readyz through nginx: %d %s", code, body)
	}
	update := `{"update_id":1,"message":{"message_id":1,"date":1764720000,"chat":{"id":5551,"type":"private"},` +
		`"from":{"id":5551,"is_bot":false,"first_name":"An"},"text":"/start","entities":[{"type":"bot_command","offset":0,"length":6}]}}`
	if code, body := request(t, client, "POST", base+"/telegram", update, map[string]string{"X-Telegram-Bot-Api-Secret-Token": "wrong"}); code != http.StatusUnauthorized {
		t.Errorf("webhook with a wrong secret: %d %s", code, body)
	}
	if code, body := request(t, client, "POST", base+"/telegram", update, map[string]string{"X-Telegram-Bot-Api-Secret-Token": hookSecret}); code != 200 {
		t.Errorf("webhook through nginx: %d %s", code, body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := fake.WaitSent(ctx, 5551, 1); err != nil {
		t.Errorf("the bot did not answer the update that came through nginx: %v", err)
	}
	if code, _ := request(t, client, "GET", base+"/metrics", "", nil); code != http.StatusNotFound {
		t.Errorf("/metrics through nginx: %d, want 404", code)
	}
	// The console learns from X-Forwarded-Proto that the browser is on HTTPS.
	run(t, bin, env, "mật khẩu quản trị đủ dài\n", "users", "add", "admin", "--role", "admin")
	res, err := client.PostForm(base+"/login", url.Values{"name": {"admin"}, "password": {"mật khẩu quản trị đủ dài"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if c := res.Header.Get("Set-Cookie"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(c, "__Host-hotline_session=") || !strings.Contains(c, "Secure") {
		t.Errorf("sign-in through nginx: %d, cookie %q", res.StatusCode, c)
	}
	if code, _ := request(t, client, "GET", fmt.Sprintf("http://127.0.0.1:%d/readyz", httpPort), "", nil); code != http.StatusMovedPermanently {
		t.Errorf("plain HTTP: %d, want a redirect", code)
	}
}

// startNginx writes the example, made local, into a main config and runs
// nginx in the foreground until the test ends; it returns the pool that
// trusts its certificate.
func startNginx(t *testing.T, nginx, upstream string, httpsPort, httpPort int) *x509.CertPool {
	t.Helper()
	dir := t.TempDir()
	cert, key, pool := certificate(t, dir)
	b, err := os.ReadFile(exampleConf)
	if err != nil {
		t.Fatal(err)
	}
	site := strings.NewReplacer(
		"listen 443 ssl;", fmt.Sprintf("listen 127.0.0.1:%d ssl;", httpsPort), "listen [::]:443 ssl;", "",
		"listen 80;", fmt.Sprintf("listen 127.0.0.1:%d;", httpPort), "listen [::]:80;", "",
		"/etc/ssl/hotline/fullchain.pem", cert, "/etc/ssl/hotline/privkey.pem", key,
		"http://127.0.0.1:8080", "http://"+upstream,
	).Replace(string(b))
	if strings.Contains(site, "listen 443") || strings.Contains(site, "listen 80") || strings.Contains(site, "/etc/ssl/") || !strings.Contains(site, "proxy_pass http://"+upstream+";") {
		t.Fatalf("the example's addresses have changed; update this test:\n%s", site)
	}
	os.WriteFile(filepath.Join(dir, "hotline.conf"), []byte(site), 0o644)
	main := fmt.Sprintf(`daemon off; master_process off; pid %[1]s/nginx.pid; error_log %[1]s/error.log;
events {}
http {
	access_log %[1]s/access.log;
	client_body_temp_path %[1]s/body; proxy_temp_path %[1]s/proxy; fastcgi_temp_path %[1]s/fastcgi;
	uwsgi_temp_path %[1]s/uwsgi; scgi_temp_path %[1]s/scgi;
	include %[1]s/hotline.conf;
}
`, dir)
	conf := filepath.Join(dir, "nginx.conf")
	os.WriteFile(conf, []byte(main), 0o644)
	if out, err := exec.Command(nginx, "-t", "-p", dir, "-e", dir+"/error.log", "-c", conf).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t: %v\n%s", err, out)
	}
	cmd := exec.Command(nginx, "-p", dir, "-e", dir+"/error.log", "-c", conf)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for i := 0; ; i++ {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", httpsPort))
		if err == nil {
			c.Close()
			return pool
		}
		if i == 200 {
			logs, _ := os.ReadFile(dir + "/error.log")
			t.Fatalf("nginx does not listen: %v\n%s", err, logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func request(t *testing.T, c *http.Client, method, u, body string, header map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// certificate writes a self-signed certificate for 127.0.0.1 and its key.
func certificate(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	c, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(c)
	return certFile, keyFile, pool
}
