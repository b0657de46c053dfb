package dataplane

import (
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
	"github.com/vpcemu/vpcemu/internal/metric"
)

// Namespaces the data plane publishes in, as AWS's services do.
const (
	NamespaceEndpoints = "AWS/PrivateLinkEndpoints"
	NamespaceServices  = "AWS/PrivateLinkServices"
	NamespaceNAT       = "AWS/NATGateway"
	NamespaceNLB       = "AWS/NetworkELB"
)

// publisher turns the meters, read at each window's close, into the
// datapoints of the minute that closed: what each resource carried since
// the previous close.
type publisher struct {
	last map[string]Meter // the meters at the previous close
}

// deltas are what each resource carried since the previous call.
func (p *publisher) deltas(m *meters) map[string]Meter {
	m.mu.Lock()
	defer m.mu.Unlock()
	if p.last == nil {
		p.last = map[string]Meter{}
	}
	out := map[string]Meter{}
	for id, mt := range m.resources {
		prev := p.last[id]
		d := Meter{Resource: id, Account: mt.Account, Region: mt.Region,
			BytesOut: mt.BytesOut - prev.BytesOut, BytesIn: mt.BytesIn - prev.BytesIn,
			PacketsOut: mt.PacketsOut - prev.PacketsOut, PacketsIn: mt.PacketsIn - prev.PacketsIn,
			Connections: mt.Connections - prev.Connections, Dropped: mt.Dropped - prev.Dropped,
			RstOut: mt.RstOut - prev.RstOut, RstIn: mt.RstIn - prev.RstIn}
		p.last[id] = *mt
		if d != (Meter{Resource: id, Account: mt.Account, Region: mt.Region}) {
			out[id] = d
		}
	}
	return out
}

// active counts the flows carried now through each resource of their
// paths.
func (t *flowTable) active() map[string]int {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := map[string]int{}
	for _, f := range t.m {
		for _, id := range f.info.Path {
			out[id]++
		}
	}
	return out
}

