package network

import (
	"context"
	"net/netip"
	"sort"
	"strconv"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// DHCPOptions is a set of DHCP options VPCs can use.
type DHCPOptions struct {
	cloud.Meta
	Configurations []DHCPConfiguration
	// IsDefault marks the set AWS makes for each account and region.
	IsDefault bool `json:",omitempty"`
}

// DHCPConfiguration is one option and its values.
type DHCPConfiguration struct {
	Key    string
	Values []string
}

// NoDHCPOptions is what a VPC's DHCP options id becomes when it is
// associated with no options set ("default" in AssociateDhcpOptions).
const NoDHCPOptions = "default"

func (*DHCPOptions) Kind() cloud.Kind { return cloud.KindDHCPOptions }

func init() { cloud.RegisterType[DHCPOptions]() }

func (d *DHCPOptions) Keys() []cloud.Key {
	if d.IsDefault {
		return []cloud.Key{{Name: "default-for", Value: cloud.ScopeKey(d.Scope())}}
	}
	return nil
}

// defaultDHCPOptions returns the id of the scope's default options set, or
// "default" (no options) once the user deleted it.
func defaultDHCPOptions(t *cloud.Txn) (string, error) {
	sets, err := cloud.FindIn[DHCPOptions](t, cloud.Key{Name: "default-for", Value: cloud.ScopeKey(t.Scope)})
	if err != nil {
		return "", err
	}
	if len(sets) == 0 {
		return NoDHCPOptions, nil
	}
	return sets[0].ID, nil
}

// newDefaultDHCPOptions makes the options AWS gives each account and region:
// Amazon's DNS and the region's internal domain name.
func newDefaultDHCPOptions(t *cloud.Txn) *DHCPOptions {
	domain := t.Scope.Region + ".compute.internal"
	if t.Scope.Region == "us-east-1" {
		domain = "ec2.internal"
	}
	return &DHCPOptions{
		Meta: cloud.Meta{ID: t.NewID("dopt-"), Owner: t.Scope.Account, Region: t.Scope.Region},
		Configurations: []DHCPConfiguration{
			{Key: "domain-name", Values: []string{domain}},
			{Key: "domain-name-servers", Values: []string{"AmazonProvidedDNS"}},
		},
		IsDefault: true,
	}
}

// dhcpOption describes how one DHCP option is checked.
type dhcpOption struct {
	max   int               // most values the option takes
	value func(string) bool // nil: any value
}

func isIP(v string) bool {
	_, err := netip.ParseAddr(v)
	return err == nil
}

// dhcpOptionRules are the options EC2 accepts and their limits.
var dhcpOptionRules = map[string]dhcpOption{
	"domain-name":          {max: 1},
	"domain-name-servers":  {max: 4, value: func(v string) bool { return v == "AmazonProvidedDNS" || isIP(v) }},
	"ntp-servers":          {max: 4, value: isIP},
	"netbios-name-servers": {max: 4, value: isIP},
	"netbios-node-type": {max: 1, value: func(v string) bool {
		return v == "1" || v == "2" || v == "4" || v == "8"
	}},
	"ipv6-address-preferred-lease-time": {max: 1, value: func(v string) bool {
		n, err := strconv.ParseInt(v, 10, 64)
		return err == nil && n >= 140 && n <= 2147483647
	}},
}

// checkDHCPConfigurations validates a CreateDhcpOptions request and returns
// its options in key order.
func checkDHCPConfigurations(in []DHCPConfiguration) ([]DHCPConfiguration, error) {
	if len(in) == 0 {
		return nil, cloud.Errorf(cloud.MissingParameter, "", "The request must contain the parameter dhcpConfiguration")
	}
	seen := map[string]bool{}
	out := make([]DHCPConfiguration, 0, len(in))
	for _, c := range in {
		rule, ok := dhcpOptionRules[c.Key]
		if !ok {
			return nil, cloud.InvalidParam("Value (%s) for parameter key is invalid. Unrecognized DHCP option key.", c.Key)
		}
		if seen[c.Key] {
			return nil, cloud.InvalidParam("Value (%s) for parameter key is invalid. Duplicate DHCP option key.", c.Key)
		}
		seen[c.Key] = true
		if len(c.Values) == 0 {
			return nil, cloud.InvalidParam("Value for parameter %s is invalid. At least one value is required.", c.Key)
		}
		if len(c.Values) > rule.max {
			return nil, cloud.InvalidParam("Value for parameter %s is invalid. At most %d values are allowed.", c.Key, rule.max)
		}
		for _, v := range c.Values {
			if v == "" || rule.value != nil && !rule.value(v) {
				return nil, cloud.InvalidParam("Value (%s) for parameter %s is invalid.", v, c.Key)
			}
		}
		out = append(out, DHCPConfiguration{Key: c.Key, Values: append([]string(nil), c.Values...)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// CreateDHCPOptions creates a DHCP options set.
func (c *Service) CreateDHCPOptions(ctx context.Context, who cloud.Caller, configs []DHCPConfiguration, specs []cloud.TagSpec) (*DHCPOptions, error) {
	configs, err := checkDHCPConfigurations(configs)
	if err != nil {
		return nil, err
	}
	tags, err := cloud.TagsFor(specs, cloud.KindDHCPOptions)
	if err != nil {
		return nil, err
	}
	var d *DHCPOptions
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		d = &DHCPOptions{
			Meta:           cloud.Meta{ID: t.NewID("dopt-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags[cloud.KindDHCPOptions]},
			Configurations: configs,
		}
		return cloud.Put(t, d)
	})
	return d, err
}

// DeleteDHCPOptions deletes an options set no VPC uses.
func (c *Service) DeleteDHCPOptions(ctx context.Context, who cloud.Caller, id string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		d, err := cloud.GetIn[DHCPOptions](t, id)
		if err != nil {
			return err
		}
		used, err := cloud.Exists(t, cloud.KindVPC, cloud.Key{Name: "dhcp-options-id", Value: d.ID})
		if err != nil {
			return err
		}
		if used {
			return cloud.Errorf(cloud.DependencyViolation, cloud.KindDHCPOptions, "The dhcpOptions '%s' has dependencies and cannot be deleted.", d.ID)
		}
		return cloud.Remove(t, d)
	})
}

// AssociateDHCPOptions makes a VPC use an options set, or none with
// "default".
func (c *Service) AssociateDHCPOptions(ctx context.Context, who cloud.Caller, optionsID, vpcID string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		if optionsID != NoDHCPOptions {
			if _, err := cloud.GetIn[DHCPOptions](t, optionsID); err != nil {
				return err
			}
		}
		vpc, err := cloud.GetIn[VPC](t, vpcID)
		if err != nil {
			return err
		}
		vpc.DHCPOptionsID = optionsID
		return cloud.Put(t, vpc)
	})
}
