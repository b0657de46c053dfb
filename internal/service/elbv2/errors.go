package elbv2

import (
	"net/http"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// codes maps a domain refusal to ELBv2's error code (the model's error
// shapes): by reason and resource kind where ELB names the kind in the
// code, by reason alone otherwise.
var codes = cloud.ErrorCodes{
	cloud.NotFound: {
		cloud.KindLoadBalancer:  "LoadBalancerNotFound",
		cloud.KindTargetGroup:   "TargetGroupNotFound",
		cloud.KindListener:      "ListenerNotFound",
		cloud.KindRule:          "RuleNotFound",
		cloud.KindSubnet:        "SubnetNotFound",
		cloud.KindSecurityGroup: "InvalidSecurityGroup",
		cloud.KindAddress:       "AllocationIdNotFound",
		"certificate":           "CertificateNotFound",
		"ssl-policy":            "SSLPolicyNotFound",
		"alpn-policy":           "ALPNPolicyNotFound",
		"":                      "ValidationError",
	},
	cloud.Duplicate: {
		cloud.KindLoadBalancer: "DuplicateLoadBalancerName",
		cloud.KindTargetGroup:  "DuplicateTargetGroupName",
		cloud.KindListener:     "DuplicateListener",
		"priority":             "PriorityInUse",
		"tag":                  "DuplicateTagKeys",
		"":                     "ValidationError",
	},
	cloud.InvalidParameter: {
		cloud.KindTarget:        "InvalidTarget",
		cloud.KindSubnet:        "InvalidSubnet",
		cloud.KindSecurityGroup: "InvalidSecurityGroup",
		"protocols":             "IncompatibleProtocols",
		"action":                "InvalidLoadBalancerAction",
		"":                      "ValidationError",
	},
	cloud.LimitExceeded: {
		"tag":                  "TooManyTags",
		cloud.KindLoadBalancer: "TooManyLoadBalancers",
		cloud.KindTargetGroup:  "TooManyTargetGroups",
		"association":          "TargetGroupAssociationLimit",
		cloud.KindListener:     "TooManyListeners",
		cloud.KindRule:         "TooManyRules",
		"certificate":          "TooManyCertificates",
		cloud.KindTarget:       "TooManyTargets",
		"action":               "TooManyActions",
		"":                     "ValidationError",
	},
	cloud.InUse:                 {"": "ResourceInUse"},
	cloud.Unsupported:           {"protocol": "UnsupportedProtocol", "": "ValidationError"},
	cloud.InvalidConfiguration:  {"": "InvalidConfigurationRequest"},
	cloud.OperationNotPermitted: {"": "OperationNotPermitted"},
	cloud.AuthFailure:           {"": "InvalidClientTokenId"},
}

// MapError turns a domain error into ELBv2's wire error. Errors that are
// not the client's fault are left for the server to report as internal.
func MapError(err error) *awsproto.Error {
	if e, ok := err.(*awsproto.Error); ok {
		return e
	}
	de, ok := cloud.AsError(err)
	if !ok {
		return nil
	}
	code := codes.Code(de, "ValidationError")
	status := http.StatusBadRequest
	if de.Reason == cloud.AuthFailure {
		status = http.StatusForbidden
	}
	return &awsproto.Error{Code: code, Message: de.Msg, Status: status}
}
