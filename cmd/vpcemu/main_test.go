package main

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/vpcemu/vpcemu/e2e"
	"github.com/vpcemu/vpcemu/internal/emulator"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

func TestMain(m *testing.M) { os.Exit(e2e.RunTests(m)) }

// vpcemu runs the built binary to completion and returns what it printed
// and its exit status. It kills the process if it runs for 20 s.
func vpcemu(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := e2e.Command(t, args...)
	cmd.Env = append(cmd.Env, env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(20*time.Second, func() { cmd.Process.Kill() })
	err := cmd.Wait()
	if !timer.Stop() {
		t.Fatalf("vpcemu %s did not finish: %s%s", strings.Join(args, " "), &out, &errOut)
	}
	if _, exited := err.(*exec.ExitError); err != nil && !exited {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), cmd.ProcessState.ExitCode()
}

func TestCommandLine(t *testing.T) {
	cases := []struct {
		name       string
		args       []string
		code       int
		stdout     string // regular expressions the output must match
		stderr     string
		quietOnOut bool // stdout must be empty
	}{
		{name: "help", args: []string{"--help"}, stdout: `(?s)Usage: vpcemu <command>.*serve .*version `},
		{name: "help word", args: []string{"help"}, stdout: `Usage: vpcemu <command>`},
		{name: "no command", args: nil, code: 2, stderr: `Usage: vpcemu <command>`, quietOnOut: true},
		{name: "unknown command", args: []string{"frobnicate"}, code: 2,
			stderr: `(?s)unknown command "frobnicate".*Usage: vpcemu <command>`, quietOnOut: true},
		{name: "serve help", args: []string{"serve", "--help"},
			stdout: `(?s)Usage: vpcemu serve.*-addr.*VPCEMU_ADDR.*-data-dir.*VPCEMU_DATA_DIR.*-in-memory.*-log-level`},
		{name: "serve -h", args: []string{"serve", "-h"}, stdout: `Usage: vpcemu serve`},
		{name: "version", args: []string{"version"}, stdout: `^vpcemu \S+.* go1\.\d+`},
		{name: "version help", args: []string{"version", "--help"}, stdout: `Usage: vpcemu version`},
		{name: "unknown flag", args: []string{"serve", "--bogus"}, code: 2,
			stderr: `^vpcemu serve: flag provided but not defined: -bogus\nRun 'vpcemu serve --help' for usage.\n$`, quietOnOut: true},
		{name: "stray argument", args: []string{"serve", "now"}, code: 2, stderr: `unexpected arguments "now"`, quietOnOut: true},
		{name: "bad log level", args: []string{"serve", "--log-level", "loud"}, code: 2, stderr: `--log-level`, quietOnOut: true},
		{name: "version argument", args: []string{"version", "x"}, code: 2, stderr: `unexpected arguments "x"`, quietOnOut: true},
		{name: "quotas", args: []string{"quotas"}, stdout: `(?m)^gateway-endpoints +ec2 +20 +gateway endpoints per account and region$`},
		{name: "quotas of load balancers", args: []string{"quotas"}, stdout: `(?m)^network-load-balancer-enis-per-vpc +elasticloadbalancing +1200 +Network Load Balancer ENIs per VPC`},
		{name: "serve help names quotas", args: []string{"serve", "--help"}, stdout: `(?s)-quota.*VPCEMU_QUOTAS`},
		{name: "unknown quota", args: []string{"serve", "--quota", "bogus=1"}, code: 2, stderr: `unknown quota "bogus"`, quietOnOut: true},
		{name: "bad quota value", args: []string{"serve", "--quota", "gateway-endpoints=0"}, code: 2, stderr: `not a positive whole number`, quietOnOut: true},
		{name: "serve help names the provision delay", args: []string{"serve", "--help"}, stdout: `(?s)-dx-provision-delay.*VPCEMU_DX_PROVISION_DELAY`},
		{name: "bad provision delay", args: []string{"serve", "--dx-provision-delay", "soon"}, code: 2, stderr: `invalid value "soon" for flag -dx-provision-delay`, quietOnOut: true},
		{name: "negative provision delay", args: []string{"serve", "--dx-provision-delay", "-1s"}, code: 2, stderr: `a delay cannot be negative`, quietOnOut: true},
		{name: "serve help names the DNS listeners", args: []string{"serve", "--help"}, stdout: `(?s)-dns-addr.*vpc-…=ADDR.*VPCEMU_DNS_ADDR`},
		{name: "bad DNS address", args: []string{"serve", "--dns-addr", "vpc-1=127.0.0.1"}, code: 2, stderr: `want host:port`, quietOnOut: true},
		{name: "dig help", args: []string{"dig", "--help"}, stdout: `(?s)Usage: vpcemu dig \[flags\] NAME \[TYPE\].*-vpc.*-zone`},
		{name: "dx help", args: []string{"dx", "--help"}, stdout: `(?s)Usage: vpcemu dx set-state.*requested\|pending\|available\|down`},
		{name: "dx without a subcommand", args: []string{"dx"}, code: 2, stderr: `a subcommand is needed: set-state`, quietOnOut: true},
		{name: "dx unknown subcommand", args: []string{"dx", "withdraw"}, code: 2, stderr: `unknown subcommand "withdraw"`, quietOnOut: true},
		{name: "dx advertise without a VIF", args: []string{"dx", "advertise"}, code: 2, stderr: `want a virtual interface ID \(dxvif-…\)`, quietOnOut: true},
		{name: "dx advertise help", args: []string{"dx", "advertise", "--help"}, stdout: `(?s)vpcemu dx advertise.*-endpoint-url`},
		{name: "dx set-state help", args: []string{"dx", "set-state", "--help"}, stdout: `(?s)Usage: vpcemu dx set-state.*-endpoint-url`},
		{name: "dx set-state without a state", args: []string{"dx", "set-state", "dxcon-12345678"}, code: 2, stderr: `want an ID and a state, got "dxcon-12345678"`, quietOnOut: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := vpcemu(t, nil, tc.args...)
			if code != tc.code {
				t.Errorf("exit status %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout, stderr)
			}
			if tc.stdout != "" && !regexp.MustCompile(tc.stdout).MatchString(stdout) {
				t.Errorf("stdout does not match %q:\n%s", tc.stdout, stdout)
			}
			if tc.stderr != "" && !regexp.MustCompile(tc.stderr).MatchString(stderr) {
				t.Errorf("stderr does not match %q:\n%s", tc.stderr, stderr)
			}
			if tc.quietOnOut && stdout != "" {
				t.Errorf("stdout should be empty: %s", stdout)
			}
		})
	}
}

// startServe starts `vpcemu serve args...` with env added to its environment.
func startServe(t *testing.T, env []string, args ...string) *e2e.Server {
	t.Helper()
	cmd := e2e.Command(t, append([]string{"serve"}, args...)...)
	cmd.Env = append(cmd.Env, env...)
	return e2e.Start(t, cmd)
}

// createVPC makes the server write something.
func createVPC(t *testing.T, s *e2e.Server) {
	t.Helper()
	c := ec2.NewFromConfig(emulatortest.Config(s.URL, emulatortest.AccountA, "us-east-1"))
	if _, err := c.CreateVpc(t.Context(), &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}); err != nil {
		t.Fatal(err)
	}
}

