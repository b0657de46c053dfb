package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/vpcemu/vpcemu/internal/dnsserver"
)

const digUsage = `Usage: vpcemu dig [flags] NAME [TYPE]

Asks a running vpcemu's DNS server NAME (record type TYPE, default A), as
the resolver of the caller's VPC --vpc answers it (the Amazon-provided DNS
server at the VPC's base address + 2), or without --vpc as anyone outside
every VPC does; the AWS environment variables name the caller
(AWS_ACCESS_KEY_ID, …). It prints the status, the answer's records, the
authority section (a private zone's SOA on a negative answer) and what
answered: a private hosted zone, a VPC endpoint, a load balancer, the VPC's
own names or an AWS service's public name. The answers are those of
'vpcemu serve --dns-addr'. Exits 0 when the server answered, whatever the
status (as dig does), 2 when the question cannot be asked.

Flags:
`

// dig asks a running vpcemu a DNS question, and prints its answer as dig
// would, shorter.
func dig(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("dig", "[flags] NAME [TYPE]", stderr)
	var q dnsserver.Question
	fs.StringVar(&q.VPC, "vpc", "", "the VPC (vpc-…, the caller's) whose resolver answers; without it, the public view")
	fs.StringVar(&q.Zone, "zone", "", "the asker's Availability Zone (us-east-1a, or its id): an endpoint's or load balancer's address there comes first")
	short := fs.Bool("short", false, "print the answer's values only, one a line (dig +short)")
	asJSON := fs.Bool("json", false, "print the server's answer as JSON")
	endpointURL := endpointFlag(fs)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), digUsage)
		fs.PrintDefaults()
	}
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
	switch len(positional) {
	case 1:
		q.Name = positional[0]
	case 2:
		q.Name, q.Type = positional[0], positional[1]
	default:
		return usageError{fmt.Errorf("want a NAME and optionally a TYPE, got %q", strings.Join(positional, " "))}
	}
	endpoint, err := serverEndpoint(*endpointURL, os.Getenv)
	if err != nil {
		return usageError{err}
	}
	c := (*dnsserver.Client)(awsClient(endpoint))
	a, err := c.Dig(context.Background(), q)
	if err != nil {
		return askFailure(endpoint, err, 2)
	}
	switch {
	case *asJSON:
		out, _ := json.MarshalIndent(a, "", "  ") // a plain struct
		fmt.Fprintf(stdout, "%s\n", out)
	case *short:
		for _, rr := range a.Answer {
			fmt.Fprintln(stdout, rdata(rr))
		}
	default:
		printDig(stdout, a)
	}
	return nil
}

// printDig prints an answer as dig does, shorter: the header, what
// answered, the question, then the answer and authority sections.
func printDig(w io.Writer, a dnsserver.Answer) {
	view := a.View
	if a.Zone != "" {
		view += " in " + a.Zone
	}
	fmt.Fprintf(w, ";; status: %s, flags: %s; view: %s\n", a.Status, a.Flags, view)
	if a.Source != "" {
		by := a.Source
		if a.SourceName != "" {
			by += " (" + a.SourceName + ")"
		}
		fmt.Fprintf(w, ";; answered by %s\n", by)
	}
	fmt.Fprintf(w, ";; question: %s\n", a.Question)
	for _, s := range []struct {
		title string
		rrs   []string
	}{{"ANSWER", a.Answer}, {"AUTHORITY", a.Authority}} {
		if len(s.rrs) > 0 {
			fmt.Fprintf(w, "\n;; %s SECTION:\n%s\n", s.title, strings.Join(s.rrs, "\n"))
		}
	}
}

// rdata is a record's value: what follows its name, TTL, class and type.
func rdata(rr string) string {
	f := strings.SplitN(rr, "\t", 5)
	if len(f) < 5 {
		return rr
	}
	return f[4]
}
