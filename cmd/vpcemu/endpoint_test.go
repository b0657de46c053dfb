package main

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

func TestServerEndpoint(t *testing.T) {
	cases := []struct {
		name      string
		flag      string
		env       map[string]string
		want      string
		wantError string // a regular expression
	}{
		{name: "default", want: "http://127.0.0.1:4566"},
		{name: "flag", flag: "http://127.0.0.1:5000", want: "http://127.0.0.1:5000"},
		{name: "flag beats environment", flag: "http://127.0.0.1:5000",
			env: map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:6000", "VPCEMU_ADDR": "127.0.0.1:7000"}, want: "http://127.0.0.1:5000"},
		{name: "AWS_ENDPOINT_URL", env: map[string]string{"AWS_ENDPOINT_URL": "http://localhost:6000"}, want: "http://localhost:6000"},
		{name: "AWS_ENDPOINT_URL beats VPCEMU_ADDR",
			env: map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:6000", "VPCEMU_ADDR": "127.0.0.1:7000"}, want: "http://127.0.0.1:6000"},
		{name: "VPCEMU_ADDR host:port", env: map[string]string{"VPCEMU_ADDR": "127.0.0.1:7000"}, want: "http://127.0.0.1:7000"},
		{name: "VPCEMU_ADDR URL", env: map[string]string{"VPCEMU_ADDR": "http://127.0.0.1:7000/"}, want: "http://127.0.0.1:7000"},
		{name: "VPCEMU_ADDR IPv6", env: map[string]string{"VPCEMU_ADDR": "[::1]:7000"}, want: "http://[::1]:7000"},
		{name: "empty variable is unset", env: map[string]string{"AWS_ENDPOINT_URL": "", "VPCEMU_ADDR": "127.0.0.1:7000"}, want: "http://127.0.0.1:7000"},
		{name: "no port", flag: "http://vpcemu.internal", want: "http://vpcemu.internal:80"},
		{name: "https, no port", flag: "https://vpcemu.internal/", want: "https://vpcemu.internal:443"},

		{name: "AWS endpoint", env: map[string]string{"AWS_ENDPOINT_URL": "https://ec2.us-east-1.amazonaws.com"},
			wantError: `^AWS_ENDPOINT_URL is https://ec2\.us-east-1\.amazonaws\.com, an AWS endpoint: vpcemu's commands talk to vpcemu only`},
		{name: "AWS endpoint, any case, trailing dot", flag: "https://STS.AmazonAWS.com.:443", wantError: `^--endpoint-url is .*an AWS endpoint`},
		{name: "AWS China", env: map[string]string{"VPCEMU_ADDR": "ec2.cn-north-1.amazonaws.com.cn:443"}, wantError: `^VPCEMU_ADDR is .*an AWS endpoint`},
		{name: "AWS dual-stack", flag: "https://ec2.us-west-2.api.aws", wantError: `an AWS endpoint`},
		{name: "AWS GovCloud", flag: "https://ec2.us-gov-west-1.amazonaws.com", wantError: `an AWS endpoint`},
		{name: "AWS European Sovereign Cloud", flag: "https://ec2.eusc-de-east-1.amazonaws.eu", wantError: `an AWS endpoint`},
		{name: "AWS endpoint behind a valid one", env: map[string]string{"AWS_ENDPOINT_URL": "https://ec2.us-east-1.amazonaws.com", "VPCEMU_ADDR": "127.0.0.1:7000"},
			wantError: `^AWS_ENDPOINT_URL is`},
		{name: "a look-alike is not AWS", flag: "http://notamazonaws.com:4566", want: "http://notamazonaws.com:4566"},
		{name: "path", flag: "http://127.0.0.1:4566/ec2", wantError: `^--endpoint-url "http://127.0.0.1:4566/ec2": want a server's address`},
		{name: "scheme", env: map[string]string{"AWS_ENDPOINT_URL": "ftp://127.0.0.1:21"}, wantError: `^AWS_ENDPOINT_URL "ftp://127.0.0.1:21": want http:// or https://`},
		{name: "no host", flag: "http://:4566", wantError: `names no host`},
		{name: "not a URL", env: map[string]string{"VPCEMU_ADDR": "127.0.0.1:port"}, wantError: `^VPCEMU_ADDR "127.0.0.1:port" is not a URL`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := serverEndpoint(tc.flag, func(k string) string { return tc.env[k] })
			switch {
			case tc.wantError != "":
				if err == nil || !regexp.MustCompile(tc.wantError).MatchString(err.Error()) {
					t.Errorf("got %q, %v; want an error matching %q", got, err, tc.wantError)
				}
			case err != nil || got != tc.want:
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// TestClientCommandsFindTheServer: analyze and bench find the server
// through AWS_ENDPOINT_URL as well as VPCEMU_ADDR, refuse AWS's endpoints
// before sending anything, and bench refuses a server that is not vpcemu.
func TestClientCommandsFindTheServer(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close() // nothing listens there now
	other := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(other.Close)
	question := []string{"analyze", "--from", "10.0.1.4", "--to", "10.0.2.4"}
	cases := []struct {
		name   string
		env    []string
		args   []string
		code   int
		stderr string
	}{
		{name: "analyze AWS_ENDPOINT_URL", env: []string{"AWS_ENDPOINT_URL=http://" + closed, "VPCEMU_ADDR=127.0.0.1:1"}, args: question, code: 2,
			stderr: `^vpcemu analyze: cannot ask vpcemu at http://` + regexp.QuoteMeta(closed) + ` `},
		{name: "analyze refuses AWS", env: []string{"AWS_ENDPOINT_URL=https://ec2.us-east-1.amazonaws.com"}, args: question, code: 2,
			stderr: `^vpcemu analyze: AWS_ENDPOINT_URL is https://ec2.us-east-1.amazonaws.com, an AWS endpoint: vpcemu's commands talk to vpcemu only`},
		{name: "dx AWS_ENDPOINT_URL", env: []string{"AWS_ENDPOINT_URL=http://" + closed}, args: []string{"dx", "set-state", "dxcon-12345678", "down"}, code: 1,
			stderr: `^vpcemu dx: cannot ask vpcemu at http://` + regexp.QuoteMeta(closed) + ` \(is 'vpcemu serve' running\?\)`},
		{name: "dx refuses AWS", env: []string{"AWS_ENDPOINT_URL=https://directconnect.us-east-1.amazonaws.com"}, args: []string{"dx", "set-state", "dxcon-12345678", "down"}, code: 2,
			stderr: `^vpcemu dx: AWS_ENDPOINT_URL is https://directconnect.us-east-1.amazonaws.com, an AWS endpoint`},
		{name: "bench AWS_ENDPOINT_URL", env: []string{"AWS_ENDPOINT_URL=http://" + closed}, args: []string{"bench", "describe"}, code: 1,
			stderr: `vpcemu: bench: cannot reach vpcemu at http://` + regexp.QuoteMeta(closed) + ` \(is 'vpcemu serve' running\?\)`},
		{name: "bench VPCEMU_ADDR", env: []string{"VPCEMU_ADDR=" + closed}, args: []string{"bench", "-q", "describe"}, code: 1,
			stderr: `cannot reach vpcemu at http://` + regexp.QuoteMeta(closed) + ` `},
		{name: "bench refuses AWS", env: []string{"AWS_ENDPOINT_URL=https://ec2.us-east-1.amazonaws.com"}, args: []string{"bench", "populate"}, code: 1,
			stderr: `bench: AWS_ENDPOINT_URL is https://ec2.us-east-1.amazonaws.com, an AWS endpoint`},
		{name: "bench refuses another server", args: []string{"bench", "--endpoint-url", other.URL, "populate"}, code: 1,
			stderr: `bench: ` + regexp.QuoteMeta(other.URL) + ` is not vpcemu \(GET /_vpcemu/health answered 404 Not Found\): another server, LocalStack perhaps`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := vpcemu(t, tc.env, tc.args...)
			if code != tc.code || !regexp.MustCompile(tc.stderr).MatchString(stderr) {
				t.Errorf("exit status %d, want %d; stderr does not match %q:\n%s", code, tc.code, tc.stderr, stderr)
			}
			if strings.TrimSpace(stdout) != "" {
				t.Errorf("stdout: %s", stdout)
			}
		})
	}
}

func TestListenError(t *testing.T) {
	inUse := &net.OpError{Op: "listen", Net: "tcp", Err: os.NewSyscallError("bind", syscall.EADDRINUSE)}
	for _, tc := range []struct{ addr, listen, client string }{
		{"127.0.0.1:4566", "127.0.0.1:4567", "127.0.0.1:4567"},
		{"0.0.0.0:5000", "0.0.0.0:5001", "127.0.0.1:5001"},
		{":4566", ":4567", "127.0.0.1:4567"},
		{"[::1]:4566", "[::1]:4567", "[::1]:4567"},
	} {
		want := tc.addr + " is already in use, by another vpcemu or another server (LocalStack also listens on 4566); choose another address with --addr (or VPCEMU_ADDR), e.g. --addr " +
			tc.listen + ", and point clients at it: AWS_ENDPOINT_URL=http://" + tc.client
		if got := listenError(tc.addr, inUse).Error(); got != want {
			t.Errorf("%s:\n got %s\nwant %s", tc.addr, got, want)
		}
	}
	other := errors.New("permission denied")
	if got := listenError("127.0.0.1:80", other); got != other {
		t.Errorf("another error became %v", got)
	}
}
