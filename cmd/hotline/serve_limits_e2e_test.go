// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"errors"
	"net"
	"os"
	"sync"
	"testing"
	"time"
)

// Clients that trickle a request body are cut off by http.read_timeout, and
// the server keeps answering others meanwhile.
func TestSlowClientsCutOff(t *testing.T) {
	bin, env := binary(t)
	env = append(env, "HOTLINE_HTTP_READ_TIMEOUT=1s")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p := startServe(t, ctx, bin, env)
	defer p.stop(t)

	const clients = 300
	var wg sync.WaitGroup
	open := make(chan struct{}, clients)
	for range clients {
		c, err := net.Dial("tcp", p.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		wg.Go(func() { trickle(t, c, open) })
	}
	wg.Wait()
	if n := len(open); n > 0 {
		t.Errorf("%d of %d trickling connections still open", n, clients)
	}
	get(t, "http://"+p.addr+"/healthz")
}

// trickle sends a request's headers and then its body a byte at a time,
// until the server closes the connection; it puts a token in open if the
// server has not closed it after a generous guard.
func trickle(t *testing.T, c net.Conn, open chan<- struct{}) {
	const head = "POST /login HTTP/1.1\r\nHost: hotline\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n"
	if _, err := c.Write([]byte(head)); err != nil {
		t.Error(err)
		return
	}
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		buf := make([]byte, 4096)
		c.SetReadDeadline(time.Now().Add(30 * time.Second)) // a guard, not a measure
		for {
			if _, err := c.Read(buf); err != nil {
				if errors.Is(err, os.ErrDeadlineExceeded) {
					open <- struct{}{}
				}
				return
			}
		}
	}()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-closed:
			return
		case <-tick.C:
			c.Write([]byte("a"))
		}
	}
}
