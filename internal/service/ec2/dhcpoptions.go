package ec2

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/optional"
)

func dhcpOptionsShape(d *network.DHCPOptions) ec2api.DhcpOptions {
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
	configs := make([]network.DHCPConfiguration, 0, len(in.DhcpConfigurations))
	for _, c := range in.DhcpConfigurations {
		configs = append(configs, network.DHCPConfiguration{Key: optional.Value(c.Key), Values: c.Values})
	}
	d, err := s.network.CreateDHCPOptions(ctx, caller(req), configs, tagSpecs(in.TagSpecifications))
	if err != nil {
		return nil, err
	}
	shape := dhcpOptionsShape(d)
	return &ec2api.CreateDhcpOptionsOutput{DhcpOptions: &shape}, nil
}

// DeleteDhcpOptions implements ec2api.Handler.
func (s *Service) DeleteDhcpOptions(ctx context.Context, req *awsproto.Request, in *ec2api.DeleteDhcpOptionsInput) (*ec2api.DeleteDhcpOptionsOutput, error) {
	return &ec2api.DeleteDhcpOptionsOutput{}, s.network.DeleteDHCPOptions(ctx, caller(req), optional.Value(in.DhcpOptionsId))
}

// AssociateDhcpOptions implements ec2api.Handler.
func (s *Service) AssociateDhcpOptions(ctx context.Context, req *awsproto.Request, in *ec2api.AssociateDhcpOptionsInput) (*ec2api.AssociateDhcpOptionsOutput, error) {
	return &ec2api.AssociateDhcpOptionsOutput{}, s.network.AssociateDHCPOptions(ctx, caller(req), optional.Value(in.DhcpOptionsId), optional.Value(in.VpcId))
}

func dhcpFields(f func(network.DHCPConfiguration) []string) func(*network.DHCPOptions) []string {
	return func(d *network.DHCPOptions) []string { return collectValues(d.Configurations, f) }
}

var dhcpOptionsFilters = &filters[*network.DHCPOptions]{
	values: map[string]func(*network.DHCPOptions) []string{
		"dhcp-options-id": func(d *network.DHCPOptions) []string { return one(d.ID) },
		"key":             dhcpFields(func(c network.DHCPConfiguration) []string { return []string{c.Key} }),
		"value":           dhcpFields(func(c network.DHCPConfiguration) []string { return c.Values }),
		"owner-id":        func(d *network.DHCPOptions) []string { return one(d.Owner) },
	},
	tags: func(d *network.DHCPOptions) cloud.Tags { return d.Tags },
}

// DescribeDhcpOptions implements ec2api.Handler.
func (s *Service) DescribeDhcpOptions(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeDhcpOptionsInput) (*ec2api.DescribeDhcpOptionsOutput, error) {
	page, err := describe[network.DHCPOptions](ctx, req, s, dhcpOptionsFilters, in.DhcpOptionsIds, in.Filters, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeDhcpOptionsOutput{DhcpOptions: make([]ec2api.DhcpOptions, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, d := range page.Items {
		out.DhcpOptions = append(out.DhcpOptions, dhcpOptionsShape(d))
	}
	return out, nil
}
