package loadgen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vpcemu/vpcemu/internal/progress"
)

// DXRoute53Config configures the dx-route53 scenario.
type DXRoute53Config struct {
	// Steps are the sizes to grow to, ascending: of each of virtual
	// interfaces, gateway associations, record sets in one zone and
	// private hosted zones.
	Steps []int
	// Concurrency of the grow phase of each step.
	Concurrency int
	// Samples is the number of requests of each measurement (one client).
	Samples int
}

// The scenario's shape, within AWS's quotas (and vpcemu's, which holds a
// Direct Connect gateway to 20 virtual private gateway associations).
const (
	// vifsPerConnection: AWS takes 50 private or public VIFs on a
	// dedicated connection, each on its own VLAN.
	vifsPerConnection = 50
	firstVlan         = 100
	// unitsPerGateway: each Direct Connect gateway gets 20 associations
	// (the limit) and 20 VIFs (AWS takes 30).
	unitsPerGateway = 20
	// zonesOfMeasuredVPC is how many private zones the VPC that
	// ListHostedZonesByVPC asks about is associated with.
	zonesOfMeasuredVPC = 5
	// changesPerBatch is the most changes a ChangeBatch holds.
	changesPerBatch = 1000
	recordsZone     = "bench.example.com"
)

// dxRoute53 is the scenario's account as it grows. A unit is one VPC (a
// /24 of its own) with a virtual private gateway attached, associated with
// a Direct Connect gateway, a private VIF on that Direct Connect gateway,
// and a private hosted zone of the VPC; record sets are added apart, in
// batches, to one public zone.
type dxRoute53 struct {
	t        Target
	client   Client
	location string
	conns    []string // connection of units n*50…
	gateways []string // Direct Connect gateway of units n*20…
	vpc      string   // the VPC ListHostedZonesByVPC asks about
	zone     string   // the records' zone: Z…

	mu       sync.Mutex
	vifs     []string
	lat      latencies
	calls    int
	recNames []string
}

// DXRoute53 grows one account to each step's number of Direct Connect
// virtual interfaces and gateway associations, record sets in one hosted
// zone and private hosted zones, and at each step measures, one client,
// DescribeVirtualInterfaces of one VIF by id and
// DescribeDirectConnectGatewayAssociations of one Direct Connect gateway
// (20 associations), picked at random, a page of 100 record sets from a
// random name a full page follows, and ListHostedZonesByVPC of a VPC associated with 5 of the
// zones. Lookups served by an index stay flat as the account grows.
func (r *Runner) DXRoute53(ctx context.Context, cfg DXRoute53Config) ([]Result, error) {
	const scenario = "dx-route53"
	g := &dxRoute53{t: r.target(dxRoute53Account), client: r.Client}
	if err := g.setUp(r); err != nil {
		return nil, fmt.Errorf("%s: %w", scenario, err)
	}
	rng := rand.New(rand.NewPCG(1, 2)) // the same picks on every run
	var out []Result
	have := 0
	for _, step := range cfg.Steps {
		if step <= have {
			continue
		}
		g.lat, g.calls = nil, 0
		cpu := sampleCPU(r.ServerPid)
		elapsed, err := g.grow(ctx, have, step, cfg.Concurrency, r.Progress.Count(fmt.Sprintf("%s growing to %d", scenario, step), step-have))
		if err != nil {
			return out, fmt.Errorf("%s: growing to %d: %w", scenario, step, err)
		}
		have = step
		grow := Result{Scenario: scenario, Operation: "grow step", Concurrency: cfg.Concurrency, Size: step}
		g.lat.summarize(&grow, elapsed)
		grow.Notes = append(grow.Notes, fmt.Sprintf("grown to %d VIFs, gateway associations, record sets and private zones: %d calls in %.2f s", step, g.calls, elapsed.Seconds()))
		cpu.record(&grow, r.ServerPid)
		r.rss(&grow)
		out = append(out, grow)
		r.progress("%s %d: %s", scenario, step, grow.Notes[0])

		t := g.t
		measures := []struct {
			name string
			ids  []string // the request picks one of these at random
			req  func(id string) *request
		}{
			{"DescribeVirtualInterfaces by id", g.vifs, func(vif string) *request {
				return t.jsonCall("directconnect", "OvertureService.DescribeVirtualInterfaces", map[string]any{"virtualInterfaceId": vif})
			}},
			{"DescribeDirectConnectGatewayAssociations by gateway", g.gateways, func(gw string) *request {
				return t.jsonCall("directconnect", "OvertureService.DescribeDirectConnectGatewayAssociations", map[string]any{"directConnectGatewayId": gw})
			}},
			{"ListResourceRecordSets 100 from a name", g.pageStarts(), func(name string) *request {
				return t.restXMLCall("route53", "GET", "/2013-04-01/hostedzone/"+g.zone+"/rrset?name="+name+"&type=A&maxitems="+strconv.Itoa(pageItems), "")
			}},
			{"ListHostedZonesByVPC", []string{g.vpc}, func(vpc string) *request {
				return t.restXMLCall("route53", "GET", "/2013-04-01/hostedzonesbyvpc?vpcid="+vpc+"&vpcregion="+t.Region, "")
			}},
		}
		for _, m := range measures {
			res, err := r.measure(ctx, scenario, m.name, cfg.Samples, rng, m.ids, m.req)
			if err != nil {
				return out, fmt.Errorf("%s %s at %d: %w", scenario, m.name, step, err)
			}
			res.Size = step
			out = append(out, res)
			r.progress("%s %d: %s p50 %.3f ms p99 %.3f ms", scenario, step, m.name, res.P50ms, res.P99ms)
		}
	}
	return out, nil
}

