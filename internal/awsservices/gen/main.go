// Command gen writes internal/awsservices/endpointservices.json, the
// catalog of AWS services a VPC endpoint can connect to, from two data
// files beside it:
//
//   - privatelink.json: the services as AWS's PrivateLink guide lists them
//     (interface and gateway services, cross-region ones, those without
//     endpoint policies, documented DNS names that break the pattern);
//   - sdkendpoints.json: an extract of the AWS SDK's endpoint metadata
//     (botocore's data/endpoints.json) giving, for each of those services,
//     the Regions it runs in and its Regional and FIPS host names.
//
// Usage (the //go:generate line of internal/awsservices):
//
//	go run ./gen
//
// To refresh sdkendpoints.json from a newer botocore first:
//
//	go run ./gen -botocore /path/to/botocore/data/endpoints.json -botocore-version 1.43.11
package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/vpcemu/vpcemu/internal/regions"
)

func main() {
	botocore := flag.String("botocore", "", "botocore data/endpoints.json to refresh sdkendpoints.json from")
	version := flag.String("botocore-version", "", "the botocore release -botocore comes from, recorded in sdkendpoints.json")
	flag.Parse()
	if *botocore != "" && *version == "" {
		fmt.Fprintln(os.Stderr, "awsservices/gen: -botocore needs -botocore-version")
		os.Exit(2)
	}
	if err := run(".", *botocore, *version); err != nil {
		fmt.Fprintln(os.Stderr, "awsservices/gen:", err)
		os.Exit(1)
	}
}

func run(dir, botocore, version string) error {
	pl, err := readPrivateLink(filepath.Join(dir, "privatelink.json"))
	if err != nil {
		return err
	}
	if botocore != "" {
		b, err := extractSDK(botocore, version, pl)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "sdkendpoints.json"), b, 0o644); err != nil {
			return err
		}
	}
	out, err := generate(dir)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "endpointservices.json"), out, 0o644)
}

// privateLink is privatelink.json.
type privateLink struct {
	Interface []struct {
		AWS   string   `json:"aws"`
		Names []string `json:"names"`
	} `json:"interface"`
	Gateway     []string            `json:"gateway"`
	CrossRegion []string            `json:"crossRegion"`
	NoPolicy    []string            `json:"noPolicy"`
	Overrides   map[string]override `json:"overrides"`
	ServiceIDs  map[string]string   `json:"serviceIds"`
}

// override is what AWS documents for one service against the defaults
// (privatelink.json also says why, in a "why" field gen does not read).
type override struct {
	// Endpoint is the service's key in the SDK's endpoint metadata.
	Endpoint string `json:"endpoint"`
	// PrivateDNSNames replaces the derived names; an empty list means none.
	PrivateDNSNames *[]string `json:"privateDnsNames"`
	IPAddressTypes  []string  `json:"ipAddressTypes"`
	Regions         []string  `json:"regions"`
}

func readPrivateLink(path string) (*privateLink, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var pl privateLink
	if err := json.Unmarshal(b, &pl); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &pl, nil
}

