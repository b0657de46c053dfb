package cloud

import (
	"github.com/vpcemu/vpcemu/internal/store"
)

// NetworkACL is a stateless subnet firewall: numbered rules, lowest first,
// the first match decides.
type NetworkACL struct {
	Meta
	VpcID        string
	IsDefault    bool
	Entries      []NetworkACLEntry
	Associations []NetworkACLAssociation `json:",omitempty"`
}

// NetworkACLEntry is one numbered rule.
type NetworkACLEntry struct {
	RuleNumber    int32
	Egress        bool
	Protocol      string // a protocol number, or "-1" for all
	RuleAction    string // allow or deny
	CIDRBlock     string `json:",omitempty"`
	IPv6CIDRBlock string `json:",omitempty"`
	FromPort      *int32 `json:",omitempty"`
	ToPort        *int32 `json:",omitempty"`
	ICMPType      *int32 `json:",omitempty"`
	ICMPCode      *int32 `json:",omitempty"`
}

// NetworkACLAssociation ties the ACL to a subnet.
type NetworkACLAssociation struct {
	ID       string
	SubnetID string
}

// AllRulesNumber is the number of the "*" rule every ACL ends with: deny
// what no other rule matched. Users cannot change it.
const AllRulesNumber = 32767

func (*NetworkACL) kind() Kind { return KindNetworkACL }

func (a *NetworkACL) keys() []store.Key {
	keys := []store.Key{{Name: "vpc-id", Value: a.VpcID}}
	if a.IsDefault {
		keys = append(keys, store.Key{Name: "default-for", Value: a.VpcID})
	}
	for _, as := range a.Associations {
		keys = append(keys, store.Key{Name: "association.subnet-id", Value: as.SubnetID},
			store.Key{Name: "association.association-id", Value: as.ID})
	}
	return keys
}

// newNetworkACL makes (but does not save) an ACL: the default ACL of a VPC
// allows everything; any other starts denying everything.
func newNetworkACL(t *txn, vpc *VPC, isDefault bool, tags Tags) *NetworkACL {
	acl := &NetworkACL{
		Meta:      Meta{ID: t.newID("acl-"), Owner: t.scope.Account, Region: t.scope.Region, Tags: tags},
		VpcID:     vpc.ID,
		IsDefault: isDefault,
	}
	ipv6 := len(vpc.IPv6Associations) > 0
	for _, egress := range []bool{false, true} {
		if isDefault {
			acl.Entries = append(acl.Entries, NetworkACLEntry{RuleNumber: 100, Egress: egress, Protocol: "-1", RuleAction: "allow", CIDRBlock: "0.0.0.0/0"})
			if ipv6 {
				acl.Entries = append(acl.Entries, NetworkACLEntry{RuleNumber: 101, Egress: egress, Protocol: "-1", RuleAction: "allow", IPv6CIDRBlock: "::/0"})
			}
		}
		acl.Entries = append(acl.Entries, NetworkACLEntry{RuleNumber: AllRulesNumber, Egress: egress, Protocol: "-1", RuleAction: "deny", CIDRBlock: "0.0.0.0/0"})
		if ipv6 {
			acl.Entries = append(acl.Entries, NetworkACLEntry{RuleNumber: AllRulesNumber + 1, Egress: egress, Protocol: "-1", RuleAction: "deny", IPv6CIDRBlock: "::/0"})
		}
	}
	return acl
}
