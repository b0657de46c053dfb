package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/vpcemu/vpcemu/internal/controlapi"
	"github.com/vpcemu/vpcemu/internal/dataplane"
	"github.com/vpcemu/vpcemu/internal/dataplane/nsrun"
)

// runCommand runs a command as an instance: in its own network namespace
// with the instance's address, where the VPC's network (as the running
// vpcemu's data plane carries it) is all it reaches. It exits with the
// command's status.
func runCommand(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("run", "--instance i-… [--] CMD [ARG…]", stderr)
	instance := fs.String("instance", "", "the instance to play (of the caller's account; running)")
	endpointURL := endpointFlag(fs)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: vpcemu run --instance i-… [--] CMD [ARG…]

Runs CMD as the instance: in its own network namespace, with the
instance's private address on eth0, a default route through its subnet's
router and /etc/resolv.conf naming its VPC's DNS server (base + 2). What
CMD connects to is carried by the running vpcemu's data plane only where
AWS would carry it: every new connection asks the same engine as
'vpcemu analyze'; a blocked one is dropped (the client times out), one to
an instance no process plays is refused. CMD listening on a port serves
connections that reach the instance there. Needs Linux and root. The
caller is the one the AWS environment variables name, as for 'analyze'.

Flags:
`)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	argv := fs.Args()
	if *instance == "" || len(argv) == 0 {
		return usageError{errors.New("--instance and a command are needed")}
	}
	endpoint, err := serverEndpoint(*endpointURL, os.Getenv)
	if err != nil {
		return usageError{err}
	}
	c := (*controlapi.Client)(awsClient(endpoint))
	answer, err := c.Post(context.Background(), dataplane.RunPath, "ec2", dataplane.RunRequest{Instance: *instance})
	if err != nil {
		return askFailure(endpoint, err, 125)
	}
	var cfg dataplane.RunConfig
	if err := json.Unmarshal(answer, &cfg); err != nil || cfg.Token == "" {
		return exitStatus{125, fmt.Errorf("%s answered what is not a run configuration", endpoint)}
	}
	if cfg.CABundle != "" {
		// TLS clients trust the local CA that signs what AWS services with
		// an upstream present (the bundle keeps the system's roots).
		for _, v := range []string{"AWS_CA_BUNDLE", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"} {
			os.Setenv(v, cfg.CABundle)
		}
		os.Setenv("NODE_EXTRA_CA_CERTS", cfg.CACert) // Node adds it to its own roots
	}
	exe, err := os.Executable()
	if err != nil {
		return exitStatus{125, err}
	}
	code, err := nsrun.Run(exe, cfg, argv, os.Stdin, stdout, stderr)
	if err != nil {
		return exitStatus{125, err}
	}
	if code != 0 {
		return exitStatus{code, nil}
	}
	return nil
}

// nsChild is the vpcemu re-executed inside a run's namespaces.
func nsChild(args []string, stderr io.Writer) int {
	err := nsrun.Child(args)
	fmt.Fprintln(stderr, "vpcemu run:", strings.TrimSpace(err.Error()))
	return 127
}
