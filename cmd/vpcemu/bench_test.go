package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/e2e"
	"github.com/vpcemu/vpcemu/internal/progress/ptytest"
)

// benchArgs run a short bench on a server of its own.
var benchArgs = []string{"bench", "--spawn", "--in-process", "-d", "300ms", "-warmup", "0", "-c", "1", "-baseline=false", "describe"}

// TestBenchProgress: bench shows its progress on a terminal, and not when
// stderr is piped, where the report on stdout is all there is.
func TestBenchProgress(t *testing.T) {
	t.Run("piped", func(t *testing.T) {
		stdout, stderr, code := vpcemu(t, nil, benchArgs...)
		if code != 0 || !strings.Contains(stdout, "DescribeVpcs") {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
		if stderr != "" {
			t.Errorf("stderr piped: %q", stderr)
		}
	})
	t.Run("on a terminal", func(t *testing.T) {
		ptmx, tty, err := ptytest.Open()
		if err != nil {
			t.Skipf("no pseudo-terminal: %v", err)
		}
		defer ptmx.Close()
		cmd := e2e.Command(t, benchArgs...)
		var stdout bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, tty
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		tty.Close() // the child has its own: reads end when it exits
		shown := make(chan string)
		go func() {
			b, _ := io.ReadAll(ptmx) // ends in EIO once no one has the terminal open
			shown <- string(b)
		}()
		timer := time.AfterFunc(20*time.Second, func() { cmd.Process.Kill() })
		defer timer.Stop()
		if err := cmd.Wait(); err != nil {
			t.Fatalf("%v\n%s", err, &stdout)
		}
		got := <-shown
		if !strings.Contains(got, "describe c=1 DescribeVpcs: ") || !strings.Contains(got, "\r\x1b[K") {
			t.Errorf("the terminal showed %q, want the step's line and a status line", got)
		}
	})
}
