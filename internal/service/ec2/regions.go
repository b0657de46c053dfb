package ec2

import (
	"context"
	"strconv"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/regions"
)

func optInStatus(r regions.Region) string {
	if r.OptIn {
		return "opted-in"
	}
	return "opt-in-not-required"
}

var regionFilters = &filters[*regions.Region]{
	values: map[string]func(*regions.Region) []string{
		"endpoint":      func(r *regions.Region) []string { return one("ec2." + r.Name + ".amazonaws.com") },
		"opt-in-status": func(r *regions.Region) []string { return one(optInStatus(*r)) },
		"region-name":   func(r *regions.Region) []string { return one(r.Name) },
	},
}

// DescribeRegions implements ec2api.Handler. Every account is opted in to
// every region vpcemu knows.
func (s *Service) DescribeRegions(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeRegionsInput) (*ec2api.DescribeRegionsOutput, error) {
	match, _, err := regionFilters.compile(in.Filters)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, n := range in.RegionNames {
		if _, ok := regions.Lookup(n); !ok {
			return nil, awsproto.Errorf("InvalidParameterValue", "Invalid region: %s", n)
		}
		want[n] = true
	}
	out := &ec2api.DescribeRegionsOutput{Regions: []ec2api.Region{}}
	for _, r := range regions.All() {
		if len(want) > 0 && !want[r.Name] || match != nil && !match(&r) {
			continue
		}
		out.Regions = append(out.Regions, ec2api.Region{
			RegionName:  new(r.Name),
			Endpoint:    new("ec2." + r.Name + ".amazonaws.com"),
			OptInStatus: new(optInStatus(r)),
		})
	}
	return out, nil
}

// zoneRow is one zone with its region, for filtering.
type zoneRow struct {
	region *regions.Region
	zone   regions.Zone
}

var zoneFilters = &filters[*zoneRow]{
	values: map[string]func(*zoneRow) []string{
		"group-name":           func(z *zoneRow) []string { return one(z.region.Name + "-zg-1") },
		"message":              func(*zoneRow) []string { return nil },
		"opt-in-status":        func(*zoneRow) []string { return one("opt-in-not-required") },
		"parent-zone-id":       func(*zoneRow) []string { return nil },
		"parent-zone-name":     func(*zoneRow) []string { return nil },
		"region-name":          func(z *zoneRow) []string { return one(z.region.Name) },
		"state":                func(*zoneRow) []string { return one("available") },
		"zone-id":              func(z *zoneRow) []string { return one(z.zone.ID) },
		"zone-name":            func(z *zoneRow) []string { return one(z.zone.Name) },
		"zone-type":            func(*zoneRow) []string { return one("availability-zone") },
		"network-border-group": func(z *zoneRow) []string { return one(z.region.Name) },
	},
}

// DescribeAvailabilityZones implements ec2api.Handler.
func (s *Service) DescribeAvailabilityZones(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeAvailabilityZonesInput) (*ec2api.DescribeAvailabilityZonesOutput, error) {
	region, ok := regions.Lookup(req.Region)
	if !ok {
		return nil, awsproto.Errorf("AuthFailure", "Credential should be scoped to a valid region, not '%s'.", req.Region)
	}
	match, _, err := zoneFilters.compile(in.Filters)
	if err != nil {
		return nil, err
	}
	names, ids := map[string]bool{}, map[string]bool{}
	for _, n := range in.ZoneNames {
		if _, ok := region.Zone(n); !ok {
			return nil, awsproto.Errorf("InvalidParameterValue", "The zone '%s' does not exist.", n)
		}
		names[n] = true
	}
	for _, n := range in.ZoneIds {
		if _, ok := region.Zone(n); !ok {
			return nil, awsproto.Errorf("InvalidParameterValue", "The zone id '%s' does not exist.", n)
		}
		ids[n] = true
	}
	out := &ec2api.DescribeAvailabilityZonesOutput{AvailabilityZones: []ec2api.AvailabilityZone{}}
	for _, z := range region.Zones {
		if (len(names) > 0 || len(ids) > 0) && !names[z.Name] && !ids[z.ID] {
			continue
		}
		if match != nil && !match(&zoneRow{region, z}) {
			continue
		}
		out.AvailabilityZones = append(out.AvailabilityZones, ec2api.AvailabilityZone{
			ZoneName:           new(z.Name),
			ZoneId:             new(z.ID),
			ZoneType:           new("availability-zone"),
			State:              new(ec2api.AvailabilityZoneStateAvailable),
			RegionName:         new(region.Name),
			GroupName:          new(region.Name + "-zg-1"),
			NetworkBorderGroup: new(region.Name),
			OptInStatus:        new(ec2api.AvailabilityZoneOptInStatusOptInNotRequired),
			Messages:           []ec2api.AvailabilityZoneMessage{},
		})
	}
	return out, nil
}

// DescribeAccountAttributes implements ec2api.Handler with AWS's default
// quotas and the caller's default VPC.
func (s *Service) DescribeAccountAttributes(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeAccountAttributesInput) (*ec2api.DescribeAccountAttributesOutput, error) {
	vpc, err := s.network.DefaultVPC(ctx, caller(req))
	if err != nil {
		return nil, err
	}
	defaultVPC := "none"
	if vpc != nil {
		defaultVPC = vpc.ID
	}
	attrs := []struct {
		name   string
		values []string
	}{
		{"supported-platforms", []string{"VPC"}},
		{"default-vpc", []string{defaultVPC}},
		{"max-instances", []string{strconv.Itoa(20)}},
		{"vpc-max-security-groups-per-interface", []string{"5"}},
		{"max-elastic-ips", []string{"5"}},
		{"vpc-max-elastic-ips", []string{"5"}},
	}
	want := map[string]bool{}
	for _, n := range in.AttributeNames {
		want[n] = true
	}
	out := &ec2api.DescribeAccountAttributesOutput{AccountAttributes: []ec2api.AccountAttribute{}}
	for _, a := range attrs {
		if len(want) > 0 && !want[a.name] {
			continue
		}
		attr := ec2api.AccountAttribute{AttributeName: new(a.name)}
		for _, v := range a.values {
			attr.AttributeValues = append(attr.AttributeValues, ec2api.AccountAttributeValue{AttributeValue: new(v)})
		}
		out.AccountAttributes = append(out.AccountAttributes, attr)
	}
	return out, nil
}
