package progress_test

import (
	"testing"

	"github.com/vpcemu/vpcemu/internal/progress"
	"github.com/vpcemu/vpcemu/internal/progress/ptytest"
)

// TestTerminal: on a terminal progress shows.
func TestTerminal(t *testing.T) {
	ptmx, tty, err := ptytest.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	l := progress.To(tty)
	if l == nil {
		t.Fatal("no Line on a terminal")
	}
	l.Printf("shown")
	buf := make([]byte, 64)
	n, err := ptmx.Read(buf)
	if err != nil || string(buf[:n]) != "shown\r\n" { // the terminal writes \n as \r\n
		t.Errorf("read %q, %v", buf[:n], err)
	}
}
