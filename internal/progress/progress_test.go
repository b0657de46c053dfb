package progress

import (
	"bytes"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestNotATerminal: piped, redirected to a file or written to a buffer,
// progress shows nothing, and a nil Line and Counter are safe to use.
func TestNotATerminal(t *testing.T) {
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()
	file, err := os.Create(t.TempDir() + "/out")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	for _, tc := range []struct {
		name string
		w    io.Writer
	}{{"a pipe", pw}, {"a file", file}, {"a buffer", &bytes.Buffer{}}} {
		t.Run(tc.name, func(t *testing.T) {
			if IsTerminal(tc.w) {
				t.Fatal("taken for a terminal")
			}
			l := To(tc.w)
			if l != nil {
				t.Fatal("a Line on what is not a terminal")
			}
			l.Printf("step %d", 1)
			c := l.Count("work", 10)
			c.Add(3)
			c.Done()
		})
	}
	if fi, _ := file.Stat(); fi.Size() != 0 {
		t.Errorf("%d bytes written to the file", fi.Size())
	}
}

// TestLine: lines stay, above a status line that counts and is erased
// when done.
func TestLine(t *testing.T) {
	var b syncBuffer
	l := New(&b)
	l.Printf("first step")
	c := l.Count("populate", 200)
	c.Add(50)
	time.Sleep(2 * redrawEvery)
	l.Printf("a note")
	c.Add(150)
	c.Done()
	c.Done() // twice is once
	l.Printf("last step")
	got := b.String()
	want := []string{
		"first step\n",
		clear + "populate: 0/200 (0%), 0s",
		clear + "populate: 50/200 (25%), 0s",
		clear + "a note\n" + clear + "populate: 50/200 (25%), 0s" + clear + "last step\n",
	}
	at := 0
	for _, w := range want {
		i := strings.Index(got[at:], w)
		if i < 0 {
			t.Fatalf("shown %q\nwant %q in order (after %d)", got, want, at)
		}
		at += i + len(w)
	}
	if at != len(got) {
		t.Errorf("shown %q after the last step", got[at:])
	}
}

// syncBuffer is a buffer the redrawing goroutine shares with the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
