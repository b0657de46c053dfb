package netview

import (
	"github.com/vpcemu/vpcemu/internal/cloud/directconnect"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
)

// The lists below hand out every resource of a kind in the snapshot, in
// id (or ARN) order, for readers that draw the whole network rather than
// follow a packet (the web view's map).

func (s *Snapshot) Instances() []*network.Instance               { return sortedValues(s.instances) }
func (s *Snapshot) NATGateways() []*network.NATGateway           { return sortedValues(s.nats) }
func (s *Snapshot) InternetGateways() []*network.InternetGateway { return sortedValues(s.igws) }
func (s *Snapshot) EgressOnlyInternetGateways() []*network.EgressOnlyInternetGateway {
	return sortedValues(s.eigws)
}
func (s *Snapshot) VPNGateways() []*network.VPNGateway        { return sortedValues(s.vgws) }
func (s *Snapshot) Peerings() []*network.VPCPeeringConnection { return sortedValues(s.peerings) }
func (s *Snapshot) TargetGroups() []*elb.TargetGroup          { return sortedValues(s.targetGroups) }
func (s *Snapshot) EndpointServices() []*privatelink.ServiceConfiguration {
	return sortedValues(s.services)
}
func (s *Snapshot) RouteTables() []*NetRouteTable { return sortedValues(s.tables) }
func (s *Snapshot) NetworkACLs() []*NetACL        { return sortedValues(s.acls) }
func (s *Snapshot) SecurityGroups() []*NetGroup   { return sortedValues(s.groups) }

// OnPremisesAll lists the private virtual interfaces the snapshot's
// scopes see, settled as of At, in id order.
func (s *Snapshot) OnPremisesAll() []*directconnect.OnPremises { return sortedValues(s.onPremises) }
