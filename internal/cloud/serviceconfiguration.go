package cloud

import (
	"github.com/vpcemu/vpcemu/internal/store"
)

// ServiceConfiguration is an endpoint service an account runs with AWS
// PrivateLink (vpce-svc-…): Network Load Balancers (Interface service) or
// Gateway Load Balancers (GatewayLoadBalancer service) that other VPCs reach
// through VPC endpoints. Its connections are the VPCEndpoints with its id
// as their ServiceID.
type ServiceConfiguration struct {
	Meta
	Type                    string   // Interface or GatewayLoadBalancer
	NetworkLoadBalancerARNs []string `json:",omitempty"`
	GatewayLoadBalancerARNs []string `json:",omitempty"`
	AcceptanceRequired      bool
	// State is Pending, Available, Deleting, Deleted or Failed.
	State                   string
	SupportedIPAddressTypes []string
	// PrivateDNSName and its verification: the TXT record the provider
	// publishes to prove it owns the domain.
	PrivateDNSName      string `json:",omitempty"`
	PrivateDNSState     string `json:",omitempty"` // pendingVerification, verified or failed
	PrivateDNSTXTName   string `json:",omitempty"`
	PrivateDNSTXTValue  string `json:",omitempty"`
	PayerResponsibility string `json:",omitempty"`
	// AllowedPrincipals may create endpoints to the service.
	AllowedPrincipals []ServicePermission `json:",omitempty"`
}

// ServicePermission is one allowed principal of an endpoint service.
type ServicePermission struct {
	ID            string // vpce-svc-perm-…
	Principal     string // arn:aws:iam::<account>:root|user/…|role/…, or *
	PrincipalType string // All, Account, User, Role, …
	Tags          Tags   `json:",omitempty"`
}

func (*ServiceConfiguration) kind() Kind { return KindVPCEndpointService }

func (s *ServiceConfiguration) keys() []store.Key {
	var keys []store.Key
	for _, arn := range append(append([]string(nil), s.NetworkLoadBalancerARNs...), s.GatewayLoadBalancerARNs...) {
		keys = append(keys, store.Key{Name: "load-balancer-arn", Value: arn})
	}
	return keys
}

// ServiceName is the name consumers create endpoints with.
func (s *ServiceConfiguration) ServiceName() string {
	return "com.amazonaws.vpce." + s.Region + "." + s.ID
}
