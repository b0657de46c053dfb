// Package awsservices is the catalog of AWS's own services as a VPC sees
// them, read from embedded data files: the endpoint services a VPC endpoint
// can connect to (endpointservices.json) and the AWS-managed prefix lists of
// the gateway-endpoint services (prefixlists.json), in every region of
// internal/regions. The catalog is the same for every account of a region.
package awsservices

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/vpcemu/vpcemu/internal/regions"
)

// Owner is the owner AWS shows for its own endpoint services.
const Owner = "amazon"

// Endpoint service types.
const (
	TypeGateway   = "Gateway"
	TypeInterface = "Interface"
)

// EndpointService is one AWS service of one region, of one endpoint type:
// a service with both gateway and interface endpoints is two entries.
type EndpointService struct {
	ID      string // vpce-svc-…, the same in every account of the region
	Name    string // com.amazonaws.<region>.<service>
	Service string // s3, ecr.api, …
	Region  string
	Type    string // Gateway or Interface
	Zones   []regions.Zone
	// BaseEndpointDNSNames are the service's own DNS names
	// (<service>.<region>.vpce.amazonaws.com for interface endpoints).
	BaseEndpointDNSNames []string
	// PrivateDNSNames are the names private DNS resolves to the endpoint;
	// the first is the service's PrivateDnsName. Gateway services have none.
	PrivateDNSNames []string
	PolicySupported bool
	IPAddressTypes  []string // ipv4, ipv6
	// CrossRegion marks an interface service a VPC of another region can
	// reach (cross-region PrivateLink).
	CrossRegion bool
}

// PrivateDNSName is the service's private DNS name, or "".
func (s *EndpointService) PrivateDNSName() string {
	if len(s.PrivateDNSNames) == 0 {
		return ""
	}
	return s.PrivateDNSNames[0]
}

// PrefixList is one AWS-managed prefix list: the address ranges of a
// gateway-endpoint service in one region.
type PrefixList struct {
	ID            string // pl-…, the same in every account of the region
	Name          string // com.amazonaws.<region>.<service>
	Service       string
	Region        string
	AddressFamily string
	// Weight is what a reference to the list counts toward the quotas of
	// rules per security group and routes per route table.
	Weight int32
	CIDRs  []string
}

var (
	//go:embed endpointservices.json
	endpointServicesData []byte
	//go:embed prefixlists.json
	prefixListsData []byte

	servicesByRegion = map[string][]EndpointService{}
	listsByRegion    = map[string][]PrefixList{}
)

func init() {
	if err := loadEndpointServices(); err != nil {
		panic("awsservices: endpointservices.json: " + err.Error())
	}
	if err := loadPrefixLists(); err != nil {
		panic("awsservices: prefixlists.json: " + err.Error())
	}
}

// serviceTemplate is one entry of endpointservices.json.
type serviceTemplate struct {
	Service              string   `json:"service"`
	Type                 string   `json:"type"`
	BaseEndpointDNSNames []string `json:"baseEndpointDnsNames"`
	PrivateDNSNames      []string `json:"privateDnsNames"`
	PolicySupported      bool     `json:"policySupported"`
	IPAddressTypes       []string `json:"ipAddressTypes"`
	CrossRegion          bool     `json:"crossRegion"`
}

func loadEndpointServices() error {
	var f struct {
		Services   []serviceTemplate `json:"services"`
		ServiceIDs map[string]string `json:"serviceIds"`
	}
	if err := json.Unmarshal(endpointServicesData, &f); err != nil {
		return err
	}
	for _, r := range regions.All() {
		for _, tpl := range f.Services {
			s := tpl.expand(r)
			if id, ok := f.ServiceIDs[s.Name+"/"+s.Type]; ok {
				s.ID = id
			}
			servicesByRegion[r.Name] = append(servicesByRegion[r.Name], s)
		}
		sortServices(servicesByRegion[r.Name])
	}
	return nil
}

// expand makes the template's service in one region.
func (tpl serviceTemplate) expand(r regions.Region) EndpointService {
	fill := func(names []string) []string {
		out := make([]string, len(names))
		for i, n := range names {
			out[i] = strings.ReplaceAll(n, "{region}", r.Name)
		}
		return out
	}
	s := EndpointService{
		Name:                 "com.amazonaws." + r.Name + "." + tpl.Service,
		Service:              tpl.Service,
		Region:               r.Name,
		Type:                 tpl.Type,
		Zones:                r.Zones,
		BaseEndpointDNSNames: fill(tpl.BaseEndpointDNSNames),
		PrivateDNSNames:      fill(tpl.PrivateDNSNames),
		PolicySupported:      tpl.PolicySupported,
		IPAddressTypes:       tpl.IPAddressTypes,
		CrossRegion:          tpl.CrossRegion,
	}
	s.ID = derivedServiceID(s.Name, s.Type)
	return s
}

// derivedServiceID is a stable id for a service AWS's id is not known of:
// vpce-svc- and 17 hex digits of a hash of its name and type.
func derivedServiceID(name, typ string) string {
	sum := sha256.Sum256([]byte(name + "/" + typ))
	return "vpce-svc-" + hex.EncodeToString(sum[:])[:17]
}

func sortServices(s []EndpointService) {
	sort.Slice(s, func(i, j int) bool {
		if s[i].Name != s[j].Name {
			return s[i].Name < s[j].Name
		}
		return s[i].Type < s[j].Type
	})
}

func loadPrefixLists() error {
	var f struct {
		Regions map[string][]struct {
			Service       string   `json:"service"`
			ID            string   `json:"id"`
			Name          string   `json:"name"`
			AddressFamily string   `json:"addressFamily"`
			Weight        int32    `json:"weight"`
			CIDRs         []string `json:"cidrs"`
		} `json:"regions"`
	}
	if err := json.Unmarshal(prefixListsData, &f); err != nil {
		return err
	}
	for _, r := range regions.All() {
		lists, ok := f.Regions[r.Name]
		if !ok {
			return fmt.Errorf("no prefix lists for region %s", r.Name)
		}
		for _, l := range lists {
			listsByRegion[r.Name] = append(listsByRegion[r.Name], PrefixList{
				ID: l.ID, Name: l.Name, Service: l.Service, Region: r.Name,
				AddressFamily: l.AddressFamily, Weight: l.Weight, CIDRs: l.CIDRs,
			})
		}
		sort.Slice(listsByRegion[r.Name], func(i, j int) bool { return listsByRegion[r.Name][i].ID < listsByRegion[r.Name][j].ID })
	}
	return nil
}

// EndpointServices lists the region's AWS endpoint services in name order
// (a gateway entry before the interface entry of the same name). The slice
// is shared: callers must not modify it.
func EndpointServices(region string) []EndpointService { return servicesByRegion[region] }

// PrefixLists lists the region's AWS-managed prefix lists in id order. The
// slice is shared: callers must not modify it.
func PrefixLists(region string) []PrefixList { return listsByRegion[region] }

// FindPrefixList finds one of the region's AWS-managed prefix lists by id.
func FindPrefixList(region, id string) (PrefixList, bool) {
	for _, l := range listsByRegion[region] {
		if l.ID == id {
			return l, true
		}
	}
	return PrefixList{}, false
}

// PrefixListOf finds the AWS-managed prefix list of a gateway-endpoint
// service (s3, dynamodb) in a region.
func PrefixListOf(region, service string) (PrefixList, bool) {
	for _, l := range listsByRegion[region] {
		if l.Service == service {
			return l, true
		}
	}
	return PrefixList{}, false
}
