package reach

// Code is an explanation code. The engine uses AWS's Reachability Analyzer
// codes (docs.aws.amazon.com/vpc/latest/reachability/explanation-codes.html)
// with AWS's meaning, and codes of its own, prefixed VPCEMU_, where it
// answers something AWS's analyzer does not:
//
//	code                            meaning
//	VPCEMU_ROUTING_LOOP             the route tables send the packet round in
//	                                a loop (through middlebox interfaces) and
//	                                it never arrives; AWS's analyzer has no
//	                                code for it.
//	VPCEMU_DX_VIF_DOWN              the Direct Connect virtual interface
//	                                the path crosses (Component) is not
//	                                available with a BGP session up (State
//	                                is its state: pending, down, …), so
//	                                nothing crosses it and its virtual
//	                                private gateways learn no routes. AWS's
//	                                analyzer does not take on-premises ends.
//	VPCEMU_DX_PREFIX_NOT_ALLOWED    the Direct Connect gateway association
//	                                (Component) between the virtual
//	                                interface and the VPC's virtual private
//	                                gateway (VPNGateway) advertises no VPC
//	                                CIDR that holds Address on premises: no
//	                                allowed prefix (CIDRs) is the same as or
//	                                wider than that CIDR, so on premises
//	                                has no route to it.
//	VPCEMU_VPCE_POLICY_RESTRICTION  the policy of a VPC endpoint on the path
//	                                (VPCEndpoint) does not allow the request
//	                                the query asks about (Action, Resource,
//	                                Principal); PolicyDecision says whether a
//	                                statement denied it or none allowed it.
//	                                AWS's analyzer does not read policies.
//
// A DNS name (Query.DestinationName) the source's VPC resolves to nothing
// is AWS's UNKNOWN_DESTINATION, the name in Destination.Name.
type Code string

// Path is not reachable.
const (
	BadState                           Code = "BAD_STATE"
	BadStateRoute                      Code = "BAD_STATE_ROUTE"
	CannotRoute                        Code = "CANNOT_ROUTE"
	ELBv2ListenerHasNoTG               Code = "ELBV2_LISTENER_HAS_NO_TG"
	ELBv2ListenerPortRestriction       Code = "ELBV2_LISTENER_PORT_RESTRICTION"
	ELBv2NoTargetsInAZ                 Code = "ELBV2_NO_TARGETS_IN_AZ"
	ELBv2SourceAddressPreservation     Code = "ELBV2_SOURCE_ADDRESS_PRESERVATION"
	GWLBDestinationPortRestriction     Code = "GWLB_DESTINATION_PORT_RESTRICTION"
	GWLBProtocolRestriction            Code = "GWLB_PROTOCOL_RESTRICTION"
	ENISGRulesMismatch                 Code = "ENI_SG_RULES_MISMATCH"
	ENISourceDestCheckRestriction      Code = "ENI_SOURCE_DEST_CHECK_RESTRICTION"
	HigherPriorityRoute                Code = "HIGHER_PRIORITY_ROUTE"
	IGWDestinationNotRFC1918           Code = "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"
	IGWDestinationNotRFC6598           Code = "IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS"
	IGWNATReflection                   Code = "IGW_NAT_REFLECTION"
	IGWPrivateIPForIngress             Code = "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"
	IGWPublicIPForEgress               Code = "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"
	IGWSourceNotRFC1918                Code = "IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS"
	IGWSourceNotRFC6598                Code = "IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS"
	MoreSpecificRoute                  Code = "MORE_SPECIFIC_ROUTE"
	NGWRequiresSourceInVPC             Code = "NGW_REQUIRES_SOURCE_IN_VPC"
	NoPossibleDestination              Code = "NO_POSSIBLE_DESTINATION"
	NoRouteToDestination               Code = "NO_ROUTE_TO_DESTINATION"
	PCXRequiresAddressInVPCCIDR        Code = "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"
	ProtocolRestriction                Code = "PROTOCOL_RESTRICTION"
	SGHasNoRules                       Code = "SG_HAS_NO_RULES"
	SubnetACLRestriction               Code = "SUBNET_ACL_RESTRICTION"
	UnknownDestination                 Code = "UNKNOWN_DESTINATION"
	UnknownPeeredSGs                   Code = "UNKNOWN_PEERED_SGS"
	VPCEGatewayEgressSourceRestriction Code = "VPCE_GATEWAY_EGRESS_SOURCE_ADDRESS_RESTRICTION"
	VPCEGatewayProtocolRestriction     Code = "VPCE_GATEWAY_PROTOCOL_RESTRICTION"
	VPCEIntraVPCTraffic                Code = "VPCE_INTRA_VPC_TRAFFIC"
	VPCEServiceNotInstalledInAZ        Code = "VPCE_SERVICE_NOT_INSTALLED_IN_AZ"
)

// Configuration: no path is possible.
const (
	DisconnectedVPCs      Code = "DISCONNECTED_VPCS"
	NoPath                Code = "NO_PATH"
	NoSourceOrDestination Code = "NO_SOURCE_OR_DESTINATION"
	UnassociatedComponent Code = "UNASSOCIATED_COMPONENT"
	UnsupportedComponent  Code = "UNSUPPORTED_COMPONENT"
)

// Search filters: no path matches the query's filters.
// COMPONENT_FILTER_RESTRICTION names (Component) a component the path must
// traverse (Query.ThroughARNs) and does not;
// COMPONENT_FILTER_RESTRICTION_REMOVED_COMPONENT names the component to
// avoid (Query.AvoidARNs) the path would cross: the filter removed it.
const (
	ComponentFilterRestriction Code = "COMPONENT_FILTER_RESTRICTION"
	ComponentFilterRemoved     Code = "COMPONENT_FILTER_RESTRICTION_REMOVED_COMPONENT"

	FilterAtSourceSrcAddr  Code = "FILTER_AT_SOURCE_SOURCE_ADDRESS"
	FilterAtSourceDstAddr  Code = "FILTER_AT_SOURCE_DESTINATION_ADDRESS"
	FilterAtSourceDstPorts Code = "FILTER_AT_SOURCE_DESTINATION_PORT_RANGE"
	FilterAtDestSrcAddr    Code = "FILTER_AT_DESTINATION_SOURCE_ADDRESS"
	FilterAtDestSrcPorts   Code = "FILTER_AT_DESTINATION_SOURCE_PORT_RANGE"
	FilterAtDestDstAddr    Code = "FILTER_AT_DESTINATION_DESTINATION_ADDRESS"
	FilterAtDestDstPorts   Code = "FILTER_AT_DESTINATION_DESTINATION_PORT_RANGE"
	IGWExpectsPublicAddr   Code = "IGW_EXPECTS_PUBLIC_ADDRESS"
)

// vpcemu's own codes (see Code).
const (
	VpcemuRoutingLoop           Code = "VPCEMU_ROUTING_LOOP"
	VpcemuDXVIFDown             Code = "VPCEMU_DX_VIF_DOWN"
	VpcemuDXPrefixNotAllowed    Code = "VPCEMU_DX_PREFIX_NOT_ALLOWED"
	VpcemuVPCEPolicyRestriction Code = "VPCEMU_VPCE_POLICY_RESTRICTION"
)
