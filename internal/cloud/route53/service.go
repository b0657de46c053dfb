// Package route53 is the Route 53 family of the domain: public and private
// hosted zones with their apex SOA and NS records, VPC associations and
// cross-account association authorizations, record sets (simple, alias and
// with routing policies, stored and returned as given), changes and tags,
// with Route 53's refusals in its words.
//
// Route 53 is global: its records have an owner account and no region.
// Changes apply at once; an answer that submits one says PENDING, as
// Route 53's do, and GetChange says INSYNC.
package route53

import (
	"strings"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// Service runs the family's use cases on the kernel.
type Service struct {
	*cloud.Cloud
}

// New returns the family's service over the kernel c.
func New(c *cloud.Cloud) *Service { return &Service{Cloud: c} }

// Subjects of refusals whose Route 53 error code differs from the hosted
// zone's; no record has them.
const (
	// SubjectVPC is a VPC that does not exist or is not the caller's
	// (InvalidVPCId).
	SubjectVPC cloud.Kind = "route53-vpc"
	// SubjectAssociation is a zone's association with a VPC:
	// VPCAssociationNotFound, LastVPCAssociation, ConflictingDomainExists,
	// PublicZoneVPCAssociation.
	SubjectAssociation cloud.Kind = "route53-vpc-association"
	// SubjectAuthorization is a cross-account association authorization:
	// VPCAssociationAuthorizationNotFound, NotAuthorizedException.
	SubjectAuthorization cloud.Kind = "route53-vpc-association-authorization"
	// SubjectChangeBatch is a refused change batch (InvalidChangeBatch);
	// its message holds one line per problem.
	SubjectChangeBatch cloud.Kind = "route53-change-batch"
	// SubjectDomain is a name that is not a domain name (InvalidDomainName).
	SubjectDomain cloud.Kind = "route53-domain"
	// SubjectDNSSEC is DNSSEC asked of a private zone (InvalidArgument).
	SubjectDNSSEC cloud.Kind = "route53-dnssec"
)

// Change statuses.
const (
	StatusPending = "PENDING"
	StatusInsync  = "INSYNC"
)

// Index keys the family looks records up by.
func accountKey(account string) cloud.Key { return cloud.Key{Name: "r53-account", Value: account} }
func callerRefKey(account, ref string) cloud.Key {
	return cloud.Key{Name: "r53-caller-ref", Value: account + "/" + ref}
}
func vpcKey(v VPC) cloud.Key { return cloud.Key{Name: "r53-vpc", Value: v.Region + "/" + v.ID} }

// publicNameKey finds the public zones of a name (an Fqdn), of every
// account: they answer public DNS (see PublicDNS).
func publicNameKey(name string) cloud.Key { return cloud.Key{Name: "r53-public-name", Value: name} }

// newRoute53ID is an id as Route 53 makes them: a letter and upper-case
// alphanumerics (Z0A1B2C3D4E5F6G7H8I, C0…), from the kernel's ids.
func newRoute53ID(t *cloud.Txn, letter string) string {
	id := t.NewID("")
	return letter + "0" + strings.ToUpper(id[len(id)-17:])
}

// Fqdn is a domain name as Route 53 keeps it: lower case, ending with a
// dot.
func Fqdn(name string) string {
	name = strings.ToLower(strings.TrimSpace(name))
	if !strings.HasSuffix(name, ".") {
		name += "."
	}
	return name
}

// validName reports whether name (an Fqdn) is a domain name Route 53
// takes: labels of 1 to 63 characters, 255 in all.
func validName(name string) bool {
	if name == "." || len(name) > 255 {
		return false
	}
	if strings.ContainsFunc(name, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return false // nor may a name hold the space record ids are joined by
	}
	for _, l := range strings.Split(strings.TrimSuffix(name, "."), ".") {
		if l == "" || len(l) > 63 {
			return false
		}
	}
	return true
}

// inZone reports whether name lies within the zone apex (both Fqdn).
func inZone(name, apex string) bool {
	return name == apex || strings.HasSuffix(name, "."+apex)
}

// reversed is a name with its labels reversed (www.example.com. ->
// com.example.www), the order Route 53 lists record sets in.
func reversed(name string) string {
	labels := strings.Split(strings.TrimSuffix(name, "."), ".")
	for i, j := 0, len(labels)-1; i < j; i, j = i+1, j-1 {
		labels[i], labels[j] = labels[j], labels[i]
	}
	return strings.Join(labels, ".")
}

// StripZonePrefix takes the /hostedzone/ off a zone id as clients may send
// it (and /change/ off a change id).
func StripZonePrefix(id string) string {
	id = strings.TrimPrefix(id, "/hostedzone/")
	return strings.TrimPrefix(id, "/change/")
}
