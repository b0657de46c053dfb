package ec2

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/vpcemu/vpcemu/internal/analyzer"
	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/insights"
	"github.com/vpcemu/vpcemu/internal/optional"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// The Reachability Analyzer API: paths, and analyses the reachability
// engine answers through analyzer.Analyze, as `vpcemu analyze` does.

// CreateNetworkInsightsPath implements ec2api.Handler.
func (s *Service) CreateNetworkInsightsPath(ctx context.Context, req *awsproto.Request, in *ec2api.CreateNetworkInsightsPathInput) (*ec2api.CreateNetworkInsightsPathOutput, error) {
	var port *int
	if in.DestinationPort != nil {
		port = new(int(*in.DestinationPort))
	}
	p, err := s.insights.CreateNetworkInsightsPath(ctx, caller(req), insights.NetworkInsightsPathInput{
		Source: optional.Value(in.Source), Destination: optional.Value(in.Destination),
		SourceIP: optional.Value(in.SourceIp), DestinationIP: optional.Value(in.DestinationIp),
		Protocol: optional.Value(in.Protocol), DestinationPort: port,
		FilterAtSource: pathFilterIn(in.FilterAtSource), FilterAtDestination: pathFilterIn(in.FilterAtDestination),
		Tags: tagSpecs(in.TagSpecifications),
	})
	if err != nil {
		return nil, err
	}
	shape := pathShape(p)
	return &ec2api.CreateNetworkInsightsPathOutput{NetworkInsightsPath: &shape}, nil
}

// pathFilterIn reads a path filter of a request.
func pathFilterIn(f *ec2api.PathRequestFilter) *insights.PathFilter {
	if f == nil {
		return nil
	}
	return &insights.PathFilter{
		SourceAddress: optional.Value(f.SourceAddress), DestinationAddress: optional.Value(f.DestinationAddress),
		SourcePortRange: portRangeIn(f.SourcePortRange), DestinationPortRange: portRangeIn(f.DestinationPortRange),
	}
}

// portRangeIn reads a filter's port range; an open end is the first or
// the last port.
func portRangeIn(r *ec2api.RequestFilterPortRange) *insights.PortRange {
	if r == nil {
		return nil
	}
	out := &insights.PortRange{From: 0, To: 65535}
	if r.FromPort != nil {
		out.From = int(*r.FromPort)
	}
	if r.ToPort != nil {
		out.To = int(*r.ToPort)
	}
	return out
}

// pathShape renders a path.
func pathShape(p *insights.NetworkInsightsPath) ec2api.NetworkInsightsPath {
	out := ec2api.NetworkInsightsPath{
		NetworkInsightsPathId: new(p.ID), NetworkInsightsPathArn: new(p.ARN()), CreatedDate: optional.Time(p.CreatedDate),
		Source: new(p.Source), Destination: optional.String(p.Destination), SourceArn: optional.String(p.SourceARN), DestinationArn: optional.String(p.DestinationARN),
		SourceIp: optional.String(p.SourceIP), DestinationIp: optional.String(p.DestinationIP), Protocol: new(p.Protocol),
		FilterAtSource: pathFilterShape(p.FilterAtSource), FilterAtDestination: pathFilterShape(p.FilterAtDestination),
		Tags: tagSet(p.Tags),
	}
	if p.DestinationPort != nil {
		out.DestinationPort = new(int32(*p.DestinationPort))
	}
	return out
}

func pathFilterShape(f *insights.PathFilter) *ec2api.PathFilter {
	if f == nil {
		return nil
	}
	return &ec2api.PathFilter{
		SourceAddress: optional.String(f.SourceAddress), DestinationAddress: optional.String(f.DestinationAddress),
		SourcePortRange: filterPortRangeShape(f.SourcePortRange), DestinationPortRange: filterPortRangeShape(f.DestinationPortRange),
	}
}