// datapoints are the CloudWatch datapoints of the minute starting at at,
// for the resources that carried traffic in it or carry flows now, with
// the dimensions AWS publishes them under (read from the snapshot s):
// interface and Gateway Load Balancer endpoints (per endpoint and per
// endpoint subnet), the endpoint services they reach (in the provider's
// account), NAT gateways and Network Load Balancers (per balancer and per
// zone; and every minute, each one's HealthyHostCount and
// UnHealthyHostCount per target group: hostCounts). An endpoint receives
// the resets of both ends (RstPacketsReceived); a service sends those
// back to its clients (RstPacketsSent). Not published: EndpointsCount,
// the per-protocol flow counts, and the per-zone host counts.
func datapoints(s *netview.Snapshot, at time.Time, deltas map[string]Meter, active map[string]int) []metric.Datum {
	ids := map[string]bool{}
	for id := range deltas {
		ids[id] = true
	}
	for id := range active {
		ids[id] = true
	}
	var out []metric.Datum
	add := func(account, region, ns, name, unit string, v float64, dims ...metric.Dimension) {
		out = append(out, metric.Datum{Account: account, Region: region, Namespace: ns, Name: name, Dimensions: dims,
			Unit: unit, Time: at, Stats: metric.Value(v)})
	}
	services := map[string]*Meter{} // endpoint service id → what its endpoints carried
	serviceActive := map[string]int{}
	for id := range ids {
		d, n := deltas[id], float64(active[id])
		bytes, packets := float64(d.BytesOut+d.BytesIn), float64(d.PacketsOut+d.PacketsIn)
		switch {
		case strings.HasPrefix(id, "vpce-"):
			e := s.Endpoint(id)
			if e == nil || e.Type == privatelink.EndpointTypeGateway {
				continue // AWS publishes nothing for gateway endpoints
			}
			dims := endpointDims(e)
			for _, m := range endpointMetrics(bytes, d, n) {
				add(e.Owner, e.Region, NamespaceEndpoints, m.name, m.unit, m.v, dims...)
			}
			if svc := e.Service; svc != nil {
				sm := services[svc.ID]
				if sm == nil {
					sm = &Meter{Account: svc.Owner, Region: svc.Region}
					services[svc.ID] = sm
				}
				sm.BytesOut, sm.BytesIn, sm.Connections, sm.RstIn = sm.BytesOut+d.BytesOut, sm.BytesIn+d.BytesIn, sm.Connections+d.Connections, sm.RstIn+d.RstIn
				serviceActive[svc.ID] += active[id]
				sdims := []metric.Dimension{{Name: "Service Id", Value: svc.ID}, {Name: "VPC Endpoint Id", Value: id}}
				for _, m := range serviceMetrics(bytes, d, n) {
					add(svc.Owner, svc.Region, NamespaceServices, m.name, m.unit, m.v, sdims...)
				}
			}
		case strings.HasPrefix(id, "eni-"):
			nic := s.Interface(id)
			switch {
			case nic == nil || nic.Subnet == nil:
			case nic.Endpoint != nil && nic.Endpoint.Type != privatelink.EndpointTypeGateway:
				e := nic.Endpoint
				dims := append(endpointDims(e), metric.Dimension{Name: "Subnet Id", Value: nic.Subnet.ID})
				for _, m := range endpointMetrics(bytes, d, n) {
					add(e.Owner, e.Region, NamespaceEndpoints, m.name, m.unit, m.v, dims...)
				}
			case nic.LoadBalancer != nil && strings.Contains(nic.LoadBalancer.ID, ":loadbalancer/net/"):
				lb := nic.LoadBalancer
				dims := []metric.Dimension{{Name: "LoadBalancer", Value: lbDimension(lb.ID)}, {Name: "AvailabilityZone", Value: nic.Subnet.AvailabilityZone}}
				for _, m := range nlbMetrics(bytes, packets, d.Connections, n) {
					add(lb.Owner, lb.Region, NamespaceNLB, m.name, m.unit, m.v, dims...)
				}
			}
		case strings.HasPrefix(id, "nat-"):
			g := s.NATGateway(id)
			if g == nil {
				continue
			}
			dim := metric.Dimension{Name: "NatGatewayId", Value: id}
			for _, m := range []measure{
				{"BytesOutToDestination", "Bytes", float64(d.BytesOut)},
				{"BytesInFromSource", "Bytes", float64(d.BytesOut)},
				{"BytesInFromDestination", "Bytes", float64(d.BytesIn)},
				{"BytesOutToSource", "Bytes", float64(d.BytesIn)},
				{"PacketsOutToDestination", "Count", float64(d.PacketsOut)},
				{"PacketsInFromSource", "Count", float64(d.PacketsOut)},
				{"PacketsInFromDestination", "Count", float64(d.PacketsIn)},
				{"PacketsOutToSource", "Count", float64(d.PacketsIn)},
				{"ConnectionAttemptCount", "Count", float64(d.Connections + d.Dropped)},
				{"ConnectionEstablishedCount", "Count", float64(d.Connections)},
				{"PacketsDropCount", "Count", float64(d.Dropped)},
				{"ActiveConnectionCount", "Count", n},
			} {
				add(g.Owner, g.Region, NamespaceNAT, m.name, m.unit, m.v, dim)
			}
		case strings.Contains(id, ":loadbalancer/net/"):
			lb := s.LoadBalancer(id)
			if lb == nil {
				continue
			}
			for _, m := range nlbMetrics(bytes, packets, d.Connections, n) {
				add(lb.Owner, lb.Region, NamespaceNLB, m.name, m.unit, m.v, metric.Dimension{Name: "LoadBalancer", Value: lbDimension(id)})
			}
		}
	}
	for _, lb := range s.LoadBalancers() {
		out = append(out, hostCounts(s, lb, at)...)
	}
	for id, sm := range services {
		svc := s.EndpointService(id)
		for _, m := range serviceMetrics(float64(sm.BytesOut+sm.BytesIn), *sm, float64(serviceActive[id])) {
			add(sm.Account, sm.Region, NamespaceServices, m.name, m.unit, m.v, metric.Dimension{Name: "Service Id", Value: id})
			if svc != nil && len(svc.NetworkLoadBalancerARNs) == 1 {
				// With one balancer, all the service's traffic is its.
				add(sm.Account, sm.Region, NamespaceServices, m.name, m.unit, m.v,
					metric.Dimension{Name: "Load Balancer Arn", Value: svc.NetworkLoadBalancerARNs[0]}, metric.Dimension{Name: "Service Id", Value: id})
			}
		}
	}
	return out
}