// setUp finds a Direct Connect location of the region and creates the VPC
// ListHostedZonesByVPC asks about and the records' zone.
func (g *dxRoute53) setUp(r *Runner) error {
	body, err := r.once(g.t.Addr, g.t.jsonCall("directconnect", "OvertureService.DescribeLocations", map[string]any{}))
	if err != nil {
		return fmt.Errorf("DescribeLocations: %w", err)
	}
	if g.location = jsonField(body, "locationCode"); g.location == "" {
		return fmt.Errorf("no Direct Connect location in %s", g.t.Region)
	}
	if body, err = r.once(g.t.Addr, g.t.request(action("CreateVpc", "CidrBlock", "10.255.0.0/16"))); err != nil {
		return fmt.Errorf("CreateVpc: %w", err)
	}
	g.vpc = element(body, "vpcId")
	// A caller reference of its own: a second run against one server
	// creates a zone, not the first run's again.
	body, err = r.once(g.t.Addr, g.t.restXMLCall("route53", "POST", "/2013-04-01/hostedzone", xmlDoc("CreateHostedZoneRequest",
		el("Name", recordsZone), el("CallerReference", fmt.Sprintf("bench-records-%x", time.Now().UnixNano())))))
	if err != nil {
		return fmt.Errorf("CreateHostedZone: %w", err)
	}
	g.zone = zoneID(element(body, "HostedZone", "Id"))
	return nil
}

// zoneID is a hosted zone's id without its /hostedzone/ prefix.
func zoneID(id string) string {
	const prefix = "/hostedzone/"
	return strings.TrimPrefix(id, prefix)
}

// grow adds units from..to-1, first the connections and Direct Connect
// gateways they need, then the record sets, and returns how long it took.
func (g *dxRoute53) grow(ctx context.Context, from, to, concurrency int, count *progress.Counter) (time.Duration, error) {
	defer count.Done()
	start := time.Now()
	// Connections and gateways, one client: there are few.
	conns, gws := (to+vifsPerConnection-1)/vifsPerConnection, (to+unitsPerGateway-1)/unitsPerGateway
	_, err := spread(ctx, g.client, g.t.Addr, 0, 1, 1, nil, g.worker(func(c sender, _ int, lat *latencies) error {
		for len(g.conns) < conns {
			n := strconv.Itoa(len(g.conns))
			body, err := timed(c, lat, g.t.jsonCall("directconnect", "OvertureService.CreateConnection",
				map[string]any{"location": g.location, "bandwidth": "1Gbps", "connectionName": "bench-" + n}))
			if err != nil {
				return fmt.Errorf("CreateConnection: %w", err)
			}
			g.conns = append(g.conns, jsonField(body, "connectionId"))
		}
		for len(g.gateways) < gws {
			n := strconv.Itoa(len(g.gateways))
			body, err := timed(c, lat, g.t.jsonCall("directconnect", "OvertureService.CreateDirectConnectGateway",
				map[string]any{"directConnectGatewayName": "bench-" + n, "amazonSideAsn": 64512}))
			if err != nil {
				return fmt.Errorf("CreateDirectConnectGateway: %w", err)
			}
			g.gateways = append(g.gateways, jsonField(body, "directConnectGatewayId"))
		}
		return nil
	}))
	if err != nil {
		return 0, err
	}
	if _, err := spread(ctx, g.client, g.t.Addr, from, to, concurrency, count, g.worker(g.unit)); err != nil {
		return 0, err
	}
	// Record sets from..to-1, a batch of up to 1,000 changes a call.
	batches := (to - from + changesPerBatch - 1) / changesPerBatch
	_, err = spread(ctx, g.client, g.t.Addr, 0, batches, concurrency, nil, g.worker(func(c sender, b int, lat *latencies) error {
		first := from + b*changesPerBatch
		var changes []string
		for i := first; i < min(to, first+changesPerBatch); i++ {
			changes = append(changes, el("Change", el("Action", "CREATE"), el("ResourceRecordSet",
				el("Name", recordName(i)), el("Type", "A"), el("TTL", "300"),
				el("ResourceRecords", el("ResourceRecord", el("Value", fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)))))))
		}
		_, err := timed(c, lat, g.t.restXMLCall("route53", "POST", "/2013-04-01/hostedzone/"+g.zone+"/rrset",
			xmlDoc("ChangeResourceRecordSetsRequest", el("ChangeBatch", el("Changes", changes...)))))
		if err != nil {
			return fmt.Errorf("ChangeResourceRecordSets of records %d…: %w", first, err)
		}
		return nil
	}))
	if err != nil {
		return 0, err
	}
	for i := len(g.recNames); i < to; i++ {
		g.recNames = append(g.recNames, recordName(i))
	}
	return time.Since(start), nil
}

