package ec2

import (
	"net/http"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
)

// codes maps a domain refusal to EC2's error code: by reason and resource
// kind where EC2 names the kind in the code, by reason alone otherwise.
// (InvalidParameter of a security group is a group used with a subnet of
// another VPC: the one case where EC2 answers the bare InvalidParameter.)
var codes = cloud.ErrorCodes{
	cloud.NotFound: {
		cloud.KindVPC:                     "InvalidVpcID.NotFound",
		cloud.KindVPCCIDRAssociation:      "InvalidVpcCidrBlockAssociationID.NotFound",
		cloud.KindSubnet:                  "InvalidSubnetID.NotFound",
		cloud.KindSubnetCIDRAssociation:   "InvalidSubnetCidrBlockAssociationID.NotFound",
		cloud.KindSubnetCIDRReservation:   "InvalidSubnetCidrReservationID.NotFound",
		cloud.KindRouteTable:              "InvalidRouteTableID.NotFound",
		cloud.KindRouteTableAssoc:         "InvalidAssociationID.NotFound",
		cloud.KindRoute:                   "InvalidRoute.NotFound",
		cloud.KindInternetGateway:         "InvalidInternetGatewayID.NotFound",
		cloud.KindEgressOnlyIGW:           "InvalidGatewayID.NotFound",
		cloud.KindNATGateway:              "NatGatewayNotFound",
		cloud.KindAddress:                 "InvalidAllocationID.NotFound",
		cloud.KindAddressAssociation:      "InvalidAssociationID.NotFound",
		cloud.KindPublicIP:                "InvalidAddress.NotFound",
		cloud.KindSecurityGroup:           "InvalidGroup.NotFound",
		cloud.KindSecurityGroupRule:       "InvalidSecurityGroupRuleId.NotFound",
		cloud.KindPermission:              "InvalidPermission.NotFound",
		cloud.KindNetworkACL:              "InvalidNetworkAclID.NotFound",
		cloud.KindNetworkACLAssoc:         "InvalidAssociationID.NotFound",
		cloud.KindNetworkACLEntry:         "InvalidNetworkAclEntry.NotFound",
		cloud.KindNetworkInterface:        "InvalidNetworkInterfaceID.NotFound",
		cloud.KindENIAttachment:           "InvalidAttachmentID.NotFound",
		cloud.KindInstance:                "InvalidInstanceID.NotFound",
		cloud.KindVolume:                  "InvalidVolume.NotFound",
		cloud.KindImage:                   "InvalidAMIID.NotFound",
		cloud.KindDHCPOptions:             "InvalidDhcpOptionID.NotFound",
		cloud.KindPrefixList:              "InvalidPrefixListID.NotFound",
		cloud.KindVPCPeering:              "InvalidVpcPeeringConnectionID.NotFound",
		cloud.KindVPCEndpoint:             "InvalidVpcEndpointId.NotFound",
		cloud.KindVPCEndpointService:      "InvalidVpcEndpointServiceId.NotFound",
		cloud.KindTransitGateway:          "InvalidTransitGatewayID.NotFound",
		cloud.KindVPNGateway:              "InvalidVpnGatewayID.NotFound",
		cloud.SubjectVPNGatewayAttachment: "InvalidVpnGatewayAttachment.NotFound",
		cloud.KindLocalGateway:            "InvalidLocalGatewayID.NotFound",
		cloud.KindCarrierGateway:          "InvalidCarrierGatewayID.NotFound",
		cloud.SubjectGatewayTarget:        "InvalidGatewayID.NotFound",
		cloud.SubjectNATGatewayTarget:     "InvalidNatGatewayID.NotFound",
		cloud.KindReservation:             "InvalidReservationID.NotFound",
		cloud.SubjectEndpointServiceName:  "InvalidServiceName",
		// Batch calls name missing services and endpoints without "Id".
		cloud.SubjectServiceConfigurationItem: "InvalidVpcEndpointService.NotFound",
		cloud.SubjectEndpointItem:             "InvalidVpcEndpoint.NotFound",
		cloud.KindConnectionNotification:      "InvalidConnectionNotification",
		cloud.KindNetworkInsightsPath:         "InvalidNetworkInsightsPathId.NotFound",
		cloud.KindNetworkInsightsAnalysis:     "InvalidNetworkInsightsAnalysisId.NotFound",
		cloud.KindFlowLog:                     "InvalidFlowLogId.NotFound",
		"":                                    "InvalidID",
	},
	cloud.Malformed: {
		cloud.KindVPC:                     "InvalidVpcID.Malformed",
		cloud.KindSubnet:                  "InvalidSubnetID.Malformed",
		cloud.KindSubnetCIDRAssociation:   "InvalidSubnetCidrBlockAssociationId.Malformed",
		cloud.KindSubnetCIDRReservation:   "InvalidSubnetCidrReservationID.Malformed",
		cloud.KindRouteTable:              "InvalidRouteTableId.Malformed",
		cloud.KindInternetGateway:         "InvalidInternetGatewayId.Malformed",
		cloud.KindSecurityGroup:           "InvalidGroupId.Malformed",
		cloud.KindNetworkInterface:        "InvalidNetworkInterfaceId.Malformed",
		cloud.KindInstance:                "InvalidInstanceID.Malformed",
		cloud.KindVolume:                  "InvalidVolumeID.Malformed",
		cloud.KindAddress:                 "InvalidAllocationID.Malformed",
		cloud.KindNATGateway:              "InvalidNatGatewayID.Malformed",
		cloud.KindNetworkACL:              "InvalidNetworkAclId.Malformed",
		cloud.KindDHCPOptions:             "InvalidDhcpOptionsId.Malformed",
		cloud.KindPrefixList:              "InvalidPrefixListId.Malformed",
		cloud.KindImage:                   "InvalidAMIID.Malformed",
		network.SubjectUserID:             "InvalidUserID.Malformed",
		cloud.KindVPCPeering:              "InvalidVpcPeeringConnectionId.Malformed",
		cloud.KindVPCEndpoint:             "InvalidVpcEndpointId.Malformed",
		privatelink.SubjectEndpointSubnet: "InvalidSubnetId.Malformed",
		"":                                "InvalidID",

		cloud.KindSecurityGroupRule: "InvalidSecurityGroupRuleId.Malformed",
		cloud.KindPermission:        "InvalidPermission.Malformed",
	},
	cloud.Duplicate: {
		cloud.KindSecurityGroup:           "InvalidGroup.Duplicate",
		cloud.KindPermission:              "InvalidPermission.Duplicate",
		cloud.KindRoute:                   "RouteAlreadyExists",
		cloud.KindNetworkACLEntry:         "NetworkAclEntryAlreadyExists",
		cloud.KindVPCPeering:              "VpcPeeringConnectionAlreadyExists",
		cloud.KindFlowLog:                 "FlowLogAlreadyExists",
		privatelink.SubjectEndpointSubnet: "DuplicateSubnetsInSameZone",
		"":                                "InvalidParameterValue",
	},
	cloud.Conflict: {
		cloud.KindSubnet:             "InvalidSubnet.Conflict",
		cloud.KindPrefixList:         "PrefixListVersionMismatch",
		cloud.KindVPCCIDRAssociation: "CidrConflict",
		"":                           "InvalidParameterValue",
	},
	cloud.Range: {
		cloud.KindSubnet:             "InvalidSubnet.Range",
		cloud.KindVPC:                "InvalidVpc.Range",
		cloud.KindVPCCIDRAssociation: "InvalidVpc.Range",
		"":                           "InvalidParameterValue",
	},
	cloud.InUse: {
		cloud.KindAddress:               "InvalidIPAddress.InUse",
		cloud.KindNetworkInterface:      "InvalidNetworkInterface.InUse",
		cloud.KindSecurityGroup:         "InvalidGroup.InUse",
		cloud.KindSubnetCIDRAssociation: "InvalidCidrBlock.InUse",
		"":                              "InvalidParameterValue",
	},
	cloud.LimitExceeded: {
		cloud.KindVPC:                "VpcLimitExceeded",
		cloud.KindVPCCIDRAssociation: "CidrLimitExceeded",
		cloud.KindAddress:            "AddressLimitExceeded",
		cloud.KindSecurityGroupRule:  "RulesPerSecurityGroupLimitExceeded",
		cloud.KindNetworkACLEntry:    "NetworkAclEntryLimitExceeded",
		cloud.KindNetworkACL:         "NetworkAclLimitExceeded",
		cloud.KindRoute:              "RouteLimitExceeded",
		cloud.KindSecurityGroup:      "SecurityGroupsPerInterfaceLimitExceeded",
		cloud.KindPrefixListEntry:    "PrefixListMaxEntriesExceeded",
		cloud.KindVPCPeering:         "ActiveVpcPeeringConnectionPerVpcLimitExceeded",
		network.KindPeeringRequest:   "PendingVpcPeeringConnectionLimitExceeded",
		cloud.KindVPCEndpoint:        "VpcEndpointLimitExceeded",
		"tag":                        "TagLimitExceeded",
		"":                           "ResourceLimitExceeded",
	},
	cloud.AlreadyAssociated: {
		cloud.KindVPC:    "DefaultVpcAlreadyExists",
		cloud.KindSubnet: "DefaultSubnetAlreadyExistsInAvailabilityZone",
		"":               "Resource.AlreadyAssociated",
	},
	cloud.InvalidParameter: {
		cloud.KindInstance:                 "InvalidInstanceID",
		cloud.KindPrefixListEntry:          "InvalidPrefixListModification",
		network.SubjectBlockDeviceMapping:  "InvalidBlockDeviceMapping",
		network.SubjectCreditSpecification: "InstanceCreditSpecification.NotSupported",
		cloud.KindSecurityGroup:            "InvalidParameter",
		// Endpoints, endpoint services and connection notifications refuse
		// settings with the bare InvalidParameter; a bad principal and a bad
		// policy have their own codes.
		cloud.KindVPCEndpoint:            "InvalidParameter",
		cloud.KindVPCEndpointService:     "InvalidParameter",
		cloud.KindConnectionNotification: "InvalidParameter",
		cloud.KindFlowLog:                "InvalidParameter",
		cloud.SubjectServicePrincipal:    "InvalidPrincipal",
		privatelink.KindEndpointPolicy:   "InvalidPolicyDocument",
		"":                               "InvalidParameterValue",
	},
	// EC2 answers AuthFailure (with HTTP 400) when a user touches an Elastic
	// IP mapping or a network interface that a service (a NAT gateway, a
	// load balancer, an endpoint) manages.
	cloud.OperationNotPermitted: {
		cloud.KindAddress:          "AuthFailure",
		cloud.KindNetworkInterface: "AuthFailure",
		"":                         "OperationNotPermitted",
	},
	cloud.ReservedName:       {"": "InvalidGroup.Reserved"},
	cloud.InvalidCombination: {"": "InvalidParameterCombination"},
	cloud.MissingParameter:   {"": "MissingParameter", cloud.KindSubnet: "MissingInput"},
	cloud.DependencyViolation: {"": "DependencyViolation", cloud.KindVPCEndpointService: "ExistingVpcEndpointConnections",
		cloud.KindNetworkInsightsPath: "AnalysisExistsForNetworkInsightsPath"},
	cloud.CannotDelete:          {"": "CannotDelete"},
	cloud.NotAttached:           {"": "Gateway.NotAttached"},
	cloud.IncorrectState:        {cloud.KindInstance: "IncorrectInstanceState", cloud.KindVPCPeering: "InvalidStateTransition", cloud.KindVPC: "InvalidVpcState", "": "IncorrectState"},
	cloud.Unsupported:           {"": "UnsupportedOperation"},
	cloud.InsufficientAddresses: {"": "InsufficientFreeAddressesInSubnet"},
	cloud.NoDefaultVPC:          {"": "VPCIdNotSpecified"},
	cloud.IdempotencyMismatch:   {"": "IdempotentParameterMismatch"},
	cloud.AuthFailure:           {"": "AuthFailure"},
}

// MapError turns a domain error into EC2's wire error. Errors that are not
// the client's fault are left for the server to report as internal.
func MapError(err error) *awsproto.Error {
	if e, ok := err.(*awsproto.Error); ok {
		return e
	}
	de, ok := cloud.AsError(err)
	if !ok {
		return nil
	}
	if de.Reason == cloud.DryRun { // the domain's checks passed and it rolled back
		return awsproto.DryRunOperation()
	}
	code := codes.Code(de, "InvalidParameterValue")
	status := http.StatusBadRequest
	if de.Reason == cloud.AuthFailure {
		status = http.StatusUnauthorized
	}
	return &awsproto.Error{Code: code, Message: de.Msg, Status: status}
}
