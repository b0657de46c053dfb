package dataplane

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// Supervise waits for a started command that plays an instance (vpcemu
// run, either mode; name is the user's command), and says its exit status as a shell would (128 + the
// signal that killed it). Signals for vpcemu run go to the command, as
// for docker run; the end of session (the server, or its data plane,
// going away) stops it. ready, when not nil, is called once both are
// watched, before the wait (transparent mode lets the child go then).
func Supervise(cmd *exec.Cmd, name string, session io.Reader, stderr io.Writer, ready func()) (int, error) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	defer signal.Stop(sig)
	go func() {
		for s := range sig {
			cmd.Process.Signal(s)
		}
	}()
	exited := make(chan struct{})
	go func() {
		io.Copy(io.Discard, session)
		select {
		case <-exited:
		default:
			fmt.Fprintln(stderr, "vpcemu run: the server's data plane went away; stopping", name)
			cmd.Process.Signal(syscall.SIGTERM)
		}
	}()
	if ready != nil {
		ready()
	}
	err := cmd.Wait()
	close(exited)
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal()), nil // as a shell says it
		}
		return exit.ExitCode(), nil
	}
	return 0, err
}
