package loadgen

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/emulator"
)

// Server is a vpcemu the benchmark started on a fresh data directory.
type Server struct {
	// Addr is the host:port it listens on.
	Addr string
	dir  string
	cmd  *exec.Cmd
	exit chan error // the child's exit
	emu  *emulator.Emulator
}

// SpawnChild starts `exe serve` as a child process on 127.0.0.1 (a free
// port) with a fresh temporary data directory, and waits until it answers.
// extra are more serve flags. Its resident memory is then the server's
// alone.
func SpawnChild(exe string, extra ...string) (*Server, error) {
	dir, err := os.MkdirTemp("", "vpcemu-bench-")
	if err != nil {
		return nil, err
	}
	args := []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dir, "--log-level", "info"}
	for name, v := range workloadQuotas {
		args = append(args, "--quota", fmt.Sprintf("%s=%d", name, v))
	}
	args = append(args, extra...)
	cmd := exec.Command(exe, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s := &Server{dir: dir, cmd: cmd, exit: make(chan error, 1)}
	found := make(chan string, 1)
	var log strings.Builder
	go func() {
		// Until it listens, keep what it says for the error; after, drain.
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			if i := strings.Index(line, "endpoint=http://"); i >= 0 {
				addr, _, _ := strings.Cut(line[i+len("endpoint=http://"):], " ")
				found <- addr
				break
			}
			if log.Len() < 64<<10 {
				log.WriteString(line + "\n")
			}
		}
		io.Copy(io.Discard, stderr)
		s.exit <- cmd.Wait()
	}()
	select {
	case addr := <-found:
		s.Addr = addr
	case err := <-s.exit:
		os.RemoveAll(dir)
		return nil, fmt.Errorf("vpcemu serve exited (%v): %s", err, log.String())
	case <-time.After(30 * time.Second):
		s.Stop()
		return nil, errors.New("vpcemu serve did not start within 30 s")
	}
	return s, nil
}

// StartInProcess starts vpcemu inside this process on a fresh temporary
// data directory. Its memory cannot be told apart from the load
// generator's, so RSS reports nothing.
func StartInProcess() (*Server, error) {
	dir, err := os.MkdirTemp("", "vpcemu-bench-")
	if err != nil {
		return nil, err
	}
	emu, err := emulator.New(emulator.Config{DataDir: dir, CloudOptions: []cloud.Option{cloud.WithQuotas(workloadQuotas)}})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := emu.Listen("127.0.0.1:0"); err != nil {
		emu.Shutdown(context.Background())
		os.RemoveAll(dir)
		return nil, err
	}
	go emu.Serve()
	return &Server{Addr: emu.Addr(), dir: dir, emu: emu}, nil
}

// Pid is the child's process id, or 0 in process.
func (s *Server) Pid() int {
	if s.cmd == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

// RSS is the child's resident memory (VmRSS) in bytes.
func (s *Server) RSS() (int64, bool) {
	if s.cmd == nil {
		return 0, false
	}
	n, err := ReadRSS(s.Pid())
	return n, err == nil
}

// Stop stops the server and removes its data directory.
func (s *Server) Stop() error {
	defer os.RemoveAll(s.dir)
	if s.emu != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return s.emu.Shutdown(ctx)
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exit:
		return nil
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-s.exit
		return errors.New("vpcemu serve did not stop on SIGTERM; killed")
	}
}

// ReadRSS reads a process's resident set size from /proc/<pid>/status.
func ReadRSS(pid int) (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest) // "12345 kB"
			if len(f) == 2 && f[1] == "kB" {
				kb, err := strconv.ParseInt(f[0], 10, 64)
				return kb << 10, err
			}
		}
	}
	return 0, errors.New("no VmRSS in /proc/" + strconv.Itoa(pid) + "/status")
}
