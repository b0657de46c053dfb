package reach

// The types of a result mirror the EC2 shapes of a NetworkInsightsAnalysis
// (PathComponent, Explanation, AnalysisComponent, AnalysisPacketHeader,
// AnalysisAclRule, AnalysisSecurityGroupRule, AnalysisRouteTableRoute,
// PortRange) member for member, spelled as Go spells names (ACLRule for
// AclRule, NATGatewayID for NatGatewayId). analyzer.AnswerOf maps them to
// the generated shapes, one line per member, for every user of a result;
// the few members of vpcemu's own go to its answer's extension. Fields AWS
// has and the engine never fills (transit gateways, firewalls, VPN) are
// left out until something fills them.

// Result is what an analysis finds.
type Result struct {
	// NetworkPathFound reports whether traffic gets to the destination and
	// its answer gets back.
	NetworkPathFound bool
	// ForwardPathComponents are the hops from the source to the destination
	// (or to where the path is blocked); ReturnPathComponents those of the
	// answer, once the forward path got through.
	ForwardPathComponents []PathComponent
	ReturnPathComponents  []PathComponent
	// Explanations say why the path is blocked, or why no path can exist.
	Explanations []Explanation
}

// Component names a resource: AWS's AnalysisComponent.
type Component struct {
	ID   string
	ARN  string
	Name string // the Name tag
}

// PortRange is an inclusive range of ports (or, for ICMP, of types).
type PortRange struct {
	From, To int
}

// PacketHeader is a packet as a hop sees it: AWS's AnalysisPacketHeader.
// Addresses are CIDR blocks ("10.0.1.5/32").
type PacketHeader struct {
	SourceAddresses       []string
	DestinationAddresses  []string
	SourcePortRanges      []PortRange
	DestinationPortRanges []PortRange
	Protocol              string // the protocol number: "6", "17" or "1"
}

// ACLRule is the network ACL rule a hop matched: AWS's AnalysisAclRule.
type ACLRule struct {
	CIDR       string
	Egress     bool
	PortRange  *PortRange
	Protocol   string // a protocol number, or "all"
	RuleAction string // allow or deny
	RuleNumber int
}

// SecurityGroupRule is the security group rule a hop matched: AWS's
// AnalysisSecurityGroupRule.
type SecurityGroupRule struct {
	CIDR            string
	Direction       string // ingress or egress
	SecurityGroupID string
	PortRange       *PortRange
	PrefixListID    string
	Protocol        string // tcp, udp, icmp, a protocol number, or "all"
	// ReferencedGroupID is the group a rule that references one names.
	// vpcemu's own: AWS's shape has no member for it (the answer's
	// extension carries it).
	ReferencedGroupID string
}

// RouteTableRoute is the route a hop took: AWS's AnalysisRouteTableRoute.
type RouteTableRoute struct {
	DestinationCIDR             string
	DestinationPrefixListID     string
	EgressOnlyInternetGatewayID string
	GatewayID                   string // an internet gateway, a virtual private gateway, a gateway endpoint, or "local"
	InstanceID                  string
	NATGatewayID                string
	NetworkInterfaceID          string
	Origin                      string // createroutetable, createroute or enablevgwroutepropagation
	TransitGatewayID            string
	VPCPeeringConnectionID      string
	State                       string // active or blackhole
	CarrierGatewayID            string
	CoreNetworkARN              string
	LocalGatewayID              string
}

// PathComponent is one hop of a path: AWS's PathComponent.
type PathComponent struct {
	// SequenceNumber numbers the hops of a path from 1.
	SequenceNumber int
	Component      *Component
	// AttachedTo is what an interface is attached to (an instance).
	AttachedTo *Component
	VPC        *Component
	Subnet     *Component
	// SourceVPC and DestinationVPC are the two sides of a peering
	// connection the path crosses.
	SourceVPC      *Component
	DestinationVPC *Component

	ACLRule           *ACLRule
	SecurityGroupRule *SecurityGroupRule
	RouteTableRoute   *RouteTableRoute

	// InboundHeader is the packet as it enters the hop and OutboundHeader
	// as it leaves it (they differ where addresses are translated).
	InboundHeader  *PacketHeader
	OutboundHeader *PacketHeader

	// ElasticLoadBalancerListener is the listener a load balancer hop
	// took.
	ElasticLoadBalancerListener *Component
	// ServiceName is the endpoint service of a VPC endpoint hop
	// (com.amazonaws.us-east-1.s3).
	ServiceName string
}

// Explanation says why a path is blocked, naming the resources involved:
// AWS's Explanation. Which members are set depends on the code.
type Explanation struct {
	ExplanationCode Code

	Component            *Component
	ACL                  *Component
	ACLRule              *ACLRule
	DestinationVPC       *Component
	SourceVPC            *Component
	InternetGateway      *Component
	NATGateway           *Component
	NetworkInterface     *Component
	RouteTable           *Component
	RouteTableRoute      *RouteTableRoute
	SecurityGroup        *Component
	SecurityGroupRule    *SecurityGroupRule
	SecurityGroups       []Component
	Subnet               *Component
	VPC                  *Component
	VPCPeeringConnection *Component
	// VPNGateway is the virtual private gateway involved.
	VPNGateway *Component
	// VPCEndpoint is the VPC endpoint involved; PrefixList a gateway
	// endpoint's prefix list.
	VPCEndpoint *Component
	PrefixList  *Component
	// Destination is the destination asked for (a DNS name nothing
	// resolves is its Name).
	Destination *Component

	// The load balancer involved: its ARN, the listener and its port, the
	// target group(s) and the target.
	LoadBalancerARN             string
	ElasticLoadBalancerListener *Component
	LoadBalancerListenerPort    int
	LoadBalancerTarget          *LoadBalancerTarget
	LoadBalancerTargetGroup     *Component
	LoadBalancerTargetGroups    []Component
	LoadBalancerTargetPort      int
	// AvailabilityZones are the zones a component lacks.
	AvailabilityZones []string

	// Direction is ingress or egress.
	Direction string
	// Address and Addresses are packet addresses; CIDRs the blocks a
	// component accepts.
	Address   string
	Addresses []string
	CIDRs     []string
	// PacketField names the part of the packet no rule matched
	// (destination-port, source-address, …).
	PacketField string
	Port        int
	PortRanges  []PortRange
	Protocols   []string
	// State is the state of a component that is not functional.
	State string
	// MissingComponent names a kind of component the path needs and lacks.
	MissingComponent string

	ComponentAccount string
	ComponentRegion  string

	// PolicyDecision is how an endpoint policy decided the request
	// (ImplicitDeny or ExplicitDeny) for VPCEMU_VPCE_POLICY_RESTRICTION.
	// vpcemu's own: AWS's shape has no member for it (the answer's
	// extension carries it).
	PolicyDecision string
}

// LoadBalancerTarget is a load balancer's target: AWS's
// AnalysisLoadBalancerTarget.
type LoadBalancerTarget struct {
	Address          string
	AvailabilityZone string
	Instance         *Component
	Port             int
}
