package loadgen

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is a benchmark run: where it ran, what it measured, and how that
// compares with vpcemu's performance targets.
type Report struct {
	Machine Machine   `json:"machine"`
	Server  string    `json:"server"` // how the server ran
	Client  Client    `json:"client"` // how the requests were sent
	Started time.Time `json:"started"`
	Results []Result  `json:"results"`
	Checks  []Check   `json:"targets"`
}

// Machine describes the machine the benchmark ran on.
type Machine struct {
	CPUs      int    `json:"cpus"`
	CPU       string `json:"cpu,omitempty"`
	OS        string `json:"os"`
	GoVersion string `json:"go"`
}

// ThisMachine describes the machine this process runs on.
func ThisMachine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), OS: runtime.GOOS + "/" + runtime.GOARCH, GoVersion: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}

// Check is one performance target and whether the run met it.
type Check struct {
	Target string `json:"target"`
	Got    string `json:"measured"`
	Met    bool   `json:"met"`
	Note   string `json:"note,omitempty"`
}

// The targets (vpcemu's issue, on a 2-core machine).
const (
	targetDescribeC1  = 10000 // req/s
	targetDescribeC16 = 20000 // req/s
	// targetBaselineShare is the share of a do-nothing net/http server's
	// DescribeVpcs rate vpcemu should reach at concurrency 16 (issue 8).
	targetBaselineShare = 0.85
	targetPopulateVPC   = 1000
	targetPopulate      = 5 * time.Second
	targetGrowthP50ms   = 0.5
	targetFlatRatio     = 1.5 // p50 at the largest step over p50 at the smallest
	targetRSSVPCs       = 10000
	targetRSS           = 100 << 20
)

// Checks compares results with the targets that apply to them.
func Checks(results []Result) []Check {
	var out []Check
	for i, r := range results {
		if r.Scenario == "describe" && r.Operation == baselineOp {
			if i > 0 && results[i-1].Operation == "DescribeVpcs" && r.Concurrency == 16 {
				share := results[i-1].RPS / r.RPS
				out = append(out, Check{
					Target: fmt.Sprintf("DescribeVpcs c=16 ≥ %.0f%% of a do-nothing server", 100*targetBaselineShare),
					Got:    fmt.Sprintf("%.0f%%", 100*share), Met: share >= targetBaselineShare,
				})
			}
			continue
		}
		if r.Scenario == "describe" {
			want := map[int]float64{1: targetDescribeC1, 16: targetDescribeC16}[r.Concurrency]
			if want > 0 {
				out = append(out, Check{
					Target: fmt.Sprintf("%s c=%d ≥ %.0f req/s", r.Operation, r.Concurrency, want),
					Got:    fmt.Sprintf("%.0f req/s", r.RPS), Met: r.RPS >= want,
				})
			}
		}
		if r.Scenario == "populate" && r.Operation == "all calls" && r.VPCs == targetPopulateVPC {
			c := Check{
				Target: fmt.Sprintf("populate %d VPCs < %s", targetPopulateVPC, targetPopulate),
				Got:    fmt.Sprintf("%.2f s", r.ElapsedSec), Met: r.ElapsedSec < targetPopulate.Seconds(),
			}
			if len(r.Skipped) > 0 {
				c.Met, c.Note = false, "not comparable: skipped "+strings.Join(r.Skipped, ", ")
			}
			out = append(out, c)
		}
	}
	out = append(out, growthChecks(results)...)
	return out
}

func growthChecks(results []Result) []Check {
	out := flatChecks(results, "growth", "VPCs", true)
	var last *Result
	for i, r := range results {
		if r.Scenario == "growth" && r.Operation != "populate step" {
			last = &results[i]
		}
	}
	if last != nil && last.VPCs >= targetRSSVPCs && last.RSSBytes > 0 {
		out = append(out, Check{
			Target: fmt.Sprintf("server RSS < %d MB at %d VPCs", targetRSS>>20, last.VPCs),
			Got:    fmt.Sprintf("%.1f MB", float64(last.RSSBytes)/(1<<20)), Met: last.RSSBytes < targetRSS,
		})
	}
	return append(out, flatChecks(results, "dx-route53", "of each", false)...)
}

