package insights

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// An analysis records the engine's answer with what it was asked; the
// engine sees the path as it was created.
func TestStartAnalysis(t *testing.T) {
	f := newFixture(t)
	p := f.path(NetworkInsightsPathInput{Source: f.a, Destination: f.b, Protocol: "udp"})
	sg := arnOf(cloud.KindSecurityGroup, alice.Account, f.vpc.DefaultSecurityGroupID)
	var seen *NetworkInsightsPath
	a, err := f.ins.StartNetworkInsightsAnalysis(f.ctx, alice, AnalysisInput{PathID: p.ID, AdditionalAccounts: []string{bob.Account},
		FilterInARNs: []string{sg}, FilterOutARNs: []string{"arn:aws:ec2:us-east-1:" + alice.Account + ":subnet/" + f.subnet.ID},
		Tags: []cloud.TagSpec{{ResourceType: string(cloud.KindNetworkInsightsAnalysis), Tags: []cloud.Tag{{Key: "Name", Value: "first"}}}}},
		func(path *NetworkInsightsPath) (Finding, error) {
			seen = path
			return answer(true)(path)
		})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(seen, p) {
		t.Errorf("engine saw %+v, want %+v", seen, p)
	}
	want := &NetworkInsightsAnalysis{
		Meta:   cloud.Meta{ID: a.ID, Owner: alice.Account, Region: alice.Region, Tags: cloud.Tags{"Name": "first"}},
		PathID: p.ID, StartDate: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC), Status: AnalysisSucceeded,
		AdditionalAccounts: []string{bob.Account}, FilterInARNs: []string{sg}, FilterOutARNs: []string{"arn:aws:ec2:us-east-1:" + alice.Account + ":subnet/" + f.subnet.ID},
		PathFound: true, Result: json.RawMessage(`{"path":"` + p.ID + `"}`),
	}
	if !reflect.DeepEqual(a, want) {
		t.Errorf("started %+v\nwant %+v", a, want)
	}
	if a.ARN() != arnOf(cloud.KindNetworkInsightsAnalysis, alice.Account, a.ID) {
		t.Errorf("ARN %s", a.ARN())
	}
	page, err := cloud.List[NetworkInsightsAnalysis](f.ctx, f.c, alice, cloud.Query{IDs: []string{a.ID}}, nil)
	if err != nil || len(page.Items) != 1 || !reflect.DeepEqual(page.Items[0], want) {
		t.Errorf("read back %+v, %v", page.Items, err)
	}
	if b := f.analyse(p.ID, false); b.PathFound || b.Status != AnalysisSucceeded || b.ID == a.ID {
		t.Errorf("second analysis %+v", b)
	}
}

// An analysis of a path whose end of the caller's is gone fails, says
// which end, and does not ask the engine; another account's end is taken
// on trust.
func TestStartAnalysisOfGoneEnds(t *testing.T) {
	f := newFixture(t)
	other := arnOf(cloud.KindInstance, bob.Account, "i-0123456789abcdef0")
	toSpare := f.path(NetworkInsightsPathInput{Source: f.a, Destination: f.spare}).ID
	fromSpare := f.path(NetworkInsightsPathInput{Source: arnOf(cloud.KindNetworkInterface, alice.Account, f.spare), DestinationIP: "10.0.1.9"}).ID
	toOther := f.path(NetworkInsightsPathInput{Source: f.a, Destination: other}).ID
	if err := f.net.DeleteNetworkInterface(f.ctx, alice, f.spare); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		status     string
		msg        string
	}{
		{"destination gone", toSpare, AnalysisFailed, "The destination " + f.spare + " of network insights path " + toSpare + " does not exist."},
		{"source gone", fromSpare, AnalysisFailed, "The source " + f.spare + " of network insights path " + fromSpare + " does not exist."},
		{"another account's end", toOther, AnalysisSucceeded, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			asked := false
			a, err := f.ins.StartNetworkInsightsAnalysis(f.ctx, alice, AnalysisInput{PathID: tc.path}, func(p *NetworkInsightsPath) (Finding, error) {
				asked = true
				return answer(true)(p)
			})
			if err != nil {
				t.Fatal(err)
			}
			if a.Status != tc.status || a.StatusMessage != tc.msg || asked != (tc.status == AnalysisSucceeded) || a.PathFound != asked || (a.Result == nil) == asked {
				t.Errorf("analysis %+v (engine asked: %v)", a, asked)
			}
		})
	}
	page, err := cloud.List[NetworkInsightsAnalysis](f.ctx, f.c, alice, cloud.Query{Filters: []cloud.Filter{{Name: "status", Values: []string{AnalysisFailed}}}}, nil)
	if err != nil || len(page.Items) != 2 {
		t.Errorf("failed analyses %v, %v", ids(page.Items), err)
	}
}

