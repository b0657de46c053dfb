package privatelink

import (
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/hostedzone"
)

// DNSEntry is one DNS name of an interface endpoint and the Route 53
// hosted zone that holds it.
type DNSEntry struct {
	DNSName      string
	HostedZoneID string
}

// vpceHostedZones are the public hosted zones of <region>.vpce.amazonaws.com,
// which hold the regional and zonal names of interface endpoints. Sources:
// DescribeVpcEndpoints captures in AWS's documentation and CLI examples
// (us-east-1, us-east-2, us-west-2) and the table of AWS's canonical hosted
// zones in kubernetes-sigs/external-dns (the rest). ca-west-1 and
// il-central-1 are not listed there: vpceHostedZone derives theirs.
var vpceHostedZones = map[string]string{
	"af-south-1":     "Z09302161J80N9A7UTP7U",
	"ap-east-1":      "Z2LIHJ7PKBEMWN",
	"ap-northeast-1": "Z2E726K9Y6RL4W",
	"ap-northeast-2": "Z27UANNT0PRK1T",
	"ap-northeast-3": "Z376B5OMM2JZL2",
	"ap-south-1":     "Z2KVTB3ZLFM7JR",
	"ap-south-2":     "Z0952991RWSF5AHIQDIY",
	"ap-southeast-1": "Z18LLCSTV4NVNL",
	"ap-southeast-2": "ZDK2GCRPAFKGO",
	"ap-southeast-3": "Z03881013RZ9BYYZO8N5W",
	"ap-southeast-4": "Z07508191CO1RNBX3X3AU",
	"ca-central-1":   "ZRCXCF510Y6P9",
	"eu-central-1":   "Z273ZU8SZ5RJPC",
	"eu-central-2":   "Z045369019J4FUQ4S272E",
	"eu-north-1":     "Z3OWWK6JFDEDGC",
	"eu-south-1":     "Z2A5FDNRLY7KZG",
	"eu-south-2":     "Z014396544HENR57XQCJ",
	"eu-west-1":      "Z38GZ743OKFT7T",
	"eu-west-2":      "Z7K1066E3PUKB",
	"eu-west-3":      "Z1DWHTMFP0WECP",
	"me-central-1":   "Z07122992YCEUCB9A9570",
	"me-south-1":     "Z3B95P3VBGEQGY",
	"sa-east-1":      "Z2LXUWEVLCVZIB",
	"us-east-1":      "Z7HUB22UULQXV",
	"us-east-2":      "ZC8PG0KIFKBRI",
	"us-west-1":      "Z12I86A8N7VCZO",
	"us-west-2":      "Z1YSA3EXCYUU9Z",
}

// vpceHostedZone is the hosted zone of a region's endpoint DNS names.
func vpceHostedZone(region string) string {
	if id, ok := vpceHostedZones[region]; ok {
		return id
	}
	return hostedzone.ID("vpce." + region)
}

// pendingHostedZone is the HostedZoneId AWS shows for the private DNS name
// while the endpoint's private hosted zone is being made.
const pendingHostedZone = "ZONEIDPENDING"

// dnsLabel is a new random label of eight letters and digits, the part
// AWS adds after an endpoint's id in its DNS names.
func dnsLabel(t *cloud.Txn) string { return hostedzone.Base36(t.NewID(""), 8) }

// EntriesFor lists an interface endpoint's DNS names as AWS does: the
// regional name, one zonal name per subnet zone, then, with private DNS,
// the service's name in the endpoint's private hosted zone. An endpoint
// without network interfaces (created with no subnets, or whose last
// subnet was removed) has no names: there is no address for them to answer
// with (the Terraform provider's interface acceptance test, run against
// AWS, expects no dns_entry for such an endpoint).
func (e *VPCEndpoint) EntriesFor(zones []string) []DNSEntry {
	if e.Type != EndpointTypeInterface || e.State == VPCEndpointDeleted || e.ServiceDNSName == "" || len(e.NetworkInterfaceIDs) == 0 {
		return nil
	}
	prefix := ""
	if e.WildcardDNS {
		prefix = "*."
	}
	zone := vpceHostedZone(e.ServiceRegionName())
	host := prefix + e.ID + "-" + e.DNSLabel
	out := []DNSEntry{{DNSName: host + "." + e.ServiceDNSName, HostedZoneID: zone}}
	for _, z := range zones {
		out = append(out, DNSEntry{DNSName: host + "-" + z + "." + e.ServiceDNSName, HostedZoneID: zone})
	}
	if e.PrivateDNSEnabled && e.ServicePrivateDNSName != "" {
		private := hostedzone.ID(e.ID)
		if e.State == VPCEndpointPending {
			private = pendingHostedZone
		}
		out = append(out, DNSEntry{DNSName: e.ServicePrivateDNSName, HostedZoneID: private})
	}
	return out
}
