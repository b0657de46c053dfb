package dataplane

import (
	"net/netip"
	"strings"

	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// stage is one Gateway Load Balancer a flow's path passes through: the
// GWLB endpoint the flow came by, the load balancer's address in the
// endpoint's zone (its node) and the appliance the node sends the flow
// to, with its address.
type stage struct {
	endpoint      string
	node          netip.Addr
	appliance     string
	applianceAddr netip.Addr
}

// stagesOf reads the Gateway Load Balancers of a verdict's path, in the
// order the request meets them: each is a target group hop that sends
// GENEVE (UDP to 6081), after the endpoint the packet came by and before
// the appliance instance that receives it.
func stagesOf(v Verdict) []stage {
	path := v.Result.ForwardPathComponents
	var out []stage
	endpoint := ""
	for i, c := range path {
		if c.Component == nil {
			continue
		}
		id := c.Component.ID
		if strings.HasPrefix(id, "vpce-") {
			endpoint = id
		}
		h := c.OutboundHeader
		if !strings.Contains(id, ":targetgroup/") || h == nil || h.Protocol != "17" ||
			len(h.DestinationPortRanges) != 1 || h.DestinationPortRanges[0] != (reach.PortRange{From: genevePort, To: genevePort}) {
			continue
		}
		node, nok := headerAddr(h.SourceAddresses)
		addr, aok := headerAddr(h.DestinationAddresses)
		if !nok || !aok || !node.Is4() || !addr.Is4() {
			continue
		}
		s := stage{endpoint: endpoint, node: node, applianceAddr: addr}
		for _, n := range path[i+1:] {
			if n.Component != nil && strings.HasPrefix(n.Component.ID, "i-") {
				s.appliance = n.Component.ID
				break
			}
		}
		if s.appliance != "" {
			out = append(out, s)
		}
	}
	return out
}

// genevePeers are the instances a snapshot registers with GENEVE target
// groups (by id, or by an address an instance's interface holds).
func genevePeers(s *netview.Snapshot) map[string]bool {
	out := map[string]bool{}
	for _, tg := range s.TargetGroups() {
		if tg.Protocol != "GENEVE" {
			continue
		}
		for _, t := range tg.Targets {
			if strings.HasPrefix(t.ID, "i-") {
				out[t.ID] = true
				continue
			}
			if a, err := netip.ParseAddr(t.ID); err == nil {
				for _, n := range s.InterfacesHolding(a) {
					if n.Instance != nil {
						out[n.Instance.ID] = true
					}
				}
			}
		}
	}
	return out
}