func filterPortRangeShape(r *insights.PortRange) *ec2api.FilterPortRange {
	if r == nil {
		return nil
	}
	return &ec2api.FilterPortRange{FromPort: new(int32(r.From)), ToPort: new(int32(r.To))}
}

// pathFilterValues gives a filter's values for one of its members.
func pathFilterValues(at func(*insights.NetworkInsightsPath) *insights.PathFilter, member func(*insights.PathFilter) string) func(*insights.NetworkInsightsPath) []string {
	return func(p *insights.NetworkInsightsPath) []string {
		if f := at(p); f != nil {
			return one(member(f))
		}
		return nil
	}
}

func atSource(p *insights.NetworkInsightsPath) *insights.PathFilter { return p.FilterAtSource }
func atDestination(p *insights.NetworkInsightsPath) *insights.PathFilter {
	return p.FilterAtDestination
}
func sourceAddress(f *insights.PathFilter) string      { return f.SourceAddress }
func destinationAddress(f *insights.PathFilter) string { return f.DestinationAddress }
func sourcePorts(f *insights.PathFilter) string        { return portRangeFilterValue(f.SourcePortRange) }
func destinationPorts(f *insights.PathFilter) string {
	return portRangeFilterValue(f.DestinationPortRange)
}

// portRangeFilterValue is how the port range filters spell a range: "from-to".
func portRangeFilterValue(r *insights.PortRange) string {
	if r == nil {
		return ""
	}
	return fmt.Sprintf("%d-%d", r.From, r.To)
}

// endValues are a path end's values for the source and destination
// filters: its id, and its ARN when the caller gave one.
func endValues(given, id string) []string {
	if given == "" {
		return nil
	}
	if given != id {
		return []string{id, given}
	}
	return []string{id}
}

var pathFilters = &filters[*insights.NetworkInsightsPath]{
	values: map[string]func(*insights.NetworkInsightsPath) []string{
		"destination":                                  func(p *insights.NetworkInsightsPath) []string { return endValues(p.Destination, p.DestinationID()) },
		"source":                                       func(p *insights.NetworkInsightsPath) []string { return endValues(p.Source, p.SourceID()) },
		"protocol":                                     func(p *insights.NetworkInsightsPath) []string { return one(p.Protocol) },
		"filter-at-source.source-address":              pathFilterValues(atSource, sourceAddress),
		"filter-at-source.source-port-range":           pathFilterValues(atSource, sourcePorts),
		"filter-at-source.destination-address":         pathFilterValues(atSource, destinationAddress),
		"filter-at-source.destination-port-range":      pathFilterValues(atSource, destinationPorts),
		"filter-at-destination.source-address":         pathFilterValues(atDestination, sourceAddress),
		"filter-at-destination.source-port-range":      pathFilterValues(atDestination, sourcePorts),
		"filter-at-destination.destination-address":    pathFilterValues(atDestination, destinationAddress),
		"filter-at-destination.destination-port-range": pathFilterValues(atDestination, destinationPorts),
	},
	tags: func(p *insights.NetworkInsightsPath) cloud.Tags { return p.Tags },
	// A path end's filter value is an id or an ARN; the index holds ids.
}

