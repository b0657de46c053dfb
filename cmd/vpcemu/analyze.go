package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/vpcemu/vpcemu/internal/analyzer"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/pathtext"
)

// analyze asks a running vpcemu whether traffic gets from one place to
// another, and prints the path hop by hop or why it is blocked. It exits
// 0 when the path is found, 1 when it is not, 2 when the question cannot be
// asked.
func analyze(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("analyze", "--from X --to Y [flags]", stderr)
	var req analyzer.Request
	fs.StringVar(&req.From, "from", "", "source: an instance, network interface, internet gateway, peering connection… id or ARN, or an IP address")
	fs.StringVar(&req.To, "to", "", "destination: as --from, or a DNS name the source resolves")
	fs.IntVar(&req.Port, "port", 0, "destination port (default any)")
	fs.StringVar(&req.Protocol, "protocol", "tcp", "tcp, udp or icmp (an echo request)")
	fs.StringVar(&req.Action, "action", "", "ask whether the endpoint policies on the path allow this action (s3:GetObject)")
	fs.StringVar(&req.Resource, "resource", "", "the resource ARN of --action (arn:aws:s3:::bucket/key)")
	fs.StringVar(&req.Principal, "principal", "", "the principal ARN of --action (default the caller's account)")
	fs.StringVar(&req.SourceIP, "source-ip", "", "the address the packet leaves from, when --from names a resource")
	fs.StringVar(&req.DestinationIP, "destination-ip", "", "the address the packet goes to, when --to names a resource")
	fs.StringVar(&req.Via, "via", "", "a private Direct Connect virtual interface (dxvif-…): the --from (else --to) IP address is on premises, behind it")
	fs.Func("through", "an ARN the path must go through (FilterInArns; repeat for more)", func(v string) error { req.Through = append(req.Through, v); return nil })
	fs.Func("avoid", "an ARN the path must not go through (FilterOutArns; repeat for more)", func(v string) error { req.Avoid = append(req.Avoid, v); return nil })
	asJSON := fs.Bool("json", false, "print the server's JSON answer (AWS's NetworkInsightsAnalysis members) unchanged")
	endpointURL := endpointFlag(fs)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: vpcemu analyze --from X --to Y [flags]

Asks a running vpcemu (through its API, as the caller the AWS environment
variables name: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION or
AWS_DEFAULT_REGION) whether traffic gets from X to Y and back, and prints
the path hop by hop, or the component that blocks it, its rule and why.
Exits 0 when the path is found, 1 when it is blocked, 2 when the question
cannot be asked.

Flags:
`)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := noArguments(fs); err != nil {
		return err
	}
	endpoint, err := serverEndpoint(*endpointURL, os.Getenv)
	if err != nil {
		return usageError{err}
	}
	if req.Protocol == "tcp" {
		req.Protocol = "" // the server's default; spares it on the wire
	}
	if _, bad := req.Query(); bad != nil {
		return usageError{errors.New(flagWording(bad))}
	}
	answer, err := awsClient(endpoint).Analyze(context.Background(), req)
	if err != nil {
		return askFailure(endpoint, err, 2)
	}
	var res analyzer.Answer
	if err := json.Unmarshal(answer, &res); err != nil {
		return exitStatus{2, fmt.Errorf("%s answered what is not an analysis: %w", endpoint, err)}
	}
	if *asJSON {
		stdout.Write(answer)
	} else {
		pathtext.Print(stdout, res)
	}
	if !res.Found() {
		return exitStatus{1, nil}
	}
	return nil
}

// awsClient asks endpoint as the caller the usual AWS environment
// variables name; without an access key id it asks unsigned (the server
// then answers for account 000000000000 in us-east-1).
func awsClient(endpoint string) *analyzer.Client {
	region := envOr("AWS_REGION", envOr("AWS_DEFAULT_REGION", awsproto.DefaultRegion))
	return &analyzer.Client{
		Endpoint: endpoint,
		Region:   region,
		Credentials: aws.Credentials{
			AccessKeyID: os.Getenv("AWS_ACCESS_KEY_ID"), SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY"), SessionToken: os.Getenv("AWS_SESSION_TOKEN"),
		},
		HTTP: &http.Client{Timeout: 30 * time.Second},
	}
}

// flagWording is a refusal of the question in the command's terms: its
// parameters are flags here (sourceIp is --source-ip).
func flagWording(e *awsproto.Error) string {
	msg := e.Message
	for param, flag := range map[string]string{"sourceIp": "source-ip", "destinationIp": "destination-ip"} {
		msg = strings.ReplaceAll(msg, "parameter "+param+" ", "parameter "+flag+" ")
	}
	return e.Code + ": " + msg
}
