package loadgen

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"time"

	"github.com/vpcemu/vpcemu/internal/progress"
)

// Runner runs scenarios against one endpoint.
type Runner struct {
	Addr   string // host:port
	Region string
	// RSS returns the server's resident memory in bytes, when it is known
	// (a server this process started).
	RSS func() (int64, bool)
	// ServerPid, when set, is the server's process, whose CPU time each
	// row reports.
	ServerPid int
	// Progress shows a line per step, and how far the step under way
	// is; nil shows nothing.
	Progress *progress.Line
	// Baseline starts the describe scenario's do-nothing server; nil runs
	// it in this process.
	Baseline BaselineStarter
	// Client sends the requests; the zero value is RawClient.
	Client Client
}

// once sends one request to addr with r's client.
func (r *Runner) once(addr string, req *request) ([]byte, error) {
	open, done := r.Client.senders(addr, 1)
	defer done()
	c, err := open()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return call(c, req)
}

// Accounts of the scenarios: each works in its own, so scenarios run
// against one server do not see each other's resources.
const (
	describeAccount  = "100000000001"
	populateAccount  = "100000000002"
	growthAccount    = "100000000003"
	dxRoute53Account = "100000000004"
)

func (r *Runner) target(account string) Target {
	region := r.Region
	if region == "" {
		region = "us-east-1"
	}
	return Target{Addr: r.Addr, Account: account, Region: region}
}

func (r *Runner) progress(format string, args ...any) { r.Progress.Printf(format, args...) }

func (r *Runner) rss(res *Result) {
	if r.RSS != nil {
		if n, ok := r.RSS(); ok {
			res.RSSBytes = n
		}
	}
}

// DescribeConfig configures the describe scenario.
type DescribeConfig struct {
	// Concurrency lists the concurrencies to measure, one row each.
	Concurrency []int
	// Duration of each measurement, unless Requests is set.
	Duration time.Duration
	// Requests, when set, is the number of requests of each measurement.
	Requests int
	// Warmup runs before each measurement and is not counted.
	Warmup time.Duration
	// SameCPU measures concurrency 1 a second time with the load generator
	// and the server (it must be a known process) on one CPU: see pinning.
	SameCPU bool
	// Baseline measures, after vpcemu at each concurrency, a do-nothing
	// net/http server answering vpcemu's own answer (see baseline).
	Baseline bool
	// Turns, when above 1 (with Baseline and Duration), measures vpcemu and
	// the baseline in that many turns of Duration/Turns each, alternating
	// (ABBA), instead of one after the other: then both see the same share
	// of whatever else the machine runs meanwhile.
	Turns int
}

// Describe measures DescribeVpcs of one VPC by id in a closed loop, once
// per concurrency.
func (r *Runner) Describe(ctx context.Context, cfg DescribeConfig) ([]Result, error) {
	t := r.target(describeAccount)
	body, err := r.once(t.Addr, t.request(action("CreateVpc", "CidrBlock", "10.0.0.0/16")))
	if err != nil {
		return nil, fmt.Errorf("describe: creating its VPC: %w", err)
	}
	vpc := element(body, "vpcId")
	req := t.request(action("DescribeVpcs", "VpcId.1", vpc))
	next := func(int, int) *request { return req }

	var base *Runner
	if cfg.Baseline {
		answer, err := r.once(t.Addr, req)
		if err != nil {
			return nil, fmt.Errorf("describe: %w", err)
		}
		start := r.Baseline
		if start == nil {
			start = InProcessBaseline
		}
		addr, pid, stop, err := start(answer)
		if err != nil {
			return nil, fmt.Errorf("describe: %w", err)
		}
		defer stop()
		base = &Runner{Addr: addr, ServerPid: pid, Progress: r.Progress, Client: r.Client}
	}

	var out []Result
	for _, n := range cfg.Concurrency {
		var res, b Result
		var err error
		if base != nil && cfg.Turns > 1 && cfg.Requests <= 0 {
			res, b, err = r.describeTurns(ctx, base, t, n, cfg, next)
		} else {
			res, err = r.describeAt(ctx, t, n, false, cfg, next)
			if err == nil && base != nil {
				b, err = base.describeAt(ctx, Target{Addr: base.Addr}, n, false, cfg, next)
			}
		}
		if err != nil {
			return out, err
		}
		out = append(out, res)
		if base != nil {
			b.Operation = baselineOp
			share := res.RPS / b.RPS
			out[len(out)-1].Notes = append(out[len(out)-1].Notes, fmt.Sprintf("%.0f%% of a do-nothing net/http server's rate (%.0f req/s)", 100*share, b.RPS))
			out = append(out, b)
		}
		if cfg.SameCPU && n == 1 {
			if res, err = r.describeAt(ctx, t, n, true, cfg, next); err != nil {
				return out, err
			}
			out = append(out, res)
		}
	}
	return out, nil
}

// baselineOp names the rows of the do-nothing server.
const baselineOp = "DescribeVpcs, do-nothing server"