// DescribeNetworkInsightsPaths implements ec2api.Handler.
func (s *Service) DescribeNetworkInsightsPaths(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeNetworkInsightsPathsInput) (*ec2api.DescribeNetworkInsightsPathsOutput, error) {
	page, err := describe[insights.NetworkInsightsPath](ctx, req, s, pathFilters, in.NetworkInsightsPathIds, in.Filters, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeNetworkInsightsPathsOutput{NetworkInsightsPaths: make([]ec2api.NetworkInsightsPath, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, p := range page.Items {
		out.NetworkInsightsPaths = append(out.NetworkInsightsPaths, pathShape(p))
	}
	return out, nil
}

// DeleteNetworkInsightsPath implements ec2api.Handler.
func (s *Service) DeleteNetworkInsightsPath(ctx context.Context, req *awsproto.Request, in *ec2api.DeleteNetworkInsightsPathInput) (*ec2api.DeleteNetworkInsightsPathOutput, error) {
	if err := s.insights.DeleteNetworkInsightsPath(ctx, caller(req), optional.Value(in.NetworkInsightsPathId)); err != nil {
		return nil, err
	}
	return &ec2api.DeleteNetworkInsightsPathOutput{NetworkInsightsPathId: in.NetworkInsightsPathId}, nil
}

// StartNetworkInsightsAnalysis implements ec2api.Handler. The analysis is
// done when the call returns, but the call answers it running, as AWS
// does: Describe shows it succeeded (or failed) with what it found.
func (s *Service) StartNetworkInsightsAnalysis(ctx context.Context, req *awsproto.Request, in *ec2api.StartNetworkInsightsAnalysisInput) (*ec2api.StartNetworkInsightsAnalysisOutput, error) {
	who := caller(req)
	a, err := s.insights.StartNetworkInsightsAnalysis(ctx, who, insights.AnalysisInput{
		PathID: optional.Value(in.NetworkInsightsPathId), AdditionalAccounts: in.AdditionalAccounts,
		FilterInARNs: in.FilterInArns, FilterOutARNs: in.FilterOutArns, Tags: tagSpecs(in.TagSpecifications),
	}, func(p *insights.NetworkInsightsPath) (insights.Finding, error) {
		q := pathQuery(p)
		q.ThroughARNs, q.AvoidARNs = in.FilterInArns, in.FilterOutArns
		res, err := analyzer.Analyze(ctx, s.cloud, who, q)
		if err != nil {
			return insights.Finding{}, err
		}
		body, err := analyzer.MarshalStored(analyzer.AnswerOf(res))
		return insights.Finding{PathFound: res.NetworkPathFound, Result: body}, err
	})
	if err != nil {
		return nil, err
	}
	shape := analysisHead(a)
	shape.Status = new(insights.AnalysisRunning)
	return &ec2api.StartNetworkInsightsAnalysisOutput{NetworkInsightsAnalysis: &shape}, nil
}

// pathQuery is the reachability question a path asks.
func pathQuery(p *insights.NetworkInsightsPath) reach.Query {
	return reach.Query{
		Source: p.SourceID(), Destination: p.DestinationID(),
		SourceIP: addr(p.SourceIP), DestinationIP: addr(p.DestinationIP),
		Protocol: reach.Protocol(p.Protocol), DestinationPort: optional.Value(p.DestinationPort),
		FilterAtSource: pathFilterQuery(p.FilterAtSource), FilterAtDestination: pathFilterQuery(p.FilterAtDestination),
	}
}

// addr parses an address the domain checked; "" is the zero Addr.
func addr(s string) netip.Addr {
	a, _ := netip.ParseAddr(s)
	return a
}

func pathFilterQuery(f *insights.PathFilter) reach.PathFilter {
	if f == nil {
		return reach.PathFilter{}
	}
	return reach.PathFilter{
		SourceAddress: addr(f.SourceAddress), DestinationAddress: addr(f.DestinationAddress),
		SourcePortRange: portRangeQuery(f.SourcePortRange), DestinationPortRange: portRangeQuery(f.DestinationPortRange),
	}
}

func portRangeQuery(r *insights.PortRange) *reach.PortRange {
	if r == nil {
		return nil
	}
	return &reach.PortRange{From: r.From, To: r.To}
}

// analysisHead renders what an analysis is, without what it found.
func analysisHead(a *insights.NetworkInsightsAnalysis) ec2api.NetworkInsightsAnalysis {
	return ec2api.NetworkInsightsAnalysis{
		NetworkInsightsAnalysisId: new(a.ID), NetworkInsightsAnalysisArn: new(a.ARN()), NetworkInsightsPathId: new(a.PathID),
		AdditionalAccounts: a.AdditionalAccounts, FilterInArns: a.FilterInARNs, FilterOutArns: a.FilterOutARNs,
		StartDate: optional.Time(a.StartDate), Status: new(a.Status), StatusMessage: optional.String(a.StatusMessage),
		Tags: tagSet(a.Tags),
	}
}

// analysisShape renders an analysis with what it found: the AWS members of
// the engine's answer it recorded (the answer's vpcemu extension has no
// place in EC2's shape).
func analysisShape(a *insights.NetworkInsightsAnalysis) (ec2api.NetworkInsightsAnalysis, error) {
	out := analysisHead(a)
	if a.Status != insights.AnalysisSucceeded {
		return out, nil
	}
	found, err := analyzer.UnmarshalStored(a.Result)
	if err != nil {
		return out, fmt.Errorf("decoding analysis %s: %w", a.ID, err)
	}
	out.NetworkPathFound, out.ForwardPathComponents, out.ReturnPathComponents, out.Explanations =
		found.NetworkPathFound, found.ForwardPathComponents, found.ReturnPathComponents, found.Explanations
	return out, nil
}

var analysisFilters = &filters[*insights.NetworkInsightsAnalysis]{
	values: map[string]func(*insights.NetworkInsightsAnalysis) []string{
		"path-found": func(a *insights.NetworkInsightsAnalysis) []string {
			if a.Status != insights.AnalysisSucceeded {
				return nil
			}
			return boolString(a.PathFound)
		},
		"status": func(a *insights.NetworkInsightsAnalysis) []string { return one(a.Status) },
	},
	tags: func(a *insights.NetworkInsightsAnalysis) cloud.Tags { return a.Tags },
}

// DescribeNetworkInsightsAnalyses implements ec2api.Handler: besides ids
// and filters, it selects by path and by start time (AnalysisStartTime
// and AnalysisEndTime bound the time the analyses started).
func (s *Service) DescribeNetworkInsightsAnalyses(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeNetworkInsightsAnalysesInput) (*ec2api.DescribeNetworkInsightsAnalysesOutput, error) {
	match, keys, err := analysisFilters.compile(in.Filters)
	if err != nil {
		return nil, err
	}
	pathID := optional.Value(in.NetworkInsightsPathId)
	if pathID != "" {
		// Last: the index of a filter given comes first.
		keys = append(keys, cloud.Filter{Name: "network-insights-path-id", Values: []string{pathID}})
	}
	q, err := query(in.NetworkInsightsAnalysisIds, keys, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	page, err := cloud.List[insights.NetworkInsightsAnalysis](ctx, s.cloud, caller(req), q, func(a *insights.NetworkInsightsAnalysis) bool {
		switch {
		case pathID != "" && a.PathID != pathID,
			in.AnalysisStartTime != nil && a.StartDate.Before(*in.AnalysisStartTime),
			in.AnalysisEndTime != nil && a.StartDate.After(*in.AnalysisEndTime):
			return false
		}
		return match == nil || match(a)
	})
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeNetworkInsightsAnalysesOutput{NetworkInsightsAnalyses: make([]ec2api.NetworkInsightsAnalysis, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, a := range page.Items {
		shape, err := analysisShape(a)
		if err != nil {
			return nil, err
		}
		out.NetworkInsightsAnalyses = append(out.NetworkInsightsAnalyses, shape)
	}
	return out, nil
}

// DeleteNetworkInsightsAnalysis implements ec2api.Handler.
func (s *Service) DeleteNetworkInsightsAnalysis(ctx context.Context, req *awsproto.Request, in *ec2api.DeleteNetworkInsightsAnalysisInput) (*ec2api.DeleteNetworkInsightsAnalysisOutput, error) {
	if err := s.insights.DeleteNetworkInsightsAnalysis(ctx, caller(req), optional.Value(in.NetworkInsightsAnalysisId)); err != nil {
		return nil, err
	}
	return &ec2api.DeleteNetworkInsightsAnalysisOutput{NetworkInsightsAnalysisId: in.NetworkInsightsAnalysisId}, nil
}
