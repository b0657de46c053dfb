package route53

import (
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// ZoneRecords is a hosted zone with its record sets, in Route 53's order.
type ZoneRecords struct {
	*HostedZone
	Records []*RecordSet
}

// VPCZones reads the private zones, of any account, associated with a VPC,
// each with its record sets: what the VPC's DNS resolver answers from.
func VPCZones(tx cloud.StoreTx, v VPC) ([]*ZoneRecords, error) {
	zs, err := cloud.FindAny[HostedZone](tx, vpcKey(v))
	if err != nil {
		return nil, err
	}
	out := make([]*ZoneRecords, 0, len(zs))
	for _, z := range zs {
		zr := &ZoneRecords{HostedZone: z}
		if err := scanRecords(tx, z, "", func(r *RecordSet) bool {
			zr.Records = append(zr.Records, r)
			return true
		}); err != nil {
			return nil, err
		}
		out = append(out, zr)
	}
	return out, nil
}