// names lists the interface service names of privatelink.json once each,
// in the guide's order (a service AWS lists under two headings, such as
// rds under Aurora, DocumentDB and RDS, is one endpoint service).
func (pl *privateLink) names() []string {
	var out []string
	for _, g := range pl.Interface {
		for _, n := range g.Names {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}

// svcName is one endpoint service name taken apart.
type svcName struct {
	template string // com.amazonaws.{region}.rds
	short    string // rds
	prefix   string // com.amazonaws, aws.api, aws.sagemaker
	region   string // a fixed region (aws.api.us-east-2.…), or ""
	global   bool   // no region in the name (com.amazonaws.iam)
}

// parseName reads a privatelink.json name: a bare name stands for
// com.amazonaws.{region}.<name>.
func parseName(n string) svcName {
	if !strings.HasPrefix(n, "com.amazonaws.") && !strings.HasPrefix(n, "aws.") {
		return svcName{template: "com.amazonaws.{region}." + n, short: n, prefix: "com.amazonaws"}
	}
	parts := strings.SplitN(n, ".", 4)
	switch {
	case len(parts) == 4 && parts[2] == "{region}":
		return svcName{template: n, short: parts[3], prefix: parts[0] + "." + parts[1]}
	case len(parts) == 4 && strings.Count(parts[2], "-") == 2:
		return svcName{template: n, short: parts[3], prefix: parts[0] + "." + parts[1], region: parts[2]}
	default:
		return svcName{template: n, short: strings.TrimPrefix(n, "com.amazonaws."), prefix: "com.amazonaws", global: true}
	}
}

// fips reports a FIPS service (kms-fips, iot-fips.api) and its base name.
func fips(short string) (base string, ok bool) {
	if b, ok := strings.CutSuffix(short, "-fips"); ok {
		return b, true
	}
	if strings.Contains(short, "-fips.") {
		return strings.Replace(short, "-fips.", ".", 1), true
	}
	return short, false
}

// reversed turns a dotted service name into AWS's host name order:
// ecr.api is api.ecr, sagemaker.featurestore-runtime is
// featurestore-runtime.sagemaker.
func reversed(short string) string {
	parts := strings.Split(short, ".")
	slices.Reverse(parts)
	return strings.Join(parts, ".")
}

// sdkKey is a key of the SDK's endpoint metadata a service may be under;
// exact when it names the service itself (a key of the service's first
// name part only gives its Regions).
type sdkKey struct {
	key   string
	exact bool
}

// sdkKeys are the keys a service may be under, best first.
func sdkKeys(short string, o override) []sdkKey {
	if o.Endpoint != "" {
		return []sdkKey{{o.Endpoint, true}}
	}
	base, _ := fips(short)
	out := []sdkKey{{base, true}}
	if strings.Contains(base, ".") {
		out = append(out, sdkKey{reversed(base), true}, sdkKey{strings.Split(base, ".")[0], false})
	}
	return out
}

// sdkFile is sdkendpoints.json.
type sdkFile struct {
	Comment   string                 `json:"_comment"`
	Source    string                 `json:"source"`
	Endpoints map[string]sdkEndpoint `json:"endpoints"`
}

// sdkEndpoint is one service of the SDK's endpoint metadata: its Regions,
// host names that differ from <key>.<region>.amazonaws.com, its FIPS
// Regions and their host names that differ from
// <key>-fips.<region>.amazonaws.com, and the host name of a global
// service.
type sdkEndpoint struct {
	Regions       []string          `json:"regions,omitempty"`
	Hostnames     map[string]string `json:"hostnames,omitempty"`
	FIPS          []string          `json:"fips,omitempty"`
	FIPSHostnames map[string]string `json:"fipsHostnames,omitempty"`
	Global        string            `json:"global,omitempty"`
}

func (e sdkEndpoint) hostname(key, region string, fips bool) string {
	if fips {
		if h, ok := e.FIPSHostnames[region]; ok {
			return h
		}
		return key + "-fips." + region + ".amazonaws.com"
	}
	if h, ok := e.Hostnames[region]; ok {
		return h
	}
	return key + "." + region + ".amazonaws.com"
}

// service is one entry of endpointservices.json.
type service struct {
	Name                 string   `json:"name"`
	Service              string   `json:"service"`
	Type                 string   `json:"type"`
	Regions              []string `json:"regions,omitempty"`
	BaseEndpointDNSNames []string `json:"baseEndpointDnsNames"`
	PrivateDNSNames      []string `json:"privateDnsNames,omitempty"`
	// RegionPrivateDNSNames are the private DNS names of the regions where
	// they differ from PrivateDNSNames.
	RegionPrivateDNSNames map[string][]string `json:"regionPrivateDnsNames,omitempty"`
	PolicySupported       bool                `json:"policySupported"`
	IPAddressTypes        []string            `json:"ipAddressTypes"`
	CrossRegion           bool                `json:"crossRegion,omitempty"`
}

// generate renders endpointservices.json from the data files in dir.
func generate(dir string) ([]byte, error) {
	pl, err := readPrivateLink(filepath.Join(dir, "privatelink.json"))
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(filepath.Join(dir, "sdkendpoints.json"))
	if err != nil {
		return nil, err
	}
	var sdk sdkFile
	if err := json.Unmarshal(b, &sdk); err != nil {
		return nil, fmt.Errorf("sdkendpoints.json: %w", err)
	}
	cat := newCatalog(sdk)
	var out []service
	for _, n := range pl.Gateway {
		e, ok := sdk.Endpoints[n]
		if !ok {
			return nil, fmt.Errorf("gateway service %s is not in sdkendpoints.json", n)
		}
		out = append(out, service{
			Name: "com.amazonaws.{region}." + n, Service: n, Type: "Gateway",
			Regions:              cat.list(e.Regions),
			BaseEndpointDNSNames: []string{n + ".{region}.amazonaws.com"},
			PolicySupported:      true, IPAddressTypes: []string{"ipv4"},
		})
	}
	for _, n := range pl.names() {
		s, err := interfaceService(n, pl, sdk, cat)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b service) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.Type, b.Type))
	})
	for k := range pl.Overrides {
		if !slices.Contains(pl.names(), k) {
			return nil, fmt.Errorf("privatelink.json overrides %s, which it does not list", k)
		}
	}
	return encode(struct {
		Comment    string            `json:"_comment"`
		Services   []service         `json:"services"`
		ServiceIDs map[string]string `json:"serviceIds"`
	}{
		Comment: "Generated by `go generate ./internal/awsservices` from privatelink.json and sdkendpoints.json; do not edit. " +
			"{region} stands for the region; a service without regions is in every region of internal/regions.",
		Services:   out,
		ServiceIDs: pl.ServiceIDs,
	})
}

