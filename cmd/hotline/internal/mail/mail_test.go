// SPDX-License-Identifier: Apache-2.0

package mail_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	stdmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/hotline-cchc/hotline/cmd/hotline/internal/mail"
)

// received is a message the loopback SMTP server accepted.
type received struct {
	From string
	To   []string
	Data []byte
	User string
}

// server is a real SMTP server (emersion/go-smtp) on 127.0.0.1 that keeps
// what it receives. Recipients named refuse@ get a 550, busy@ a 451.
type server struct {
	addr string
	mu   sync.Mutex
	msgs []received
}

func (s *server) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

type session struct {
	s   *server
	msg received
}

func (ss *session) Reset()        { ss.msg = received{User: ss.msg.User} }
func (ss *session) Logout() error { return nil }
func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.msg.From = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	switch {
	case strings.HasPrefix(to, "refuse@"):
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
	case strings.HasPrefix(to, "busy@"):
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	ss.msg.To = append(ss.msg.To, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.msg.Data = b
	ss.s.mu.Lock()
	ss.s.msgs = append(ss.s.msgs, ss.msg)
	ss.s.mu.Unlock()
	return nil
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }
func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "hotline" || pass != "mail-secret" {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		ss.msg.User = user
		return nil
	}), nil
}

// start runs a server: "starttls", "tls" or "none".
func start(t *testing.T, mode string, cert tls.Certificate) *server {
	t.Helper()
	s := &server{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	var ln net.Listener
	var err error
	switch mode {
	case "tls":
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		ln, err = tls.Listen("tcp", "127.0.0.1:0", srv.TLSConfig)
	case "starttls":
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		fallthrough
	default:
		srv.AllowInsecureAuth = mode == "none"
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

// selfSigned returns a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// sender signs in unless mode is none (a relay on the same host).
func sender(t *testing.T, addr, mode string, pool *x509.CertPool) *mail.Sender {
	t.Helper()
	c := mail.Config{Addr: addr, From: "Tổng đài CCHC <hotline@tinh.gov.vn>", User: "hotline", Password: "mail-secret",
		TLS: mode, Timeout: 5 * time.Second, TLSConfig: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}}
	if mode == mail.TLSNone {
		c.User, c.Password = "", ""
	}
	s, err := mail.New(c)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var report = mail.Message{
	To:      []string{"lanh.dao@tinh.gov.vn"},
	Subject: "Báo cáo tháng 11/2026 — Tổng đài CCHC",
	Text:    "Trong tháng, tổng đài đã tiếp nhận 178 cuộc gọi; nhiều nhất là nhánh 4: 35 cuộc.",
	HTML:    "<p>Trong tháng, tổng đài đã tiếp nhận <b>178</b> cuộc gọi.</p>",
	Attachments: []mail.Attachment{{Name: "bao-cao-2026-11.xlsx", ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		Data: []byte("PK\x03\x04 not really a zip")}},
	ID: "outbox-42",
}

func TestSend(t *testing.T) {
	cert, pool := selfSigned(t)
	for _, mode := range []string{mail.TLSStartTLS, mail.TLSImplicit, mail.TLSNone} {
		t.Run(mode, func(t *testing.T) {
			srv := start(t, mode, cert)
			if err := sender(t, srv.addr, mode, pool).Send(context.Background(), report); err != nil {
				t.Fatal(err)
			}
			msgs := srv.messages()
			wantUser := "hotline"
			if mode == mail.TLSNone {
				wantUser = ""
			}
			if len(msgs) != 1 || msgs[0].User != wantUser || msgs[0].From != "hotline@tinh.gov.vn" || msgs[0].To[0] != "lanh.dao@tinh.gov.vn" {
				t.Fatalf("received %+v", msgs)
			}
			checkMessage(t, msgs[0].Data)
		})
	}
}

// checkMessage parses a received message as a mail reader would.
func checkMessage(t *testing.T, data []byte) {
	t.Helper()
	m, err := stdmail.ReadMessage(strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	subj, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil || subj != report.Subject {
		t.Errorf("subject %q (%v), want %q; raw %q", subj, err, report.Subject, m.Header.Get("Subject"))
	}
	if id := m.Header.Get("Message-Id"); !strings.Contains(id, "outbox-42@") {
		t.Errorf("Message-ID %q lacks the outbox id", id)
	}
	from, err := m.Header.AddressList("From")
	if err != nil || from[0].Name != "Tổng đài CCHC" {
		t.Errorf("From %v, %v", from, err)
	}
	parts := map[string]string{}
	walk(t, m.Header.Get("Content-Type"), m.Body, parts)
	if !strings.Contains(parts["text/plain"], "nhiều nhất là nhánh 4") || !strings.Contains(parts["text/html"], "<b>178</b>") ||
		parts["bao-cao-2026-11.xlsx"] != string(report.Attachments[0].Data) {
		t.Errorf("parts %q", parts)
	}
}

// walk collects the decoded leaves of a MIME tree: by content type, or by
// file name for attachments.
func walk(t *testing.T, contentType string, body io.Reader, parts map[string]string) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(mt, "multipart/") {
		b, _ := io.ReadAll(body)
		parts[mt] = string(b)
		return
	}
	r := multipart.NewReader(body, params["boundary"])
	for {
		p, err := r.NextPart() // decodes quoted-printable itself
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if name := p.FileName(); name != "" {
			b, _ := io.ReadAll(p)
			if p.Header.Get("Content-Transfer-Encoding") == "base64" {
				b = decodeBase64(t, b)
			}
			parts[name] = string(b)
			continue
		}
		walk(t, p.Header.Get("Content-Type"), p, parts)
	}
}

func TestSendErrors(t *testing.T) {
	cert, pool := selfSigned(t)
	ctx := context.Background()
	srv := start(t, mail.TLSStartTLS, cert)
	s := sender(t, srv.addr, mail.TLSStartTLS, pool)
	for _, tt := range []struct {
		name string
		to   string
		temp bool
	}{
		{"ErrRefused", "refuse@tinh.gov.vn", false},
		{"ErrBusy", "busy@tinh.gov.vn", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := report
			m.To = []string{tt.to}
			err := s.Send(ctx, m)
			if err == nil || mail.Temporary(err) != tt.temp {
				t.Errorf("Send = %v, temporary %v; want temporary %v", err, mail.Temporary(err), tt.temp)
			}
		})
	}
	t.Run("ErrNoSTARTTLS", func(t *testing.T) {
		plain := start(t, mail.TLSNone, cert)
		if err := sender(t, plain.addr, mail.TLSStartTLS, pool).Send(ctx, report); err == nil {
			t.Error("sent in clear to a server without STARTTLS")
		}
		if n := len(plain.messages()); n != 0 {
			t.Errorf("%d messages went in clear", n)
		}
	})
	t.Run("ErrUntrustedCert", func(t *testing.T) {
		if err := sender(t, srv.addr, mail.TLSStartTLS, x509.NewCertPool()).Send(ctx, report); err == nil {
			t.Error("sent to a server whose certificate is not trusted")
		}
	})
	t.Run("ErrNoServer", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		if err := sender(t, addr, mail.TLSStartTLS, pool).Send(ctx, report); !mail.Temporary(err) {
			t.Errorf("no server: %v, want temporary", err)
		}
	})
	t.Run("ErrHangingServer", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		defer ln.Close()
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				defer c.Close() // never greets
			}
		}()
		s, err := mail.New(mail.Config{Addr: ln.Addr().String(), From: "a@b.vn", Timeout: 300 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Send(ctx, report); !mail.Temporary(err) {
			t.Errorf("hanging server: %v, want temporary", err)
		}
	})
}

func TestNewErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		c    mail.Config
		want string
	}{
		{"ErrAddr", mail.Config{Addr: "smtp.tinh.gov.vn", From: "a@b.vn"}, "mail.smtp_addr"},
		{"ErrPort", mail.Config{Addr: "smtp.tinh.gov.vn:smtp", From: "a@b.vn"}, "port"},
		{"ErrFrom", mail.Config{Addr: "smtp.tinh.gov.vn:587", From: "not an address"}, "mail.from"},
		{"ErrTLS", mail.Config{Addr: "smtp.tinh.gov.vn:587", From: "a@b.vn", TLS: "ssl"}, "mail.tls"},
		{"ErrPasswordInClear", mail.Config{Addr: "smtp.tinh.gov.vn:25", From: "a@b.vn", TLS: "none", User: "u"}, "in clear"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := mail.New(tt.c); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New = %v, want an error naming %s", err, tt.want)
			}
		})
	}
}
