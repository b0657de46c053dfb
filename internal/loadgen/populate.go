package loadgen

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vpcemu/vpcemu/internal/progress"
)

// op is one call of the populate workload.
type op int

const (
	opCreateVpc op = iota
	opCreateSubnet
	opCreateRouteTable
	opAssociateRouteTable
	opCreateVpcEndpoint
	opCreateSecurityGroup
	opAuthorizeIngress
	numOps
)

var opNames = [numOps]string{"CreateVpc", "CreateSubnet", "CreateRouteTable", "AssociateRouteTable", "CreateVpcEndpoint", "CreateSecurityGroup", "AuthorizeSecurityGroupIngress"}

// needs is the call an op uses the answer of: when that one is skipped, so
// is the op.
var needs = map[op]op{opAssociateRouteTable: opCreateRouteTable, opCreateVpcEndpoint: opCreateRouteTable, opAuthorizeIngress: opCreateSecurityGroup}

// workloadQuotas are the AWS quotas the workload needs raised, as an
// account running it at AWS would: one gateway endpoint per VPC is far
// beyond the default 20 per region. Servers the bench starts get them; a
// server you start yourself needs `--quota gateway-endpoints=100000`.
var workloadQuotas = map[string]int{"gateway-endpoints": 100000}

// ingressPorts are the five ingress rules of each VPC's security group.
var ingressPorts = []int{22, 80, 443, 5432, 8080}

// populator creates VPCs with the populate workload's resources: 2
// subnets, a route table associated with both and holding the route of an
// S3 gateway endpoint, and a security group with 5 ingress rules. Calls the server answers UnsupportedOperation are noted and
// not sent again.
type populator struct {
	t       Target
	client  Client
	tokens  string // non-empty: creates that take a client token send one, starting so
	skipped [numOps]atomic.Bool
	mu      sync.Mutex
	lat     [numOps]latencies
	vpcs    []string
	vpces   []string
}

// workerStats is one worker's share, merged at the end.
type workerStats struct {
	lat   [numOps]latencies
	vpcs  []string
	vpces []string
}

// run creates VPCs numbered from..to-1 with `concurrency` workers,
// counting each on count, and returns how long it took.
func (p *populator) run(ctx context.Context, from, to, concurrency int, count *progress.Counter) (time.Duration, error) {
	return spread(ctx, p.client, p.t.Addr, from, to, concurrency, count, func() (func(sender, int) error, func()) {
		var ws workerStats
		one := func(c sender, i int) error {
			if err := p.one(c, i, &ws); err != nil {
				return fmt.Errorf("VPC %d: %w", i, err)
			}
			return nil
		}
		return one, func() { p.merge(&ws) }
	})
}

