package reach_test

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// topology sizes a generated network.
type topology struct {
	accounts      int
	vpcs          int // spread over the accounts, peered in a ring
	subnets       int // per VPC, each with one instance
	groups, rules int // per VPC, and inbound rules per group
	// dense is the number of interfaces in one more VPC of their own, for
	// the all-pairs matrix where every pair is a full path.
	dense int
}

// large is the topology the engine's targets are set for: 1,000 VPCs,
// 10,000 subnets, 100,000 security group rules.
var large = topology{accounts: 10, vpcs: 1000, subnets: 10, groups: 2, rules: 50, dense: 1000}

// generated is a generated network: the world, and what the benchmarks
// query.
type generated struct {
	w      *world
	scopes []cloud.Scope
	// instances are the instances of the ring's VPCs, by VPC.
	instances [][]*network.Instance
	// dense are the interfaces of the dense VPC.
	dense []string
	built time.Duration
}

var (
	generatedOnce sync.Once
	generatedNet  *generated
)

// largeNetwork builds the large topology once per test binary.
func largeNetwork(b *testing.B) *generated {
	generatedOnce.Do(func() { generatedNet = generate(openWorld(b), large) })
	return generatedNet
}

// vpcBlock is VPC i's block: a /20 of 10.0.0.0/8, so that no two overlap
// and any two may peer.
func vpcBlock(i int) netip.Prefix {
	a := netip.AddrFrom4([4]byte{10, byte(i >> 4), byte(i << 4), 0})
	return netip.PrefixFrom(a, 20)
}

func subnetBlock(vpc netip.Prefix, j int) string {
	a := vpc.Addr().As4()
	a[2] += byte(j)
	return netip.PrefixFrom(netip.AddrFrom4(a), 24).String()
}

// generate builds a topology through the domain's use cases. Each VPC has
// an internet gateway on its main route table, a private route table for
// half its subnets with an S3 gateway endpoint, peering routes to its two ring neighbours, groups whose
// inbound rules mix blocks, a prefix list, groups of the same VPC and groups
// of the peered VPCs, and one instance per subnet.
func generate(w *world, t topology) *generated {
	start := time.Now()
	g := &generated{w: w}
	worlds := make([]*world, t.accounts)
	lists := make([]*network.ManagedPrefixList, t.accounts)
	for a := range worlds {
		worlds[a] = w.as(cloud.Caller{Account: fmt.Sprintf("%012d", 100000000000+a), Region: "us-east-1"})
		g.scopes = append(g.scopes, worlds[a].who.Scope())
		lists[a] = must(w.net.CreateManagedPrefixList(w.ctx, worlds[a].who, network.CreatePrefixListInput{
			Name: "corp", AddressFamily: "IPv4", MaxEntries: 5, Entries: []network.PrefixListEntry{{CIDR: "192.168.0.0/16"}, {CIDR: "10.0.0.0/8"}}}))
	}
	type vpcState struct {
		w       *world
		vpc     *network.VPC
		main    *network.RouteTable
		private *network.RouteTable
		groups  []*network.SecurityGroup
		subnets []*network.Subnet
	}
	vs := make([]vpcState, t.vpcs)
	for i := range vs {
		v := &vs[i]
		v.w = worlds[i%t.accounts]
		v.vpc = must(v.w.net.CreateVPC(v.w.ctx, v.w.who, network.CreateVPCInput{CIDRBlock: vpcBlock(i).String()}))
		for j := range t.subnets {
			v.subnets = append(v.subnets, v.w.subnet(v.vpc, subnetBlock(vpcBlock(i), j)))
		}
		igw := v.w.internetGateway(v.vpc)
		v.main = &network.RouteTable{Meta: cloud.Meta{ID: v.vpc.MainRouteTableID}}
		v.w.route(v.main, "0.0.0.0/0", network.Route{GatewayID: igw.ID})
		v.private = v.w.table(v.vpc, v.subnets[:t.subnets/2]...)
		v.w.gatewayEndpoint(v.vpc, "s3", "", v.private)
		for k := range t.groups {
			v.groups = append(v.groups, v.w.group(v.vpc, fmt.Sprintf("g%d", k)))
		}
	}
	// The ring of peerings, each routed both ways from both tables.
	for i := range vs {
		a, b := &vs[i], &vs[(i+1)%t.vpcs]
		p := a.w.peering(a.vpc, b.vpc, b.w)
		for _, ends := range [][2]*vpcState{{a, b}, {b, a}} {
			for _, rt := range []*network.RouteTable{ends[0].main, ends[0].private} {
				ends[0].w.route(rt, ends[1].vpc.CIDRBlock, network.Route{VPCPeeringConnectionID: p.ID})
			}
		}
	}
	for i := range vs {
		v := &vs[i]
		next := &vs[(i+1)%t.vpcs]
		for k, grp := range v.groups {
			var perms []network.Permission
			for r := range t.rules {
				port := int32(1000 + r)
				var peer network.Peer
				switch {
				case r < 2:
					peer = prefixListPeer(lists[i%t.accounts].ID)
				case r < 5:
					peer = groupPeer(next.groups[k].ID) // across the peering
				case r < 10:
					peer = groupPeer(v.groups[(k+1)%len(v.groups)].ID)
				case r == 10:
					port = 22
					peer = cidrPeer("10.0.0.0/8")
				default:
					peer = cidrPeer(fmt.Sprintf("172.%d.%d.0/24", 16+r%16, r))
				}
				perms = append(perms, network.Permission{Protocol: "tcp", FromPort: &port, ToPort: &port, Peers: []network.Peer{peer}})
			}
			_, _, err := v.w.net.AuthorizeSecurityGroupRules(v.w.ctx, v.w.who, network.AuthorizeInput{Group: network.GroupRef{ID: grp.ID}, Permissions: perms})
			v.w.must(err)
		}
		var insts []*network.Instance
		for j, s := range v.subnets {
			insts = append(insts, v.w.instance(s, j >= t.subnets/2, v.groups[j%len(v.groups)]))
		}
		g.instances = append(g.instances, insts)
	}
	if t.dense > 0 {
		g.dense = denseVPC(worlds[0], t.dense)
	}
	g.built = time.Since(start)
	return g
}

