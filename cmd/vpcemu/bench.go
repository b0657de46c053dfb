package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/vpcemu/vpcemu/internal/loadgen"
	"github.com/vpcemu/vpcemu/internal/progress"
)

const benchSynopsis = `[flags] describe|populate|populate-tokens|growth|dx-route53|all

Scenarios:
  describe  DescribeVpcs of one VPC by id, closed loop over keep-alive
            connections, at each concurrency of -c (default 1,16)
  populate  -vpcs VPCs, each with 2 subnets, a route table associated with
            both and holding an S3 gateway endpoint, and a security group
            with 5 ingress rules, by -c clients (default 16); calls the
            server does not implement are skipped
  populate-tokens
            populate, with a client token on every create that takes one
            (CreateRouteTable, CreateVpcEndpoint), as the aws CLI and
            Terraform send
  growth    grow one account to each of -steps VPCs (populate workload), and
            at each step measure DescribeVpcs by id, DescribeSubnets and
            DescribeVpcEndpoints by vpc-id, DescribeVpcEndpoints by id and
            DescribeVpcEndpointServices of S3 (-samples requests each, one
            client)
  dx-route53
            grow one account to each of -steps Direct Connect private VIFs
            and gateway associations (each a VPC with a virtual private
            gateway; 50 VIFs a connection, 20 associations a Direct Connect
            gateway), record sets in one hosted zone and private hosted
            zones, and at each step measure DescribeVirtualInterfaces of one
            VIF by id, DescribeDirectConnectGatewayAssociations of one
            gateway, ListResourceRecordSets pages of 100 from random names
            (of those a full page follows) and ListHostedZonesByVPC of a VPC in 5 of the zones (-samples
            requests each, one client)
  all       describe, populate, populate-tokens, growth and dx-route53 in
            turn

Against a running vpcemu (--endpoint-url), or with --spawn on a vpcemu this
command starts on a fresh temporary data directory for each scenario (a
child process, so the RSS column is the server's own). --client sigv4 sends
every request as an SDK does (net/http, signed for real) instead of the raw
client's pre-built requests.`

// benchFlags are the bench command's settings.
type benchFlags struct {
	endpoint  string
	spawn     bool
	inProcess bool
	pid       int
	region    string
	conc      string
	duration  time.Duration
	requests  int
	warmup    time.Duration
	vpcs      int
	steps     string
	samples   int
	json      bool
	quiet     bool
	sameCPU   bool
	baseline  bool
	turns     int
	client    loadgen.Client
}

