package cloud

import (
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

func (*DHCPOptions) kind() Kind { return KindDHCPOptions }

func (d *DHCPOptions) keys() []store.Key {
	if d.IsDefault {
		return []store.Key{{Name: "default-for", Value: scopeKey(d.Scope())}}
	}
	return nil
}

// defaultDHCPOptions returns the id of the scope's default options set.
func defaultDHCPOptions(t *txn) (string, error) {
	sets, err := findIn[DHCPOptions](t, store.Key{Name: "default-for", Value: scopeKey(t.scope)})
	if err != nil || len(sets) == 0 {
		return "", err
	}
	return sets[0].ID, nil
}

// newDefaultDHCPOptions makes the options AWS gives each account and region:
// Amazon's DNS and the region's internal domain name.
func newDefaultDHCPOptions(t *txn) *DHCPOptions {
	domain := t.scope.Region + ".compute.internal"
	if t.scope.Region == "us-east-1" {
		domain = "ec2.internal"
	}
	return &DHCPOptions{
		Meta: Meta{ID: t.newID("dopt-"), Owner: t.scope.Account, Region: t.scope.Region},
		Configurations: []DHCPConfiguration{
			{Key: "domain-name", Values: []string{domain}},
			{Key: "domain-name-servers", Values: []string{"AmazonProvidedDNS"}},
		},
		IsDefault: true,
	}
}