func TestServeEnvironment(t *testing.T) {
	t.Run("VPCEMU_ADDR", func(t *testing.T) {
		t.Parallel()
		s := startServe(t, []string{"VPCEMU_ADDR=127.0.0.1:0"}, "--in-memory")
		u, err := url.Parse(s.URL)
		if err != nil || u.Hostname() != "127.0.0.1" || u.Port() == "4566" {
			t.Errorf("endpoint %s: the environment's address was not used", s.URL)
		}
	})
	t.Run("flag beats VPCEMU_ADDR", func(t *testing.T) {
		t.Parallel()
		startServe(t, []string{"VPCEMU_ADDR=not-an-address"}, "--in-memory", "--addr", "127.0.0.1:0")
	})
	t.Run("VPCEMU_DATA_DIR", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "state")
		s := startServe(t, []string{"VPCEMU_DATA_DIR=" + dir, "VPCEMU_ADDR=127.0.0.1:0"})
		createVPC(t, s)
		s.Stop(t)
		if _, err := os.Stat(filepath.Join(dir, emulator.DBFile)); err != nil {
			t.Errorf("state file: %v", err)
		}
		if want := "state=" + filepath.Join(dir, emulator.DBFile); !strings.Contains(s.Log(), want) {
			t.Errorf("log does not say %s:\n%s", want, s.Log())
		}
	})
	t.Run("XDG_DATA_HOME", func(t *testing.T) {
		t.Parallel()
		home := t.TempDir()
		s := startServe(t, []string{"XDG_DATA_HOME=" + home}, "--addr", "127.0.0.1:0")
		s.Stop(t)
		if _, err := os.Stat(filepath.Join(home, "vpcemu", emulator.DBFile)); err != nil {
			t.Errorf("default state file: %v", err)
		}
	})
	t.Run("VPCEMU_LOG_LEVEL", func(t *testing.T) {
		t.Parallel()
		s := startServe(t, []string{"VPCEMU_LOG_LEVEL=debug"}, "--in-memory", "--addr", "127.0.0.1:0")
		createVPC(t, s)
		s.Stop(t)
		if !strings.Contains(s.Log(), `level=DEBUG msg=request service=ec2 operation=CreateVpc`) {
			t.Errorf("no debug line for the request:\n%s", s.Log())
		}
	})
}

