package privatelink

import (
	"context"
	"slices"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
)

// ModifyVPCEndpointInput is what ModifyVpcEndpoint changes; empty fields
// change nothing.
type ModifyVPCEndpointInput struct {
	ID string
	// ResetPolicy gives the endpoint the default full-access policy.
	ResetPolicy    bool
	PolicyDocument *string

	AddRouteTableIDs, RemoveRouteTableIDs       []string
	AddSubnetIDs, RemoveSubnetIDs               []string
	AddSecurityGroupIDs, RemoveSecurityGroupIDs []string
	// SubnetConfigs gives subnets addresses: a subnet the endpoint has gets
	// a new network interface with the address.
	SubnetConfigs []EndpointSubnetConfig

	PrivateDNSEnabled *bool
	IPAddressType     string
	DNSOptions        *EndpointDNSOptions
}

// ModifyVPCEndpoint changes an endpoint: its policy, route tables (gateway
// endpoints), subnets and security groups (interface endpoints), private
// DNS, DNS options and IP address type. The rules of creation apply to
// what changes.
func (c *Service) ModifyVPCEndpoint(ctx context.Context, who cloud.Caller, in ModifyVPCEndpointInput) error {
	if in.ResetPolicy && in.PolicyDocument != nil {
		return cloud.Errorf(cloud.InvalidCombination, "", "The request cannot contain both ResetPolicy and PolicyDocument.")
	}
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		e, err := liveEndpoint(t, in.ID)
		if err != nil {
			return err
		}
		var inbound *bool
		if in.DNSOptions != nil {
			inbound = in.DNSOptions.PrivateDNSOnlyForInboundResolverEndpoint
		}
		err = checkEndpointParams(e.Type, endpointParams{
			routeTables: len(in.AddRouteTableIDs)+len(in.RemoveRouteTableIDs) > 0,
			subnets:     len(in.AddSubnetIDs)+len(in.RemoveSubnetIDs)+len(in.SubnetConfigs) > 0,
			groups:      len(in.AddSecurityGroupIDs)+len(in.RemoveSecurityGroupIDs) > 0,
			privateDNS:  in.PrivateDNSEnabled != nil && *in.PrivateDNSEnabled, inboundResolverOption: inbound != nil,
			gwlbSubnets: -1,
		})
		if err != nil {
			return err
		}
		if in.PolicyDocument != nil {
			if err := checkEndpointPolicy(e.Type, *in.PolicyDocument); err != nil {
				return err
			}
		}
		vpc, err := cloud.GetIn[network.VPC](t, e.VpcID)
		if err != nil {
			return err
		}
		svc, err := endpointService(t, e.ServiceName, e.ServiceRegion, e.Type)
		if err != nil {
			return err
		}
		if err := e.setPolicy(svc, in.PolicyDocument, in.ResetPolicy); err != nil {
			return err
		}
		if err := e.modifyRouteTables(t, svc, in.AddRouteTableIDs, in.RemoveRouteTableIDs); err != nil {
			return err
		}
		if err := e.modifyGroups(t, vpc, in.AddSecurityGroupIDs, in.RemoveSecurityGroupIDs); err != nil {
			return err
		}
		if err := e.modifySubnets(t, svc, in); err != nil {
			return err
		}
		if err := e.modifyDNS(t, vpc, svc, in); err != nil {
			return err
		}
		return cloud.Put(t, e)
	})
}

// modifyRouteTables takes a gateway endpoint's route out of tables, then
// adds it to others.
func (e *VPCEndpoint) modifyRouteTables(t *cloud.Txn, svc *EndpointService, add, remove []string) error {
	for _, id := range remove {
		if !slices.Contains(e.RouteTableIDs, id) {
			return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpoint, "Route table %s is not associated with VPC endpoint %s.", id, e.ID)
		}
		if err := e.removeRouteTable(t, id); err != nil {
			return err
		}
	}
	return e.addRouteTables(t, svc, add)
}

