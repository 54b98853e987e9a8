// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/hotline-cchc/hotline/console"
)

// readPassword reads a new password and hashes it. On a terminal it asks
// twice without echo; from a pipe or a file it reads the first line. A
// password the rules refuse (console.CheckNewPassword) is an error that says
// why, in Vietnamese, before anything is stored.
func (m *Main) readPassword() (string, error) {
	var password string
	var err error
	if f, ok := m.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		password, err = m.askPassword(int(f.Fd()))
	} else {
		password, err = m.readLine()
	}
	if err != nil {
		return "", err
	}
	return console.HashPassword(password)
}

// readLine reads the first line of standard input.
func (m *Main) readLine() (string, error) {
	line, err := bufio.NewReader(m.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("read the password from standard input: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// askPassword asks for the password twice on the terminal fd, without echo.
func (m *Main) askPassword(fd int) (string, error) {
	var got [2]string
	for i, prompt := range []string{"Mật khẩu mới: ", "Nhập lại mật khẩu: "} {
		fmt.Fprint(m.Stderr, prompt)
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(m.Stderr)
		if err != nil {
			return "", fmt.Errorf("read the password from the terminal: %w", err)
		}
		got[i] = string(b)
	}
	if got[0] != got[1] {
		return "", errors.New("hai lần nhập mật khẩu không khớp; chưa thay đổi gì (the two passwords differ; nothing changed)")
	}
	return got[0], nil
}
