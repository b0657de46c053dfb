package cloud

import (
	"cmp"
	"slices"
	"strings"
)

// The resource kinds. Each has one row in kinds below: adding a kind is a
// constant and a row.
const (
	KindVPC                     Kind = "vpc"
	KindVPCCIDRAssociation      Kind = "vpc-cidr-assoc"
	KindSubnet                  Kind = "subnet"
	KindSubnetCIDRAssociation   Kind = "subnet-cidr-assoc" // a subnet's IPv6 block
	KindSubnetCIDRReservation   Kind = "subnet-cidr-reservation"
	KindRouteTable              Kind = "route-table"
	KindRouteTableAssoc         Kind = "route-table-association"
	KindRoute                   Kind = "route"
	KindInternetGateway         Kind = "internet-gateway"
	KindEgressOnlyIGW           Kind = "egress-only-internet-gateway"
	KindNATGateway              Kind = "natgateway"
	KindAddress                 Kind = "elastic-ip"
	KindAddressAssociation      Kind = "elastic-ip-association"
	KindPublicIP                Kind = "public-ip"
	KindSecurityGroup           Kind = "security-group"
	KindSecurityGroupRule       Kind = "security-group-rule"
	KindPermission              Kind = "security-group-permission"
	KindNetworkACL              Kind = "network-acl"
	KindNetworkACLAssoc         Kind = "network-acl-association"
	KindNetworkACLEntry         Kind = "network-acl-entry"
	KindNetworkInterface        Kind = "network-interface"
	KindENIAttachment           Kind = "network-interface-attachment"
	KindInstance                Kind = "instance"
	KindReservation             Kind = "reservation"
	KindVolume                  Kind = "volume" // an instance's EBS volume
	KindDHCPOptions             Kind = "dhcp-options"
	KindPrefixList              Kind = "prefix-list"
	KindPrefixListEntry         Kind = "prefix-list-entry" // names refusals of entries only
	KindVPCPeering              Kind = "vpc-peering-connection"
	KindVPCEndpoint             Kind = "vpc-endpoint"
	KindVPCEndpointService      Kind = "vpc-endpoint-service"
	KindConnectionNotification  Kind = "vpc-endpoint-connection-notification"
	KindTransitGateway          Kind = "transit-gateway"
	KindVPNGateway              Kind = "vpn-gateway"
	KindLocalGateway            Kind = "local-gateway"
	KindCarrierGateway          Kind = "carrier-gateway"
	KindImage                   Kind = "image" // an AMI of vpcemu's catalogue (internal/amis); not stored
	KindNetworkInsightsPath     Kind = "network-insights-path"
	KindNetworkInsightsAnalysis Kind = "network-insights-analysis"
	KindFlowLog                 Kind = "vpc-flow-log" // as EC2's tag specifications and ARNs name it
	KindIdempotency             Kind = "idempotency"
	KindScopeReady              Kind = "scope"

	// Elastic Load Balancing v2: named by ARN rather than by a prefixed id.
	KindLoadBalancer Kind = "load-balancer"
	KindTargetGroup  Kind = "target-group"
	KindListener     Kind = "listener"
	KindRule         Kind = "listener-rule"
	KindTarget       Kind = "target" // a target group's target, in refusals (InvalidTarget)

	// Direct Connect (internal/cloud/directconnect): tagged by ARN through
	// Direct Connect's own API, never by EC2's CreateTags. Gateways,
	// associations and proposals are named by UUIDs, without a prefix.
	KindDXConnection         Kind = "dx-connection"
	KindDXLag                Kind = "dx-lag"
	KindDXVirtualInterface   Kind = "dx-virtual-interface"
	KindDXGateway            Kind = "dx-gateway"
	KindDXGatewayAssociation Kind = "dx-gateway-association"
	KindDXProposal           Kind = "dx-gateway-association-proposal"

	// Route 53 (internal/cloud/route53): global records, named by
	// Route 53's own ids (Z…, C…) and tagged through its tag API.
	KindHostedZone    Kind = "route53-hosted-zone"
	KindRecordSet     Kind = "route53-record-set"
	KindRoute53Change Kind = "route53-change"

	// CloudWatch Logs (internal/cloud/logs): named by log group and stream
	// names (ids join the scope and the names), tagged through its own API.
	// Events are kept in batches, one record per write to a stream.
	KindLogGroup  Kind = "logs-log-group"
	KindLogStream Kind = "logs-log-stream"
	KindLogBatch  Kind = "logs-event-batch"
)

