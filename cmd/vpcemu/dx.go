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
// physical world no AWS API reaches: `vpcemu dx set-state ID STATE`.
func dxCommand(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		w := stderr
		if len(args) > 0 {
			w = stdout
		}
		fmt.Fprint(w, dxUsage)
		if len(args) == 0 {
			return usageError{errors.New("a subcommand is needed: set-state")}
		}
		return nil
	}
	if args[0] != "set-state" {
		return usageError{fmt.Errorf("unknown subcommand %q: vpcemu dx has set-state", args[0])}
	}
	return setState(args[1:], stdout, stderr)
}

const dxUsage = `Usage: vpcemu dx set-state [flags] dxcon-…|dxvif-… requested|pending|available|down

Holds a Direct Connect connection (its cross-connect) or a virtual
interface (its BGP session) of the caller's in a state in a running vpcemu,
as the AWS environment variables name the caller (AWS_ACCESS_KEY_ID, …):
pending or requested (connections only) until set otherwise, down (a fibre
cut, a router that stops answering BGP), or available again. What rests on
it follows: a connection down takes its virtual interfaces and hosted
connections down. Prints the ID and the state it shows now.
`

func setState(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("dx set-state", "[flags] ID STATE", stderr)
	endpointURL := endpointFlag(fs)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), dxUsage+"\nFlags:\n")
		fs.PrintDefaults()
	}
	// The flags may come before or after the ID and the state.
	var positional []string
	for len(args) > 0 {
		if err := parseFlags(fs, args, stdout); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(positional) != 2 {
		return usageError{fmt.Errorf("want an ID and a state, got %q", strings.Join(positional, " "))}
	}
	endpoint, err := serverEndpoint(*endpointURL, os.Getenv)
	if err != nil {
		return usageError{err}
	}
	c := &dxcontrol.Client{
		Endpoint: endpoint,
		Region:   envOr("AWS_REGION", envOr("AWS_DEFAULT_REGION", awsproto.DefaultRegion)),
		Credentials: aws.Credentials{
			AccessKeyID: os.Getenv("AWS_ACCESS_KEY_ID"), SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY"), SessionToken: os.Getenv("AWS_SESSION_TOKEN"),
		},
		HTTP: &http.Client{Timeout: 30 * time.Second},
	}
	state, err := c.SetState(context.Background(), positional[0], positional[1])
	var refused *dxcontrol.Error
	switch {
	case errors.As(err, &refused):
		return exitStatus{1, refused}
	case err != nil:
		return exitStatus{1, fmt.Errorf("cannot ask vpcemu at %s (is 'vpcemu serve' running?): %w", endpoint, err)}
	}
	fmt.Fprintf(stdout, "%s\t%s\n", positional[0], state)
	return nil
}
