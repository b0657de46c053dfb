package ec2

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/optional"
)

func dhcpOptionsShape(d *cloud.DHCPOptions) ec2api.DhcpOptions {
	out := ec2api.DhcpOptions{
		DhcpOptionsId:      new(d.ID),
		OwnerId:            new(d.Owner),
		DhcpConfigurations: make([]ec2api.DhcpConfiguration, 0, len(d.Configurations)),
		Tags:               tagSet(d.Tags),
	}
	for _, c := range d.Configurations {
		conf := ec2api.DhcpConfiguration{Key: new(c.Key), Values: make([]ec2api.AttributeValue, 0, len(c.Values))}
		for _, v := range c.Values {
			conf.Values = append(conf.Values, ec2api.AttributeValue{Value: new(v)})
		}
		out.DhcpConfigurations = append(out.DhcpConfigurations, conf)
	}
	return out
}

// CreateDhcpOptions implements ec2api.Handler.
func (s *Service) CreateDhcpOptions(ctx context.Context, req *awsproto.Request, in *ec2api.CreateDhcpOptionsInput) (*ec2api.CreateDhcpOptionsOutput, error) {
	configs := make([]cloud.DHCPConfiguration, 0, len(in.DhcpConfigurations))
	for _, c := range in.DhcpConfigurations {
		configs = append(configs, cloud.DHCPConfiguration{Key: optional.Value(c.Key), Values: c.Values})
	}
	d, err := s.cloud.CreateDHCPOptions(ctx, caller(req), configs, tagSpecs(in.TagSpecifications))
	if err != nil {
		return nil, err
	}
	shape := dhcpOptionsShape(d)
	return &ec2api.CreateDhcpOptionsOutput{DhcpOptions: &shape}, nil
}

// DeleteDhcpOptions implements ec2api.Handler.
func (s *Service) DeleteDhcpOptions(ctx context.Context, req *awsproto.Request, in *ec2api.DeleteDhcpOptionsInput) (*ec2api.DeleteDhcpOptionsOutput, error) {
	return &ec2api.DeleteDhcpOptionsOutput{}, s.cloud.DeleteDHCPOptions(ctx, caller(req), optional.Value(in.DhcpOptionsId))
}

// AssociateDhcpOptions implements ec2api.Handler.
func (s *Service) AssociateDhcpOptions(ctx context.Context, req *awsproto.Request, in *ec2api.AssociateDhcpOptionsInput) (*ec2api.AssociateDhcpOptionsOutput, error) {
	return &ec2api.AssociateDhcpOptionsOutput{}, s.cloud.AssociateDHCPOptions(ctx, caller(req), optional.Value(in.DhcpOptionsId), optional.Value(in.VpcId))
}

func dhcpFields(f func(cloud.DHCPConfiguration) []string) func(*cloud.DHCPOptions) []string {
	return func(d *cloud.DHCPOptions) []string { return collectValues(d.Configurations, f) }
}

var dhcpOptionsFilters = &filters[*cloud.DHCPOptions]{
	values: map[string]func(*cloud.DHCPOptions) []string{
		"dhcp-options-id": func(d *cloud.DHCPOptions) []string { return one(d.ID) },
		"key":             dhcpFields(func(c cloud.DHCPConfiguration) []string { return []string{c.Key} }),
		"value":           dhcpFields(func(c cloud.DHCPConfiguration) []string { return c.Values }),
		"owner-id":        func(d *cloud.DHCPOptions) []string { return one(d.Owner) },
	},
	tags: func(d *cloud.DHCPOptions) cloud.Tags { return d.Tags },
}

// DescribeDhcpOptions implements ec2api.Handler.
func (s *Service) DescribeDhcpOptions(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeDhcpOptionsInput) (*ec2api.DescribeDhcpOptionsOutput, error) {
	page, err := describe[cloud.DHCPOptions](ctx, req, s, dhcpOptionsFilters, in.DhcpOptionsIds, in.Filters, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeDhcpOptionsOutput{DhcpOptions: make([]ec2api.DhcpOptions, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, d := range page.Items {
		out.DhcpOptions = append(out.DhcpOptions, dhcpOptionsShape(d))
	}
	return out, nil
}
