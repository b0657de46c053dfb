package directconnect

import (
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/store"
)

// virtualGateway is what Direct Connect needs of a virtual private
// gateway (EC2's vgw-…): whose it is, where, its ASN and the VPC it is
// attached to, with that VPC's IPv4 CIDRs.
type virtualGateway struct {
	ID, Owner, Region string
	ASN               int64
	State             string
	VPCID             string
	VPCCIDRs          []string
}

func vgwKey(id string) store.Key { return store.Key{Name: "dx-vgw", Value: id} }

// lookupVGW reads a virtual private gateway. vpcemu has none yet, so every
// one is unknown, as AWS words it.
func lookupVGW(_ *cloud.Txn, id string) (*virtualGateway, error) {
	return nil, cloud.Errorf(cloud.NotFound, cloud.KindVPNGateway, "The VirtualGateway %s does not exist.", id)
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
