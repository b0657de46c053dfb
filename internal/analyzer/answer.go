package analyzer

import (
	"bytes"
	"encoding/json"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto/awsjson"
	"github.com/vpcemu/vpcemu/internal/optional"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// Answer is the engine's result in AWS's shapes: the members of a
// NetworkInsightsAnalysis that say what an analysis found, as the
// generated ec2api types, and beside them VpcemuExtension, what the engine
// says that AWS's shapes have no member for. AnswerOf is the one mapping
// from the engine's result; POST /_vpcemu/analyze answers an Answer,
// `vpcemu analyze` reads and prints it, and a Network Insights analysis
// records it (the API shows its AWS members). Its JSON (MarshalJSON) names
// members as AWS does, as the AWS CLI prints them.
type Answer struct {
	NetworkPathFound      *bool                  `aws:"NetworkPathFound"`
	ForwardPathComponents []ec2api.PathComponent `aws:"ForwardPathComponents,sparse"`
	ReturnPathComponents  []ec2api.PathComponent `aws:"ReturnPathComponents,sparse"`
	Explanations          []ec2api.Explanation   `aws:"Explanations,sparse"`
	// VpcemuExtension is vpcemu's own; nil when the engine said nothing
	// beyond AWS's members.
	VpcemuExtension *Extension `aws:"VpcemuExtension"`
}

// Extension holds the members of the engine's result that AWS's shapes
// lack. Its lists run beside the answer's lists of the same name: the i-th
// element extends the i-th hop or explanation there, and a list ends at
// its last element that says something.
type Extension struct {
	ForwardPathComponents []PathComponentExtension `aws:"ForwardPathComponents,sparse"`
	ReturnPathComponents  []PathComponentExtension `aws:"ReturnPathComponents,sparse"`
	Explanations          []ExplanationExtension   `aws:"Explanations,sparse"`
}

// PathComponentExtension extends a hop (ec2api.PathComponent).
type PathComponentExtension struct {
	SecurityGroupRule *SecurityGroupRuleExtension `aws:"SecurityGroupRule"`
}

// ExplanationExtension extends an explanation (ec2api.Explanation).
type ExplanationExtension struct {
	// PolicyDecision is how an endpoint policy decided the request asked
	// about, ImplicitDeny or ExplicitDeny (VPCEMU_VPCE_POLICY_RESTRICTION).
	PolicyDecision    *string                     `aws:"PolicyDecision"`
	SecurityGroupRule *SecurityGroupRuleExtension `aws:"SecurityGroupRule"`
}

// SecurityGroupRuleExtension extends a security group rule
// (ec2api.AnalysisSecurityGroupRule).
type SecurityGroupRuleExtension struct {
	// ReferencedGroupId is the group a rule admits as its peer.
	ReferencedGroupId *string `aws:"ReferencedGroupId"`
}

// MarshalJSON implements json.Marshaler: members by AWS's names, absent
// ones left out, false booleans kept.
func (a Answer) MarshalJSON() ([]byte, error) { return awsjson.MarshalDocument(&a), nil }

// UnmarshalJSON implements json.Unmarshaler, reading what MarshalJSON
// wrote.
func (a *Answer) UnmarshalJSON(b []byte) error {
	*a = Answer{}
	return awsjson.UnmarshalDocument(b, a)
}

// JSON is the answer as POST /_vpcemu/analyze sends it: indented, with a
// newline at the end.
func (a Answer) JSON() []byte {
	var b bytes.Buffer
	if err := json.Indent(&b, awsjson.MarshalDocument(&a), "", "  "); err != nil {
		panic("analyzer: awsjson wrote invalid JSON: " + err.Error())
	}
	b.WriteByte('\n')
	return b.Bytes()
}

// Found reports whether the path was found.
func (a *Answer) Found() bool { return optional.Value(a.NetworkPathFound) }

// Forward is the extension of the i-th forward hop (zero when it has none).
func (x *Extension) Forward(i int) PathComponentExtension {
	if x == nil {
		return PathComponentExtension{}
	}
	return at(x.ForwardPathComponents, i)
}

// Return is the extension of the i-th return hop.
func (x *Extension) Return(i int) PathComponentExtension {
	if x == nil {
		return PathComponentExtension{}
	}
	return at(x.ReturnPathComponents, i)
}

// Explanation is the extension of the i-th explanation.
func (x *Extension) Explanation(i int) ExplanationExtension {
	if x == nil {
		return ExplanationExtension{}
	}
	return at(x.Explanations, i)
}

func at[E any](list []E, i int) E {
	if i < 0 || i >= len(list) {
		var zero E
		return zero
	}
	return list[i]
}

// AnswerOf is r in AWS's shapes: one function per type of the engine's
// result, one line per member.
func AnswerOf(r reach.Result) Answer {
	a := Answer{
		NetworkPathFound:      new(r.NetworkPathFound),
		ForwardPathComponents: mapAll(r.ForwardPathComponents, pathComponentShape),
		ReturnPathComponents:  mapAll(r.ReturnPathComponents, pathComponentShape),
		Explanations:          mapAll(r.Explanations, explanationShape),
	}
	x := Extension{
		ForwardPathComponents: extensions(r.ForwardPathComponents, pathComponentExtension),
		ReturnPathComponents:  extensions(r.ReturnPathComponents, pathComponentExtension),
		Explanations:          extensions(r.Explanations, explanationExtension),
	}
	if x.ForwardPathComponents != nil || x.ReturnPathComponents != nil || x.Explanations != nil {
		a.VpcemuExtension = &x
	}
	return a
}

func pathComponentShape(c reach.PathComponent) ec2api.PathComponent {
	return ec2api.PathComponent{
		SequenceNumber:    new(int32(c.SequenceNumber)),
		Component:         componentShape(c.Component),
		AttachedTo:        componentShape(c.AttachedTo),
		Vpc:               componentShape(c.VPC),
		Subnet:            componentShape(c.Subnet),
		SourceVpc:         componentShape(c.SourceVPC),
		DestinationVpc:    componentShape(c.DestinationVPC),
		AclRule:           aclRuleShape(c.ACLRule),
		SecurityGroupRule: securityGroupRuleShape(c.SecurityGroupRule),
		RouteTableRoute:   routeShape(c.RouteTableRoute),
		InboundHeader:     headerShape(c.InboundHeader),
		OutboundHeader:    headerShape(c.OutboundHeader),

		ElasticLoadBalancerListener: componentShape(c.ElasticLoadBalancerListener),
		ServiceName:                 optional.String(c.ServiceName),
	}
}

func explanationShape(e reach.Explanation) ec2api.Explanation {
	return ec2api.Explanation{
		ExplanationCode:      new(string(e.ExplanationCode)),
		Component:            componentShape(e.Component),
		Acl:                  componentShape(e.ACL),
		AclRule:              aclRuleShape(e.ACLRule),
		DestinationVpc:       componentShape(e.DestinationVPC),
		SourceVpc:            componentShape(e.SourceVPC),
		InternetGateway:      componentShape(e.InternetGateway),
		NatGateway:           componentShape(e.NATGateway),
		NetworkInterface:     componentShape(e.NetworkInterface),
		RouteTable:           componentShape(e.RouteTable),
		RouteTableRoute:      routeShape(e.RouteTableRoute),
		SecurityGroup:        componentShape(e.SecurityGroup),
		SecurityGroupRule:    securityGroupRuleShape(e.SecurityGroupRule),
		SecurityGroups:       mapAll(e.SecurityGroups, componentValue),
		Subnet:               componentShape(e.Subnet),
		Vpc:                  componentShape(e.VPC),
		VpcPeeringConnection: componentShape(e.VPCPeeringConnection),
		VpnGateway:           componentShape(e.VPNGateway),
		Direction:            optional.String(e.Direction),
		Address:              optional.String(e.Address),
		Addresses:            e.Addresses,
		Cidrs:                e.CIDRs,
		PacketField:          optional.String(e.PacketField),
		Port:                 nonZero(e.Port),
		PortRanges:           mapAll(e.PortRanges, portRangeValue),
		Protocols:            e.Protocols,
		State:                optional.String(e.State),
		MissingComponent:     optional.String(e.MissingComponent),
		ComponentAccount:     optional.String(e.ComponentAccount),
		ComponentRegion:      optional.String(e.ComponentRegion),

		VpcEndpoint:                 componentShape(e.VPCEndpoint),
		PrefixList:                  componentShape(e.PrefixList),
		Destination:                 componentShape(e.Destination),
		LoadBalancerArn:             optional.String(e.LoadBalancerARN),
		ElasticLoadBalancerListener: componentShape(e.ElasticLoadBalancerListener),
		LoadBalancerListenerPort:    nonZero(e.LoadBalancerListenerPort),
		LoadBalancerTarget:          loadBalancerTargetShape(e.LoadBalancerTarget),
		LoadBalancerTargetGroup:     componentShape(e.LoadBalancerTargetGroup),
		LoadBalancerTargetGroups:    mapAll(e.LoadBalancerTargetGroups, componentValue),
		LoadBalancerTargetPort:      nonZero(e.LoadBalancerTargetPort),
		AvailabilityZones:           e.AvailabilityZones,
	}
}

func loadBalancerTargetShape(t *reach.LoadBalancerTarget) *ec2api.AnalysisLoadBalancerTarget {
	if t == nil {
		return nil
	}
	return &ec2api.AnalysisLoadBalancerTarget{
		Address:          optional.String(t.Address),
		AvailabilityZone: optional.String(t.AvailabilityZone),
		Instance:         componentShape(t.Instance),
		Port:             nonZero(t.Port),
	}
}

func componentShape(c *reach.Component) *ec2api.AnalysisComponent {
	if c == nil {
		return nil
	}
	v := componentValue(*c)
	return &v
}

func componentValue(c reach.Component) ec2api.AnalysisComponent {
	return ec2api.AnalysisComponent{Id: optional.String(c.ID), Arn: optional.String(c.ARN), Name: optional.String(c.Name)}
}

func aclRuleShape(r *reach.ACLRule) *ec2api.AnalysisAclRule {
	if r == nil {
		return nil
	}
	return &ec2api.AnalysisAclRule{
		Cidr:       optional.String(r.CIDR),
		Egress:     new(r.Egress),
		PortRange:  portRangeShape(r.PortRange),
		Protocol:   optional.String(r.Protocol),
		RuleAction: optional.String(r.RuleAction),
		RuleNumber: new(int32(r.RuleNumber)),
	}
}

func securityGroupRuleShape(r *reach.SecurityGroupRule) *ec2api.AnalysisSecurityGroupRule {
	if r == nil {
		return nil
	}
	return &ec2api.AnalysisSecurityGroupRule{
		Cidr:            optional.String(r.CIDR),
		Direction:       optional.String(r.Direction),
		SecurityGroupId: optional.String(r.SecurityGroupID),
		PortRange:       portRangeShape(r.PortRange),
		PrefixListId:    optional.String(r.PrefixListID),
		Protocol:        optional.String(r.Protocol),
	}
}

func routeShape(r *reach.RouteTableRoute) *ec2api.AnalysisRouteTableRoute {
	if r == nil {
		return nil
	}
	return &ec2api.AnalysisRouteTableRoute{
		DestinationCidr:             optional.String(r.DestinationCIDR),
		DestinationPrefixListId:     optional.String(r.DestinationPrefixListID),
		EgressOnlyInternetGatewayId: optional.String(r.EgressOnlyInternetGatewayID),
		GatewayId:                   optional.String(r.GatewayID),
		InstanceId:                  optional.String(r.InstanceID),
		NatGatewayId:                optional.String(r.NATGatewayID),
		NetworkInterfaceId:          optional.String(r.NetworkInterfaceID),
		Origin:                      optional.String(r.Origin),
		TransitGatewayId:            optional.String(r.TransitGatewayID),
		VpcPeeringConnectionId:      optional.String(r.VPCPeeringConnectionID),
		State:                       optional.String(r.State),
		CarrierGatewayId:            optional.String(r.CarrierGatewayID),
		CoreNetworkArn:              optional.String(r.CoreNetworkARN),
		LocalGatewayId:              optional.String(r.LocalGatewayID),
	}
}

func headerShape(h *reach.PacketHeader) *ec2api.AnalysisPacketHeader {
	if h == nil {
		return nil
	}
	return &ec2api.AnalysisPacketHeader{
		SourceAddresses:       h.SourceAddresses,
		DestinationAddresses:  h.DestinationAddresses,
		SourcePortRanges:      mapAll(h.SourcePortRanges, portRangeValue),
		DestinationPortRanges: mapAll(h.DestinationPortRanges, portRangeValue),
		Protocol:              optional.String(h.Protocol),
	}
}

func portRangeShape(r *reach.PortRange) *ec2api.PortRange {
	if r == nil {
		return nil
	}
	v := portRangeValue(*r)
	return &v
}

func portRangeValue(r reach.PortRange) ec2api.PortRange {
	return ec2api.PortRange{From: new(int32(r.From)), To: new(int32(r.To))}
}

// The extension: the members of the engine's result that AWS's shapes
// lack, one line each.

func pathComponentExtension(c reach.PathComponent) PathComponentExtension {
	return PathComponentExtension{SecurityGroupRule: securityGroupRuleExtension(c.SecurityGroupRule)}
}

func explanationExtension(e reach.Explanation) ExplanationExtension {
	return ExplanationExtension{
		PolicyDecision:    optional.String(e.PolicyDecision),
		SecurityGroupRule: securityGroupRuleExtension(e.SecurityGroupRule),
	}
}

func securityGroupRuleExtension(r *reach.SecurityGroupRule) *SecurityGroupRuleExtension {
	if r == nil || r.ReferencedGroupID == "" {
		return nil
	}
	return &SecurityGroupRuleExtension{ReferencedGroupId: new(r.ReferencedGroupID)}
}

// extensions maps each element of in and cuts the list after its last
// element that says something; nil when none does.
func extensions[E any, X comparable](in []E, f func(E) X) []X {
	var zero X
	out := mapAll(in, f)
	for len(out) > 0 && out[len(out)-1] == zero {
		out = out[:len(out)-1]
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// mapAll maps each element of in; nil for none, as EC2 omits empty sets.
func mapAll[E, F any](in []E, f func(E) F) []F {
	if len(in) == 0 {
		return nil
	}
	out := make([]F, len(in))
	for i, e := range in {
		out[i] = f(e)
	}
	return out
}

// nonZero returns a pointer to n as an int32, or nil for 0.
func nonZero(n int) *int32 {
	if n == 0 {
		return nil
	}
	return new(int32(n))
}

// storedAnswer is how a Network Insights analysis keeps its answer in the
// store: wrapped, so that analyses recorded before answers had AWS's names
// (the engine's reach.Result as encoding/json wrote it, unwrapped) are
// told apart and still read.
type storedAnswer struct {
	Answer *Answer
}

// MarshalStored encodes a for the store.
func MarshalStored(a Answer) ([]byte, error) { return json.Marshal(storedAnswer{&a}) }

// UnmarshalStored reads what MarshalStored wrote, or an older record's
// reach.Result (whose field names match today's case-insensitively, as
// encoding/json reads them).
func UnmarshalStored(b []byte) (Answer, error) {
	var s storedAnswer
	if err := json.Unmarshal(b, &s); err != nil {
		return Answer{}, err
	}
	if s.Answer != nil {
		return *s.Answer, nil
	}
	var r reach.Result
	if err := json.Unmarshal(b, &r); err != nil {
		return Answer{}, err
	}
	return AnswerOf(r), nil
}
