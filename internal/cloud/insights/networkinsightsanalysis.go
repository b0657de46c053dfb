package insights

import (
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// NetworkInsightsAnalysis (nia-…) is one analysis of a path: what the
// reachability engine found when it ran. It never changes once recorded.
type NetworkInsightsAnalysis struct {
	cloud.Meta
	PathID    string
	StartDate time.Time
	// Status is succeeded, or failed (StatusMessage says why) when the
	// path's source or destination was gone.
	Status, StatusMessage string   `json:",omitempty"`
	AdditionalAccounts    []string `json:",omitempty"`
	FilterInARNs          []string `json:",omitempty"`
	FilterOutARNs         []string `json:",omitempty"`
	// PathFound is the verdict; Result is the engine's whole answer (an
	// analyzer.Answer in JSON), which this package keeps opaque since the
	// engine builds on it.
	PathFound bool
	Result    json.RawMessage `json:",omitempty"`
}

// Analysis statuses as EC2 spells them. An analysis is running only in the
// answer of the call that starts it: vpcemu analyses at once.
const (
	AnalysisRunning   = "running"
	AnalysisSucceeded = "succeeded"
	AnalysisFailed    = "failed"
)

func (*NetworkInsightsAnalysis) Kind() cloud.Kind { return cloud.KindNetworkInsightsAnalysis }

func init() { cloud.RegisterType[NetworkInsightsAnalysis]() }

// analysisIndexes are the filters DescribeNetworkInsightsAnalyses finds by
// index; network-insights-path-id is how it finds a path's analyses (its
// NetworkInsightsPathId parameter).
var analysisIndexes = cloud.Declare(cloud.KindNetworkInsightsAnalysis, cloud.Same("path-found", "status", "network-insights-path-id"), nil)

func (a *NetworkInsightsAnalysis) Keys() []cloud.Key {
	return []cloud.Key{pathKey(a.PathID), analysisIndexes.Key("status", a.Status), analysisIndexes.Key("path-found", strconv.FormatBool(a.PathFound))}
}

// ARN is the analysis's Amazon Resource Name.
func (a *NetworkInsightsAnalysis) ARN() string {
	return a.EC2ARN(string(cloud.KindNetworkInsightsAnalysis))
}

// Finding is what the reachability engine answered about a path.
type Finding struct {
	PathFound bool
	// Result is the engine's answer, encoded (see NetworkInsightsAnalysis).
	Result json.RawMessage
}

// AnalysisInput is what StartNetworkInsightsAnalysis takes.
type AnalysisInput struct {
	PathID                      string
	AdditionalAccounts          []string
	FilterInARNs, FilterOutARNs []string
	Tags                        []cloud.TagSpec
}

// resourceARN is the shape of an AWS resource's ARN.
var resourceARN = regexp.MustCompile(`^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$`)

// check refuses accounts and ARNs that are not well formed.
func (in *AnalysisInput) check() error {
	for _, a := range in.AdditionalAccounts {
		if !arn.IsAccount(a) {
			return cloud.InvalidParam("The account ID '%s' is not valid: an account ID is 12 digits", a)
		}
	}
	for _, arns := range [][]string{in.FilterInARNs, in.FilterOutARNs} {
		for _, arn := range arns {
			if !resourceARN.MatchString(arn) {
				return cloud.InvalidParam("The ARN '%s' is not valid", arn)
			}
		}
	}
	return nil
}

// StartNetworkInsightsAnalysis analyses one of the caller's paths and
// records the analysis. analyze runs the reachability engine on the path
// (it lives above this package, which it reads through a snapshot); it is
// not called when the path's source or destination is gone, which fails
// the analysis, nor in a dry run.
func (c *Service) StartNetworkInsightsAnalysis(ctx context.Context, who cloud.Caller, in AnalysisInput, analyze func(*NetworkInsightsPath) (Finding, error)) (*NetworkInsightsAnalysis, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	tags, err := cloud.TagsFor(in.Tags, cloud.KindNetworkInsightsAnalysis)
	if err != nil {
		return nil, err
	}
	var f Finding
	var failure string
	if !who.DryRun {
		var p *NetworkInsightsPath
		err := c.View(ctx, who, func(t *cloud.Txn) error {
			var err error
			if p, err = cloud.GetIn[NetworkInsightsPath](t, in.PathID); err != nil {
				return err
			}
			failure, err = p.goneEnd(t)
			return err
		})
		if err != nil {
			return nil, err
		}
		if failure == "" {
			if f, err = analyze(p); err != nil {
				return nil, err
			}
		}
	}
	var a *NetworkInsightsAnalysis
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		if _, err := cloud.GetIn[NetworkInsightsPath](t, in.PathID); err != nil {
			return err
		}
		a = &NetworkInsightsAnalysis{
			Meta:   cloud.Meta{ID: t.NewID("nia-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags[cloud.KindNetworkInsightsAnalysis]},
			PathID: in.PathID, StartDate: t.Now, Status: AnalysisSucceeded,
			AdditionalAccounts: in.AdditionalAccounts, FilterInARNs: in.FilterInARNs, FilterOutARNs: in.FilterOutARNs,
			PathFound: f.PathFound, Result: f.Result,
		}
		if failure != "" {
			a.Status, a.StatusMessage, a.PathFound, a.Result = AnalysisFailed, failure, false, nil
		}
		return cloud.Put(t, a)
	})
	return a, err
}

// goneEnd says which of the path's ends of the caller's no longer exists,
// or "" when both do (another account's are taken on trust).
func (p *NetworkInsightsPath) goneEnd(t *cloud.Txn) (string, error) {
	for _, end := range []struct{ role, given, arn string }{{"source", p.Source, p.SourceARN}, {"destination", p.Destination, p.DestinationARN}} {
		if end.given == "" || end.arn == "" || !ownedBy(end.arn, t.Scope) {
			continue
		}
		_, err := cloud.GetByID(t, arn.ResourceID(end.given))
		if e, ok := cloud.AsError(err); ok && e.Reason == cloud.NotFound {
			return "The " + end.role + " " + arn.ResourceID(end.given) + " of network insights path " + p.ID + " does not exist.", nil
		}
		if err != nil {
			return "", err
		}
	}
	return "", nil
}

// ownedBy reports whether an EC2 ARN names a resource of scope s.
func ownedBy(arn string, s cloud.Scope) bool {
	return strings.HasPrefix(arn, "arn:aws:ec2:"+s.Region+":"+s.Account+":")
}

// DeleteNetworkInsightsAnalysis deletes one of the caller's analyses.
func (c *Service) DeleteNetworkInsightsAnalysis(ctx context.Context, who cloud.Caller, id string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		a, err := cloud.GetIn[NetworkInsightsAnalysis](t, id)
		if err != nil {
			return err
		}
		return cloud.Remove(t, a)
	})
}
