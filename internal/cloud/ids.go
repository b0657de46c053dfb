package cloud

import (
	"crypto/rand"
	"fmt"
	mrand "math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/vpcemu/vpcemu/internal/store"
)

// Kind names a resource type; it is also the store's record kind.
type Kind = store.Kind

// Resource kinds, with the id prefix each uses.
const (
	KindVPC                Kind = "vpc"
	KindVPCCIDRAssociation Kind = "vpc-cidr-assoc"
	KindSubnet             Kind = "subnet"
	// KindSubnetCIDRAssociation names a subnet's IPv6 block in refusals.
	KindSubnetCIDRAssociation Kind = "subnet-cidr-assoc"
	KindRouteTable            Kind = "route-table"
	KindRouteTableAssoc       Kind = "route-table-association"
	KindRoute                 Kind = "route"
	KindInternetGateway       Kind = "internet-gateway"
	KindEgressOnlyIGW         Kind = "egress-only-internet-gateway"
	KindNATGateway            Kind = "natgateway"
	KindAddress               Kind = "elastic-ip"
	KindAddressAssociation    Kind = "elastic-ip-association"
	KindPublicIP              Kind = "public-ip"
	KindSecurityGroup         Kind = "security-group"
	KindSecurityGroupRule     Kind = "security-group-rule"
	KindPermission            Kind = "security-group-permission"
	KindNetworkACL            Kind = "network-acl"
	KindNetworkACLAssoc       Kind = "network-acl-association"
	KindNetworkACLEntry       Kind = "network-acl-entry"
	KindNetworkInterface      Kind = "network-interface"
	KindENIAttachment         Kind = "network-interface-attachment"
	KindInstance              Kind = "instance"
	KindReservation           Kind = "reservation"
	KindDHCPOptions           Kind = "dhcp-options"
	KindPrefixList            Kind = "prefix-list"
	KindPrefixListEntry       Kind = "prefix-list-entry" // names refusals of entries only
	KindVPCPeering            Kind = "vpc-peering-connection"
	KindVPCEndpoint           Kind = "vpc-endpoint"
	KindVPCEndpointService    Kind = "vpc-endpoint-service"
	KindTransitGateway        Kind = "transit-gateway"
	KindVPNGateway            Kind = "vpn-gateway"
	KindLocalGateway          Kind = "local-gateway"
	KindCarrierGateway        Kind = "carrier-gateway"
	KindImage                 Kind = "image" // an AMI: named by launches, not modelled
	KindIdempotency           Kind = "idempotency"
	kindScopeReady            Kind = "scope"
)

// Elastic Load Balancing v2 kinds: named by ARN rather than by a prefixed id.
// KindTarget names a target group's target in refusals (InvalidTarget).
const (
	KindLoadBalancer Kind = "load-balancer"
	KindTargetGroup  Kind = "target-group"
	KindListener     Kind = "listener"
	KindRule         Kind = "listener-rule"
	KindTarget       Kind = "target"
)

// idPrefixes maps id prefixes to kinds, longest prefix first where two
// share a start (vpce-svc- before vpce-, vpc- last).
var idPrefixes = []struct {
	prefix string
	kind   Kind
}{
	{"vpc-cidr-assoc-", KindVPCCIDRAssociation},
	{"vpce-svc-", KindVPCEndpointService},
	{"vpce-nfn-", KindConnectionNotification},
	{"vpce-", KindVPCEndpoint},
	{"vpc-", KindVPC},
	{"subnet-cidr-assoc-", KindSubnetCIDRAssociation},
	{"subnet-", KindSubnet},
	{"scr-", KindSubnetCIDRReservation},
	{"rtbassoc-", KindRouteTableAssoc},
	{"rtb-", KindRouteTable},
	{"igw-", KindInternetGateway},
	{"eigw-", KindEgressOnlyIGW},
	{"nat-", KindNATGateway},
	{"eipalloc-", KindAddress},
	{"eipassoc-", KindAddressAssociation},
	{"sgr-", KindSecurityGroupRule},
	{"sg-", KindSecurityGroup},
	{"aclassoc-", KindNetworkACLAssoc},
	{"acl-", KindNetworkACL},
	{"eni-attach-", KindENIAttachment},
	{"eni-", KindNetworkInterface},
	{"i-", KindInstance},
	{"r-", KindReservation},
	{"dopt-", KindDHCPOptions},
	{"pl-", KindPrefixList},
	{"pcx-", KindVPCPeering},
	{"tgw-", KindTransitGateway},
	{"vgw-", KindVPNGateway},
	{"lgw-", KindLocalGateway},
	{"cagw-", KindCarrierGateway},
	{"nip-", KindNetworkInsightsPath},
	{"nia-", KindNetworkInsightsAnalysis},
}

// KindOfID returns the kind an id names by its prefix.
func KindOfID(id string) (Kind, bool) {
	for _, p := range idPrefixes {
		if strings.HasPrefix(id, p.prefix) {
			return p.kind, true
		}
	}
	return "", false
}

// wellFormed reports whether id is prefix followed by 8 or 17 lowercase
// hex digits, the shapes AWS ids take.
func wellFormed(id, prefix string) bool {
	if !strings.HasPrefix(id, prefix) {
		return false
	}
	rest := id[len(prefix):]
	if len(rest) != 8 && len(rest) != 17 {
		return false
	}
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// IDSource makes resource ids.
type IDSource interface {
	// NewID returns prefix followed by 17 hex digits ("vpc-0a1b…").
	NewID(prefix string) string
}

type randomIDs struct {
	mu  sync.Mutex
	rng *mrand.ChaCha8
}

// RandomIDs returns ids like AWS's: a prefix and 17 random hex digits.
func RandomIDs() IDSource {
	var seed [32]byte
	rand.Read(seed[:])
	return &randomIDs{rng: mrand.NewChaCha8(seed)}
}

func (r *randomIDs) NewID(prefix string) string {
	r.mu.Lock()
	a, b := r.rng.Uint64(), r.rng.Uint64()
	r.mu.Unlock()
	// 17 hex digits = 68 bits: one nibble from b, 64 bits from a.
	return fmt.Sprintf("%s%01x%016x", prefix, b&0xf, a)
}

type seqIDs struct{ n atomic.Uint64 }

// SequentialIDs returns predictable ids (prefix + counter), for tests.
func SequentialIDs() IDSource { return &seqIDs{} }

func (s *seqIDs) NewID(prefix string) string {
	return fmt.Sprintf("%s%017x", prefix, s.n.Add(1))
}