// modifyGroups changes an interface endpoint's security groups and its
// network interfaces' with them. The endpoint keeps at least one.
func (e *VPCEndpoint) modifyGroups(t *cloud.Txn, vpc *network.VPC, add, remove []string) error {
	if len(add)+len(remove) == 0 {
		return nil
	}
	groups := slices.Clone(e.SecurityGroupIDs)
	for _, id := range remove {
		if !slices.Contains(groups, id) {
			return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpoint, "Security group %s is not associated with VPC endpoint %s.", id, e.ID)
		}
		groups = slices.DeleteFunc(groups, func(g string) bool { return g == id })
	}
	if len(add) > 0 {
		added, err := endpointGroups(t, vpc, add)
		if err != nil {
			return err
		}
		for _, id := range added {
			if !slices.Contains(groups, id) {
				groups = append(groups, id)
			}
		}
		if len(groups) > t.Limit("security-groups-per-interface") {
			return cloud.Errorf(cloud.LimitExceeded, cloud.KindSecurityGroup, "The maximum number of security groups per interface has been reached.")
		}
	}
	if len(groups) == 0 {
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpoint, "VPC endpoint %s must have at least one security group.", e.ID)
	}
	e.SecurityGroupIDs = groups
	for _, id := range e.NetworkInterfaceIDs {
		eni, err := cloud.GetAny[network.NetworkInterface](t.StoreTx, id)
		if err != nil {
			if err := network.IgnoreNotFound(err); err != nil {
				return err
			}
			continue
		}
		eni.Groups = groups
		if err := cloud.Put(t, eni); err != nil {
			return err
		}
	}
	return nil
}

// modifySubnets removes an endpoint's interfaces in subnets, replaces
// those whose address a configuration names, and adds new subnets.
func (e *VPCEndpoint) modifySubnets(t *cloud.Txn, svc *EndpointService, in ModifyVPCEndpointInput) error {
	for _, id := range in.RemoveSubnetIDs {
		i := slices.Index(e.SubnetIDs, id)
		if i < 0 {
			return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpoint, "Subnet %s is not associated with VPC endpoint %s.", id, e.ID)
		}
		if err := e.removeSubnet(t, i); err != nil {
			return err
		}
	}
	configs := subnetConfigs(in.AddSubnetIDs, in.SubnetConfigs)
	var added []EndpointSubnetConfig
	for _, c := range configs {
		i := slices.Index(e.SubnetIDs, c.SubnetID)
		if i < 0 {
			added = append(added, c)
			continue
		}
		if c.IPv4 == "" && c.IPv6 == "" {
			continue
		}
		// A new address means a new interface.
		if err := e.removeSubnet(t, i); err != nil {
			return err
		}
		added = append(added, c)
	}
	subnets, err := e.endpointSubnets(t, svc, added)
	if err != nil {
		return err
	}
	for i, s := range subnets {
		if err := e.addInterface(t, s, added[i]); err != nil {
			return err
		}
	}
	return nil
}

// modifyDNS changes the IP address type, DNS options and private DNS, and
// checks the result against the endpoint's subnets and the private DNS
// rules when the request touched DNS.
func (e *VPCEndpoint) modifyDNS(t *cloud.Txn, vpc *network.VPC, svc *EndpointService, in ModifyVPCEndpointInput) error {
	var opts EndpointDNSOptions
	if in.DNSOptions != nil {
		opts = *in.DNSOptions
	}
	subnets := make([]*network.Subnet, 0, len(e.SubnetIDs))
	for _, id := range e.SubnetIDs {
		s, err := cloud.GetAny[network.Subnet](t.StoreTx, id)
		if err != nil {
			return err
		}
		subnets = append(subnets, s)
	}
	if err := e.setAddressing(t, svc, subnets, in.IPAddressType, opts.RecordIPType); err != nil {
		return err
	}
	if err := e.syncIPv6(t); err != nil {
		return err
	}
	if e.Type != EndpointTypeInterface {
		return nil
	}
	touched := in.PrivateDNSEnabled != nil || opts.PrivateDNSOnlyForInboundResolverEndpoint != nil
	return e.setDNS(t, vpc, svc, in.PrivateDNSEnabled, opts.PrivateDNSOnlyForInboundResolverEndpoint, touched)
}