// hostCounts are a Network Load Balancer's HealthyHostCount and
// UnHealthyHostCount for each target group its listeners forward to. vpcemu
// runs no health checks: a registered target is healthy, as
// DescribeTargetHealth says, unless it is draining or is an instance that
// is not running (those count in neither, as AWS counts them); none is
// unhealthy.
func hostCounts(s *netview.Snapshot, lb *elb.LoadBalancer, at time.Time) []metric.Datum {
	if lb.Type != elb.LBNetwork {
		return nil
	}
	var out []metric.Datum
	seen := map[string]bool{}
	for _, l := range s.Listeners(lb.ID) {
		for _, a := range l.Actions {
			for _, g := range a.ForwardGroups {
				tg := s.TargetGroup(g.ARN)
				if tg == nil || seen[tg.ID] {
					continue
				}
				seen[tg.ID] = true
				healthy := 0
				for _, t := range tg.Targets {
					if t.DrainUntil != nil {
						continue
					}
					if tg.TargetType == elb.TargetInstance {
						if inst := s.Instance(t.ID); inst == nil || inst.State != "running" {
							continue
						}
					}
					healthy++
				}
				_, tgPath, _ := strings.Cut(tg.ID, ":targetgroup/")
				dims := []metric.Dimension{{Name: "LoadBalancer", Value: lbDimension(lb.ID)}, {Name: "TargetGroup", Value: "targetgroup/" + tgPath}}
				for name, v := range map[string]int{"HealthyHostCount": healthy, "UnHealthyHostCount": 0} {
					out = append(out, metric.Datum{Account: lb.Owner, Region: lb.Region, Namespace: NamespaceNLB, Name: name,
						Dimensions: dims, Unit: "Count", Time: at, Stats: metric.Value(float64(v))})
				}
			}
		}
	}
	return out
}

// measure is one metric's value.
type measure struct {
	name, unit string
	v          float64
}

func endpointMetrics(bytes float64, d Meter, active float64) []measure {
	return []measure{
		{"BytesProcessed", "Bytes", bytes},
		{"NewConnections", "Count", float64(d.Connections)},
		{"PacketsDropped", "Count", float64(d.Dropped)},
		{"ActiveConnections", "Count", active},
		{"RstPacketsReceived", "Count", float64(d.RstOut + d.RstIn)},
	}
}

func serviceMetrics(bytes float64, d Meter, active float64) []measure {
	return []measure{
		{"BytesProcessed", "Bytes", bytes},
		{"NewConnections", "Count", float64(d.Connections)},
		{"ActiveConnections", "Count", active},
		{"RstPacketsSent", "Count", float64(d.RstIn)},
	}
}

func nlbMetrics(bytes, packets float64, connections uint64, active float64) []measure {
	return []measure{
		{"ProcessedBytes", "Bytes", bytes},
		{"ProcessedPackets", "Count", packets},
		{"NewFlowCount", "Count", float64(connections)},
		{"ActiveFlowCount", "Count", active},
	}
}

// endpointDims are an endpoint's dimensions as AWS/PrivateLinkEndpoints
// names them.
func endpointDims(e *netview.NetEndpoint) []metric.Dimension {
	return []metric.Dimension{
		{Name: "Endpoint Type", Value: e.Type},
		{Name: "Service Name", Value: e.ServiceName},
		{Name: "VPC Endpoint Id", Value: e.ID},
		{Name: "VPC Id", Value: e.VpcID},
	}
}

// lbDimension is a load balancer's LoadBalancer dimension: its ARN's
// "net/<name>/<id>".
func lbDimension(arn string) string {
	_, path, _ := strings.Cut(arn, ":loadbalancer/")
	return path
}
