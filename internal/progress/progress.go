// Package progress shows how far long work has got, on a terminal: lines
// that stay (a step done) and one status line redrawn in place (how far
// the step under way is). When the output is not a terminal (piped,
// redirected to a file) it shows nothing, as a log or a pipe wants neither
// the redrawing nor the chatter.
package progress

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/term"
)

// Line shows progress on a writer. A nil *Line shows nothing, so callers
// need no test.
type Line struct {
	mu     sync.Mutex
	w      io.Writer
	active *Counter // whose status is shown, nil for none
	shown  bool     // a status line is on the screen
}

// To is a Line on w when w is a terminal, else nil.
func To(w io.Writer) *Line {
	if !IsTerminal(w) {
		return nil
	}
	return New(w)
}

// IsTerminal reports whether w is a terminal (a file whose descriptor is
// one), not a pipe, a file or a buffer.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}

// New is a Line on w, terminal or not.
func New(w io.Writer) *Line { return &Line{w: w} }

// clear is what erases the status line: back to its start, erase to the
// end of the line.
const clear = "\r\x1b[K"

// Printf prints a line that stays, above the status line.
func (l *Line) Printf(format string, args ...any) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.erase()
	fmt.Fprintf(l.w, format+"\n", args...)
	l.draw()
}

// erase takes the status line off the screen; l.mu is held.
func (l *Line) erase() {
	if l.shown {
		io.WriteString(l.w, clear)
		l.shown = false
	}
}

// draw shows the active counter's status; l.mu is held.
func (l *Line) draw() {
	if l.active != nil {
		io.WriteString(l.w, clear+l.active.status())
		l.shown = true
	}
}

// redrawEvery is how often a counter's status line is redrawn: often
// enough to look alive, seldom enough to cost nothing.
const redrawEvery = 250 * time.Millisecond

// Count shows a status line counting toward total (0: no known total),
// "what: n/total (p%), elapsed", redrawn until Done. A later Count takes
// the status line over.
func (l *Line) Count(what string, total int) *Counter {
	if l == nil {
		return nil
	}
	c := &Counter{l: l, what: what, total: total, start: time.Now(), stop: make(chan struct{})}
	l.mu.Lock()
	l.active = c
	l.draw()
	l.mu.Unlock()
	go func() {
		t := time.NewTicker(redrawEvery)
		defer t.Stop()
		for {
			select {
			case <-c.stop:
				return
			case <-t.C:
				l.mu.Lock()
				if l.active == c {
					l.draw()
				}
				l.mu.Unlock()
			}
		}
	}()
	return c
}

// Counter counts one step's work for its status line. A nil *Counter
// counts nothing.
type Counter struct {
	l     *Line
	what  string
	total int
	start time.Time
	n     atomic.Int64
	stop  chan struct{}
	once  sync.Once
}

// Add counts n more done.
func (c *Counter) Add(n int) {
	if c != nil {
		c.n.Add(int64(n))
	}
}

// Done ends the count and takes its status line off the screen.
func (c *Counter) Done() {
	if c == nil {
		return
	}
	c.once.Do(func() {
		close(c.stop)
		c.l.mu.Lock()
		defer c.l.mu.Unlock()
		if c.l.active == c {
			c.l.erase()
			c.l.active = nil
		}
	})
}

// status is the counter's status line.
func (c *Counter) status() string {
	n := c.n.Load()
	elapsed := time.Since(c.start).Truncate(time.Second)
	if c.total <= 0 {
		return fmt.Sprintf("%s: %d, %s", c.what, n, elapsed)
	}
	return fmt.Sprintf("%s: %d/%d (%d%%), %s", c.what, n, c.total, n*100/int64(c.total), elapsed)
}