// denseVPC is a VPC with n interfaces over 16 subnets, whose group admits
// TCP 22 from the VPC.
func denseVPC(w *world, n int) []string {
	vpc := w.vpc("10.100.0.0/16")
	grp := w.group(vpc, "dense")
	w.allow(grp, false, "tcp", 22, 22, cidrPeer("10.100.0.0/16"))
	var ids []string
	for j := range 16 {
		s := w.subnet(vpc, fmt.Sprintf("10.100.%d.0/24", j))
		for range (n + 15 - j) / 16 {
			eni := must(w.net.CreateNetworkInterface(w.ctx, w.who, network.CreateNetworkInterfaceInput{SubnetID: s.ID, Groups: []string{grp.ID}}))
			ids = append(ids, eni.ID)
		}
	}
	return ids
}

func (g *generated) snapshot(b *testing.B) *netview.Snapshot {
	return must(netview.Build(g.w.ctx, g.w.c, netview.SnapshotInput{Scopes: g.scopes}))
}

// BenchmarkSnapshot measures building a snapshot of the large topology:
// time per build, and the heap the snapshot holds once built.
func BenchmarkSnapshot(b *testing.B) {
	g := largeNetwork(b)
	b.ReportAllocs()
	for b.Loop() {
		g.snapshot(b)
	}
	b.StopTimer()
	b.ReportMetric(g.built.Seconds(), "generate-s")
	before := heapInUse()
	snap := g.snapshot(b)
	b.ReportMetric(float64(heapInUse()-before)/(1<<20), "heap-MB")
	b.ReportMetric(float64(len(snap.Interfaces())), "interfaces")
	runtime.KeepAlive(snap)
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkPath measures one path query on the large topology: instance to
// instance, within a VPC or across a peering, tcp/22 (which the rules
// admit, so each query walks the whole path both ways), with the path's
// components (Analyze) and for the verdict alone (Reachable). It reports
// the median and the 99th percentile of single queries.
func BenchmarkPath(b *testing.B) {
	g := largeNetwork(b)
	snap := g.snapshot(b)
	rng := rand.New(rand.NewPCG(1, 2))
	query := func() reach.Query {
		i := rng.IntN(len(g.instances))
		j := (i + rng.IntN(2)) % len(g.instances)
		src := g.instances[i][rng.IntN(len(g.instances[i]))]
		dst := g.instances[j][rng.IntN(len(g.instances[j]))]
		if src == dst {
			dst = g.instances[j][(slices.Index(g.instances[j], dst)+1)%len(g.instances[j])]
		}
		return reach.Query{Source: src.ID, Destination: dst.ID, Protocol: reach.TCP, DestinationPort: 22}
	}
	if r := reach.Analyze(snap, query()); !r.NetworkPathFound {
		b.Fatalf("generated path blocked: %+v", r.Explanations)
	}
	// s3 asks for S3 by name from a private subnet: the DNS view, then the
	// gateway endpoint's prefix-list route.
	s3 := func() reach.Query {
		insts := g.instances[rng.IntN(len(g.instances))]
		return reach.Query{Source: insts[rng.IntN(len(insts)/2)].ID, DestinationName: s3Name, Protocol: reach.TCP, DestinationPort: 443}
	}
	if r := reach.Analyze(snap, s3()); !r.NetworkPathFound {
		b.Fatalf("generated path to S3 blocked: %+v", r.Explanations)
	}
	for _, f := range []struct {
		name  string
		query func() reach.Query
		run   func(*netview.Snapshot, reach.Query)
	}{
		{"analyze", query, func(s *netview.Snapshot, q reach.Query) { reach.Analyze(s, q) }},
		{"reachable", query, func(s *netview.Snapshot, q reach.Query) { reach.Reachable(s, q) }},
		{"s3-by-name", s3, func(s *netview.Snapshot, q reach.Query) { reach.Analyze(s, q) }},
	} {
		b.Run(f.name, func(b *testing.B) {
			var times []time.Duration
			b.ReportAllocs()
			for b.Loop() {
				q := f.query()
				t0 := time.Now()
				f.run(snap, q)
				times = append(times, time.Since(t0))
			}
			reportPercentiles(b, times)
		})
	}
}

func reportPercentiles(b *testing.B, times []time.Duration) {
	slices.Sort(times)
	at := func(q float64) float64 { return float64(times[int(q*float64(len(times)-1))].Nanoseconds()) }
	b.ReportMetric(at(0.50), "p50-ns")
	b.ReportMetric(at(0.99), "p99-ns")
	b.ReportMetric(float64(times[len(times)-1].Nanoseconds()), "max-ns")
}

// BenchmarkMatrix measures all-pairs reachability over n interfaces: of
// the dense VPC (every pair a full path there and back), and of the
// ring's instances (mostly pairs in VPCs no peering joins). One iteration
// is the whole matrix; pair-ns is the cost of one pair.
func BenchmarkMatrix(b *testing.B) {
	g := largeNetwork(b)
	snap := g.snapshot(b)
	var ring []string
	for _, insts := range g.instances {
		for _, inst := range insts {
			ring = append(ring, inst.ID)
		}
	}
	for _, set := range []struct {
		name string
		ids  []string
	}{{"dense", g.dense}, {"ring", ring}} {
		for _, n := range []int{100, 300, 1000} {
			ids := set.ids[:min(n, len(set.ids))]
			b.Run(fmt.Sprintf("%s/n=%d", set.name, n), func(b *testing.B) {
				reachable := 0
				for b.Loop() {
					reachable = matrix(snap, ids)
				}
				pairs := float64(len(ids) * (len(ids) - 1))
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/pairs, "pair-ns")
				b.ReportMetric(float64(reachable)/pairs, "reachable")
			})
		}
	}
}