// Subjects that only name what a refusal is about, where EC2's code
// differs from the kind's own; no record has them.
const (
	// SubjectGatewayTarget is whatever a route's GatewayId names:
	// InvalidGatewayID.NotFound.
	SubjectGatewayTarget Kind = "gateway"
	// SubjectNATGatewayTarget is a route's NatGatewayId:
	// InvalidNatGatewayID.NotFound (DescribeNatGateways says
	// NatGatewayNotFound instead).
	SubjectNATGatewayTarget Kind = "natgateway-route-target"
	// SubjectEndpointItem is an endpoint named in the item lists of batch calls
	// (DeleteVpcEndpoints, Accept/RejectVpcEndpointConnections), which say
	// InvalidVpcEndpoint.NotFound where Describe says
	// InvalidVpcEndpointId.NotFound.
	SubjectEndpointItem Kind = "vpc-endpoint-item"
	// SubjectServiceConfigurationItem is a service named in the refusals of
	// DeleteVpcEndpointServiceConfigurations
	// (InvalidVpcEndpointService.NotFound).
	SubjectServiceConfigurationItem Kind = "vpc-endpoint-service-item"
	// SubjectEndpointServiceName is a service name nothing serves
	// (InvalidServiceName).
	SubjectEndpointServiceName Kind = "vpc-endpoint-service-name"
	// SubjectVPNGatewayAttachment is a virtual private gateway's attachment
	// to a VPC (InvalidVpnGatewayAttachment.NotFound).
	SubjectVPNGatewayAttachment Kind = "vpn-gateway-attachment"
	// SubjectServicePrincipal is a principal (InvalidPrincipal).
	SubjectServicePrincipal Kind = "vpc-endpoint-service-principal"
)

// kindInfo is what the domain knows of a kind besides its name.
type kindInfo struct {
	// prefix starts the kind's ids ("vpc-"); empty for kinds named by ARN
	// or never named by id.
	prefix string
	// noun is how EC2's messages name one ("routeTable"); the kind's name
	// when empty.
	noun string
	// missing is the message that a record is not found when EC2 words it
	// differently from "The <noun> ID '<id>' does not exist"; %s is the ids.
	missing string
	// plural is how ELB's not-found messages name several, in a sentence
	// and at its start.
	plural [2]string
	// taggable kinds' records are changed directly by CreateTags and listed
	// by DescribeTags; their family registers their Go type (RegisterType).
	taggable bool
	// heldBy is the kind whose records hold records of this kind as items
	// with ids and tags of their own (a security group holds its rules),
	// found through the heldBy kind's index heldByKey.
	heldBy    Kind
	heldByKey string
}

