package insights

import (
	"reflect"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// A path's ends get their ARNs: the caller's resources are looked up
// whether named by id or by ARN, another account's are taken on trust.
func TestCreatePathEnds(t *testing.T) {
	f := newFixture(t)
	other := arnOf(cloud.KindNetworkInterface, bob.Account, "eni-0123456789abcdef0")
	for _, tc := range []struct {
		name                         string
		in                           NetworkInsightsPathInput
		srcARN, dstARN, srcID, dstID string
	}{
		{"ids", NetworkInsightsPathInput{Source: f.a, Destination: f.b},
			arnOf(cloud.KindInstance, alice.Account, f.a), arnOf(cloud.KindInstance, alice.Account, f.b), f.a, f.b},
		{"own ARN", NetworkInsightsPathInput{Source: f.a, Destination: arnOf(cloud.KindInstance, alice.Account, f.b)},
			arnOf(cloud.KindInstance, alice.Account, f.a), arnOf(cloud.KindInstance, alice.Account, f.b), f.a, f.b},
		{"interface to gateway", NetworkInsightsPathInput{Source: f.eniA, Destination: f.igw},
			arnOf(cloud.KindNetworkInterface, alice.Account, f.eniA), arnOf(cloud.KindInternetGateway, alice.Account, f.igw), f.eniA, f.igw},
		{"another account's ARN", NetworkInsightsPathInput{Source: f.a, Destination: other},
			arnOf(cloud.KindInstance, alice.Account, f.a), other, f.a, "eni-0123456789abcdef0"},
		{"destination address only", NetworkInsightsPathInput{Source: f.a, DestinationIP: "10.0.1.9"},
			arnOf(cloud.KindInstance, alice.Account, f.a), "", f.a, ""},
		{"destination in a filter", NetworkInsightsPathInput{Source: f.a, FilterAtDestination: &PathFilter{DestinationAddress: "8.8.8.8"}},
			arnOf(cloud.KindInstance, alice.Account, f.a), "", f.a, ""},
		{"destination in the source filter", NetworkInsightsPathInput{Source: f.a, FilterAtSource: &PathFilter{DestinationAddress: "8.8.8.8"}},
			arnOf(cloud.KindInstance, alice.Account, f.a), "", f.a, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := f.path(tc.in)
			if p.SourceARN != tc.srcARN || p.DestinationARN != tc.dstARN || p.SourceID() != tc.srcID || p.DestinationID() != tc.dstID {
				t.Errorf("ends %s %s (%s %s), want %s %s (%s %s)", p.SourceARN, p.DestinationARN, p.SourceID(), p.DestinationID(), tc.srcARN, tc.dstARN, tc.srcID, tc.dstID)
			}
			if p.Source != tc.in.Source || p.Destination != tc.in.Destination {
				t.Errorf("ends as given: %s %s", p.Source, p.Destination)
			}
		})
	}
}

// A path keeps what it was created with, and what Describe reads is what
// the create answered.
func TestCreatePathShape(t *testing.T) {
	f := newFixture(t)
	port := 53
	src := &PathFilter{SourceAddress: "10.0.1.4", DestinationPortRange: &PortRange{From: 53, To: 53}}
	p := f.path(NetworkInsightsPathInput{Source: f.a, Destination: f.b, Protocol: "udp", FilterAtSource: src,
		FilterAtDestination: &PathFilter{SourcePortRange: &PortRange{From: 1024, To: 65535}},
		Tags:                []cloud.TagSpec{{ResourceType: string(cloud.KindNetworkInsightsPath), Tags: []cloud.Tag{{Key: "Name", Value: "dns"}}}}})
	want := &NetworkInsightsPath{
		Meta:        cloud.Meta{ID: p.ID, Owner: alice.Account, Region: alice.Region, Tags: cloud.Tags{"Name": "dns"}},
		CreatedDate: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC), Source: f.a, Destination: f.b,
		SourceARN: arnOf(cloud.KindInstance, alice.Account, f.a), DestinationARN: arnOf(cloud.KindInstance, alice.Account, f.b),
		Protocol: "udp", FilterAtSource: src,
		FilterAtDestination: &PathFilter{SourcePortRange: &PortRange{From: 1024, To: 65535}},
	}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("created %+v\nwant %+v", p, want)
	}
	if p.ARN() != arnOf(cloud.KindNetworkInsightsPath, alice.Account, p.ID) {
		t.Errorf("ARN %s", p.ARN())
	}
	page, err := cloud.List[NetworkInsightsPath](f.ctx, f.c, alice, cloud.Query{IDs: []string{p.ID}}, nil)
	if err != nil || len(page.Items) != 1 || !reflect.DeepEqual(page.Items[0], want) {
		t.Errorf("read back %+v, %v", page.Items, err)
	}
	q := f.path(NetworkInsightsPathInput{Source: f.a, Destination: f.b, SourceIP: "10.0.1.4", DestinationIP: "10.0.1.20", DestinationPort: &port})
	if q.DestinationPort == nil || *q.DestinationPort != 53 || q.Protocol != "tcp" || q.SourceIP != "10.0.1.4" || q.DestinationIP != "10.0.1.20" {
		t.Errorf("addresses %s %s port %v protocol %s", q.SourceIP, q.DestinationIP, q.DestinationPort, q.Protocol)
	}
}

