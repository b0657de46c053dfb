package insights

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// NetworkInsightsPath (nip-…) is a Reachability Analyzer path: the traffic
// to analyse, from a source to a destination. Analyses of it are
// NetworkInsightsAnalysis records; the reachability engine answers them.
type NetworkInsightsPath struct {
	cloud.Meta
	CreatedDate time.Time
	// Source and Destination are as the caller gave them (an id or an
	// ARN); SourceARN and DestinationARN are their ARNs.
	Source, Destination       string
	SourceARN, DestinationARN string `json:",omitempty"`
	SourceIP, DestinationIP   string `json:",omitempty"`
	Protocol                  string
	// DestinationPort is nil when the path names none (any port).
	DestinationPort                     *int        `json:",omitempty"`
	FilterAtSource, FilterAtDestination *PathFilter `json:",omitempty"`
}

// PathFilter narrows the packets of a path at one of its ends: AWS's
// PathFilter. Empty members leave a field open.
type PathFilter struct {
	SourceAddress, DestinationAddress     string     `json:",omitempty"`
	SourcePortRange, DestinationPortRange *PortRange `json:",omitempty"`
}

// PortRange is an inclusive range of ports.
type PortRange struct{ From, To int }

// pathEndKinds are the resources a path may start or end at, as AWS lists
// them; their kind names are also their ARN resource types. vpcemu models
// no transit or VPN gateway, so those ids are never found.
var pathEndKinds = []cloud.Kind{
	cloud.KindInstance, cloud.KindNetworkInterface, cloud.KindInternetGateway, cloud.KindVPCEndpoint,
	cloud.KindVPCEndpointService, cloud.KindVPCPeering, cloud.KindTransitGateway, cloud.KindVPNGateway,
}

// pathProtocols are the protocols a path may name.
var pathProtocols = []string{"tcp", "udp"}

func (*NetworkInsightsPath) Kind() cloud.Kind { return cloud.KindNetworkInsightsPath }

func init() { cloud.RegisterType[NetworkInsightsPath]() }

// pathIndexes are the filters DescribeNetworkInsightsPaths finds by index.
// A path end is an id or an ARN; the index holds ids.
var pathIndexes = cloud.Declare(cloud.KindNetworkInsightsPath, cloud.Indexes{
	"protocol":    {Key: "protocol"},
	"source":      {Key: "source", Value: arn.ResourceID},
	"destination": {Key: "destination", Value: arn.ResourceID},
}, nil)

func (p *NetworkInsightsPath) Keys() []cloud.Key {
	keys := []cloud.Key{pathIndexes.Key("protocol", p.Protocol), pathIndexes.Key("source", p.Source)}
	if p.Destination != "" {
		keys = append(keys, pathIndexes.Key("destination", p.Destination))
	}
	return keys
}

// ARN is the path's Amazon Resource Name.
func (p *NetworkInsightsPath) ARN() string { return p.EC2ARN(string(cloud.KindNetworkInsightsPath)) }

// SourceID and DestinationID are the ids of the path's ends, whether the
// caller named them by id or by ARN.
func (p *NetworkInsightsPath) SourceID() string      { return arn.ResourceID(p.Source) }
func (p *NetworkInsightsPath) DestinationID() string { return arn.ResourceID(p.Destination) }

// NetworkInsightsPathInput is what CreateNetworkInsightsPath takes.
type NetworkInsightsPathInput struct {
	Source, Destination                 string
	SourceIP, DestinationIP             string
	Protocol                            string
	DestinationPort                     *int
	FilterAtSource, FilterAtDestination *PathFilter
	Tags                                []cloud.TagSpec
}

// check refuses what AWS refuses before looking anything up: a protocol
// other than tcp or udp, addresses that are not IPv4, bad port ranges, and
// filters combined with the parameters they replace.
func (in *NetworkInsightsPathInput) check() error {
	if !slices.Contains(pathProtocols, in.Protocol) {
		return cloud.InvalidParam("Value (%s) for parameter protocol is invalid. Valid values: tcp, udp", in.Protocol)
	}
	if fs := in.FilterAtSource; fs != nil && (in.SourceIP != "" || in.DestinationPort != nil) {
		return cloud.Errorf(cloud.InvalidCombination, "", "FilterAtSource cannot be specified with SourceIp or DestinationPort")
	}
	if in.FilterAtDestination != nil && in.DestinationIP != "" {
		return cloud.Errorf(cloud.InvalidCombination, "", "FilterAtDestination cannot be specified with DestinationIp")
	}
	if in.Destination == "" && in.DestinationIP == "" && in.FilterAtSource.destination() == "" && in.FilterAtDestination.destination() == "" {
		return cloud.Errorf(cloud.MissingParameter, "", "The request must contain a Destination, a DestinationIp or a destination address filter")
	}
	for name, a := range map[string]string{"SourceIp": in.SourceIP, "DestinationIp": in.DestinationIP} {
		if err := checkIPv4(name, a); err != nil {
			return err
		}
	}
	for name, f := range map[string]*PathFilter{"FilterAtSource": in.FilterAtSource, "FilterAtDestination": in.FilterAtDestination} {
		if err := f.check(name); err != nil {
			return err
		}
	}
	return nil
}

