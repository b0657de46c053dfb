//go:build !linux

package ptytest

import (
	"errors"
	"os"
)

func open() (ptmx, tty *os.File, err error) {
	return nil, nil, errors.New("pseudo-terminals are opened here on Linux only")
}
