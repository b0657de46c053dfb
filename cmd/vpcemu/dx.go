package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/dxcontrol"
)

// dxCommand runs vpcemu's Direct Connect controls, which stand in for the
// physical world no AWS API reaches: `vpcemu dx set-state ID STATE` and
// `vpcemu dx advertise dxvif-… PREFIX…`.
func dxCommand(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		w := stderr
		if len(args) > 0 {
			w = stdout
		}
		fmt.Fprint(w, dxUsage)
		if len(args) == 0 {
			return usageError{errors.New("a subcommand is needed: set-state or advertise")}
		}
		return nil
	}
	switch args[0] {
	case "set-state":
		return setState(args[1:], stdout, stderr)
	case "advertise":
		return advertise(args[1:], stdout, stderr)
	}
	return usageError{fmt.Errorf("unknown subcommand %q: vpcemu dx has set-state and advertise", args[0])}
}

const dxUsage = `Usage: vpcemu dx set-state [flags] dxcon-…|dxvif-… requested|pending|available|down
       vpcemu dx advertise [flags] dxvif-… [PREFIX…]

set-state:

Holds a Direct Connect connection (its cross-connect) or a virtual
interface (its BGP session) of the caller's in a state in a running vpcemu,
as the AWS environment variables name the caller (AWS_ACCESS_KEY_ID, …):
pending or requested (connections only) until set otherwise, down (a fibre
cut, a router that stops answering BGP), or available again. What rests on
it follows: a connection down takes its virtual interfaces and hosted
connections down. Prints the ID and the state it shows now.

advertise:
Says which prefixes the customer's router on premises advertises over the
BGP sessions of a private virtual interface (at most 100, IPv4 or IPv6
CIDRs), replacing what it advertised; none withdraws them all. While the
VIF is available with a session up, the virtual private gateways behind it
(attached to it, or associated with its Direct Connect gateway) learn them,
and route tables with propagation enabled show them. Prints the ID, the
VIF's state and the prefixes.
`

func setState(args []string, stdout, stderr io.Writer) error {
	positional, c, err := dxClient("dx set-state", "[flags] ID STATE", args, stdout, stderr)
	if err != nil {
		return err
	}
	if len(positional) != 2 {
		return usageError{fmt.Errorf("want an ID and a state, got %q", strings.Join(positional, " "))}
	}
	state, err := c.SetState(context.Background(), positional[0], positional[1])
	if err != nil {
		return dxFailure(c, err)
	}
	fmt.Fprintf(stdout, "%s\t%s\n", positional[0], state)
	return nil
}

func advertise(args []string, stdout, stderr io.Writer) error {
	positional, c, err := dxClient("dx advertise", "[flags] dxvif-… [PREFIX…]", args, stdout, stderr)
	if err != nil {
		return err
	}
	if len(positional) == 0 {
		return usageError{errors.New("want a virtual interface ID (dxvif-…) and the prefixes it advertises")}
	}
	v, err := c.Advertise(context.Background(), positional[0], positional[1:])
	if err != nil {
		return dxFailure(c, err)
	}
	fmt.Fprintf(stdout, "%s\t%s\t%s\n", v.ID, v.State, strings.Join(v.Prefixes, ","))
	return nil
}

// dxClient parses a dx subcommand's flags (before or after its
// arguments) and returns its arguments and a client for the server.
func dxClient(name, usage string, args []string, stdout, stderr io.Writer) ([]string, *dxcontrol.Client, error) {
	fs := newFlags(name, usage, stderr)
	endpointURL := endpointFlag(fs)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), dxUsage+"\nFlags:\n")
		fs.PrintDefaults()
	}
	var positional []string
	for len(args) > 0 {
		if err := parseFlags(fs, args, stdout); err != nil {
			return nil, nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	endpoint, err := serverEndpoint(*endpointURL, os.Getenv)
	if err != nil {
		return nil, nil, usageError{err}
	}
	return positional, &dxcontrol.Client{
		Endpoint: endpoint,
		Region:   envOr("AWS_REGION", envOr("AWS_DEFAULT_REGION", awsproto.DefaultRegion)),
		Credentials: aws.Credentials{
			AccessKeyID: os.Getenv("AWS_ACCESS_KEY_ID"), SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY"), SessionToken: os.Getenv("AWS_SESSION_TOKEN"),
		},
		HTTP: &http.Client{Timeout: 30 * time.Second},
	}, nil
}

// dxFailure is the command's error for a refusal or an unreachable
// server.
func dxFailure(c *dxcontrol.Client, err error) error { return askFailure(c.Endpoint, err, 1) }
