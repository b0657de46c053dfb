package vpcdns_test

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
	"github.com/vpcemu/vpcemu/internal/cloud/route53"
	"github.com/vpcemu/vpcemu/internal/cloud/vpcdns"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
)

// fixture is a consumer VPC (DNS support and hostnames on) with two
// subnets, an SNS interface endpoint with private DNS, an internal NLB,
// an instance, and two private zones associated with it:
// internal.example.com and example.com.
type fixture struct {
	t        testing.TB
	ctx      context.Context
	c        *cloud.Cloud
	net      *network.Service
	r53      *route53.Service
	vpc      *network.VPC
	bare     *network.VPC // DNS hostnames off, associated with internal.example.com too
	off      *network.VPC // DNS support off
	inst     *network.Instance
	ep       *privatelink.VPCEndpoint
	lb       *elb.LoadBalancer
	internal string // zone ids
	example  string
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	c := cloudtest.Fixed(t)
	f := &fixture{t: t, ctx: context.Background(), c: c, net: network.New(c), r53: route53.New(c)}
	who := cloudtest.Alice
	pl, lbs := privatelink.New(c), elb.New(c)
	vpc := func(block string, hostnames, support bool) *network.VPC {
		v := must(f.net.CreateVPC(f.ctx, who, network.CreateVPCInput{CIDRBlock: block}))
		must(0, f.net.ModifyVPCAttribute(f.ctx, who, v.ID, network.AttrEnableDNSHostnames, hostnames))
		must(0, f.net.ModifyVPCAttribute(f.ctx, who, v.ID, network.AttrEnableDNSSupport, support))
		return v
	}
	f.vpc, f.bare, f.off = vpc("10.0.0.0/16", true, true), vpc("10.1.0.0/16", false, true), vpc("10.2.0.0/16", true, false)
	a := must(f.net.CreateSubnet(f.ctx, who, network.CreateSubnetInput{VpcID: f.vpc.ID, CIDRBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1a"}))
	b := must(f.net.CreateSubnet(f.ctx, who, network.CreateSubnetInput{VpcID: f.vpc.ID, CIDRBlock: "10.0.2.0/24", AvailabilityZone: "us-east-1b"}))
	zero := int32(0)
	f.inst = must(f.net.RunInstances(f.ctx, who, network.RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1,
		Interfaces: []network.LaunchInterface{{DeviceIndex: &zero, SubnetID: a.ID}}})).Instances[0]
	f.ep = must(pl.CreateVPCEndpoint(f.ctx, who, privatelink.CreateVPCEndpointInput{VpcID: f.vpc.ID, ServiceName: "com.amazonaws.us-east-1.sns",
		Type: privatelink.EndpointTypeInterface, SubnetIDs: []string{a.ID, b.ID}}))
	f.lb = must(lbs.CreateLoadBalancer(f.ctx, who, elb.CreateLoadBalancerInput{Name: "api", Type: elb.LBNetwork, Scheme: elb.SchemeInternal, Subnets: []string{a.ID, b.ID}}))

	zone := func(name string, vpcs ...*network.VPC) string {
		z := must(f.r53.CreateHostedZone(f.ctx, who, route53.NewZone{Name: name, CallerReference: name, Private: true, VPC: &route53.VPC{Region: "us-east-1", ID: vpcs[0].ID}})).Zone
		for _, v := range vpcs[1:] {
			must(f.r53.AssociateVPC(f.ctx, who, z.ID, route53.VPC{Region: "us-east-1", ID: v.ID}, ""))
		}
		return z.ID
	}
	f.internal = zone("internal.example.com", f.vpc, f.bare, f.off)
	f.example = zone("example.com", f.vpc)
	regional := f.ep.DNSEntries[0]
	f.records(f.internal,
		set("db.internal.example.com", "A", "10.0.1.50"),
		set("db.internal.example.com", "TXT", `"owner=data"`),
		set("*.wild.internal.example.com", "A", "10.0.1.60"),
		alias("api.internal.example.com", "A", f.internal, "db.internal.example.com"),
		alias("sns.internal.example.com", "A", regional.HostedZoneID, regional.DNSName),
		alias("nlb.internal.example.com", "A", f.lb.CanonicalHostedZoneID(), f.lb.DNSName()),
		set("svc.internal.example.com", "CNAME", regional.DNSName),
		set("loop1.internal.example.com", "CNAME", "loop2.internal.example.com"),
		set("loop2.internal.example.com", "CNAME", "loop1.internal.example.com"),
		weighted("w.internal.example.com", "light", 10, "10.0.9.1"),
		weighted("w.internal.example.com", "heavy", 90, "10.0.9.2"),
	)
	f.records(f.example,
		set("www.example.com", "A", "10.0.1.70"),
		set("*.example.com", "A", "10.0.1.80"),
	)
	return f
}

func set(name, typ string, values ...string) route53.RecordSet {
	ttl := int64(300)
	return route53.RecordSet{Name: name, Type: typ, TTL: &ttl, Values: values}
}

func alias(name, typ, zone, target string) route53.RecordSet {
	return route53.RecordSet{Name: name, Type: typ, Alias: &route53.Alias{HostedZoneID: zone, DNSName: target}}
}

func weighted(name, id string, weight int64, value string) route53.RecordSet {
	rs := set(name, "A", value)
	rs.SetIdentifier, rs.Routing.Weight = id, &weight
	return rs
}

func (f *fixture) records(zone string, sets ...route53.RecordSet) {
	f.t.Helper()
	var changes []route53.RecordChange
	for _, s := range sets {
		changes = append(changes, route53.RecordChange{Action: "CREATE", Set: s})
	}
	must(f.r53.ChangeRecordSets(f.ctx, cloudtest.Alice, zone, "", changes))
}

func (f *fixture) resolver() *vpcdns.Resolver {
	f.t.Helper()
	s := must(netview.Build(f.ctx, f.c, netview.SnapshotInput{Scopes: []cloud.Scope{cloudtest.Alice.Scope()}, Zones: true}))
	return vpcdns.New(s)
}

// endpointAddrs are the endpoint's interfaces' addresses, in subnet order.
func (f *fixture) endpointAddrs() []string {
	var out []string
	for _, id := range f.ep.NetworkInterfaceIDs {
		n := cloudtest.ReadAs[network.NetworkInterface](f.t, f.c, cloudtest.Alice, id)
		out = append(out, n.PrimaryIP())
	}
	return out
}

func (f *fixture) lbAddrs() []string {
	var out []string
	for _, z := range f.lb.Zones {
		n := cloudtest.ReadAs[network.NetworkInterface](f.t, f.c, cloudtest.Alice, z.InterfaceID)
		out = append(out, n.PrimaryIP())
	}
	return out
}

func TestResolve(t *testing.T) {
	f := newFixture(t)
	r := f.resolver()
	ep, lb := f.endpointAddrs(), f.lbAddrs()
	instAddr := cloudtest.ReadAs[network.NetworkInterface](t, f.c, cloudtest.Alice, f.inst.NetworkInterfaces[0]).PrimaryIP()
	snsPublic := r.Resolve(vpcdns.Question{Name: "sns.us-east-1.amazonaws.com", Type: dns.TypeA}).Addrs()
	if len(snsPublic) != 1 || !strings.HasPrefix(snsPublic[0].String(), "54.239.") {
		t.Fatalf("sns's public name from the public view: %v", snsPublic)
	}
	cases := []struct {
		name   string
		vpc    string
		zone   string
		q      string
		typ    uint16
		rcode  int
		want   []string // values, in order
		source string
	}{
		{name: "a record of the zone", q: "db.internal.example.com", want: []string{"10.0.1.50"}, source: f.internal},
		{name: "names are case-insensitive, final dot or not", q: "DB.Internal.Example.com.", want: []string{"10.0.1.50"}, source: f.internal},
		{name: "TXT", q: "db.internal.example.com", typ: dns.TypeTXT, want: []string{"owner=data"}, source: f.internal},
		{name: "a name without records of the type: NOERROR, no records", q: "db.internal.example.com", typ: dns.TypeAAAA, source: f.internal},
		{name: "a name missing from the zone is NXDOMAIN", q: "nope.internal.example.com", rcode: dns.RcodeNameError, source: f.internal},
		{name: "the most specific zone wins: example.com's wildcard does not answer inside internal.example.com", q: "other.internal.example.com", rcode: dns.RcodeNameError, source: f.internal},
		{name: "the less specific zone answers the rest", q: "www.example.com", want: []string{"10.0.1.70"}, source: f.example},
		{name: "a wildcard answers a name that does not exist", q: "x.example.com", want: []string{"10.0.1.80"}, source: f.example},
		{name: "a wildcard answers deeper names", q: "a.b.wild.internal.example.com", want: []string{"10.0.1.60"}, source: f.internal},
		{name: "an empty non-terminal exists", q: "wild.internal.example.com", source: f.internal},
		{name: "an alias to a record of its zone", q: "api.internal.example.com", want: []string{"10.0.1.50"}, source: f.internal},
		{name: "an alias to an interface endpoint's regional name: the asker's zone first", q: "sns.internal.example.com", zone: "us-east-1b", want: []string{ep[1], ep[0]}, source: f.internal},
		{name: "an alias to an internal NLB", q: "nlb.internal.example.com", zone: "us-east-1a", want: lb, source: f.internal},
		{name: "a CNAME to an endpoint's name is followed", q: "svc.internal.example.com", zone: "us-east-1a", want: []string{f.ep.DNSEntries[0].DNSName + ".", ep[0], ep[1]}, source: f.ep.ID},
		{name: "a CNAME loop fails", q: "loop1.internal.example.com", rcode: dns.RcodeServerFailure},
		{name: "a weighted pair answers with the heavier", q: "w.internal.example.com", want: []string{"10.0.9.2"}, source: f.internal},
		{name: "the endpoint's private DNS zone answers the service's name", q: "sns.us-east-1.amazonaws.com", zone: "us-east-1a", want: ep, source: f.ep.ID},
		{name: "a name of the service's zone the endpoint does not answer is NXDOMAIN", q: "x.sns.us-east-1.amazonaws.com", rcode: dns.RcodeNameError, source: f.ep.ID},
		{name: "an endpoint's zonal name: its interface in that zone", q: f.ep.DNSEntries[2].DNSName, want: []string{ep[1]}, source: f.ep.ID},
		{name: "an instance's private name", q: "ip-" + strings.ReplaceAll(instAddr, ".", "-") + ".ec2.internal", want: []string{instAddr}, source: "ec2"},
		{name: "an AWS service without an endpoint: its public address", q: "sqs.us-east-1.amazonaws.com", want: nil, source: "aws"},
		{name: "a bucket's name on S3's legacy global endpoint (us-east-1's)", q: "reports.s3.amazonaws.com", want: nil, source: "aws"},
		{name: "the internet is not there", q: "www.amazon.com", rcode: dns.RcodeNameError},

		{name: "enableDnsHostnames off: no private zones", vpc: f.bare.ID, q: "db.internal.example.com", rcode: dns.RcodeNameError},
		{name: "enableDnsHostnames off: no endpoint private DNS either", vpc: f.bare.ID, q: "sns.us-east-1.amazonaws.com", want: []string{snsPublic[0].String()}, source: "aws"},
		{name: "enableDnsSupport off: no DNS server", vpc: f.off.ID, q: "db.internal.example.com", rcode: dns.RcodeRefused},
		{name: "from outside every VPC: only public names", vpc: "-", q: "db.internal.example.com", rcode: dns.RcodeNameError},
		{name: "from outside every VPC: an endpoint's regional name", vpc: "-", q: f.ep.DNSEntries[0].DNSName, zone: "us-east-1a", want: ep, source: f.ep.ID},
		{name: "from outside every VPC: a load balancer's name", vpc: "-", q: f.lb.DNSName(), zone: "us-east-1b", want: []string{lb[1], lb[0]}, source: f.lb.ID},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := vpcdns.Question{VPC: f.vpc.ID, Zone: tc.zone, Name: tc.q, Type: tc.typ}
			switch tc.vpc {
			case "-":
				q.VPC = ""
			case "":
			default:
				q.VPC = tc.vpc
			}
			if q.Type == 0 {
				q.Type = dns.TypeA
			}
			a := r.Resolve(q)
			if a.Rcode != tc.rcode {
				t.Fatalf("rcode %s, want %s (%v)", dns.RcodeToString[a.Rcode], dns.RcodeToString[tc.rcode], a.Records)
			}
			if tc.source != "" && a.Source != tc.source {
				t.Errorf("answered by %q, want %q", a.Source, tc.source)
			}
			got := values(a.Records)
			if tc.source == "aws" && tc.want == nil {
				if len(got) != 1 {
					t.Errorf("want one public address, got %v", got)
				}
				return
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			for _, rr := range a.Records {
				if rr.Header().Rrtype != dns.TypeCNAME && !strings.EqualFold(rr.Header().Name, dns.Fqdn(tc.q)) && !strings.HasPrefix(tc.name, "a CNAME") {
					t.Errorf("record %v is not named as asked", rr)
				}
			}
		})
	}
}

// values are the records' data: addresses, TXT strings, CNAME targets.
func values(rrs []dns.RR) []string {
	var out []string
	for _, rr := range rrs {
		switch r := rr.(type) {
		case *dns.A:
			out = append(out, r.A.String())
		case *dns.AAAA:
			out = append(out, r.AAAA.String())
		case *dns.TXT:
			out = append(out, r.Txt...)
		case *dns.CNAME:
			out = append(out, r.Target)
		default:
			out = append(out, rr.String())
		}
	}
	return out
}

// A private zone's change shows in the next snapshot's answers.
func TestResolveFollowsChanges(t *testing.T) {
	f := newFixture(t)
	q := vpcdns.Question{VPC: f.vpc.ID, Name: "new.internal.example.com", Type: dns.TypeA}
	if a := f.resolver().Resolve(q); a.Rcode != dns.RcodeNameError {
		t.Fatalf("before: %v", a)
	}
	f.records(f.internal, set("new.internal.example.com", "A", "10.0.1.99"))
	if got := f.resolver().Resolve(q).Addrs(); !slices.Equal(got, []netip.Addr{netip.MustParseAddr("10.0.1.99")}) {
		t.Fatalf("after: %v", got)
	}
	// Without internal.example.com, example.com is the most specific zone
	// left, and its wildcard answers.
	must(f.r53.DisassociateVPC(f.ctx, cloudtest.Alice, f.internal, route53.VPC{Region: "us-east-1", ID: f.vpc.ID}, ""))
	if a := f.resolver().Resolve(q); a.Source != f.example || !slices.Equal(values(a.Records), []string{"10.0.1.80"}) {
		t.Fatalf("disassociated: %v from %q", a.Records, a.Source)
	}
}

// BenchmarkResolve: one lookup in a VPC associated with 1,000 private
// zones of 10 records each (issue 10's target: under 10 µs).
func BenchmarkResolve(b *testing.B) {
	c := cloudtest.Fixed(b)
	ctx, who := context.Background(), cloudtest.Alice
	net, r53 := network.New(c), route53.New(c)
	v := must(net.CreateVPC(ctx, who, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16"}))
	must(0, net.ModifyVPCAttribute(ctx, who, v.ID, network.AttrEnableDNSHostnames, true))
	for i := range 1000 {
		name := fmt.Sprintf("zone%d.example.com", i)
		z := must(r53.CreateHostedZone(ctx, who, route53.NewZone{Name: name, CallerReference: name, Private: true, VPC: &route53.VPC{Region: "us-east-1", ID: v.ID}})).Zone
		var changes []route53.RecordChange
		for j := range 10 {
			changes = append(changes, route53.RecordChange{Action: "CREATE", Set: set(fmt.Sprintf("host%d.%s", j, name), "A", fmt.Sprintf("10.0.%d.%d", i%250, j+1))})
		}
		must(r53.ChangeRecordSets(ctx, who, z.ID, "", changes))
	}
	s := must(netview.Build(ctx, c, netview.SnapshotInput{Scopes: []cloud.Scope{who.Scope()}, Zones: true}))
	r := vpcdns.New(s)
	q := vpcdns.Question{VPC: v.ID, Zone: "us-east-1a", Name: "host7.zone567.example.com", Type: dns.TypeA}
	if len(r.Resolve(q).Addrs()) != 1 {
		b.Fatal("no answer")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r.Resolve(q)
	}
}

// A negative answer from a private zone (NXDOMAIN, or no records of the
// type) carries the zone's SOA, with the lesser of its TTL and minimum as
// TTL; answers with records and names outside every private zone do not.
func TestNegativeAnswersCarryTheSOA(t *testing.T) {
	f := newFixture(t)
	r := f.resolver()
	cases := []struct {
		name string
		q    string
		typ  uint16
		apex string // the SOA's owner; "" for none
	}{
		{name: "NXDOMAIN in a customer zone", q: "nope.internal.example.com", typ: dns.TypeA, apex: "internal.example.com."},
		{name: "no records of the type", q: "db.internal.example.com", typ: dns.TypeAAAA, apex: "internal.example.com."},
		{name: "an empty non-terminal", q: "wild.internal.example.com", typ: dns.TypeA, apex: "internal.example.com."},
		{name: "an alias whose target has no records of the type", q: "api.internal.example.com", typ: dns.TypeAAAA, apex: "internal.example.com."},
		{name: "NXDOMAIN in an endpoint's private DNS zone", q: "x.sns.us-east-1.amazonaws.com", typ: dns.TypeA, apex: "sns.us-east-1.amazonaws.com."},
		{name: "an answer with records", q: "db.internal.example.com", typ: dns.TypeA},
		{name: "the internet's NXDOMAIN", q: "www.amazon.com", typ: dns.TypeA},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := r.Resolve(vpcdns.Question{VPC: f.vpc.ID, Name: tc.q, Type: tc.typ})
			if tc.apex == "" {
				if a.Authority != nil {
					t.Fatalf("authority %v, want none", a.Authority)
				}
				return
			}
			if len(a.Authority) != 1 {
				t.Fatalf("authority %v, want the SOA of %s", a.Authority, tc.apex)
			}
			soa, ok := a.Authority[0].(*dns.SOA)
			if !ok || soa.Hdr.Name != tc.apex || soa.Mbox != "awsdns-hostmaster.amazon.com." || soa.Hdr.Ttl != 900 || soa.Minttl != 86400 {
				t.Errorf("authority %v, want the SOA of %s with TTL 900", a.Authority[0], tc.apex)
			}
		})
	}
	// The SOA asked for keeps its own TTL.
	a := r.Resolve(vpcdns.Question{VPC: f.vpc.ID, Name: "internal.example.com", Type: dns.TypeSOA})
	if len(a.Records) != 1 || a.Records[0].Header().Ttl != 900 || a.Authority != nil {
		t.Errorf("SOA query: %v, authority %v", a.Records, a.Authority)
	}
	// A minimum below the SOA's TTL is the negative answer's TTL.
	soa := set("internal.example.com", "SOA", "ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 60")
	must(f.r53.ChangeRecordSets(f.ctx, cloudtest.Alice, f.internal, "", []route53.RecordChange{{Action: "UPSERT", Set: soa}}))
	a = f.resolver().Resolve(vpcdns.Question{VPC: f.vpc.ID, Name: "nope.internal.example.com", Type: dns.TypeA})
	if len(a.Authority) != 1 || a.Authority[0].Header().Ttl != 60 {
		t.Errorf("authority %v, want the SOA with TTL 60", a.Authority)
	}
}

// The address a service's public name resolves to names the service back:
// the data plane finds which AWS service a flow to the internet reaches.
func TestAWSServiceAt(t *testing.T) {
	for _, svc := range []string{"s3", "sqs", "dynamodb", "secretsmanager"} {
		a := vpcdns.ServicePublicAddr("us-east-1", svc)
		if got, ok := vpcdns.AWSServiceAt("us-east-1", a); !ok || got != svc {
			t.Errorf("%s at %s: %q %v", svc, a, got, ok)
		}
	}
	if got, ok := vpcdns.AWSServiceAt("us-east-1", netip.MustParseAddr("203.0.113.10")); ok {
		t.Errorf("203.0.113.10 is %q", got)
	}
}