// spread calls one(c, i) for i from..to-1 on `concurrency` workers, each
// on its own connection c, until the first error, and returns how long it
// took. worker makes each worker's one, and what it does when it stops
// (merge what it measured). Each i done is counted on count (nil: none),
// which is done when spread returns.
func spread(ctx context.Context, client Client, addr string, from, to, concurrency int, count *progress.Counter, worker func() (one func(c sender, i int) error, done func())) (time.Duration, error) {
	defer count.Done()
	var next atomic.Int64
	next.Store(int64(from))
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	open, done := client.senders(addr, concurrency)
	defer done()
	var wg sync.WaitGroup
	start := time.Now()
	for range concurrency {
		wg.Go(func() {
			c, err := open()
			if err != nil {
				cancel(err)
				return
			}
			defer c.Close()
			one, stop := worker()
			defer stop()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= to {
					break
				}
				if err := one(c, i); err != nil {
					cancel(err)
					break
				}
				count.Add(1)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	return elapsed, context.Cause(ctx)
}

func (p *populator) merge(ws *workerStats) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for o := range numOps {
		p.lat[o] = append(p.lat[o], ws.lat[o]...)
	}
	p.vpcs = append(p.vpcs, ws.vpcs...)
	p.vpces = append(p.vpces, ws.vpces...)
}

// one creates VPC number i and its resources.
func (p *populator) one(c sender, i int, ws *workerStats) error {
	region := p.t.Region
	body, err := p.call(c, ws, opCreateVpc, action("CreateVpc", "CidrBlock", "10.0.0.0/16"))
	if err != nil {
		return err
	}
	vpc := element(body, "vpcId")
	if vpc == "" {
		return fmt.Errorf("CreateVpc answered no vpcId: %.200s", body)
	}
	ws.vpcs = append(ws.vpcs, vpc)
	var subnets []string
	for k, zone := range []string{region + "a", region + "b"} {
		body, err := p.call(c, ws, opCreateSubnet, action("CreateSubnet", "VpcId", vpc,
			"CidrBlock", fmt.Sprintf("10.0.%d.0/24", k+1), "AvailabilityZone", zone))
		if err != nil {
			return err
		}
		subnets = append(subnets, element(body, "subnetId"))
	}
	body, err = p.call(c, ws, opCreateRouteTable, p.token(action("CreateRouteTable", "VpcId", vpc), i))
	if err != nil {
		return err
	}
	if rtb := element(body, "routeTableId"); rtb != "" {
		for _, s := range subnets {
			if _, err := p.call(c, ws, opAssociateRouteTable, action("AssociateRouteTable", "RouteTableId", rtb, "SubnetId", s)); err != nil {
				return err
			}
		}
		body, err := p.call(c, ws, opCreateVpcEndpoint, p.token(action("CreateVpcEndpoint", "VpcId", vpc,
			"ServiceName", "com.amazonaws."+region+".s3", "RouteTableId.1", rtb), i))
		if err != nil {
			return err
		}
		if vpce := element(body, "vpcEndpointId"); vpce != "" {
			ws.vpces = append(ws.vpces, vpce)
		}
	}
	body, err = p.call(c, ws, opCreateSecurityGroup, action("CreateSecurityGroup", "VpcId", vpc,
		"GroupName", "bench-"+strconv.Itoa(i), "GroupDescription", "vpcemu bench"))
	if err != nil {
		return err
	}
	if sg := element(body, "groupId"); sg != "" {
		f := action("AuthorizeSecurityGroupIngress", "GroupId", sg)
		for k, port := range ingressPorts {
			pre := "IpPermissions." + strconv.Itoa(k+1) + "."
			f = append(f, pre+"IpProtocol", "tcp", pre+"FromPort", strconv.Itoa(port), pre+"ToPort", strconv.Itoa(port),
				pre+"IpRanges.1.CidrIp", "10.0.0.0/8")
		}
		if _, err := p.call(c, ws, opAuthorizeIngress, f); err != nil {
			return err
		}
	}
	return nil
}

// token adds a client token to a create of VPC number i, when the
// workload sends them.
func (p *populator) token(f form, i int) form {
	if p.tokens == "" {
		return f
	}
	return append(f, "ClientToken", p.tokens+strconv.Itoa(i))
}

// call sends one call of the workload, unless the server is known not to
// implement it (or what it needs); then it returns a nil body.
func (p *populator) call(c sender, ws *workerStats, o op, f form) ([]byte, error) {
	if p.skipped[o].Load() {
		return nil, nil
	}
	if dep, ok := needs[o]; ok && p.skipped[dep].Load() {
		return nil, nil
	}
	t0 := time.Now()
	body, err := call(c, p.t.request(f))
	d := time.Since(t0)
	if isCode(err, "UnsupportedOperation") {
		p.skipped[o].Store(true)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", opNames[o], err)
	}
	ws.lat[o] = append(ws.lat[o], d)
	return body, nil
}

// skippedCalls names the calls not made, and says why in a note.
func (p *populator) skippedCalls() (calls []string, note string) {
	var unsupported, dependent []string
	for o := range numOps {
		switch dep, ok := needs[o]; {
		case p.skipped[o].Load():
			unsupported = append(unsupported, opNames[o])
		case ok && p.skipped[dep].Load():
			dependent = append(dependent, opNames[o])
		}
	}
	if len(unsupported) == 0 {
		return nil, ""
	}
	note = "not measured: " + strings.Join(unsupported, ", ") + " (the server answers UnsupportedOperation)"
	if len(dependent) > 0 {
		note += " and " + strings.Join(dependent, ", ") + " (which need them)"
	}
	return append(unsupported, dependent...), note
}

// results are the rows of a populate run: every call together, then each
// operation.
func (p *populator) results(scenario string, vpcs, concurrency int, elapsed time.Duration) []Result {
	var all latencies
	for o := range numOps {
		all = append(all, p.lat[o]...)
	}
	total := Result{Scenario: scenario, Operation: "all calls", Concurrency: concurrency, VPCs: vpcs}
	all.summarize(&total, elapsed)
	total.Notes = append(total.Notes, fmt.Sprintf("%d VPCs in %.2f s (%.0f VPCs/s)", vpcs, elapsed.Seconds(), float64(vpcs)/elapsed.Seconds()))
	if calls, note := p.skippedCalls(); note != "" {
		total.Skipped = calls
		total.Notes = append(total.Notes, note)
	}
	out := []Result{total}
	for o := range numOps {
		if len(p.lat[o]) == 0 {
			continue
		}
		r := Result{Scenario: scenario, Operation: opNames[o], Concurrency: concurrency, VPCs: vpcs}
		lat := append(latencies(nil), p.lat[o]...)
		lat.summarize(&r, elapsed)
		out = append(out, r)
	}
	return out
}

// reset forgets the latencies measured so far (not the skipped calls or
// the VPCs).
func (p *populator) reset() { p.lat = [numOps]latencies{} }

// PopulateConfig configures the populate scenario.
type PopulateConfig struct {
	VPCs        int
	Concurrency int
	// ClientTokens sends a client token with each create that takes one, as
	// the aws CLI and Terraform do (scenario populate-tokens).
	ClientTokens bool
}

// Populate creates cfg.VPCs VPCs, each with 2 subnets, a route table
// associated with both and a security group with 5 ingress rules, with
// cfg.Concurrency clients, and measures the time and every call.
func (r *Runner) Populate(ctx context.Context, cfg PopulateConfig) ([]Result, error) {
	p := &populator{t: r.target(populateAccount), client: r.Client}
	scenario := "populate"
	if cfg.ClientTokens {
		// Unique per run: a second run against the same server must
		// create, not replay the first run's answers.
		scenario, p.tokens = "populate-tokens", fmt.Sprintf("bench-%x-", time.Now().UnixNano())
	}
	cpu := sampleCPU(r.ServerPid)
	elapsed, err := p.run(ctx, 0, cfg.VPCs, cfg.Concurrency, r.Progress.Count(scenario+" VPCs", cfg.VPCs))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", scenario, err)
	}
	out := p.results(scenario, cfg.VPCs, cfg.Concurrency, elapsed)
	cpu.record(&out[0], r.ServerPid)
	r.rss(&out[0])
	r.progress("%s: %s", scenario, strings.Join(out[0].Notes, "; "))
	return out, nil
}