func TestStartAnalysisRefusals(t *testing.T) {
	f := newFixture(t)
	p := f.path(NetworkInsightsPathInput{Source: f.a, Destination: f.b}).ID
	engineDown := errors.New("engine down")
	for _, tc := range []struct {
		name   string
		who    cloud.Caller
		in     AnalysisInput
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"unknown path", alice, AnalysisInput{PathID: "nip-0123456789abcdef0"}, cloud.NotFound, cloud.KindNetworkInsightsPath, "nip-0123456789abcdef0"},
		{"another account's path", bob, AnalysisInput{PathID: p}, cloud.NotFound, cloud.KindNetworkInsightsPath, p},
		{"bad account", alice, AnalysisInput{PathID: p, AdditionalAccounts: []string{"1234"}}, cloud.InvalidParameter, "", "The account ID '1234' is not valid"},
		{"bad filter-in ARN", alice, AnalysisInput{PathID: p, FilterInARNs: []string{"sg-1"}}, cloud.InvalidParameter, "", "The ARN 'sg-1' is not valid"},
		{"bad filter-out ARN", alice, AnalysisInput{PathID: p, FilterOutARNs: []string{"arn:aws:ec2"}}, cloud.InvalidParameter, "", "arn:aws:ec2"},
		{"tags of another type", alice, AnalysisInput{PathID: p, Tags: []cloud.TagSpec{{ResourceType: "vpc"}}}, cloud.InvalidParameter, "", "'vpc'"},
		{"dry run", cloudtestDry(alice), AnalysisInput{PathID: p}, cloud.DryRun, "", "DryRun flag is set"},
		{"dry run of an unknown path", cloudtestDry(alice), AnalysisInput{PathID: "nip-0123456789abcdef0"}, cloud.NotFound, cloud.KindNetworkInsightsPath, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			engine := func(*NetworkInsightsPath) (Finding, error) {
				t.Error("the engine was asked")
				return Finding{}, nil
			}
			_, err := f.ins.StartNetworkInsightsAnalysis(f.ctx, tc.who, tc.in, engine)
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}
	// The engine's own failure is the call's, and records nothing.
	_, err := f.ins.StartNetworkInsightsAnalysis(f.ctx, alice, AnalysisInput{PathID: p}, func(*NetworkInsightsPath) (Finding, error) { return Finding{}, engineDown })
	if !errors.Is(err, engineDown) {
		t.Errorf("engine failure: %v", err)
	}
	page, err := cloud.List[NetworkInsightsAnalysis](f.ctx, f.c, alice, cloud.Query{}, nil)
	if err != nil || len(page.Items) != 0 {
		t.Errorf("refused starts left %v, %v", ids(page.Items), err)
	}
}

func cloudtestDry(c cloud.Caller) cloud.Caller {
	c.DryRun = true
	return c
}