// encode renders v as indented JSON with lists of strings on one line.
func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return stringLists.ReplaceAllFunc(buf.Bytes(), func(m []byte) []byte {
		return []byte("[" + strings.Join(strings.Fields(string(m[1:len(m)-1])), " ") + "]")
	}), nil
}

// stringLists matches an indented JSON list of strings (none of which
// holds a space or a bracket).
var stringLists = regexp.MustCompile(`\[\n\s*"[^\]]*?"\n\s*\]`)

// interfaceService makes the catalog entry of one interface service.
func interfaceService(n string, pl *privateLink, sdk sdkFile, cat catalog) (service, error) {
	name := parseName(n)
	o := pl.Overrides[n]
	_, isFIPS := fips(name.short)
	s := service{
		Name: name.template, Service: name.short, Type: "Interface",
		BaseEndpointDNSNames: []string{reversed(name.short) + ".{region}.vpce.amazonaws.com"},
		PolicySupported:      !slices.Contains(pl.NoPolicy, n),
		IPAddressTypes:       []string{"ipv4"},
		CrossRegion:          slices.Contains(pl.CrossRegion, n),
	}
	if o.IPAddressTypes != nil {
		s.IPAddressTypes = o.IPAddressTypes
	}
	// Where it runs and its Regional DNS name: from the SDK's metadata
	// when it has the service, else AWS's naming pattern in every Region.
	var (
		key   string
		e     sdkEndpoint
		exact bool
	)
	for _, k := range sdkKeys(name.short, o) {
		if found, ok := sdk.Endpoints[k.key]; ok {
			key, e, exact = k.key, found, k.exact
			break
		}
	}
	switch {
	case o.Regions != nil:
		s.Regions = o.Regions
	case name.region != "":
		s.Regions = []string{name.region}
	case name.global || key != "" && e.Regions == nil && e.Global != "":
		// AWS's global services take endpoints in their home Region.
		s.Regions = []string{"us-east-1"}
	case key != "" && isFIPS && e.FIPS != nil:
		s.Regions = cat.list(e.FIPS)
	case isFIPS:
		// AWS lists a FIPS endpoint service the SDK has no FIPS host
		// for: AWS's FIPS endpoints are in its US and Canada Regions.
		in := e.Regions
		if key == "" {
			in = cat.all
		}
		s.Regions = cat.list(slices.DeleteFunc(slices.Clone(in), func(r string) bool {
			return !strings.HasPrefix(r, "us-") && !strings.HasPrefix(r, "ca-")
		}))
	case key != "":
		s.Regions = cat.list(e.Regions)
	}
	if s.Regions != nil && len(s.Regions) == 0 {
		return service{}, fmt.Errorf("%s is offered in no region of vpcemu", n)
	}
	switch {
	case o.PrivateDNSNames != nil:
		s.PrivateDNSNames = *o.PrivateDNSNames
	case e.Global != "" && (name.global || e.Regions == nil):
		s.PrivateDNSNames = []string{e.Global}
	case name.global:
		s.PrivateDNSNames = []string{name.short + ".amazonaws.com"}
	case name.prefix == "aws.api":
		s.PrivateDNSNames = []string{name.short + ".{region}.api.aws"}
	case name.prefix == "aws.sagemaker":
		s.PrivateDNSNames = []string{"*." + name.short + ".{region}.sagemaker.aws"}
	case exact:
		host, other := regionalNames(key, e, s.Regions, cat, isFIPS)
		s.PrivateDNSNames, s.RegionPrivateDNSNames = []string{host}, other
	default:
		s.PrivateDNSNames = []string{reversed(name.short) + ".{region}.amazonaws.com"}
	}
	return s, nil
}