// flatChecks checks, for each operation a growing scenario measured, that
// its p50 stays flat from the smallest size to the largest and, with
// p50Target, under the growth scenario's target. unit says what the sizes
// count.
func flatChecks(results []Result, scenario, unit string, p50Target bool) []Check {
	var out []Check
	byOp := map[string][]Result{}
	var ops []string
	for _, r := range results {
		if r.Scenario != scenario || r.Operation == "populate step" || r.Operation == "grow step" {
			continue
		}
		if byOp[r.Operation] == nil {
			ops = append(ops, r.Operation)
		}
		byOp[r.Operation] = append(byOp[r.Operation], r)
	}
	for _, op := range ops {
		rows := byOp[op]
		if p50Target {
			worst := rows[0]
			for _, r := range rows {
				if r.P50ms > worst.P50ms {
					worst = r
				}
			}
			out = append(out, Check{
				Target: fmt.Sprintf("%s p50 < %.1f ms at every size", op, targetGrowthP50ms),
				Got:    fmt.Sprintf("worst %.3f ms (%d %s)", worst.P50ms, worst.size(), unit), Met: worst.P50ms < targetGrowthP50ms,
			})
		}
		if len(rows) > 1 {
			first, end := rows[0], rows[len(rows)-1]
			ratio := end.P50ms / first.P50ms
			out = append(out, Check{
				Target: fmt.Sprintf("%s flat: p50 at %d %s ≤ %.1f× p50 at %d", op, end.size(), unit, targetFlatRatio, first.size()),
				Got:    fmt.Sprintf("%.3f → %.3f ms (%.2f×)", first.P50ms, end.P50ms, ratio), Met: ratio <= targetFlatRatio,
			})
		}
	}
	return out
}

// cores formats a CPU figure; 0 is unknown (or not measured for the row).
func cores(c float64) string {
	if c == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", c)
}

// WriteJSON writes the report as indented JSON.
func (rep *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// WriteTable writes the report as aligned text.
func (rep *Report) WriteTable(w io.Writer) error {
	m := rep.Machine
	client := rep.Client
	if client == "" {
		client = RawClient
	}
	fmt.Fprintf(w, "machine: %d CPUs, %s, %s, %s\nserver:  %s\nclient:  %s\n\n", m.CPUs, m.CPU, m.OS, m.GoVersion, rep.Server, client.Describe())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\toperation\tc\tsize\trequests\terrors\ttime s\treq/s\tp50 ms\tp90 ms\tp99 ms\tRSS MB\tcpu srv\tcpu gen\tcpu other\t")
	for _, r := range rep.Results {
		rss := "-"
		if r.RSSBytes > 0 {
			rss = fmt.Sprintf("%.1f", float64(r.RSSBytes)/(1<<20))
		}
		size := "-"
		if r.size() > 0 {
			size = fmt.Sprint(r.size())
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%d\t%d\t%.2f\t%.0f\t%.3f\t%.3f\t%.3f\t%s\t%s\t%s\t%s\t\n",
			r.Scenario, r.Operation, r.Concurrency, size, r.Requests, r.Errors, r.ElapsedSec, r.RPS, r.P50ms, r.P90ms, r.P99ms, rss,
			cores(r.CPUServer), cores(r.CPUClient), cores(r.CPUOther))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var notes []string
	for _, r := range rep.Results {
		for _, n := range r.Notes {
			notes = append(notes, fmt.Sprintf("%s %s: %s", r.Scenario, r.Operation, n))
		}
	}
	if len(notes) > 0 {
		fmt.Fprintln(w, "\nnotes:")
		for _, n := range notes {
			fmt.Fprintln(w, "  "+n)
		}
	}
	fmt.Fprintln(w, "\nsize: VPCs (populate, growth) or how many it held of each of VIFs, gateway associations, record sets in the zone and private zones (dx-route53).")
	fmt.Fprintf(w, "cpu columns: cores used during the row by the server, by this load generator and by anything else on the machine (%d CPUs); a row with cpu other well above 0 did not have the machine to itself.\n", m.CPUs)
	if len(rep.Checks) > 0 {
		fmt.Fprintln(w, "\ntargets:")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, c := range rep.Checks {
			verdict := "MET"
			if !c.Met {
				verdict = "MISSED"
			}
			line := fmt.Sprintf("  %s\t%s\t%s", verdict, c.Target, c.Got)
			if c.Note != "" {
				line += "\t(" + c.Note + ")"
			}
			fmt.Fprintln(tw, line)
		}
		return tw.Flush()
	}
	return nil
}
