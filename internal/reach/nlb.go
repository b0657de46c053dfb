package reach

// A client straight to a Network Load Balancer (not through PrivateLink):
// a packet addressed to one of its nodes' interfaces, which the node's
// subnet's network ACL and the balancer's security groups (if it has any)
// admitted, goes through the listener on its port to a target, as an
// endpoint service's does; the target sees the client's address when its
// group preserves it, and its answer then goes back through the node.

import (
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
)

// intoLoadBalancer takes a packet addressed to a Network Load Balancer's
// node on to a target.
func (w *walker) intoLoadBalancer(n *netview.NetInterface, p packet) *arrival {
	w.add(interfaceHop(n))
	a := w.loadBalance(n.LoadBalancer, n, n.Subnet.AvailabilityZone, nil, p)
	if a != nil {
		a.via = n
	}
	return a
}

// preservedFlow is the flow whose target (which saw the client's own
// address) answers the client: AWS takes that answer back through the
// node that opened the flow, not straight to the client.
func (w *walker) preservedFlow(from *netview.NetInterface, p packet) *lbFlow {
	if !w.back {
		return nil
	}
	for i := len(w.flows) - 1; i >= 0; i-- {
		if f := &w.flows[i]; f.preserved && f.target == from && f.client.src == p.dst {
			return f
		}
	}
	return nil
}

// backThroughNode takes a target's answer to a preserved client address
// out of its subnet to the node that opened the flow.
func (w *walker) backThroughNode(f *lbFlow, sub *netview.NetSubnet, p packet) *arrival {
	if sub.ID != f.iface.SubnetID && !w.acl(sub, true, &p) {
		return nil
	}
	return w.arrive(f.iface, sub, p)
}
