// Package proxyrun starts a command as an instance in proxy mode
// (`vpcemu run --proxy`): in no namespace of its own, with the proxy
// variables naming the data plane's proxy and the run's credentials, so
// that whatever honours them is carried as the instance. The run lasts
// as long as the command, and ends it if the data plane goes away.
package proxyrun

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strings"

	"github.com/vpcemu/vpcemu/internal/dataplane"
)

// Env are the variables that send a command's connections through cfg's
// proxy as its instance: HTTP(S)_PROXY (HTTP CONNECT and plain HTTP),
// ALL_PROXY (SOCKS5, names resolved by the proxy), each in both cases as
// programs read either; noProxy are the hosts reached directly
// (vpcemu's own). metadata is the run's own metadata endpoint ("" for
// none): AWS_EC2_METADATA_SERVICE_ENDPOINT, which the SDKs and the CLI
// ask instead of 169.254.169.254 (that they reach bypassing proxies), and
// which is reached directly too.
func Env(cfg dataplane.RunConfig, noProxy, metadata string) []string {
	u := url.URL{Scheme: "http", User: url.UserPassword(cfg.Player(), cfg.Token), Host: cfg.Proxy}
	socks := u
	socks.Scheme = "socks5h"
	vars := map[string]string{"HTTP_PROXY": u.String(), "HTTPS_PROXY": u.String(), "ALL_PROXY": socks.String(), "NO_PROXY": noProxy}
	var env []string
	if m, err := url.Parse(metadata); err == nil && metadata != "" {
		env = append(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT="+metadata)
		if !slices.Contains(strings.Split(noProxy, ","), m.Hostname()) {
			vars["NO_PROXY"] = strings.TrimPrefix(noProxy+","+m.Hostname(), ",")
		}
	}
	for name, value := range vars {
		env = append(env, name+"="+value, strings.ToLower(name)+"="+value)
	}
	return env
}

// Run starts cfg's run on its proxy, runs argv with Env (noProxy as
// there) and returns its exit code.
func Run(cfg dataplane.RunConfig, argv []string, noProxy string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	session, err := dataplane.OpenSession(cfg.Proxy, cfg.Player(), cfg.Token)
	if err != nil {
		return 0, fmt.Errorf("starting the run on the data plane's proxy: %w", err)
	}
	defer session.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	cmd.Env = append(os.Environ(), Env(cfg, noProxy, session.Metadata)...)
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	return dataplane.Supervise(cmd, argv[0], session, stderr, nil)
}