// destination is the destination address a filter names, if any.
func (f *PathFilter) destination() string {
	if f == nil {
		return ""
	}
	return f.DestinationAddress
}

// check refuses a filter's addresses that are not IPv4 and port ranges
// that run backwards.
func (f *PathFilter) check(name string) error {
	if f == nil {
		return nil
	}
	if err := checkIPv4(name+".SourceAddress", f.SourceAddress); err != nil {
		return err
	}
	if err := checkIPv4(name+".DestinationAddress", f.DestinationAddress); err != nil {
		return err
	}
	for field, r := range map[string]*PortRange{"SourcePortRange": f.SourcePortRange, "DestinationPortRange": f.DestinationPortRange} {
		if r != nil && r.From > r.To {
			return cloud.InvalidParam("Invalid %s.%s: the FromPort (%d) is greater than the ToPort (%d)", name, field, r.From, r.To)
		}
	}
	return nil
}

// checkIPv4 refuses an address that is not a dotted IPv4 address.
func checkIPv4(name, a string) error {
	if a == "" {
		return nil
	}
	if ip, err := netip.ParseAddr(a); err != nil || !ip.Is4() {
		return cloud.InvalidParam("The %s '%s' is not a valid IPv4 address", name, a)
	}
	return nil
}

// CreateNetworkInsightsPath records a path to analyse. Its source and
// destination are resources of the caller, by id or ARN, or resources of
// other accounts by ARN (which vpcemu takes on trust, as AWS does).
func (c *Service) CreateNetworkInsightsPath(ctx context.Context, who cloud.Caller, in NetworkInsightsPathInput) (*NetworkInsightsPath, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	tags, err := cloud.TagsFor(in.Tags, cloud.KindNetworkInsightsPath)
	if err != nil {
		return nil, err
	}
	var p *NetworkInsightsPath
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		p = &NetworkInsightsPath{
			Meta:        cloud.Meta{ID: t.NewID("nip-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags[cloud.KindNetworkInsightsPath]},
			CreatedDate: t.Now, Source: in.Source, Destination: in.Destination,
			SourceIP: in.SourceIP, DestinationIP: in.DestinationIP, Protocol: in.Protocol, DestinationPort: in.DestinationPort,
			FilterAtSource: in.FilterAtSource, FilterAtDestination: in.FilterAtDestination,
		}
		var err error
		if p.SourceARN, err = endARN(t, "source", in.Source); err != nil {
			return err
		}
		if in.Destination != "" {
			if p.DestinationARN, err = endARN(t, "destination", in.Destination); err != nil {
				return err
			}
		}
		return cloud.Put(t, p)
	})
	return p, err
}

// endARN checks a path's end and returns its ARN: a resource of the
// caller's (by id or ARN) must exist; another account's, named by ARN, is
// taken as given.
func endARN(t *cloud.Txn, role, end string) (string, error) {
	id := end
	if strings.HasPrefix(end, "arn:") {
		parts := strings.SplitN(end, ":", 6)
		if len(parts) != 6 || parts[2] != "ec2" || !strings.Contains(parts[5], "/") {
			return "", cloud.InvalidParam("The %s '%s' is not a valid resource ARN", role, end)
		}
		region, account, resource := parts[3], parts[4], parts[5]
		if region != t.Scope.Region {
			return "", cloud.InvalidParam("The %s '%s' is in another Region than the path (%s)", role, end, t.Scope.Region)
		}
		id = arn.ResourceID(end)
		if kind, _ := cloud.KindOfID(id); resource != string(kind)+"/"+id {
			return "", cloud.InvalidParam("The %s '%s' is not a valid resource ARN", role, end)
		}
		if account != t.Scope.Account {
			return end, nil
		}
	}
	kind, ok := cloud.KindOfID(id)
	if !ok || !slices.Contains(pathEndKinds, kind) {
		return "", cloud.InvalidParam("The %s '%s' is not a supported resource: use an instance, a network interface, an internet gateway, a transit gateway, a VPC endpoint, a VPC endpoint service, a VPC peering connection or a VPN gateway", role, end)
	}
	o, err := cloud.GetByID(t, id)
	if err != nil {
		return "", err
	}
	return o.Base().EC2ARN(string(kind)), nil
}

// DeleteNetworkInsightsPath deletes one of the caller's paths; a path
// with analyses cannot be deleted until they are.
func (c *Service) DeleteNetworkInsightsPath(ctx context.Context, who cloud.Caller, id string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		p, err := cloud.GetIn[NetworkInsightsPath](t, id)
		if err != nil {
			return err
		}
		analysed, err := cloud.Exists(t, cloud.KindNetworkInsightsAnalysis, pathKey(id))
		if err != nil {
			return err
		}
		if analysed {
			return cloud.Errorf(cloud.DependencyViolation, cloud.KindNetworkInsightsPath, "The network insights path '%s' has analyses: delete them first.", id)
		}
		return cloud.Remove(t, p)
	})
}

// pathKey indexes the analyses of a path.
func pathKey(id string) cloud.Key { return analysisIndexes.Key("network-insights-path-id", id) }
