package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/vpcemu/vpcemu/internal/controlapi"
)

// defaultEndpoint is where `vpcemu serve` listens unless told otherwise.
const defaultEndpoint = "http://127.0.0.1:4566"

// endpointFlag adds --endpoint-url to the flags of a command that talks to
// a running vpcemu; its value goes through serverEndpoint.
func endpointFlag(fs *flag.FlagSet) *string {
	return fs.String("endpoint-url", "", "the vpcemu to talk to (default: $AWS_ENDPOINT_URL, else $VPCEMU_ADDR, host:port or URL, else "+defaultEndpoint+")")
}

// awsDNSSuffixes are the DNS suffixes of AWS's own endpoints, IPv4 and
// dual-stack, in every partition: the dnsSuffix and dualStackDnsSuffix
// values of aws-sdk-go-v2's partitions.json (internal to the SDK, so
// copied).
var awsDNSSuffixes = []string{
	"amazonaws.com", "amazonaws.com.cn", "amazonaws.eu", "c2s.ic.gov", "cloud.adc-e.uk", "csp.hci.ic.gov", "sc2s.sgov.gov",
	"api.aws", "api.amazonwebservices.com.cn", "api.amazonwebservices.eu", "api.aws.hci.ic.gov", "api.aws.ic.gov",
	"api.aws.scloud", "api.cloud-aws.adc-e.uk",
}

// serverEndpoint finds the vpcemu a client command talks to, the same way
// for every command: the --endpoint-url flag, else AWS_ENDPOINT_URL (what
// the aws CLI and the SDKs use, so one variable serves them and vpcemu),
// else VPCEMU_ADDR (what `vpcemu serve` listens on: host:port or a URL),
// else http://127.0.0.1:4566. It returns scheme://host:port and refuses,
// naming where it came from, what is not a server's address or is one of
// AWS's own endpoints: vpcemu's commands never talk to AWS.
func serverEndpoint(flagValue string, getenv func(string) string) (string, error) {
	source, value := "--endpoint-url", flagValue
	for _, env := range []string{"AWS_ENDPOINT_URL", "VPCEMU_ADDR"} {
		if value != "" {
			break
		}
		source, value = env, getenv(env)
	}
	if value == "" {
		return defaultEndpoint, nil
	}
	raw := value
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "", fmt.Errorf("%s %q is not a URL: %v", source, value, err)
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("%s %q: want http:// or https://", source, value)
	case u.Hostname() == "":
		return "", fmt.Errorf("%s %q names no host", source, value)
	case strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.User != nil:
		return "", fmt.Errorf("%s %q: want a server's address, scheme://host:port, with nothing after it", source, value)
	case isAWSHost(u.Hostname()):
		return "", fmt.Errorf("%s is %s, an AWS endpoint: vpcemu's commands talk to vpcemu only (point it at vpcemu, such as %s, or unset it)", source, value, defaultEndpoint)
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), map[string]string{"http": "80", "https": "443"}[u.Scheme])
	}
	return u.Scheme + "://" + host, nil
}

// isAWSHost tells whether host is an AWS endpoint's name.
func isAWSHost(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, suffix := range awsDNSSuffixes {
		if host == suffix || strings.HasSuffix(host, "."+suffix) {
			return true
		}
	}
	return false
}

// checkVpcemu makes sure endpoint is vpcemu, not another server on its port
// (LocalStack also listens on 4566), before a command writes to it.
func checkVpcemu(endpoint string) error {
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(endpoint + "/_vpcemu/health")
	if err != nil {
		return fmt.Errorf("cannot reach vpcemu at %s (is 'vpcemu serve' running?): %w", endpoint, err)
	}
	defer resp.Body.Close()
	var health struct{ Status string }
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&health) != nil || health.Status != "ok" {
		return fmt.Errorf("%s is not vpcemu (GET /_vpcemu/health answered %s): another server, LocalStack perhaps, has that port; start vpcemu on another (vpcemu serve --addr 127.0.0.1:4567) and point AWS_ENDPOINT_URL at it", endpoint, resp.Status)
	}
	return nil
}

// listenError explains why `vpcemu serve` cannot listen on addr; an address
// in use is common (LocalStack also listens on 4566), so it says how to
// choose another and how to point clients at it.
func listenError(addr string, err error) error {
	if !errors.Is(err, syscall.EADDRINUSE) {
		return err
	}
	listen, client := "127.0.0.1:4567", "127.0.0.1:4567"
	if host, port, err := net.SplitHostPort(addr); err == nil {
		if n, err := strconv.Atoi(port); err == nil && n > 0 && n < 65535 {
			listen = net.JoinHostPort(host, strconv.Itoa(n+1))
			if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
				host = "127.0.0.1"
			}
			client = net.JoinHostPort(host, strconv.Itoa(n+1))
		}
	}
	return fmt.Errorf("%s is already in use, by another vpcemu or another server (LocalStack also listens on 4566); "+
		"choose another address with --addr (or VPCEMU_ADDR), e.g. --addr %s, and point clients at it: AWS_ENDPOINT_URL=http://%s", addr, listen, client)
}

// askFailure is how a command ends when its question to a running vpcemu
// fails: with the server's refusal, or saying the server could not be
// asked; with status code either way.
func askFailure(endpoint string, err error, code int) error {
	var refused *controlapi.Error
	if errors.As(err, &refused) {
		return exitStatus{code, refused}
	}
	return exitStatus{code, fmt.Errorf("cannot ask vpcemu at %s (is 'vpcemu serve' running?): %w", endpoint, err)}
}
