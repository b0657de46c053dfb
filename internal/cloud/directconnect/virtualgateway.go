package directconnect

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
)

// virtualGateway is what Direct Connect needs of a virtual private
// gateway (EC2's vgw-…): whose it is, where, its ASN and the VPC it is
// attached to, with that VPC's IPv4 CIDRs.
type virtualGateway struct {
	ID, Owner, Region string
	ASN               int64
	VPCID             string
	VPCCIDRs          []string
}

func vgwKey(id string) cloud.Key { return cloud.Key{Name: "dx-vgw", Value: id} }

// lookupVGW reads a virtual private gateway of any account, with the IPv4
// CIDRs of the VPC it is attached to.
func lookupVGW(t *cloud.Txn, id string) (*virtualGateway, error) {
	g, err := cloud.GetAny[network.VPNGateway](t, id)
	if e, ok := cloud.AsError(err); ok && e.Reason == cloud.NotFound {
		return nil, cloud.Errorf(cloud.NotFound, cloud.KindVPNGateway, "The VirtualGateway %s does not exist.", id)
	}
	if err != nil {
		return nil, err
	}
	v := &virtualGateway{ID: g.ID, Owner: g.Owner, Region: g.Region, ASN: g.AmazonSideASN, VPCID: g.AttachedVPC()}
	if v.VPCID != "" {
		vpc, err := cloud.GetAny[network.VPC](t, v.VPCID)
		if err != nil {
			return nil, err
		}
		for _, a := range vpc.CIDRAssociations {
			if a.State == "associated" {
				v.VPCCIDRs = append(v.VPCCIDRs, a.CIDR)
			}
		}
	}
	return v, nil
}

// virtualGatewayASN is the Amazon side ASN of the caller's virtual private
// gateway in its region, for a private VIF attached to it.
func (s *Service) virtualGatewayASN(t *cloud.Txn, id string) (int64, error) {
	vgw, err := lookupVGW(t, id)
	if err != nil {
		return 0, err
	}
	if vgw.Owner != t.Scope.Account || vgw.Region != t.Scope.Region {
		return 0, refuse("The VirtualGateway %s does not exist.", id)
	}
	return vgw.ASN, nil
}

// VirtualGateway is a virtual private gateway as DescribeVirtualGateways
// lists it.
type VirtualGateway struct {
	ID, State string
}

// DescribeVirtualGateways lists the caller's virtual private gateways in
// its region, which private virtual interfaces can attach to (AWS points to
// EC2's DescribeVpnGateways for more).
func (s *Service) DescribeVirtualGateways(ctx context.Context, who cloud.Caller) ([]VirtualGateway, error) {
	page, err := cloud.List[network.VPNGateway](ctx, s.Cloud, who, cloud.Query{}, nil)
	if err != nil {
		return nil, err
	}
	out := make([]VirtualGateway, 0, len(page.Items))
	for _, g := range page.Items {
		out = append(out, VirtualGateway{ID: g.ID, State: StateAvailable})
	}
	return out, nil
}