// DescribeNetworkInsightsAnalyses finds analyses by path, status and
// verdict through their indexes; pages follow one another.
func TestListAnalyses(t *testing.T) {
	f := newFixture(t)
	p1 := f.path(NetworkInsightsPathInput{Source: f.a, Destination: f.b}).ID
	p2 := f.path(NetworkInsightsPathInput{Source: f.a, Destination: f.spare}).ID
	a1 := f.analyse(p1, true).ID
	a2 := f.analyse(p2, false).ID
	a3 := f.analyse(p1, true).ID
	if err := f.net.DeleteNetworkInterface(f.ctx, alice, f.spare); err != nil {
		t.Fatal(err)
	}
	a4 := f.analyse(p2, true).ID // failed: the spare interface is gone
	for _, tc := range []struct {
		name    string
		filters []cloud.Filter
		want    []string
	}{
		{"all", nil, []string{a1, a2, a3, a4}},
		{"path", []cloud.Filter{{Name: "network-insights-path-id", Values: []string{p1}}}, []string{a1, a3}},
		{"found", []cloud.Filter{{Name: "path-found", Values: []string{"true"}}}, []string{a1, a3}},
		{"not found", []cloud.Filter{{Name: "path-found", Values: []string{"false"}}}, []string{a2, a4}},
		{"succeeded", []cloud.Filter{{Name: "status", Values: []string{AnalysisSucceeded}}}, []string{a1, a2, a3}},
		{"running or failed", []cloud.Filter{{Name: "status", Values: []string{AnalysisRunning, AnalysisFailed}}}, []string{a4}},
		{"tag", []cloud.Filter{{Name: "tag-key", Values: []string{"Name"}}}, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, err := cloud.List[NetworkInsightsAnalysis](f.ctx, f.c, alice, cloud.Query{Filters: tc.filters}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(page.Items); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	var paged []string
	q := cloud.Query{Limit: 1}
	for n := 0; ; n++ {
		page, err := cloud.List[NetworkInsightsAnalysis](f.ctx, f.c, alice, q, nil)
		if err != nil || n > 4 {
			t.Fatalf("page %d: %v", n, err)
		}
		paged = append(paged, ids(page.Items)...)
		if page.Next == "" {
			break
		}
		q.After = page.Next
	}
	if want := []string{a1, a2, a3, a4}; !reflect.DeepEqual(paged, want) {
		t.Errorf("paged %v, want %v", paged, want)
	}
	page, err := cloud.List[NetworkInsightsAnalysis](f.ctx, f.c, bob, cloud.Query{}, nil)
	if err != nil || len(page.Items) != 0 {
		t.Errorf("bob sees %v, %v", ids(page.Items), err)
	}
}

// Paths and analyses take tags through the kernel's tag calls, and
// DescribeTags names their types.
func TestPathAndAnalysisTags(t *testing.T) {
	f := newFixture(t)
	p := f.path(NetworkInsightsPathInput{Source: f.a, Destination: f.b}).ID
	a := f.analyse(p, true).ID
	if err := f.c.CreateTags(f.ctx, alice, []string{p, a}, []cloud.Tag{{Key: "env", Value: "test"}, {Key: "Name", Value: "x"}}); err != nil {
		t.Fatal(err)
	}
	if err := f.c.DeleteTags(f.ctx, alice, []string{a}, []cloud.TagFilter{{Key: "Name"}}); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	descs, err := f.c.DescribeTags(f.ctx, alice, func(d cloud.TagDescription) bool { return d.Key == "env" })
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range descs {
		got[d.ResourceID] = d.ResourceType
	}
	if want := map[string]string{p: string(cloud.KindNetworkInsightsPath), a: string(cloud.KindNetworkInsightsAnalysis)}; !reflect.DeepEqual(got, want) {
		t.Errorf("DescribeTags %v, want %v", got, want)
	}
	page, err := cloud.List[NetworkInsightsAnalysis](f.ctx, f.c, alice, cloud.Query{Filters: []cloud.Filter{{Name: "tag:env", Values: []string{"test"}}}}, nil)
	if err != nil || len(page.Items) != 1 || !reflect.DeepEqual(page.Items[0].Tags, cloud.Tags{"env": "test"}) {
		t.Errorf("tagged analyses %+v, %v", page.Items, err)
	}
	paths, err := cloud.List[NetworkInsightsPath](f.ctx, f.c, alice, cloud.Query{Filters: []cloud.Filter{{Name: "tag:Name", Values: []string{"x"}}}}, nil)
	if err != nil || len(paths.Items) != 1 || paths.Items[0].ID != p {
		t.Errorf("tagged paths %+v, %v", paths.Items, err)
	}
	refusedWith(t, f.c.CreateTags(f.ctx, bob, []string{p}, []cloud.Tag{{Key: "k"}}), cloud.NotFound, "bob tags alice's path")
}
