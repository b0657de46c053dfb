package directconnect

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/directconnectapi"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/dxlocations"
)

// DescribeLocations implements directconnectapi.Handler: the locations of
// the caller's region ("Lists the Direct Connect locations in the current
// Amazon Web Services Region").
func (s *Service) DescribeLocations(_ context.Context, req *awsproto.Request, _ *directconnectapi.DescribeLocationsInput) (*directconnectapi.DescribeLocationsOutput, error) {
	out := &directconnectapi.DescribeLocationsOutput{Locations: []directconnectapi.Location{}}
	for _, l := range dxlocations.InRegion(req.Region) {
		out.Locations = append(out.Locations, directconnectapi.Location{
			LocationCode:              &l.Code,
			LocationName:              &l.Name,
			Region:                    &l.Region,
			AvailablePortSpeeds:       l.PortSpeeds,
			AvailableProviders:        l.Providers,
			AvailableMacSecPortSpeeds: l.MacSecPortSpeeds,
		})
	}
	return out, nil
}