// settle is how long a pinned server is given to adjust its GOMAXPROCS
// (the Go runtime checks its CPU mask about every second).
const settle = 2 * time.Second

// describeTurns measures vpcemu (r) and the baseline at one concurrency in
// cfg.Turns alternating turns (see DescribeConfig.Turns).
func (r *Runner) describeTurns(ctx context.Context, base *Runner, t Target, n int, cfg DescribeConfig, next func(int, int) *request) (Result, Result, error) {
	type side struct {
		r    *Runner
		addr string
		lr   loopResult
		cpu  cpuUse
	}
	sides := []*side{{r: r, addr: t.Addr}, {r: base, addr: base.Addr}}
	if cfg.Warmup > 0 {
		for _, s := range sides {
			if _, err := (loop{Addr: s.addr, Client: r.Client, Concurrency: n, Duration: cfg.Warmup, Next: next, Count: r.Progress.Count(fmt.Sprintf("describe c=%d warm-up", n), 0)}).run(ctx); err != nil {
				return Result{}, Result{}, err
			}
		}
	}
	turn := cfg.Duration / time.Duration(cfg.Turns)
	for i := range cfg.Turns {
		for j := range sides {
			s := sides[j]
			if i%2 == 1 { // ABBA: neither always goes first
				s = sides[1-j]
			}
			cpu := sampleCPU(s.r.ServerPid)
			name := "vpcemu"
			if s != sides[0] {
				name = "do-nothing server"
			}
			count := r.Progress.Count(fmt.Sprintf("describe c=%d %s, turn %d/%d", n, name, i+1, cfg.Turns), 0)
			lr, err := loop{Addr: s.addr, Client: r.Client, Concurrency: n, Duration: turn, Next: next, Count: count}.run(ctx)
			if err != nil {
				return Result{}, Result{}, fmt.Errorf("describe c=%d: %w", n, err)
			}
			s.cpu.add(cpu.since(s.r.ServerPid))
			s.lr.merge(lr)
		}
	}
	var out [2]Result
	for i, s := range sides {
		res := Result{Scenario: "describe", Operation: "DescribeVpcs", Concurrency: n, Errors: s.lr.errors}
		s.cpu.record(&res)
		s.lr.lat.summarize(&res, s.lr.elapsed)
		if s.lr.first != nil {
			res.Notes = append(res.Notes, "first error: "+s.lr.first.Error())
		}
		res.Notes = append(res.Notes, fmt.Sprintf("measured in %d turns of %s, alternating with the %s", cfg.Turns, turn, []string{"do-nothing server", "vpcemu"}[i]))
		s.r.rss(&res)
		r.progress("describe c=%d %s: %.0f req/s, p50 %.3f ms", n, []string{"vpcemu", "do-nothing server"}[i], res.RPS, res.P50ms)
		out[i] = res
	}
	return out[0], out[1], nil
}

// describeAt measures one concurrency, on one CPU if pinned.
func (r *Runner) describeAt(ctx context.Context, t Target, n int, pinned bool, cfg DescribeConfig, next func(int, int) *request) (Result, error) {
	op := "DescribeVpcs"
	if pinned {
		if r.ServerPid == 0 {
			return Result{}, errors.New("describe: placing the server on the load generator's CPU needs its process (--spawn or --pid)")
		}
		p, err := pinTogether("self", strconv.Itoa(r.ServerPid))
		if err != nil {
			return Result{}, fmt.Errorf("describe: %w", err)
		}
		defer p.undo()
		// Go runtimes notice the narrower mask and run one P (GOMAXPROCS
		// 1), which spares cross-thread hand-offs on one CPU; this one
		// at once, the server's within its periodic check.
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
		time.Sleep(settle)
		op = "DescribeVpcs, one CPU"
	}
	if cfg.Warmup > 0 {
		if _, err := (loop{Addr: t.Addr, Client: r.Client, Concurrency: n, Duration: cfg.Warmup, Next: next, Count: r.Progress.Count(fmt.Sprintf("describe c=%d warm-up", n), 0)}).run(ctx); err != nil {
			return Result{}, err
		}
	}
	cpu := sampleCPU(r.ServerPid)
	lr, err := loop{Addr: t.Addr, Client: r.Client, Concurrency: n, Duration: cfg.Duration, Requests: cfg.Requests, Next: next, Count: r.Progress.Count(fmt.Sprintf("describe c=%d %s", n, op), cfg.Requests)}.run(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("describe c=%d: %w", n, err)
	}
	res := Result{Scenario: "describe", Operation: op, Concurrency: n, Errors: lr.errors}
	cpu.record(&res, r.ServerPid)
	lr.lat.summarize(&res, lr.elapsed)
	if lr.first != nil {
		res.Notes = append(res.Notes, "first error: "+lr.first.Error())
	}
	r.rss(&res)
	r.progress("describe c=%d %s: %.0f req/s, p50 %.3f ms", n, op, res.RPS, res.P50ms)
	return res, nil
}
