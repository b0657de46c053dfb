package costreport

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/vpcemu/vpcemu/internal/cloud"
	dx "github.com/vpcemu/vpcemu/internal/cloud/directconnect"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/insights"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
	"github.com/vpcemu/vpcemu/internal/cloud/route53"
	"github.com/vpcemu/vpcemu/internal/cost"
)

// gone are the states of resources AWS no longer bills.
var gone = []string{"deleting", "deleted", "failed", "expired", "rejected"}

// ReadInventory reads the priced resources of every account and region.
func ReadInventory(ctx context.Context, c *cloud.Cloud) (*cost.Inventory, error) {
	inv := &cost.Inventory{DXLocations: map[string]cost.DXLocation{}}
	err := c.ReadScopes(ctx, nil, func(t *cloud.Txn) error {
		r := reader{tx: t.StoreTx, t: t, inv: inv, zones: map[string]string{}}
		return r.read()
	})
	return inv, err
}

type reader struct {
	tx    cloud.StoreTx
	t     *cloud.Txn
	inv   *cost.Inventory
	zones map[string]string // subnet → zone
}

func (r *reader) add(m *cloud.Meta, kind cost.Kind, fill func(*cost.Resource)) {
	res := cost.Resource{ID: m.ID, Kind: kind, Account: m.Owner, Region: m.Region, Name: m.Tags["Name"]}
	if fill != nil {
		fill(&res)
	}
	r.inv.Resources = append(r.inv.Resources, res)
}

func (r *reader) read() error {
	now := r.t.Now
	publicIPs := map[string]bool{}
	vifs := []*dx.VirtualInterface{}
	gatewayVGWs := map[string][]string{} // Direct Connect gateway → VGWs
	scans := []func() error{
		func() error {
			return cloud.ScanEvery(r.tx, now, func(s *network.Subnet) { r.zones[s.ID] = s.AvailabilityZone })
		},
		func() error {
			return cloud.ScanEvery(r.tx, now, func(e *privatelink.VPCEndpoint) {
				if slices.Contains(gone, strings.ToLower(e.State)) {
					return
				}
				kind := map[string]cost.Kind{"Interface": cost.KindInterfaceEndpoint, "GatewayLoadBalancer": cost.KindGWLBEndpoint, "Gateway": cost.KindGatewayEndpoint}[e.Type]
				r.add(&e.Meta, kind, func(res *cost.Resource) {
					res.VPC, res.Service = e.VpcID, e.ServiceName
					res.Name = cmp.Or(res.Name, e.ServiceName)
					for _, s := range e.SubnetIDs {
						if z := r.zones[s]; z != "" && !slices.Contains(res.Zones, z) {
							res.Zones = append(res.Zones, z)
						}
					}
					slices.Sort(res.Zones)
				})
			})
		},
		func() error {
			return cloud.ScanEvery(r.tx, now, func(s *privatelink.ServiceConfiguration) {
				if !slices.Contains(gone, strings.ToLower(s.State)) {
					r.add(&s.Meta, cost.KindEndpointService, nil)
				}
			})
		},
		func() error {
			return cloud.ScanEvery(r.tx, now, func(n *network.NATGateway) {
				if !slices.Contains(gone, n.State) {
					r.add(&n.Meta, cost.KindNATGateway, func(res *cost.Resource) { res.VPC = n.VpcID })
				}
			})
		},
		func() error {
			// Every public IPv4 address is billed, in use or not: Elastic IPs,
			// and those AWS assigned to interfaces.
			return cloud.ScanEvery(r.tx, now, func(a *network.Address) {
				publicIPs[a.PublicIP] = true
				r.add(&a.Meta, cost.KindPublicIPv4, func(res *cost.Resource) {
					res.Address, res.Holder = a.PublicIP, a.NetworkInterfaceID
				})
			})
		},
		func() error {
			return cloud.ScanEvery(r.tx, now, func(n *network.NetworkInterface) {
				for _, ip := range n.PrivateIPs {
					if a := ip.Association; a != nil && a.PublicIP != "" && !publicIPs[a.PublicIP] {
						publicIPs[a.PublicIP] = true
						r.inv.Resources = append(r.inv.Resources, cost.Resource{ID: a.PublicIP, Kind: cost.KindPublicIPv4,
							Account: n.Owner, Region: n.Region, Address: a.PublicIP, Holder: n.ID})
					}
				}
			})
		},
		func() error {
			return cloud.ScanEvery(r.tx, now, func(lb *elb.LoadBalancer) {
				switch lb.Type {
				case "network":
					r.add(&lb.Meta, cost.KindNLB, func(res *cost.Resource) { res.Name, res.VPC = lb.Name, lb.VpcID })
				case "gateway":
					r.add(&lb.Meta, cost.KindGWLB, func(res *cost.Resource) { res.Name, res.VPC = lb.Name, lb.VpcID })
				}
			})
		},
		func() error {
			return cloud.ScanEvery(r.tx, now, func(p *network.VPCPeeringConnection) {
				if p.StatusAt(now) == network.PeeringActive {
					r.add(&p.Meta, cost.KindPeering, nil)
				}
			})
		},
		func() error {
			return cloud.ScanEvery(r.tx, now, func(g *network.VPNGateway) {
				r.add(&g.Meta, cost.KindVPNGateway, nil)
			})
		},
		func() error {
			return cloud.ScanEvery(r.tx, now, func(c *dx.Connection) {
				if slices.Contains(gone, c.State) {
					return
				}
				r.add(&c.Meta, cost.KindDXConnection, func(res *cost.Resource) {
					res.Name, res.Bandwidth, res.Location, res.Hosted = c.Name, c.Bandwidth, c.Location, c.Hosted()
					res.LocationRegion = c.Region // a location is in its connections' region
				})
			})
		},
		func() error {
			return cloud.ScanEvery(r.tx, now, func(v *dx.VirtualInterface) { vifs = append(vifs, v) })
		},
		func() error {
			return cloud.ScanEvery(r.tx, now, func(a *dx.GatewayAssociation) {
				if !slices.Contains(gone, a.State) && strings.HasPrefix(a.AssociatedID, "vgw-") {
					gatewayVGWs[a.GatewayID] = append(gatewayVGWs[a.GatewayID], a.AssociatedID)
				}
			})
		},
		func() error {
			return cloud.ScanEvery(r.tx, now, func(z *route53.HostedZone) {
				r.add(&z.Meta, cost.KindHostedZone, func(res *cost.Resource) { res.Name = strings.TrimSuffix(z.Name, ".") })
			})
		},
		func() error {
			return cloud.ScanEvery(r.tx, now, func(a *insights.NetworkInsightsAnalysis) {
				r.add(&a.Meta, cost.KindInsightsAnalysis, nil)
			})
		},
	}
	for _, scan := range scans {
		if err := scan(); err != nil {
			return err
		}
	}
	// Bytes metered on a virtual private gateway leave through the
	// locations of the virtual interfaces that reach it.
	for _, v := range vifs {
		if slices.Contains(gone, v.State) {
			continue
		}
		vgws := gatewayVGWs[v.GatewayID]
		if v.VGWID != "" {
			vgws = []string{v.VGWID}
		}
		for _, g := range vgws {
			if _, seen := r.inv.DXLocations[g]; !seen {
				r.inv.DXLocations[g] = cost.DXLocation{Code: v.Location, Region: v.Region}
			}
		}
	}
	slices.SortStableFunc(r.inv.Resources, func(a, b cost.Resource) int {
		return strings.Compare(a.Account+a.Region+string(a.Kind)+a.ID, b.Account+b.Region+string(b.Kind)+b.ID)
	})
	return nil
}
