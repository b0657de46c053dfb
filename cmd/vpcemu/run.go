package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime"
	"strings"

	"github.com/vpcemu/vpcemu/internal/controlapi"
	"github.com/vpcemu/vpcemu/internal/dataplane"
	"github.com/vpcemu/vpcemu/internal/dataplane/nsrun"
	"github.com/vpcemu/vpcemu/internal/dataplane/proxyrun"
)

// runCommand runs a command as an instance: in its own network namespace
// with the instance's address, where the VPC's network (as the running
// vpcemu's data plane carries it) is all it reaches; or, in proxy mode,
// with its proxy variables naming the data plane's proxy. It exits with
// the command's status.
func runCommand(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("run", "--instance i-… [--proxy [--listen PORT=127.0.0.1:LPORT]…] [--] CMD [ARG…]", stderr)
	instance := fs.String("instance", "", "the instance to play (of the caller's account; running)")
	onPremises := fs.String("on-premises", "", "instead of an instance, the IPv4 `ADDR`ess of a host on premises to play, behind --via")
	via := fs.String("via", "", "with --on-premises, the private Direct Connect virtual interface (`dxvif-…`, of the caller's) the host is behind")
	proxy := fs.Bool("proxy", runtime.GOOS != "linux", "proxy mode: CMD reaches the VPC through the data plane's proxy (the default off Linux)")
	var listen []string
	fs.Func("listen", "in proxy mode, `PORT=127.0.0.1:LPORT`: connections that reach the instance's PORT go to CMD listening on LPORT; PORT/udp for UDP (repeatable)", func(v string) error {
		listen = append(listen, v)
		return nil
	})
	endpointURL := endpointFlag(fs)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: vpcemu run --instance i-… [--] CMD [ARG…]
       vpcemu run --proxy --instance i-… [--listen PORT=127.0.0.1:LPORT]… [--] CMD [ARG…]
       vpcemu run [--proxy [--listen PORT=127.0.0.1:LPORT]…] --on-premises ADDR --via dxvif-… [--] CMD [ARG…]

Runs CMD as the instance: in its own network namespace, with the
instance's private address on eth0, a default route through its subnet's
router and /etc/resolv.conf naming its VPC's DNS server (base + 2). What
CMD connects to is carried by the running vpcemu's data plane only where
AWS would carry it: every new connection asks the same engine as
'vpcemu analyze'; a blocked one is dropped (the client times out), one to
an instance no process plays is refused. CMD listening on a port serves
connections that reach the instance there. Needs Linux and root (or
user namespaces).

With --proxy (the default off Linux) CMD runs in no namespace: its
HTTP_PROXY, HTTPS_PROXY and ALL_PROXY (socks5h) name the data plane's
proxy on 127.0.0.1 with the run's credentials, and what honours them is
carried as the instance, decided by the same engine; names resolve in the
instance's VPC; UDP goes through SOCKS5's UDP ASSOCIATE (ping does not
go through a proxy). --listen PORT=127.0.0.1:LPORT serves connections that
reach the instance's PORT by CMD listening on loopback port LPORT
(PORT/udp=127.0.0.1:LPORT for UDP).

With --on-premises ADDR --via dxvif-… CMD is a host on premises behind
that private virtual interface (one of the caller's): its namespace
holds ADDR, everything leaves by eth0, and what it opens is carried as
'vpcemu analyze --from ADDR --via dxvif-…' finds it (the VIF down, or
BGP down, drops it). Instances whose routes send ADDR through the
virtual private gateway reach CMD there; an address on premises no
process plays does not answer. Its DNS server answers the public view:
on premises has no VPC's resolver. In proxy mode, the same through the
proxy (--listen for what it serves).

The caller is the one the AWS environment variables name, as for
'analyze'.

Flags:
`)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	argv := fs.Args()
	req := dataplane.RunRequest{Instance: *instance, Listen: listen, OnPremises: *onPremises, Via: *via}
	if err := checkRunFlags(req, len(argv) > 0); err != nil {
		return usageError{err}
	}
	switch {
	case *proxy:
		req.Mode = dataplane.ModeProxy
	case len(listen) > 0:
		return usageError{errors.New("--listen is for proxy mode (--proxy); in transparent mode CMD listens as the instance itself")}
	}
	endpoint, err := serverEndpoint(*endpointURL, os.Getenv)
	if err != nil {
		return usageError{err}
	}
	c := (*controlapi.Client)(awsClient(endpoint))
	answer, err := c.Post(context.Background(), dataplane.RunPath, "ec2", req)
	if err != nil {
		return askFailure(endpoint, err, 125)
	}
	var cfg dataplane.RunConfig
	if err := json.Unmarshal(answer, &cfg); err != nil || cfg.Token == "" {
		return exitStatus{125, fmt.Errorf("%s answered what is not a run configuration", endpoint)}
	}
	if *proxy && cfg.Proxy == "" {
		return exitStatus{125, fmt.Errorf("%s has no proxy for proxy mode", endpoint)}
	}
	if cfg.CABundle != "" {
		// TLS clients trust the local CA that signs what AWS services with
		// an upstream present (the bundle keeps the system's roots).
		for _, v := range []string{"AWS_CA_BUNDLE", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"} {
			os.Setenv(v, cfg.CABundle)
		}
		os.Setenv("NODE_EXTRA_CA_CERTS", cfg.CACert) // Node adds it to its own roots
	}
	var code int
	if *proxy {
		// vpcemu itself is reached directly.
		u, _ := url.Parse(endpoint)
		code, err = proxyrun.Run(cfg, argv, u.Hostname(), os.Stdin, stdout, stderr)
	} else {
		var exe string
		if exe, err = os.Executable(); err != nil {
			return exitStatus{125, err}
		}
		code, err = nsrun.Run(exe, cfg, argv, os.Stdin, stdout, stderr)
	}
	if err != nil {
		return exitStatus{125, err}
	}
	if code != 0 {
		return exitStatus{code, nil}
	}
	return nil
}

// checkRunFlags says what is wrong with a run's flags: an instance, or a
// host on premises with its VIF, and a command.
func checkRunFlags(req dataplane.RunRequest, command bool) error {
	switch onPrem := req.OnPremises != "" || req.Via != ""; {
	case onPrem && req.Instance != "":
		return errors.New("--instance and --on-premises exclude each other: a process plays an instance or a host on premises")
	case onPrem && (req.OnPremises == "" || req.Via == ""):
		return errors.New("--on-premises ADDR and --via dxvif-… go together")
	case !onPrem && req.Instance == "":
		return errors.New("--instance (or --on-premises and --via) and a command are needed")
	case !command:
		return errors.New("a command is needed")
	}
	return nil
}

// nsChild is the vpcemu re-executed inside a run's namespaces.
func nsChild(args []string, stderr io.Writer) int {
	err := nsrun.Child(args)
	fmt.Fprintln(stderr, "vpcemu run:", strings.TrimSpace(err.Error()))
	return 127
}
