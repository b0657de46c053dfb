package cloud

import (
	"context"
	"net/netip"
	"sort"
	"strconv"

	"github.com/vpcemu/vpcemu/internal/store"
)

// DHCPOptions is a set of DHCP options VPCs can use.
type DHCPOptions struct {
	Meta
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

func (*DHCPOptions) Kind() Kind { return KindDHCPOptions }

func init() { RegisterType[DHCPOptions]() }

func (d *DHCPOptions) Keys() []store.Key {
	if d.IsDefault {
		return []store.Key{{Name: "default-for", Value: ScopeKey(d.Scope())}}
	}
	return nil
}

// defaultDHCPOptions returns the id of the scope's default options set, or
// "default" (no options) once the user deleted it.
func defaultDHCPOptions(t *Txn) (string, error) {
	sets, err := FindIn[DHCPOptions](t, store.Key{Name: "default-for", Value: ScopeKey(t.Scope)})
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
func newDefaultDHCPOptions(t *Txn) *DHCPOptions {
	domain := t.Scope.Region + ".compute.internal"
	if t.Scope.Region == "us-east-1" {
		domain = "ec2.internal"
	}
	return &DHCPOptions{
		Meta: Meta{ID: t.NewID("dopt-"), Owner: t.Scope.Account, Region: t.Scope.Region},
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
		return nil, Errorf(MissingParameter, "", "The request must contain the parameter dhcpConfiguration")
	}
	seen := map[string]bool{}
	out := make([]DHCPConfiguration, 0, len(in))
	for _, c := range in {
		rule, ok := dhcpOptionRules[c.Key]
		if !ok {
			return nil, InvalidParam("Value (%s) for parameter key is invalid. Unrecognized DHCP option key.", c.Key)
		}
		if seen[c.Key] {
			return nil, InvalidParam("Value (%s) for parameter key is invalid. Duplicate DHCP option key.", c.Key)
		}
		seen[c.Key] = true
		if len(c.Values) == 0 {
			return nil, InvalidParam("Value for parameter %s is invalid. At least one value is required.", c.Key)
		}
		if len(c.Values) > rule.max {
			return nil, InvalidParam("Value for parameter %s is invalid. At most %d values are allowed.", c.Key, rule.max)
		}
		for _, v := range c.Values {
			if v == "" || rule.value != nil && !rule.value(v) {
				return nil, InvalidParam("Value (%s) for parameter %s is invalid.", v, c.Key)
			}
		}
		out = append(out, DHCPConfiguration{Key: c.Key, Values: append([]string(nil), c.Values...)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// CreateDHCPOptions creates a DHCP options set.
func (c *Cloud) CreateDHCPOptions(ctx context.Context, who Caller, configs []DHCPConfiguration, specs []TagSpec) (*DHCPOptions, error) {
	configs, err := checkDHCPConfigurations(configs)
	if err != nil {
		return nil, err
	}
	tags, err := TagsFor(specs, KindDHCPOptions)
	if err != nil {
		return nil, err
	}
	var d *DHCPOptions
	err = c.Update(ctx, who, func(t *Txn) error {
		d = &DHCPOptions{
			Meta:           Meta{ID: t.NewID("dopt-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags[KindDHCPOptions]},
			Configurations: configs,
		}
		return Put(t, d)
	})
	return d, err
}

// DeleteDHCPOptions deletes an options set no VPC uses.
func (c *Cloud) DeleteDHCPOptions(ctx context.Context, who Caller, id string) error {
	return c.Update(ctx, who, func(t *Txn) error {
		d, err := GetIn[DHCPOptions](t, id)
		if err != nil {
			return err
		}
		used, err := Exists(t, KindVPC, store.Key{Name: "dhcp-options-id", Value: d.ID})
		if err != nil {
			return err
		}
		if used {
			return Errorf(DependencyViolation, KindDHCPOptions, "The dhcpOptions '%s' has dependencies and cannot be deleted.", d.ID)
		}
		return Remove(t, d)
	})
}

// AssociateDHCPOptions makes a VPC use an options set, or none with
// "default".
func (c *Cloud) AssociateDHCPOptions(ctx context.Context, who Caller, optionsID, vpcID string) error {
	return c.Update(ctx, who, func(t *Txn) error {
		if optionsID != NoDHCPOptions {
			if _, err := GetIn[DHCPOptions](t, optionsID); err != nil {
				return err
			}
		}
		vpc, err := GetIn[VPC](t, vpcID)
		if err != nil {
			return err
		}
		vpc.DHCPOptionsID = optionsID
		return Put(t, vpc)
	})
}