func TestCreatePathRefusals(t *testing.T) {
	f := newFixture(t)
	ip, port := "10.0.1.50", 22
	for _, tc := range []struct {
		name   string
		who    cloud.Caller
		in     NetworkInsightsPathInput
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"protocol", alice, NetworkInsightsPathInput{Source: f.a, Destination: f.b, Protocol: "icmp"}, cloud.InvalidParameter, "", "Value (icmp) for parameter protocol is invalid"},
		{"no protocol", alice, NetworkInsightsPathInput{Source: f.a, Destination: f.b, Protocol: "-"}, cloud.InvalidParameter, "", "parameter protocol"},
		{"source filter and source address", alice, NetworkInsightsPathInput{Source: f.a, Destination: f.b, SourceIP: ip, FilterAtSource: &PathFilter{}}, cloud.InvalidCombination, "", "FilterAtSource cannot be specified with SourceIp"},
		{"source filter and port", alice, NetworkInsightsPathInput{Source: f.a, Destination: f.b, DestinationPort: &port, FilterAtSource: &PathFilter{}}, cloud.InvalidCombination, "", "DestinationPort"},
		{"destination filter and address", alice, NetworkInsightsPathInput{Source: f.a, Destination: f.b, DestinationIP: ip, FilterAtDestination: &PathFilter{}}, cloud.InvalidCombination, "", "FilterAtDestination cannot be specified with DestinationIp"},
		{"no destination", alice, NetworkInsightsPathInput{Source: f.a}, cloud.MissingParameter, "", "Destination"},
		{"filter without destination address", alice, NetworkInsightsPathInput{Source: f.a, FilterAtDestination: &PathFilter{SourceAddress: ip}}, cloud.MissingParameter, "", ""},
		{"bad source address", alice, NetworkInsightsPathInput{Source: f.a, Destination: f.b, SourceIP: "10.0.1.300"}, cloud.InvalidParameter, "", "The SourceIp '10.0.1.300' is not a valid IPv4 address"},
		{"IPv6 destination address", alice, NetworkInsightsPathInput{Source: f.a, DestinationIP: "2001:db8::1"}, cloud.InvalidParameter, "", "DestinationIp '2001:db8::1'"},
		{"bad filter address", alice, NetworkInsightsPathInput{Source: f.a, Destination: f.b, FilterAtSource: &PathFilter{SourceAddress: "x"}}, cloud.InvalidParameter, "", "FilterAtSource.SourceAddress 'x'"},
		{"bad filter destination", alice, NetworkInsightsPathInput{Source: f.a, FilterAtDestination: &PathFilter{DestinationAddress: "::1"}}, cloud.InvalidParameter, "", "FilterAtDestination.DestinationAddress"},
		{"backwards ports", alice, NetworkInsightsPathInput{Source: f.a, Destination: f.b, FilterAtDestination: &PathFilter{DestinationPortRange: &PortRange{From: 90, To: 80}}},
			cloud.InvalidParameter, "", "Invalid FilterAtDestination.DestinationPortRange: the FromPort (90) is greater than the ToPort (80)"},
		{"backwards source ports", alice, NetworkInsightsPathInput{Source: f.a, Destination: f.b, FilterAtSource: &PathFilter{SourcePortRange: &PortRange{From: 2, To: 1}}},
			cloud.InvalidParameter, "", "FilterAtSource.SourcePortRange"},
		{"unknown instance", alice, NetworkInsightsPathInput{Source: "i-0123456789abcdef0", Destination: f.b}, cloud.NotFound, cloud.KindInstance, "i-0123456789abcdef0"},
		{"unknown interface", alice, NetworkInsightsPathInput{Source: f.a, Destination: "eni-0123456789abcdef0"}, cloud.NotFound, cloud.KindNetworkInterface, "eni-0123456789abcdef0"},
		{"transit gateway, not modelled", alice, NetworkInsightsPathInput{Source: f.a, Destination: "tgw-0123456789abcdef0"}, cloud.NotFound, cloud.KindTransitGateway, "tgw-0123456789abcdef0"},
		{"unsupported kind", alice, NetworkInsightsPathInput{Source: f.vpc.ID, Destination: f.b}, cloud.InvalidParameter, "", "The source '" + f.vpc.ID + "' is not a supported resource"},
		{"unknown prefix", alice, NetworkInsightsPathInput{Source: f.a, Destination: "zzz-1"}, cloud.InvalidParameter, "", "The destination 'zzz-1' is not a supported resource"},
		{"other region", alice, NetworkInsightsPathInput{Source: f.a, Destination: "arn:aws:ec2:eu-west-1:" + alice.Account + ":instance/" + f.b}, cloud.InvalidParameter, "", "in another Region than the path (us-east-1)"},
		{"ARN of another kind", alice, NetworkInsightsPathInput{Source: f.a, Destination: arnOf(cloud.KindNetworkInterface, alice.Account, f.b)}, cloud.InvalidParameter, "", "is not a valid resource ARN"},
		{"ARN of another service", alice, NetworkInsightsPathInput{Source: "arn:aws:s3:us-east-1:" + alice.Account + ":bucket/b", Destination: f.b}, cloud.InvalidParameter, "", "The source 'arn:aws:s3:"},
		{"ARN without a resource type", alice, NetworkInsightsPathInput{Source: "arn:aws:ec2:us-east-1:" + alice.Account + ":" + f.a, Destination: f.b}, cloud.InvalidParameter, "", "not a valid resource ARN"},
		{"own ARN of a gone resource", alice, NetworkInsightsPathInput{Source: f.a, Destination: arnOf(cloud.KindNetworkInterface, alice.Account, "eni-0123456789abcdef0")}, cloud.NotFound, cloud.KindNetworkInterface, ""},
		{"another account's resource by id", bob, NetworkInsightsPathInput{Source: f.a, Destination: f.b}, cloud.NotFound, cloud.KindInstance, f.a},
		{"tags of another type", alice, NetworkInsightsPathInput{Source: f.a, Destination: f.b, Tags: []cloud.TagSpec{{ResourceType: "vpc", Tags: []cloud.Tag{{Key: "k"}}}}}, cloud.InvalidParameter, "", "'vpc' is not a valid taggable resource type"},
		{"reserved tag", alice, NetworkInsightsPathInput{Source: f.a, Destination: f.b, Tags: []cloud.TagSpec{{ResourceType: string(cloud.KindNetworkInsightsPath), Tags: []cloud.Tag{{Key: "aws:x"}}}}}, cloud.InvalidParameter, "", "reserved"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.in.Protocol == "" {
				tc.in.Protocol = "tcp"
			}
			if tc.in.Protocol == "-" {
				tc.in.Protocol = ""
			}
			_, err := f.ins.CreateNetworkInsightsPath(f.ctx, tc.who, tc.in)
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}
	page, err := cloud.List[NetworkInsightsPath](f.ctx, f.c, alice, cloud.Query{}, nil)
	if err != nil || len(page.Items) != 0 {
		t.Errorf("refused creates left %v, %v", ids(page.Items), err)
	}
}