var kinds = map[Kind]kindInfo{
	KindVPC:                     {prefix: "vpc-", noun: "vpc", taggable: true},
	KindVPCCIDRAssociation:      {prefix: "vpc-cidr-assoc-"},
	KindSubnet:                  {prefix: "subnet-", noun: "subnet", taggable: true},
	KindSubnetCIDRAssociation:   {prefix: "subnet-cidr-assoc-"},
	KindSubnetCIDRReservation:   {prefix: "scr-", noun: "subnetCidrReservation", taggable: true},
	KindRouteTable:              {prefix: "rtb-", noun: "routeTable", taggable: true},
	KindRouteTableAssoc:         {prefix: "rtbassoc-"},
	KindInternetGateway:         {prefix: "igw-", noun: "internetGateway", taggable: true},
	KindEgressOnlyIGW:           {prefix: "eigw-", noun: "egressOnlyInternetGateway", taggable: true},
	KindNATGateway:              {prefix: "nat-", missing: "NAT gateway %s was not found", taggable: true},
	KindAddress:                 {prefix: "eipalloc-", noun: "allocation", taggable: true},
	KindAddressAssociation:      {prefix: "eipassoc-"},
	KindSecurityGroup:           {prefix: "sg-", noun: "security group", taggable: true},
	KindSecurityGroupRule:       {prefix: "sgr-", noun: "security group rule", heldBy: KindSecurityGroup, heldByKey: "security-group-rule-id"},
	KindNetworkACL:              {prefix: "acl-", noun: "networkAcl", taggable: true},
	KindNetworkACLAssoc:         {prefix: "aclassoc-"},
	KindNetworkInterface:        {prefix: "eni-", noun: "networkInterface", taggable: true},
	KindENIAttachment:           {prefix: "eni-attach-"},
	KindInstance:                {prefix: "i-", noun: "instance", taggable: true},
	KindReservation:             {prefix: "r-"},
	KindVolume:                  {prefix: "vol-", missing: "The volume '%s' does not exist.", taggable: true},
	KindDHCPOptions:             {prefix: "dopt-", noun: "dhcpOption", taggable: true},
	KindPrefixList:              {prefix: "pl-", noun: "prefix list", taggable: true},
	KindVPCPeering:              {prefix: "pcx-", noun: "vpcPeeringConnection", taggable: true},
	KindVPCEndpoint:             {prefix: "vpce-", noun: "vpcEndpoint", taggable: true},
	KindVPCEndpointService:      {prefix: "vpce-svc-", missing: "The VpcEndpointService Id '%s' does not exist", taggable: true},
	KindConnectionNotification:  {prefix: "vpce-nfn-", noun: "connectionNotification"},
	KindTransitGateway:          {prefix: "tgw-"},
	KindVPNGateway:              {prefix: "vgw-", missing: "The virtual private gateway ID '%s' does not exist", taggable: true},
	KindLocalGateway:            {prefix: "lgw-"},
	KindCarrierGateway:          {prefix: "cagw-"},
	KindNetworkInsightsPath:     {prefix: "nip-", noun: "NetworkInsightsPath", taggable: true},
	KindNetworkInsightsAnalysis: {prefix: "nia-", noun: "NetworkInsightsAnalysis", taggable: true},
	KindFlowLog:                 {prefix: "fl-", missing: "These flow log ids in the input list are not found: [TotalCount: 1] %s", taggable: true},

	KindLoadBalancer: {plural: [2]string{"load balancers", "Load balancers"}},
	KindTargetGroup:  {plural: [2]string{"target groups", "Target groups"}},
	KindListener:     {plural: [2]string{"listeners", "Listeners"}},
	KindRule:         {plural: [2]string{"rules", "Rules"}},

	// Terraform matches "Could not find Connection with ID", "Could not
	// find Lag with ID" and "does not exist" in these.
	KindDXConnection:         {prefix: "dxcon-", missing: "Could not find Connection with ID %s"},
	KindDXLag:                {prefix: "dxlag-", missing: "Could not find Lag with ID %s"},
	KindDXVirtualInterface:   {prefix: "dxvif-", missing: "Virtual interface %s does not exist."},
	KindDXGateway:            {missing: "Direct Connect Gateway %s does not exist."},
	KindDXGatewayAssociation: {missing: "Direct Connect Gateway Association %s does not exist."},
	KindDXProposal:           {missing: "Direct Connect Gateway Association Proposal %s does not exist."},

	KindHostedZone:    {missing: "No hosted zone found with ID: %s"},
	KindRecordSet:     {},
	KindRoute53Change: {missing: "A change with the specified change ID %s does not exist."},

	// CloudWatch Logs' messages name no id (the family words them).
	KindLogGroup:  {},
	KindLogStream: {},
	KindLogBatch:  {},
}

// nounOf is how EC2's messages name one of the kind.
func nounOf(k Kind) string {
	if n := kinds[k].noun; n != "" {
		return n
	}
	return string(k)
}

// byPrefix is the kinds with id prefixes, longest prefix first, so that
// vpce-svc- is tried before vpce- and vpc-cidr-assoc- before vpc-.
var byPrefix = func() []Kind {
	var out []Kind
	for k, info := range kinds {
		if info.prefix != "" {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b Kind) int {
		return cmp.Or(cmp.Compare(len(kinds[b].prefix), len(kinds[a].prefix)), strings.Compare(kinds[a].prefix, kinds[b].prefix))
	})
	return out
}()

// Prefix is what the kind's ids start with ("" for kinds named otherwise).
func Prefix(k Kind) string { return kinds[k].prefix }

// KindOfID returns the kind an id names by its prefix.
func KindOfID(id string) (Kind, bool) {
	for _, k := range byPrefix {
		if strings.HasPrefix(id, kinds[k].prefix) {
			return k, true
		}
	}
	return "", false
}

// types holds the Go type of each kind with records, registered by its
// family.
var types = map[Kind]func() Object{}

// RegisterType tells the kernel the Go type of a kind's records, so that
// the tag use cases can read and write them and the kernel's tests can
// check every kind; families call it from init for each of their kinds.
func RegisterType[T any, P ObjectPtr[T]]() {
	types[P(nil).Kind()] = func() Object { return P(new(T)) }
}