func bench(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench", benchSynopsis, stderr)
	var f benchFlags
	endpointURL := endpointFlag(fs)
	fs.BoolVar(&f.spawn, "spawn", false, "start a vpcemu child process on a fresh temporary data directory instead of using --endpoint-url")
	fs.BoolVar(&f.inProcess, "in-process", false, "with --spawn: run the server inside this process (no RSS)")
	fs.IntVar(&f.pid, "pid", 0, "with --endpoint-url: the server's process id, to report its RSS and CPU")
	fs.StringVar(&f.region, "region", "us-east-1", "region the requests are signed for")
	fs.StringVar(&f.conc, "c", "", "concurrency: comma-separated list (default: describe 1,16; populate(-tokens), growth and dx-route53 16)")
	fs.DurationVar(&f.duration, "d", 5*time.Second, "describe: duration of each measurement")
	fs.IntVar(&f.requests, "n", 0, "describe: requests per measurement (overrides -d)")
	fs.DurationVar(&f.warmup, "warmup", time.Second, "describe: unmeasured warm-up before each measurement")
	fs.IntVar(&f.vpcs, "vpcs", 1000, "populate: VPCs to create")
	fs.StringVar(&f.steps, "steps", "100,1000,10000", "growth: VPC counts to grow to; dx-route53: VIFs, gateway associations, record sets and private zones")
	fs.IntVar(&f.samples, "samples", 2000, "growth, dx-route53: requests per measurement")
	fs.BoolVar(&f.sameCPU, "same-cpu", false, "describe: measure concurrency 1 a second time with server and load generator on one CPU (Linux; --spawn or --pid)")
	fs.BoolVar(&f.baseline, "baseline", true, "describe: after vpcemu, measure a do-nothing net/http server (a child process) answering vpcemu's own answer, and report vpcemu's share of its rate")
	fs.IntVar(&f.turns, "turns", 1, "describe, with --baseline: measure vpcemu and the do-nothing server in this many alternating turns of -d/turns each, so both share whatever else the machine runs alike")
	client := fs.String("client", string(loadgen.RawClient), "how requests are sent: raw (pre-built, unsigned, minimal CPU: measures the server) or sigv4 (net/http, each request signed by aws-sdk-go-v2's SigV4 signer, as an SDK sends them)")
	fs.BoolVar(&f.json, "json", false, "print the report as JSON")
	fs.BoolVar(&f.quiet, "q", false, "no progress on stderr (shown only when stderr is a terminal)")

	// The scenario may come before or after the flags.
	var scenario string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		scenario, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if scenario == "" && fs.NArg() > 0 {
		scenario = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return fmt.Errorf("bench: unexpected arguments %q", strings.Join(fs.Args(), " "))
	}
	var err error
	if f.client, err = loadgen.ParseClient(*client); err != nil {
		return fmt.Errorf("bench: --client: %w", err)
	}
	scenarios := map[string][]string{
		"describe": {"describe"}, "populate": {"populate"}, "populate-tokens": {"populate-tokens"}, "growth": {"growth"},
		"dx-route53": {"dx-route53"},
		"all":        {"describe", "populate", "populate-tokens", "growth", "dx-route53"},
	}[scenario]
	if scenarios == nil {
		fs.Usage()
		return fmt.Errorf("bench: name a scenario: describe, populate, populate-tokens, growth, dx-route53 or all")
	}
	if !f.spawn {
		endpoint, err := serverEndpoint(*endpointURL, os.Getenv)
		if err == nil {
			err = checkVpcemu(endpoint)
		}
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		f.endpoint = endpoint
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep := &loadgen.Report{Machine: loadgen.ThisMachine(), Started: time.Now().UTC(), Server: f.serverDescription(), Client: f.client}
	// Progress on a terminal only: piped or in a file, stderr keeps
	// errors, and the report on stdout says everything.
	var line *progress.Line
	if !f.quiet {
		line = progress.To(stderr)
	}
	for _, sc := range scenarios {
		res, err := f.runScenario(ctx, sc, line)
		rep.Results = append(rep.Results, res...)
		if err != nil {
			return err
		}
	}
	rep.Checks = loadgen.Checks(rep.Results)
	if f.json {
		return rep.WriteJSON(stdout)
	}
	return rep.WriteTable(stdout)
}

func (f *benchFlags) serverDescription() string {
	switch {
	case f.spawn && f.inProcess:
		return "in this process, fresh temporary data directory per scenario (SQLite file: WAL, synchronous=FULL)"
	case f.spawn:
		return "child process, fresh temporary data directory per scenario (SQLite file: WAL, synchronous=FULL)"
	}
	return f.endpoint
}

// runScenario runs one scenario, on its own fresh server with --spawn.
func (f *benchFlags) runScenario(ctx context.Context, scenario string, line *progress.Line) ([]loadgen.Result, error) {
	r := &loadgen.Runner{Region: f.region, Progress: line, Client: f.client}
	if exe, err := os.Executable(); err == nil {
		r.Baseline = loadgen.ChildBaseline(exe, baselineCommand)
	}
	if f.spawn {
		srv, err := f.startServer()
		if err != nil {
			return nil, err
		}
		defer srv.Stop()
		r.Addr, r.RSS, r.ServerPid = srv.Addr, srv.RSS, srv.Pid()
	} else {
		addr, err := loadgen.ParseEndpoint(f.endpoint)
		if err != nil {
			return nil, err
		}
		r.Addr = addr
		if f.pid > 0 {
			r.ServerPid = f.pid
			r.RSS = func() (int64, bool) {
				n, err := loadgen.ReadRSS(f.pid)
				return n, err == nil
			}
		}
	}
	defaults := map[string]string{"describe": "1,16", "populate": "16", "populate-tokens": "16", "growth": "16", "dx-route53": "16"}
	conc, err := intList("-c", f.conc, defaults[scenario])
	if err != nil {
		return nil, err
	}
	switch scenario {
	case "describe":
		if f.duration <= 0 && f.requests <= 0 {
			return nil, errors.New("bench: -d or -n must be positive")
		}
		return r.Describe(ctx, loadgen.DescribeConfig{Concurrency: conc, Duration: f.duration, Requests: f.requests, Warmup: f.warmup, SameCPU: f.sameCPU, Baseline: f.baseline, Turns: f.turns})
	case "populate", "populate-tokens":
		var out []loadgen.Result
		for _, c := range conc {
			res, err := r.Populate(ctx, loadgen.PopulateConfig{VPCs: f.vpcs, Concurrency: c, ClientTokens: scenario == "populate-tokens"})
			out = append(out, res...)
			if err != nil {
				return out, err
			}
		}
		return out, nil
	}
	steps, err := intList("-steps", f.steps, "")
	if err != nil {
		return nil, err
	}
	slices.Sort(steps)
	if scenario == "dx-route53" {
		return r.DXRoute53(ctx, loadgen.DXRoute53Config{Steps: steps, Concurrency: slices.Max(conc), Samples: max(f.samples, 1)})
	}
	return r.Growth(ctx, loadgen.GrowthConfig{Steps: steps, Concurrency: slices.Max(conc), Samples: max(f.samples, 1)})
}

func (f *benchFlags) startServer() (*loadgen.Server, error) {
	if f.inProcess {
		return loadgen.StartInProcess()
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return loadgen.SpawnChild(exe)
}

// intList parses a comma-separated list of positive integers.
func intList(flag, s, def string) ([]int, error) {
	if s == "" {
		s = def
	}
	var out []int
	for _, part := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bench: %s: %q is not a positive integer", flag, part)
		}
		out = append(out, n)
	}
	return out, nil
}

// baselineCommand is the hidden command bench runs as its do-nothing
// server (see loadgen.ServeBaseline): it answers every request with what
// it reads on standard input.
const baselineCommand = "bench-baseline-server"

func benchBaseline(stderr io.Writer) error {
	body, err := io.ReadAll(os.Stdin)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "endpoint=http://%s\n", ln.Addr())
	return loadgen.ServeBaseline(ln, body)
}
