// Package proxyrun starts a command as an instance in proxy mode
// (`vpcemu run --proxy`): in no namespace of its own, with the proxy
// variables naming the data plane's proxy and the run's credentials, so
// that whatever honours them is carried as the instance. The run lasts
// as long as the command, and ends it if the data plane goes away.
package proxyrun

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"

	"github.com/vpcemu/vpcemu/internal/dataplane"
)

// Env are the variables that send a command's connections through cfg's
// proxy as its instance: HTTP(S)_PROXY (HTTP CONNECT and plain HTTP),
// ALL_PROXY (SOCKS5, names resolved by the proxy), each in both cases as
// programs read either; noProxy are the hosts reached directly
// (vpcemu's own).
func Env(cfg dataplane.RunConfig, noProxy string) []string {
	u := url.URL{Scheme: "http", User: url.UserPassword(cfg.Instance, cfg.Token), Host: cfg.Proxy}
	socks := u
	socks.Scheme = "socks5h"
	var env []string
	for name, value := range map[string]string{"HTTP_PROXY": u.String(), "HTTPS_PROXY": u.String(), "ALL_PROXY": socks.String(), "NO_PROXY": noProxy} {
		env = append(env, name+"="+value, strings.ToLower(name)+"="+value)
	}
	return env
}

// Run starts cfg's run on its proxy, runs argv with Env (noProxy as
// there) and returns its exit code.
func Run(cfg dataplane.RunConfig, argv []string, noProxy string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	session, err := dataplane.OpenSession(cfg.Proxy, cfg.Instance, cfg.Token)
	if err != nil {
		return 0, fmt.Errorf("starting the run on the data plane's proxy: %w", err)
	}
	defer session.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	cmd.Env = append(os.Environ(), Env(cfg, noProxy)...)
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	// Signals for vpcemu run are for the command, as for docker run.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	defer signal.Stop(sig)
	go func() {
		for s := range sig {
			cmd.Process.Signal(s)
		}
	}()
	// The server ending ends the run: the command goes too.
	exited := make(chan struct{})
	go func() {
		io.Copy(io.Discard, session)
		select {
		case <-exited:
		default:
			fmt.Fprintln(stderr, "vpcemu run: the server's data plane went away; stopping", argv[0])
			cmd.Process.Signal(syscall.SIGTERM)
		}
	}()
	err = cmd.Wait()
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