// A dry run checks the request and records nothing; a bad request is
// refused before the dry run says it would have succeeded.
func TestCreatePathDryRun(t *testing.T) {
	f := newFixture(t)
	dry := alice
	dry.DryRun = true
	_, err := f.ins.CreateNetworkInsightsPath(f.ctx, dry, NetworkInsightsPathInput{Source: f.a, Destination: f.b, Protocol: "tcp"})
	wantReason(t, err, cloud.DryRun, "", "DryRun flag is set")
	_, err = f.ins.CreateNetworkInsightsPath(f.ctx, dry, NetworkInsightsPathInput{Source: "i-0123456789abcdef0", Destination: f.b, Protocol: "tcp"})
	wantReason(t, err, cloud.NotFound, cloud.KindInstance, "")
	page, err := cloud.List[NetworkInsightsPath](f.ctx, f.c, alice, cloud.Query{}, nil)
	if err != nil || len(page.Items) != 0 {
		t.Errorf("dry run left %v, %v", ids(page.Items), err)
	}
}

// DescribeNetworkInsightsPaths' indexed filters find paths by either end
// (as given, by id or ARN) and protocol; pages follow one another.
func TestListPaths(t *testing.T) {
	f := newFixture(t)
	arnB := arnOf(cloud.KindInstance, alice.Account, f.b)
	p1 := f.path(NetworkInsightsPathInput{Source: f.a, Destination: f.b,
		Tags: []cloud.TagSpec{{ResourceType: string(cloud.KindNetworkInsightsPath), Tags: []cloud.Tag{{Key: "team", Value: "net"}}}}}).ID
	p2 := f.path(NetworkInsightsPathInput{Source: f.eniA, Destination: arnB, Protocol: "udp"}).ID
	p3 := f.path(NetworkInsightsPathInput{Source: arnB, Destination: f.igw}).ID
	p4 := f.path(NetworkInsightsPathInput{Source: f.a, DestinationIP: "10.0.1.9"}).ID
	bobs, err := f.ins.CreateNetworkInsightsPath(f.ctx, bob, NetworkInsightsPathInput{Source: arnOf(cloud.KindInstance, alice.Account, f.a), Destination: arnB, Protocol: "tcp"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		filters []cloud.Filter
		want    []string
	}{
		{"all", nil, []string{p1, p2, p3, p4}},
		{"source id", []cloud.Filter{{Name: "source", Values: []string{f.a}}}, []string{p1, p4}},
		{"source by id, given as ARN", []cloud.Filter{{Name: "source", Values: []string{f.b}}}, []string{p3}},
		{"source by ARN, given as id", []cloud.Filter{{Name: "source", Values: []string{arnOf(cloud.KindInstance, alice.Account, f.a)}}}, []string{p1, p4}},
		{"sources", []cloud.Filter{{Name: "source", Values: []string{f.eniA, f.b}}}, []string{p2, p3}},
		{"destination", []cloud.Filter{{Name: "destination", Values: []string{f.b}}}, []string{p1, p2}},
		{"destination ARN", []cloud.Filter{{Name: "destination", Values: []string{arnB}}}, []string{p1, p2}},
		{"destination gateway", []cloud.Filter{{Name: "destination", Values: []string{f.igw}}}, []string{p3}},
		{"protocol", []cloud.Filter{{Name: "protocol", Values: []string{"udp"}}}, []string{p2}},
		{"tag", []cloud.Filter{{Name: "tag:team", Values: []string{"net"}}}, []string{p1}},
		{"nothing", []cloud.Filter{{Name: "protocol", Values: []string{"icmp"}}}, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, err := cloud.List[NetworkInsightsPath](f.ctx, f.c, alice, cloud.Query{Filters: tc.filters}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(page.Items); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	var paged []string
	q := cloud.Query{Limit: 3}
	for n := 0; ; n++ {
		page, err := cloud.List[NetworkInsightsPath](f.ctx, f.c, alice, q, nil)
		if err != nil || n > 2 {
			t.Fatalf("page %d: %v", n, err)
		}
		paged = append(paged, ids(page.Items)...)
		if page.Next == "" {
			break
		}
		q.After = page.Next
	}
	if want := []string{p1, p2, p3, p4}; !reflect.DeepEqual(paged, want) {
		t.Errorf("paged %v, want %v", paged, want)
	}
	_, err = cloud.List[NetworkInsightsPath](f.ctx, f.c, alice, cloud.Query{IDs: []string{p1, bobs.ID}}, nil)
	wantReason(t, err, cloud.NotFound, cloud.KindNetworkInsightsPath, bobs.ID)
}

func TestDeletePath(t *testing.T) {
	f := newFixture(t)
	p := f.path(NetworkInsightsPathInput{Source: f.a, Destination: f.b}).ID
	a := f.analyse(p, true).ID
	for _, tc := range []struct {
		name   string
		who    cloud.Caller
		id     string
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"with analyses", alice, p, cloud.DependencyViolation, cloud.KindNetworkInsightsPath, "The network insights path '" + p + "' has analyses"},
		{"unknown", alice, "nip-0123456789abcdef0", cloud.NotFound, cloud.KindNetworkInsightsPath, "nip-0123456789abcdef0"},
		{"another account's", bob, p, cloud.NotFound, cloud.KindNetworkInsightsPath, p},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantReason(t, f.ins.DeleteNetworkInsightsPath(f.ctx, tc.who, tc.id), tc.reason, tc.kind, tc.msg)
		})
	}
	wantReason(t, f.ins.DeleteNetworkInsightsAnalysis(f.ctx, bob, a), cloud.NotFound, cloud.KindNetworkInsightsAnalysis, a)
	wantReason(t, f.ins.DeleteNetworkInsightsAnalysis(f.ctx, alice, "nia-0123456789abcdef0"), cloud.NotFound, cloud.KindNetworkInsightsAnalysis, "nia-0123456789abcdef0")
	if err := f.ins.DeleteNetworkInsightsAnalysis(f.ctx, alice, a); err != nil {
		t.Fatal(err)
	}
	dry := alice
	dry.DryRun = true
	wantReason(t, f.ins.DeleteNetworkInsightsPath(f.ctx, dry, p), cloud.DryRun, "", "")
	if err := f.ins.DeleteNetworkInsightsPath(f.ctx, alice, p); err != nil {
		t.Fatal(err)
	}
	_, err := cloud.List[NetworkInsightsPath](f.ctx, f.c, alice, cloud.Query{IDs: []string{p}}, nil)
	wantReason(t, err, cloud.NotFound, cloud.KindNetworkInsightsPath, p)
	wantReason(t, f.ins.DeleteNetworkInsightsPath(f.ctx, alice, p), cloud.NotFound, cloud.KindNetworkInsightsPath, p)
}
