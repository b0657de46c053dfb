package e2e

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// mainPackage is the vpcemu command's import path.
const mainPackage = "github.com/vpcemu/vpcemu/cmd/vpcemu"

// waitingParallelism is how many tests RunTests lets run at once.
const waitingParallelism = 8

// Time limits of the process harness.
const (
	readyTimeout = 30 * time.Second // from start to a healthy server
	stopTimeout  = 15 * time.Second // from SIGTERM to exit (serve allows 10 s to drain)
)

var (
	binDir    string
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// RunTests runs a package's tests with a temporary directory for the vpcemu
// binary, and removes it afterwards. Call it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(e2e.RunTests(m)) }
//
// Unless -parallel says otherwise, up to waitingParallelism tests run at
// once: they spend their time waiting on the processes they drive (the
// Terraform provider sleeps between reads), so go test's default, one test
// per CPU, would leave the machine idle and the suite past its timeout.
func RunTests(m *testing.M) int {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		if err := flag.Set("test.parallel", strconv.Itoa(waitingParallelism)); err != nil {
			fmt.Fprintln(os.Stderr, "e2e:", err)
			return 1
		}
	}
	if err := statSources(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	dir, err := os.MkdirTemp("", "vpcemu-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	binDir = dir
	return m.Run()
}

// statSources looks at every file of the module. go test caches a
// package's result keyed by the files the test process reads, but these
// tests build vpcemu and run Terraform in child processes, whose reads it
// does not see: looking at the sources makes a change to any of them run
// the tests again instead of replaying an old result.
func statSources() error {
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(root)
		if parent == root {
			return errors.New("no go.mod above the test's directory")
		}
		root = parent
	}
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && path != root && strings.HasPrefix(d.Name(), "."):
			return filepath.SkipDir
		case !d.IsDir():
			_, err = os.Stat(path)
		}
		return err
	})
}

// Binary returns the path of a vpcemu binary built from this source tree.
// The first call builds it; later calls in the same test run reuse it.
func Binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() { binPath, buildErr = build(binDir) })
	if buildErr != nil {
		t.Fatalf("building vpcemu: %v", buildErr)
	}
	return binPath
}

func build(dir string) (string, error) {
	if dir == "" {
		return "", errors.New("no directory for the binary: call e2e.RunTests from TestMain")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("building vpcemu needs the go command on PATH: %w", err)
	}
	bin := filepath.Join(dir, "vpcemu")
	out, err := exec.Command(goTool, "build", "-o", bin, mainPackage).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("%v\n%s", err, out)
	}
	return bin, nil
}

// Command returns a command running the vpcemu binary with args. It has the
// test's environment without any VPCEMU_* or AWS_ENDPOINT_URL* setting (a
// developer's vpcemu is not the test's), and XDG_DATA_HOME in a temporary
// directory so the default data directory is never the user's. Callers may
// append to Env: a later entry wins.
func Command(t testing.TB, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(Binary(t), args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "VPCEMU_") && !strings.HasPrefix(kv, "AWS_ENDPOINT_URL") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "XDG_DATA_HOME="+t.TempDir())
	return cmd
}

// Server is a running `vpcemu serve` process.
type Server struct {
	// URL is the endpoint the server logged, e.g. http://127.0.0.1:40123.
	URL string

	cmd    *exec.Cmd
	log    *logBuffer
	exited chan struct{} // closed once the process has exited
	err    error         // what Wait returned; read after exited is closed
}

// Serve starts `vpcemu serve args...` and waits until it is ready.
func Serve(t testing.TB, args ...string) *Server {
	t.Helper()
	return Start(t, Command(t, append([]string{"serve"}, args...)...))
}

// Start starts cmd, a `vpcemu serve` command (see Command), and waits until
// it has logged its endpoint and /_vpcemu/health answers 200. When the test
// ends the process is killed if it still runs, and its log is shown if the
// test failed.
func Start(t testing.TB, cmd *exec.Cmd) *Server {
	t.Helper()
	s := &Server{cmd: cmd, log: &logBuffer{}, exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = s.log, s.log
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", cmd, err)
	}
	go func() {
		s.err = cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		if !s.Exited() {
			cmd.Process.Kill()
			<-s.exited
		}
		if t.Failed() {
			t.Logf("log of %s:\n%s", cmd, s.Log())
		}
	})
	if err := s.waitReady(); err != nil {
		t.Fatalf("%s: %v", cmd, err)
	}
	return s
}

// endpointLine finds the endpoint in serve's startup log line.
var endpointLine = regexp.MustCompile(`msg="vpcemu listening".* endpoint=(http://\S+)`)

func (s *Server) waitReady() error {
	deadline := time.Now().Add(readyTimeout)
	client := &http.Client{Timeout: 2 * time.Second}
	for time.Now().Before(deadline) {
		if s.Exited() {
			return fmt.Errorf("exited before it was ready (%v)", s.err)
		}
		if s.URL == "" {
			if m := endpointLine.FindStringSubmatch(s.Log()); m != nil {
				s.URL = m[1]
			}
		}
		if s.URL != "" {
			if resp, err := client.Get(s.URL + "/_vpcemu/health"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return nil
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("not ready after %s (endpoint %q)", readyTimeout, s.URL)
}

// Stop asks the server to shut down (SIGTERM) and fails the test unless it
// exits cleanly in time.
func (s *Server) Stop(t testing.TB) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case <-s.exited:
	case <-time.After(stopTimeout):
		t.Fatalf("still running %s after SIGTERM", stopTimeout)
	}
	if s.err != nil {
		t.Fatalf("exit after SIGTERM: %v", s.err)
	}
}

// Kill ends the server at once (SIGKILL), as a crash or power cut would,
// and waits for it to be gone.
func (s *Server) Kill(t testing.TB) {
	t.Helper()
	if err := s.cmd.Process.Kill(); err != nil {
		t.Fatalf("SIGKILL: %v", err)
	}
	<-s.exited
}

// Exited reports whether the process has exited.
func (s *Server) Exited() bool {
	select {
	case <-s.exited:
		return true
	default:
		return false
	}
}

// Log is everything the process wrote so far (stdout and stderr).
func (s *Server) Log() string { return s.log.String() }

// logBuffer collects a process's output while it runs.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
