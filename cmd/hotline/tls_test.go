// SPDX-License-Identifier: Apache-2.0

package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/config"
)

// selfSigned writes a certificate for 127.0.0.1 named cn and its key into
// dir and returns the two files and the certificate.
func selfSigned(t *testing.T, dir, cn string) (certFile, keyFile string, cert *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	cert, _ = x509.ParseCertificate(der)
	return certFile, keyFile, cert
}

func TestTLSListener(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, cert := selfSigned(t, dir, "first")
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	tln, err := tlsListener(ln, config.TLS{CertFile: certFile, KeyFile: keyFile})
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") })}
	go srv.Serve(tln)
	defer srv.Close()
	get := func(c *x509.Certificate) (string, error) {
		pool := x509.NewCertPool()
		pool.AddCert(c)
		client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
		resp, err := client.Get("https://" + ln.Addr().String() + "/")
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return string(b), err
	}
	if body, err := get(cert); err != nil || body != "ok" {
		t.Fatalf("GET over TLS: %q, %v", body, err)
	}
	// A renewed pair is served without a restart.
	os.Remove(certFile)
	os.Remove(keyFile)
	_, _, renewed := selfSigned(t, dir, "renewed")
	later := time.Now().Add(time.Minute)
	os.Chtimes(certFile, later, later)
	if body, err := get(renewed); err != nil || body != "ok" {
		t.Errorf("GET with the renewed certificate: %q, %v", body, err)
	}
}

func TestTLSListenerRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	certFile, _, _ := selfSigned(t, dir, "x")
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	defer ln.Close()
	_, err := tlsListener(ln, config.TLS{CertFile: certFile, KeyFile: certFile})
	if err == nil || !strings.Contains(err.Error(), "tls.key_file "+certFile) {
		t.Errorf("a certificate as key: %v", err)
	}
	plain, err := tlsListener(ln, config.TLS{})
	if err != nil || plain != ln {
		t.Errorf("without TLS files: %v, %v", plain, err)
	}
}
