package cloud

import (
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/store"
)

// NetworkInsightsAnalysis (nia-…) is one analysis of a path: what the
// reachability engine found when it ran. It never changes once recorded.
type NetworkInsightsAnalysis struct {
	Meta
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

func (*NetworkInsightsAnalysis) kind() Kind { return KindNetworkInsightsAnalysis }

// analysisIndexes are the filters DescribeNetworkInsightsAnalyses finds by
// index; network-insights-path-id is how it finds a path's analyses (its
// NetworkInsightsPathId parameter).
var analysisIndexes = declare(KindNetworkInsightsAnalysis, same("path-found", "status", "network-insights-path-id"), nil)

func (a *NetworkInsightsAnalysis) keys() []store.Key {
	return []store.Key{pathKey(a.PathID), analysisIndexes.key("status", a.Status), analysisIndexes.key("path-found", strconv.FormatBool(a.PathFound))}
}

// ARN is the analysis's Amazon Resource Name.
func (a *NetworkInsightsAnalysis) ARN() string { return a.EC2ARN(string(KindNetworkInsightsAnalysis)) }

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
	Tags                        []TagSpec
}

// resourceARN is the shape of an AWS resource's ARN.
var resourceARN = regexp.MustCompile(`^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$`)

// check refuses accounts and ARNs that are not well formed.
func (in *AnalysisInput) check() error {
	for _, a := range in.AdditionalAccounts {
		if !arn.IsAccount(a) {
			return invalidParam("The account ID '%s' is not valid: an account ID is 12 digits", a)
		}
	}
	for _, arns := range [][]string{in.FilterInARNs, in.FilterOutARNs} {
		for _, arn := range arns {
			if !resourceARN.MatchString(arn) {
				return invalidParam("The ARN '%s' is not valid", arn)
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
func (c *Cloud) StartNetworkInsightsAnalysis(ctx context.Context, who Caller, in AnalysisInput, analyze func(*NetworkInsightsPath) (Finding, error)) (*NetworkInsightsAnalysis, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	tags, err := tagsFor(in.Tags, KindNetworkInsightsAnalysis)
	if err != nil {
		return nil, err
	}
	var f Finding
	var failure string
	if !who.DryRun {
		var p *NetworkInsightsPath
		err := c.view(ctx, who, func(t *txn) error {
			var err error
			if p, err = getIn[NetworkInsightsPath](t, in.PathID); err != nil {
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
	err = c.update(ctx, who, func(t *txn) error {
		if _, err := getIn[NetworkInsightsPath](t, in.PathID); err != nil {
			return err
		}
		a = &NetworkInsightsAnalysis{
			Meta:   Meta{ID: t.newID("nia-"), Owner: t.scope.Account, Region: t.scope.Region, Tags: tags[KindNetworkInsightsAnalysis]},
			PathID: in.PathID, StartDate: t.now, Status: AnalysisSucceeded,
			AdditionalAccounts: in.AdditionalAccounts, FilterInARNs: in.FilterInARNs, FilterOutARNs: in.FilterOutARNs,
			PathFound: f.PathFound, Result: f.Result,
		}
		if failure != "" {
			a.Status, a.StatusMessage, a.PathFound, a.Result = AnalysisFailed, failure, false, nil
		}
		return put(t, a)
	})
	return a, err
}

// goneEnd says which of the path's ends of the caller's no longer exists,
// or "" when both do (another account's are taken on trust).
func (p *NetworkInsightsPath) goneEnd(t *txn) (string, error) {
	for _, end := range []struct{ role, given, arn string }{{"source", p.Source, p.SourceARN}, {"destination", p.Destination, p.DestinationARN}} {
		if end.given == "" || end.arn == "" || !ownedBy(end.arn, t.scope) {
			continue
		}
		_, _, err := taggedObject(t, arn.ResourceID(end.given))
		if e, ok := AsError(err); ok && e.Reason == NotFound {
			return "The " + end.role + " " + arn.ResourceID(end.given) + " of network insights path " + p.ID + " does not exist.", nil
		}
		if err != nil {
			return "", err
		}
	}
	return "", nil
}

// ownedBy reports whether an EC2 ARN names a resource of scope s.
func ownedBy(arn string, s Scope) bool {
	return strings.HasPrefix(arn, "arn:aws:ec2:"+s.Region+":"+s.Account+":")
}

// DeleteNetworkInsightsAnalysis deletes one of the caller's analyses.
func (c *Cloud) DeleteNetworkInsightsAnalysis(ctx context.Context, who Caller, id string) error {
	return c.update(ctx, who, func(t *txn) error {
		a, err := getIn[NetworkInsightsAnalysis](t, id)
		if err != nil {
			return err
		}
		return remove(t, a)
	})
}
