package loadgen

import (
	"context"
	"fmt"
	"math/rand/v2"
)

// GrowthConfig configures the growth scenario.
type GrowthConfig struct {
	// Steps are the VPC counts to grow to, ascending.
	Steps []int
	// Concurrency of the populate phase of each step.
	Concurrency int
	// Samples is the number of requests of each measurement (one client,
	// so latency is not queueing).
	Samples int
}

// Growth grows one account to each step's number of VPCs with the populate
// workload, and at each step measures, on VPCs and endpoints picked at
// random, DescribeVpcs of one VPC by id, DescribeSubnets filtered by vpc-id,
// DescribeVpcEndpoints by id and filtered by vpc-id, and
// DescribeVpcEndpointServices of S3 by name. Lookups served by an index
// stay flat as the account grows; a scan does not.
func (r *Runner) Growth(ctx context.Context, cfg GrowthConfig) ([]Result, error) {
	t := r.target(growthAccount)
	p := &populator{t: t, client: r.Client}
	var out []Result
	have := 0
	rng := rand.New(rand.NewPCG(1, 2)) // the same picks on every run
	for _, step := range cfg.Steps {
		if step <= have {
			continue
		}
		p.reset()
		cpu := sampleCPU(r.ServerPid)
		elapsed, err := p.run(ctx, have, step, cfg.Concurrency, r.Progress.Count(fmt.Sprintf("growth to %d VPCs", step), step-have))
		if err != nil {
			return out, fmt.Errorf("growth to %d VPCs: %w", step, err)
		}
		have = step
		pop := p.results("growth", step, cfg.Concurrency, elapsed)[0]
		pop.Operation = "populate step"
		if len(out) > 0 { // the first step says what was skipped
			pop.Notes = pop.Notes[:1]
		}
		cpu.record(&pop, r.ServerPid)
		out = append(out, pop)

		s3 := "com.amazonaws." + t.Region + ".s3"
		measures := []struct {
			name string
			ids  []string // the request picks one of these at random
			req  func(id string) *request
		}{
			{"DescribeVpcs by id", p.vpcs, func(vpc string) *request { return t.request(action("DescribeVpcs", "VpcId.1", vpc)) }},
			{"DescribeSubnets vpc-id", p.vpcs, func(vpc string) *request {
				return t.request(action("DescribeSubnets", "Filter.1.Name", "vpc-id", "Filter.1.Value.1", vpc))
			}},
			{"DescribeVpcEndpoints by id", p.vpces, func(vpce string) *request {
				return t.request(action("DescribeVpcEndpoints", "VpcEndpointId.1", vpce))
			}},
			{"DescribeVpcEndpoints vpc-id", p.vpcs, func(vpc string) *request {
				return t.request(action("DescribeVpcEndpoints", "Filter.1.Name", "vpc-id", "Filter.1.Value.1", vpc))
			}},
			{"DescribeVpcEndpointServices s3", []string{s3}, func(name string) *request {
				return t.request(action("DescribeVpcEndpointServices", "ServiceName.1", name))
			}},
		}
		for _, m := range measures {
			if len(m.ids) == 0 {
				continue // the server does not serve what creates them
			}
			res, err := r.measure(ctx, "growth", m.name, cfg.Samples, rng, m.ids, m.req)
			if err != nil {
				return out, fmt.Errorf("growth %s at %d VPCs: %w", m.name, step, err)
			}
			res.VPCs = step
			out = append(out, res)
			r.progress("growth %d VPCs: %s p50 %.3f ms p99 %.3f ms", step, m.name, res.P50ms, res.P99ms)
		}
	}
	return out, nil
}

// measure sends samples requests, one at a time (one client, so latency
// is not queueing), each req of an id picked at random from ids, and
// returns the row of operation op.
func (r *Runner) measure(ctx context.Context, scenario, op string, samples int, rng *rand.Rand, ids []string, req func(id string) *request) (Result, error) {
	// Requests are built before the clock starts.
	reqs := make([]*request, samples)
	for i := range reqs {
		reqs[i] = req(ids[rng.IntN(len(ids))])
	}
	cpu := sampleCPU(r.ServerPid)
	count := r.Progress.Count(scenario+" "+op, len(reqs))
	lr, err := loop{Addr: r.Addr, Client: r.Client, Concurrency: 1, Requests: len(reqs), Next: func(_, i int) *request { return reqs[i] }, Count: count}.run(ctx)
	if err != nil {
		return Result{}, err
	}
	res := Result{Scenario: scenario, Operation: op, Concurrency: 1, Errors: lr.errors}
	cpu.record(&res, r.ServerPid)
	lr.lat.summarize(&res, lr.elapsed)
	if lr.first != nil {
		res.Notes = append(res.Notes, "first error: "+lr.first.Error())
	}
	r.rss(&res)
	return res, nil
}
