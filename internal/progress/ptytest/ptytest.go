// Package ptytest opens a pseudo-terminal, for tests of what a program
// shows on a terminal and not elsewhere.
package ptytest

import "os"

// Open opens a pseudo-terminal: tty is the terminal a program writes to,
// and ptmx reads what it wrote. It fails where there is none (not Linux,
// no /dev/ptmx).
func Open() (ptmx, tty *os.File, err error) { return open() }