// pageStarts are the names a page of record sets may start at: every name
// a full page of 100 follows, so that each size measures pages of one
// length (at 100 record sets, only the first name). Route 53 lists names
// in the order of their labels reversed; the record sets differ only in
// their first label.
func (g *dxRoute53) pageStarts() []string {
	names := slices.Clone(g.recNames)
	slices.Sort(names)
	return names[:max(1, len(names)-pageItems+1)]
}

// pageItems is the maxitems of a ListResourceRecordSets page.
const pageItems = 100

// recordName is the name of record set i: the zone's record sets are
// r0…r9999.bench.example.com.
func recordName(i int) string { return "r" + strconv.Itoa(i) + "." + recordsZone }

// worker makes spread's workers of one: each measures every call it makes,
// and adds them to the step's when it stops.
func (g *dxRoute53) worker(one func(c sender, i int, lat *latencies) error) func() (func(sender, int) error, func()) {
	return func() (func(sender, int) error, func()) {
		var lat latencies
		return func(c sender, i int) error { return one(c, i, &lat) }, func() {
			g.mu.Lock()
			defer g.mu.Unlock()
			g.lat = append(g.lat, lat...)
			g.calls += len(lat)
		}
	}
}

// timed sends one call of the grow phase and adds its latency to lat.
func timed(c sender, lat *latencies, req *request) ([]byte, error) {
	t0 := time.Now()
	body, err := call(c, req)
	*lat = append(*lat, time.Since(t0))
	return body, err
}

// unit creates unit i (see dxRoute53).
func (g *dxRoute53) unit(c sender, i int, lat *latencies) error {
	t := g.t
	body, err := timed(c, lat, t.request(action("CreateVpc", "CidrBlock", fmt.Sprintf("10.%d.%d.0/24", i>>8&255, i&255))))
	if err != nil {
		return fmt.Errorf("unit %d: CreateVpc: %w", i, err)
	}
	vpc := element(body, "vpcId")
	if body, err = timed(c, lat, t.request(action("CreateVpnGateway", "Type", "ipsec.1"))); err != nil {
		return fmt.Errorf("unit %d: CreateVpnGateway: %w", i, err)
	}
	vgw := element(body, "vpnGatewayId")
	if _, err = timed(c, lat, t.request(action("AttachVpnGateway", "VpcId", vpc, "VpnGatewayId", vgw))); err != nil {
		return fmt.Errorf("unit %d: AttachVpnGateway: %w", i, err)
	}
	gw := g.gateways[i/unitsPerGateway]
	if _, err = timed(c, lat, t.jsonCall("directconnect", "OvertureService.CreateDirectConnectGatewayAssociation",
		map[string]any{"directConnectGatewayId": gw, "virtualGatewayId": vgw})); err != nil {
		return fmt.Errorf("unit %d: CreateDirectConnectGatewayAssociation: %w", i, err)
	}
	body, err = timed(c, lat, t.jsonCall("directconnect", "OvertureService.CreatePrivateVirtualInterface", map[string]any{
		"connectionId": g.conns[i/vifsPerConnection],
		"newPrivateVirtualInterface": map[string]any{
			"virtualInterfaceName": "bench-" + strconv.Itoa(i), "vlan": firstVlan + i%vifsPerConnection, "asn": 65000,
			"directConnectGatewayId": gw,
		},
	}))
	if err != nil {
		return fmt.Errorf("unit %d: CreatePrivateVirtualInterface: %w", i, err)
	}
	vif := jsonField(body, "virtualInterfaceId")
	g.mu.Lock()
	g.vifs = append(g.vifs, vif)
	g.mu.Unlock()
	body, err = timed(c, lat, t.restXMLCall("route53", "POST", "/2013-04-01/hostedzone", xmlDoc("CreateHostedZoneRequest",
		el("Name", fmt.Sprintf("z%d.bench.internal", i)), el("CallerReference", fmt.Sprintf("bench-%s-%d", vpc, i)),
		el("VPC", el("VPCRegion", t.Region), el("VPCId", vpc)), el("HostedZoneConfig", el("PrivateZone", "true")))))
	if err != nil {
		return fmt.Errorf("unit %d: CreateHostedZone: %w", i, err)
	}
	if i < zonesOfMeasuredVPC {
		zone := zoneID(element(body, "HostedZone", "Id"))
		_, err = timed(c, lat, t.restXMLCall("route53", "POST", "/2013-04-01/hostedzone/"+zone+"/associatevpc",
			xmlDoc("AssociateVPCWithHostedZoneRequest", el("VPC", el("VPCRegion", t.Region), el("VPCId", g.vpc)))))
		if err != nil {
			return fmt.Errorf("unit %d: AssociateVPCWithHostedZone: %w", i, err)
		}
	}
	return nil
}