// regionalNames is the service's host name with {region} for the region,
// as in most of the regions it runs in, and the names of the regions where
// it differs.
func regionalNames(key string, e sdkEndpoint, in []string, cat catalog, fips bool) (string, map[string][]string) {
	if in == nil {
		in = cat.all
	}
	count := map[string]int{}
	for _, r := range in {
		if slices.Contains(cat.fresh, r) {
			continue
		}
		count[strings.Replace(e.hostname(key, r, fips), r, "{region}", 1)]++
	}
	tpl := ""
	for t, n := range count {
		if n > count[tpl] || n == count[tpl] && t < tpl {
			tpl = t
		}
	}
	var other map[string][]string
	for _, r := range in {
		if slices.Contains(cat.fresh, r) {
			continue // the SDK knows no host there: the template's
		}
		if h := e.hostname(key, r, fips); h != strings.ReplaceAll(tpl, "{region}", r) {
			if other == nil {
				other = map[string][]string{}
			}
			other[r] = []string{h}
		}
	}
	return tpl, other
}

// catalog is vpcemu's regions (all), and those among them newer than
// sdkendpoints.json (fresh: no service there names them).
type catalog struct{ all, fresh []string }

func newCatalog(sdk sdkFile) catalog {
	named := map[string]bool{}
	for _, e := range sdk.Endpoints {
		for _, r := range e.Regions {
			named[r] = true
		}
	}
	var c catalog
	for _, r := range regions.All() {
		c.all = append(c.all, r.Name)
		if !named[r.Name] {
			c.fresh = append(c.fresh, r.Name)
		}
	}
	return c
}

// list is the regions of vpcemu among in, or nil when that is all of
// them. A service in every region the SDK's metadata knows is taken to be
// in the regions newer than it too (fresh): AWS opens a region with the
// services it runs everywhere.
func (c catalog) list(in []string) []string {
	out := []string{}
	everywhere := true
	for _, r := range c.all {
		switch {
		case slices.Contains(in, r):
			out = append(out, r)
		case !slices.Contains(c.fresh, r):
			everywhere = false
		}
	}
	if everywhere {
		return nil
	}
	return out
}