// matrix analyses every ordered pair and counts the reachable ones.
func matrix(snap *netview.Snapshot, ids []string) int {
	n := 0
	for _, src := range ids {
		for _, dst := range ids {
			if src != dst && reach.Reachable(snap, reach.Query{Source: src, Destination: dst, Protocol: reach.TCP, DestinationPort: 22}) {
				n++
			}
		}
	}
	return n
}

// TestGeneratedTopology checks the generator on a small topology: every
// instance reaches the instances of its VPC and of the next one.
func TestGeneratedTopology(t *testing.T) {
	g := generate(newWorld(t), topology{accounts: 2, vpcs: 4, subnets: 4, groups: 2, rules: 12, dense: 8})
	snap := must(netview.Build(g.w.ctx, g.w.c, netview.SnapshotInput{Scopes: g.scopes}))
	for i, insts := range g.instances {
		next := g.instances[(i+1)%len(g.instances)]
		far := g.instances[(i+2)%len(g.instances)]
		for _, c := range []struct {
			dst  *network.Instance
			want bool
		}{{insts[1], true}, {next[2], true}, {far[0], false}} {
			r := reach.Analyze(snap, reach.Query{Source: insts[0].ID, Destination: c.dst.ID, Protocol: reach.TCP, DestinationPort: 22})
			if r.NetworkPathFound != c.want {
				t.Errorf("vpc %d: %s to %s: found %t, want %t (%+v)", i, insts[0].ID, c.dst.ID, r.NetworkPathFound, c.want, r.Explanations)
			}
		}
	}
	if got := matrix(snap, g.dense); got != len(g.dense)*(len(g.dense)-1) {
		t.Errorf("dense matrix: %d pairs reachable, want all %d", got, len(g.dense)*(len(g.dense)-1))
	}
	rules := len(snap.Interface(primary(g.instances[0][0])).SecurityGroups[0].Ingress)
	if rules != 12 {
		t.Errorf("a group has %d inbound rules, want 12", rules)
	}
}
