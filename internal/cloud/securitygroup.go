package cloud

import (
	"github.com/vpcemu/vpcemu/internal/store"
)

// SecurityGroup is a stateful, allow-only firewall attached to network
// interfaces. Its rules live in it, each with its own sgr- id.
type SecurityGroup struct {
	Meta
	VpcID       string
	Name        string
	Description string
	Rules       []SecurityGroupRule `json:",omitempty"`
}

// SecurityGroupRule is one rule: one protocol and port range, one peer.
type SecurityGroupRule struct {
	ID       string
	Egress   bool
	Protocol string // tcp, udp, icmp, icmpv6, -1 (all) or a protocol number
	FromPort int32  // -1 when the protocol has no ports
	ToPort   int32

	CIDRIPv4     string `json:",omitempty"`
	CIDRIPv6     string `json:",omitempty"`
	PrefixListID string `json:",omitempty"`
	// A referenced group, with its owner and VPC (another VPC only across
	// a peering connection).
	ReferencedGroupID    string `json:",omitempty"`
	ReferencedGroupOwner string `json:",omitempty"`
	ReferencedVpcID      string `json:",omitempty"`
	PeeringStatus        string `json:",omitempty"`

	Description string `json:",omitempty"`
	Tags        Tags   `json:",omitempty"`
}

func (*SecurityGroup) kind() Kind { return KindSecurityGroup }

func (g *SecurityGroup) keys() []store.Key {
	keys := []store.Key{{Name: "vpc-id", Value: g.VpcID}, {Name: "group-name", Value: g.VpcID + "/" + g.Name}}
	for _, r := range g.Rules {
		keys = append(keys, store.Key{Name: "security-group-rule-id", Value: r.ID})
		if r.ReferencedGroupID != "" && r.ReferencedGroupID != g.ID {
			keys = append(keys, store.Key{Name: "referenced-group-id", Value: r.ReferencedGroupID})
		}
	}
	return keys
}

// IsDefault reports whether this is its VPC's default group.
func (g *SecurityGroup) IsDefault() bool { return g.Name == "default" }

// ARN is the group's Amazon Resource Name.
func (g *SecurityGroup) ARN() string {
	return "arn:aws:ec2:" + g.Region + ":" + g.Owner + ":security-group/" + g.ID
}

// rule finds a rule by id.
func (g *SecurityGroup) rule(id string) *SecurityGroupRule {
	for i := range g.Rules {
		if g.Rules[i].ID == id {
			return &g.Rules[i]
		}
	}
	return nil
}

// newSecurityGroup makes (but does not save) a group that allows all
// outbound traffic and no inbound traffic, as AWS does.
func newSecurityGroup(t *txn, vpc *VPC, name, description string, tags Tags) *SecurityGroup {
	g := &SecurityGroup{
		Meta:        Meta{ID: t.newID("sg-"), Owner: t.scope.Account, Region: t.scope.Region, Tags: tags},
		VpcID:       vpc.ID,
		Name:        name,
		Description: description,
	}
	g.Rules = append(g.Rules, SecurityGroupRule{ID: t.newID("sgr-"), Egress: true, Protocol: "-1", FromPort: -1, ToPort: -1, CIDRIPv4: "0.0.0.0/0"})
	if len(vpc.IPv6Associations) > 0 {
		g.Rules = append(g.Rules, SecurityGroupRule{ID: t.newID("sgr-"), Egress: true, Protocol: "-1", FromPort: -1, ToPort: -1, CIDRIPv6: "::/0"})
	}
	return g
}

// newDefaultSecurityGroup makes a VPC's default group, which also allows
// all inbound traffic from its own members.
func newDefaultSecurityGroup(t *txn, vpc *VPC) *SecurityGroup {
	g := newSecurityGroup(t, vpc, "default", "default VPC security group", nil)
	g.Rules = append([]SecurityGroupRule{{
		ID: t.newID("sgr-"), Protocol: "-1", FromPort: -1, ToPort: -1,
		ReferencedGroupID: g.ID, ReferencedGroupOwner: g.Owner,
	}}, g.Rules...)
	return g
}