// TestInMemoryLeavesNoFile: --in-memory writes nothing anywhere it could
// (working directory, data directory, default data directory).
func TestInMemoryLeavesNoFile(t *testing.T) {
	t.Parallel()
	work, xdg := t.TempDir(), t.TempDir()
	dataDir := filepath.Join(t.TempDir(), "state")
	cmd := e2e.Command(t, "serve", "--in-memory", "--addr", "127.0.0.1:0")
	cmd.Dir = work
	cmd.Env = append(cmd.Env, "XDG_DATA_HOME="+xdg, "VPCEMU_DATA_DIR="+dataDir)
	s := e2e.Start(t, cmd)
	createVPC(t, s)
	s.Stop(t)
	if !strings.Contains(s.Log(), `state="memory (not kept)"`) {
		t.Errorf("log does not say the state is in memory:\n%s", s.Log())
	}
	for _, dir := range []string{work, xdg} {
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			t.Errorf("%s has %d entries, first %s", dir, len(entries), entries[0].Name())
		}
	}
	if _, err := os.Stat(dataDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("data directory %s was created (%v)", dataDir, err)
	}
}

func TestServeAddressInUse(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, stderr, code := vpcemu(t, nil, "serve", "--in-memory", "--addr", ln.Addr().String())
	next := fmt.Sprintf("127.0.0.1:%d", ln.Addr().(*net.TCPAddr).Port+1)
	want := "vpcemu serve: " + ln.Addr().String() + " is already in use, by another vpcemu or another server (LocalStack also listens on 4566); " +
		"choose another address with --addr (or VPCEMU_ADDR), e.g. --addr " + next + ", and point clients at it: AWS_ENDPOINT_URL=http://" + next + "\n"
	if code != 1 || stderr != want {
		t.Errorf("exit status %d, stderr:\n%s\nwant status 1 and:\n%s", code, stderr, want)
	}
}

// TestServeCredentials: a credentials file that cannot be used stops serve
// before it listens, saying what is wrong; --verify-signatures needs one.
func TestServeCredentials(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := file("good.json", `[{"accessKeyId": "AKIAIOSFODNN7EXAMPLE", "secretAccessKey": "s", "account": "222222222222"}]`)
	cases := []struct {
		name   string
		env    []string
		args   []string
		stderr string
	}{
		{"not JSON", nil, []string{"--credentials", file("bad.json", "AKIA=secret")}, `--credentials: .*bad.json: not a JSON list`},
		{"duplicate key", nil, []string{"--credentials", file("dup.json", `[{"accessKeyId": "A", "secretAccessKey": "s", "account": "111111111111"}, {"accessKeyId": "A", "secretAccessKey": "t", "account": "111111111111"}]`)},
			`entry 2 \(A\): access key id A is listed twice`},
		{"short account", nil, []string{"--credentials", file("short.json", `[{"accessKeyId": "A", "secretAccessKey": "s", "account": "1111"}]`)}, `account "1111" is not 12 digits`},
		{"no such file", nil, []string{"--credentials", filepath.Join(dir, "missing.json")}, `--credentials: open .*missing.json: no such file`},
		{"verify without credentials", nil, []string{"--verify-signatures"}, `--verify-signatures needs --credentials FILE`},
		{"verify from the environment", []string{"VPCEMU_VERIFY_SIGNATURES=true"}, nil, `--verify-signatures needs --credentials FILE`},
		{"bad VPCEMU_VERIFY_SIGNATURES", []string{"VPCEMU_VERIFY_SIGNATURES=maybe", "VPCEMU_CREDENTIALS=" + good}, nil, `VPCEMU_VERIFY_SIGNATURES="maybe": want true or false`},
		{"bad file from the environment", []string{"VPCEMU_CREDENTIALS=" + filepath.Join(dir, "bad.json")}, nil, `--credentials: .*bad.json`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := vpcemu(t, tc.env, append([]string{"serve", "--in-memory", "--addr", "127.0.0.1:0"}, tc.args...)...)
			if code != 2 || !regexp.MustCompile(tc.stderr).MatchString(stderr) || stdout != "" {
				t.Errorf("exit status %d, stderr %q, want 2 and %q", code, stderr, tc.stderr)
			}
		})
	}
	t.Run("strict from the environment", func(t *testing.T) {
		s := startServe(t, []string{"VPCEMU_CREDENTIALS=" + good, "VPCEMU_VERIFY_SIGNATURES=1"}, "--in-memory", "--addr", "127.0.0.1:0")
		if !strings.Contains(s.Log(), `signatures="verified (1 keys)"`) {
			t.Errorf("log: %s", s.Log())
		}
		c := ec2.NewFromConfig(emulatortest.Config(s.URL, emulatortest.AccountA, "us-east-1"))
		_, err := c.DescribeVpcs(t.Context(), &ec2.DescribeVpcsInput{})
		if code, _ := emulatortest.APIError(err); code != "AuthFailure" {
			t.Errorf("a key not in the file: %v", err)
		}
	})
}
