package ec2_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

const (
	accountA = emulatortest.AccountA
	accountB = emulatortest.AccountB
	accountC = "333333333333"
)

// peeringEnv is an emulator on a test clock, with clients of accounts A
// (c) and B (b) in us-east-1.
type peeringEnv struct {
	fixture
	clk *testClock
	b   *ec2.Client
}

func newPeeringEnv(t *testing.T) peeringEnv {
	clk := &testClock{now: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	f := newFixture(t, cloud.WithClock(clk.Now))
	return peeringEnv{fixture: f, clk: clk, b: f.as(accountB)}
}

// in is a client of account in region.
func (e peeringEnv) in(account, region string) *ec2.Client {
	return emulatortest.EC2(e.em, account, region)
}

func (e peeringEnv) vpc(c *ec2.Client, block string) string {
	e.t.Helper()
	out, err := c.CreateVpc(e.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(block)})
	e.must(err)
	return aws.ToString(out.Vpc.VpcId)
}

// request asks for a connection from vpc to peer ("" owner and region are
// the caller's) and returns its id.
func (e peeringEnv) request(c *ec2.Client, vpc, peer, owner, region string) string {
	e.t.Helper()
	in := &ec2.CreateVpcPeeringConnectionInput{VpcId: &vpc, PeerVpcId: &peer}
	if owner != "" {
		in.PeerOwnerId = &owner
	}
	if region != "" {
		in.PeerRegion = &region
	}
	out, err := c.CreateVpcPeeringConnection(e.ctx, in)
	e.must(err)
	return aws.ToString(out.VpcPeeringConnection.VpcPeeringConnectionId)
}

func (e peeringEnv) accept(c *ec2.Client, id string) {
	e.t.Helper()
	_, err := c.AcceptVpcPeeringConnection(e.ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: &id})
	e.must(err)
}

// active is an accepted connection from vpc (of c) to peer (of accepter,
// in accepter's account and region).
func (e peeringEnv) active(c, accepter *ec2.Client, vpc, peer, owner, region string) string {
	e.t.Helper()
	id := e.request(c, vpc, peer, owner, region)
	e.accept(accepter, id)
	return id
}

func (e peeringEnv) deletePeering(c *ec2.Client, id string) {
	e.t.Helper()
	_, err := c.DeleteVpcPeeringConnection(e.ctx, &ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: &id})
	e.must(err)
}

// connection describes one connection as c sees it.
func (e peeringEnv) connection(c *ec2.Client, id string) types.VpcPeeringConnection {
	e.t.Helper()
	out, err := c.DescribeVpcPeeringConnections(e.ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{id}})
	e.must(err)
	if len(out.VpcPeeringConnections) != 1 {
		e.t.Fatalf("describe %s: %+v", id, out.VpcPeeringConnections)
	}
	return out.VpcPeeringConnections[0]
}

// status is the connection's status code as c sees it.
func (e peeringEnv) status(c *ec2.Client, id string) types.VpcPeeringConnectionStateReasonCode {
	e.t.Helper()
	return e.connection(c, id).Status.Code
}

// sees reports whether c sees the connection, by id and in its listing
// (which must agree).
func (e peeringEnv) sees(c *ec2.Client, id string) bool {
	e.t.Helper()
	_, err := c.DescribeVpcPeeringConnections(e.ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{id}})
	byID := err == nil
	if err != nil && apiCode(err) != "InvalidVpcPeeringConnectionID.NotFound" {
		e.t.Fatal(err)
	}
	all, err := c.DescribeVpcPeeringConnections(e.ctx, &ec2.DescribeVpcPeeringConnectionsInput{})
	e.must(err)
	listed := false
	for _, p := range all.VpcPeeringConnections {
		listed = listed || aws.ToString(p.VpcPeeringConnectionId) == id
	}
	if listed != byID {
		e.t.Fatalf("%s: listed %t, found by id %t", id, listed, byID)
	}
	return byID
}

// tags renders a tag list as "k=v,…" in order.
func peeringTags(tags []types.Tag) string {
	var out []string
	for _, t := range tags {
		out = append(out, aws.ToString(t.Key)+"="+aws.ToString(t.Value))
	}
	return strings.Join(out, ",")
}

func TestVPCPeeringCrossAccountLifecycle(t *testing.T) {
	e := newPeeringEnv(t)
	va, vb := e.vpc(e.c, "10.1.0.0/16"), e.vpc(e.b, "10.2.0.0/16")
	created := e.clk.Now()
	out, err := e.c.CreateVpcPeeringConnection(e.ctx, &ec2.CreateVpcPeeringConnectionInput{
		VpcId: &va, PeerVpcId: &vb, PeerOwnerId: aws.String(accountB),
		TagSpecifications: nameTag(types.ResourceTypeVpcPeeringConnection, "requester-side"),
	})
	e.must(err)
	p := out.VpcPeeringConnection
	id := aws.ToString(p.VpcPeeringConnectionId)
	req, acc := p.RequesterVpcInfo, p.AccepterVpcInfo
	switch {
	case !strings.HasPrefix(id, "pcx-"),
		p.Status.Code != types.VpcPeeringConnectionStateReasonCodeInitiatingRequest,
		aws.ToString(p.Status.Message) != "Initiating Request to "+accountB,
		!aws.ToTime(p.ExpirationTime).Equal(created.Add(7 * 24 * time.Hour)),
		peeringTags(p.Tags) != "Name=requester-side",
		aws.ToString(req.OwnerId) != accountA || aws.ToString(req.VpcId) != va || aws.ToString(req.Region) != "us-east-1",
		aws.ToString(req.CidrBlock) != "10.1.0.0/16" || len(req.CidrBlockSet) != 1 || req.PeeringOptions == nil,
		aws.ToString(acc.OwnerId) != accountB || aws.ToString(acc.VpcId) != vb || aws.ToString(acc.Region) != "us-east-1",
		acc.CidrBlock != nil || len(acc.CidrBlockSet) != 0 || acc.PeeringOptions != nil:
		t.Fatalf("create answer: %+v requester %+v accepter %+v", p, req, acc)
	}

	// Both accounts see the request; the requester's tags are its own.
	for _, c := range []*ec2.Client{e.c, e.b} {
		got := e.connection(c, id)
		if got.Status.Code != types.VpcPeeringConnectionStateReasonCodePendingAcceptance ||
			aws.ToString(got.Status.Message) != "Pending Acceptance by "+accountB || got.ExpirationTime == nil || got.AccepterVpcInfo.CidrBlock != nil {
			t.Fatalf("pending: %+v", got)
		}
	}
	if tags := e.connection(e.b, id).Tags; len(tags) != 0 {
		t.Fatalf("the accepter sees the requester's tags: %v", tags)
	}
	if e.sees(e.as(accountC), id) {
		t.Fatal("a third account sees the connection")
	}

	acceptOut, err := e.b.AcceptVpcPeeringConnection(e.ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: &id})
	e.must(err)
	p = acceptOut.VpcPeeringConnection
	if p.Status.Code != types.VpcPeeringConnectionStateReasonCodeActive || aws.ToString(p.Status.Message) != "Active" || p.ExpirationTime != nil ||
		aws.ToString(p.AccepterVpcInfo.CidrBlock) != "10.2.0.0/16" || p.AccepterVpcInfo.PeeringOptions == nil || len(p.Tags) != 0 {
		t.Fatalf("accept answer: %+v accepter %+v", p, p.AccepterVpcInfo)
	}
	if got := e.connection(e.c, id); aws.ToString(got.AccepterVpcInfo.CidrBlock) != "10.2.0.0/16" || got.Status.Code != types.VpcPeeringConnectionStateReasonCodeActive {
		t.Fatalf("requester's view once active: %+v", got)
	}

	// Each side tags the connection for itself (Terraform's
	// aws_vpc_peering_connection_accepter uses CreateTags).
	_, err = e.b.CreateTags(e.ctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: []types.Tag{
		{Key: aws.String("Name"), Value: aws.String("accepter-side")}, {Key: aws.String("Side"), Value: aws.String("accepter")},
	}})
	e.must(err)
	for _, s := range []struct {
		c    *ec2.Client
		want string
	}{{e.c, "Name=requester-side"}, {e.b, "Name=accepter-side,Side=accepter"}} {
		if got := peeringTags(e.connection(s.c, id).Tags); got != s.want {
			t.Errorf("tags: got %s, want %s", got, s.want)
		}
		tags, err := s.c.DescribeTags(e.ctx, &ec2.DescribeTagsInput{Filters: []types.Filter{{Name: aws.String("resource-id"), Values: []string{id}}}})
		e.must(err)
		var got []types.Tag
		for _, d := range tags.Tags {
			if d.ResourceType != types.ResourceTypeVpcPeeringConnection {
				t.Errorf("DescribeTags resource type %q", d.ResourceType)
			}
			got = append(got, types.Tag{Key: d.Key, Value: d.Value})
		}
		if peeringTags(got) != s.want {
			t.Errorf("DescribeTags: got %s, want %s", peeringTags(got), s.want)
		}
	}
	_, err = e.b.DeleteTags(e.ctx, &ec2.DeleteTagsInput{Resources: []string{id}, Tags: []types.Tag{{Key: aws.String("Side")}}})
	e.must(err)
	if got := peeringTags(e.connection(e.b, id).Tags); got != "Name=accepter-side" {
		t.Errorf("after DeleteTags: %s", got)
	}
	if got := peeringTags(e.connection(e.c, id).Tags); got != "Name=requester-side" {
		t.Errorf("the accepter's DeleteTags changed the requester's tags: %s", got)
	}

	// Each owner sets its own side's options.
	mod, err := e.c.ModifyVpcPeeringConnectionOptions(e.ctx, &ec2.ModifyVpcPeeringConnectionOptionsInput{
		VpcPeeringConnectionId:            &id,
		RequesterPeeringConnectionOptions: &types.PeeringConnectionOptionsRequest{AllowDnsResolutionFromRemoteVpc: aws.Bool(true)},
	})
	e.must(err)
	if mod.RequesterPeeringConnectionOptions == nil || !aws.ToBool(mod.RequesterPeeringConnectionOptions.AllowDnsResolutionFromRemoteVpc) || mod.AccepterPeeringConnectionOptions != nil {
		t.Fatalf("modify answer: %+v", mod)
	}
	_, err = e.b.ModifyVpcPeeringConnectionOptions(e.ctx, &ec2.ModifyVpcPeeringConnectionOptionsInput{
		VpcPeeringConnectionId:           &id,
		AccepterPeeringConnectionOptions: &types.PeeringConnectionOptionsRequest{AllowDnsResolutionFromRemoteVpc: aws.Bool(true)},
	})
	e.must(err)
	got := e.connection(e.c, id)
	if !aws.ToBool(got.RequesterVpcInfo.PeeringOptions.AllowDnsResolutionFromRemoteVpc) || !aws.ToBool(got.AccepterVpcInfo.PeeringOptions.AllowDnsResolutionFromRemoteVpc) {
		t.Fatalf("options: requester %+v accepter %+v", got.RequesterVpcInfo.PeeringOptions, got.AccepterVpcInfo.PeeringOptions)
	}

	// The accepter deletes it: the deleter sees it 2 hours, the other side
	// 2 days.
	e.deletePeering(e.b, id)
	for _, c := range []*ec2.Client{e.c, e.b} {
		got := e.connection(c, id)
		if got.Status.Code != types.VpcPeeringConnectionStateReasonCodeDeleted || aws.ToString(got.Status.Message) != "Deleted by "+accountB {
			t.Fatalf("deleted: %+v", got.Status)
		}
	}
	e.clk.Add(2 * time.Hour)
	if e.sees(e.b, id) || !e.sees(e.c, id) {
		t.Fatal("after 2 hours the deleter no longer sees the connection, the other side still does")
	}
	e.clk.Add(46 * time.Hour)
	if e.sees(e.c, id) {
		t.Fatal("after 2 days nobody sees the connection")
	}
}

func TestVPCPeeringInterRegion(t *testing.T) {
	e := newPeeringEnv(t)
	aWest, bWest := e.in(accountA, "us-west-2"), e.in(accountB, "us-west-2")
	va, vaWest, vbWest := e.vpc(e.c, "10.1.0.0/16"), e.vpc(aWest, "10.3.0.0/16"), e.vpc(bWest, "10.4.0.0/16")

	// One account, two regions: each side sees it in its own region only.
	id := e.request(e.c, va, vaWest, "", "us-west-2")
	if !e.sees(e.c, id) || !e.sees(aWest, id) || e.sees(e.in(accountA, "eu-west-1"), id) {
		t.Fatal("the requester sees it in us-east-1, the accepter in us-west-2, nobody elsewhere")
	}
	if got := e.connection(aWest, id); aws.ToString(got.AccepterVpcInfo.Region) != "us-west-2" || aws.ToString(got.RequesterVpcInfo.Region) != "us-east-1" {
		t.Fatalf("regions: %+v %+v", got.RequesterVpcInfo, got.AccepterVpcInfo)
	}
	_, err := e.c.AcceptVpcPeeringConnection(e.ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: &id})
	e.wantErr(err, "OperationNotPermitted", "Incorrect region (us-east-1) specified for this request. VPC peering connection "+id+" must be accepted in region us-west-2")
	_, err = e.c.RejectVpcPeeringConnection(e.ctx, &ec2.RejectVpcPeeringConnectionInput{VpcPeeringConnectionId: &id})
	e.wantErr(err, "OperationNotPermitted", "must be accepted or rejected in region us-west-2")
	e.accept(aWest, id)
	if e.status(e.c, id) != types.VpcPeeringConnectionStateReasonCodeActive {
		t.Fatal("accepted in the accepter's region: active on both sides")
	}

	// Each side's options change only from that side's region.
	_, err = aWest.ModifyVpcPeeringConnectionOptions(e.ctx, &ec2.ModifyVpcPeeringConnectionOptionsInput{
		VpcPeeringConnectionId:            &id,
		RequesterPeeringConnectionOptions: &types.PeeringConnectionOptionsRequest{AllowDnsResolutionFromRemoteVpc: aws.Bool(true)},
	})
	e.wantErr(err, "OperationNotPermitted", "Requester's VPC Peering connection options cannot be modified for a different region")
	_, err = aWest.ModifyVpcPeeringConnectionOptions(e.ctx, &ec2.ModifyVpcPeeringConnectionOptionsInput{
		VpcPeeringConnectionId:           &id,
		AccepterPeeringConnectionOptions: &types.PeeringConnectionOptionsRequest{AllowDnsResolutionFromRemoteVpc: aws.Bool(true)},
	})
	e.must(err)

	// No security group references across regions.
	groupA := e.group(e.c, va, "local")
	groupWest := e.group(aWest, vaWest, "remote")
	_, err = e.c.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &groupA, IpPermissions: groupPermission(groupWest, accountA)})
	e.wantErr(err, "InvalidGroup.NotFound", groupWest)

	// Deleting an inter-region connection goes through deleting.
	e.deletePeering(e.c, id)
	for _, c := range []*ec2.Client{e.c, aWest} {
		if got := e.connection(c, id).Status; got.Code != types.VpcPeeringConnectionStateReasonCodeDeleting {
			t.Fatalf("right after delete: %+v", got)
		}
	}
	e.clk.Add(3 * time.Second)
	if got := e.connection(aWest, id).Status; got.Code != types.VpcPeeringConnectionStateReasonCodeDeleted || aws.ToString(got.Message) != "Deleted by "+accountA {
		t.Fatalf("then: %+v", got)
	}

	// Another account in another region: B sees it in us-west-2 only.
	id2 := e.request(e.c, va, vbWest, accountB, "us-west-2")
	if !e.sees(bWest, id2) || e.sees(e.b, id2) {
		t.Fatal("the accepter sees the request in its region only")
	}
	_, err = e.b.AcceptVpcPeeringConnection(e.ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: &id2})
	e.wantErr(err, "InvalidVpcPeeringConnectionID.NotFound", "The vpcPeeringConnection ID '"+id2+"' does not exist")
	e.accept(bWest, id2)
	if e.status(e.c, id2) != types.VpcPeeringConnectionStateReasonCodeActive {
		t.Fatal("cross-account inter-region accept")
	}
}

// TestVPCPeeringVisibility: how long each side sees a connection that
// failed, was rejected, expired or was deleted.
func TestVPCPeeringVisibility(t *testing.T) {
	const hour, day = time.Hour, 24 * time.Hour
	cases := []struct {
		name string
		// open makes the connection (A requests from va 10.1.0.0/16, B owns
		// vb 10.2.0.0/16) and closes it; it returns the connection.
		open      func(e peeringEnv, va, vb string) string
		status    types.VpcPeeringConnectionStateReasonCode
		message   string
		requester time.Duration // how long each side sees it from then
		accepter  time.Duration
	}{
		{"failed: overlapping blocks", func(e peeringEnv, va, vb string) string {
			return e.request(e.c, va, e.vpc(e.b, "10.1.128.0/17"), accountB, "")
		}, types.VpcPeeringConnectionStateReasonCodeFailed, "Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range", 2 * hour, 2 * hour},
		{"failed: no such peer VPC", func(e peeringEnv, va, vb string) string {
			return e.request(e.c, va, "vpc-0123456789abcdef0", accountB, "")
		}, types.VpcPeeringConnectionStateReasonCodeFailed, "Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range", 2 * hour, 2 * hour},
		{"failed: peer VPC of another account", func(e peeringEnv, va, vb string) string {
			return e.request(e.c, va, vb, accountC, "")
		}, types.VpcPeeringConnectionStateReasonCodeFailed, "Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range", 2 * hour, 0},
		{"failed: a VPC with itself", func(e peeringEnv, va, vb string) string {
			return e.request(e.c, va, va, "", "")
		}, types.VpcPeeringConnectionStateReasonCodeFailed, "Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range", 2 * hour, 0},
		{"rejected", func(e peeringEnv, va, vb string) string {
			id := e.request(e.c, va, vb, accountB, "")
			_, err := e.b.RejectVpcPeeringConnection(e.ctx, &ec2.RejectVpcPeeringConnectionInput{VpcPeeringConnectionId: &id})
			e.must(err)
			return id
		}, types.VpcPeeringConnectionStateReasonCodeRejected, "Rejected by " + accountB, 2 * day, 2 * hour},
		{"expired", func(e peeringEnv, va, vb string) string {
			id := e.request(e.c, va, vb, accountB, "")
			e.clk.Add(7*day - time.Second)
			if e.status(e.b, id) != types.VpcPeeringConnectionStateReasonCodePendingAcceptance {
				e.t.Fatal("pending until 7 days have passed")
			}
			e.clk.Add(time.Second)
			return id
		}, types.VpcPeeringConnectionStateReasonCodeExpired, "Expired", 2 * day, 2 * day},
		{"active, deleted by the requester", func(e peeringEnv, va, vb string) string {
			id := e.active(e.c, e.b, va, vb, accountB, "")
			e.deletePeering(e.c, id)
			return id
		}, types.VpcPeeringConnectionStateReasonCodeDeleted, "Deleted by " + accountA, 2 * hour, 2 * day},
		{"pending, deleted by the requester", func(e peeringEnv, va, vb string) string {
			id := e.request(e.c, va, vb, accountB, "")
			e.deletePeering(e.c, id)
			return id
		}, types.VpcPeeringConnectionStateReasonCodeDeleted, "Deleted by " + accountA, 2 * hour, 2 * day},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newPeeringEnv(t)
			id := tc.open(e, e.vpc(e.c, "10.1.0.0/16"), e.vpc(e.b, "10.2.0.0/16"))
			got := e.connection(e.c, id)
			if got.Status.Code != tc.status || aws.ToString(got.Status.Message) != tc.message {
				t.Fatalf("status %+v, want %s %q", got.Status, tc.status, tc.message)
			}
			start := e.clk.Now()
			sides := []struct {
				name string
				c    *ec2.Client
				for_ time.Duration
			}{{"requester", e.c, tc.requester}, {"accepter", e.b, tc.accepter}}
			for _, at := range []time.Duration{0, 2*hour - time.Second, 2 * hour, 2*day - time.Second, 2 * day} {
				e.clk.Add(start.Add(at).Sub(e.clk.Now()))
				for _, s := range sides {
					if want := at < s.for_; e.sees(s.c, id) != want {
						t.Errorf("%s at +%s: sees %t, want %t", s.name, at, !want, want)
					}
				}
			}
		})
	}
}

func TestVPCPeeringRefusals(t *testing.T) {
	e := newPeeringEnv(t)
	c := e.in(accountC, "us-east-1")
	va, vb, vb2, vb3 := e.vpc(e.c, "10.1.0.0/16"), e.vpc(e.b, "10.2.0.0/16"), e.vpc(e.b, "10.5.0.0/16"), e.vpc(e.b, "10.6.0.0/16")
	active := e.active(e.c, e.b, va, vb, accountB, "")
	pending := e.request(e.c, va, vb2, accountB, "")
	failed := e.request(e.c, va, e.vpc(e.b, "10.1.0.0/24"), accountB, "")
	rejected := e.request(e.c, va, vb3, accountB, "")
	_, err := e.b.RejectVpcPeeringConnection(e.ctx, &ec2.RejectVpcPeeringConnectionInput{VpcPeeringConnectionId: &rejected})
	e.must(err)
	reversed := e.request(e.b, vb, va, accountA, "") // the same VPCs the other way
	unknown := "pcx-0123456789abcdef0"

	accept := func(c *ec2.Client, id string, dry bool) func() error {
		return func() error {
			_, err := c.AcceptVpcPeeringConnection(e.ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: &id, DryRun: &dry})
			return err
		}
	}
	reject := func(c *ec2.Client, id string) func() error {
		return func() error {
			_, err := c.RejectVpcPeeringConnection(e.ctx, &ec2.RejectVpcPeeringConnectionInput{VpcPeeringConnectionId: &id})
			return err
		}
	}
	del := func(c *ec2.Client, id string) func() error {
		return func() error {
			_, err := c.DeleteVpcPeeringConnection(e.ctx, &ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: &id})
			return err
		}
	}
	modify := func(c *ec2.Client, id string, requester, accepter *types.PeeringConnectionOptionsRequest) func() error {
		return func() error {
			_, err := c.ModifyVpcPeeringConnectionOptions(e.ctx, &ec2.ModifyVpcPeeringConnectionOptionsInput{
				VpcPeeringConnectionId: &id, RequesterPeeringConnectionOptions: requester, AccepterPeeringConnectionOptions: accepter,
			})
			return err
		}
	}
	create := func(c *ec2.Client, in ec2.CreateVpcPeeringConnectionInput) func() error {
		return func() error {
			_, err := c.CreateVpcPeeringConnection(e.ctx, &in)
			return err
		}
	}
	deleteVPC := func(c *ec2.Client, id string) func() error {
		return func() error {
			_, err := c.DeleteVpc(e.ctx, &ec2.DeleteVpcInput{VpcId: &id})
			return err
		}
	}
	dns := &types.PeeringConnectionOptionsRequest{AllowDnsResolutionFromRemoteVpc: aws.Bool(true)}
	notFound := "InvalidVpcPeeringConnectionID.NotFound"
	transition := func(id, from, to string) string {
		return "Invalid state transition for " + id + ", attempted to transition from " + from + " to " + to
	}
	checkRefusals(t, []refusal{
		{"create without a peer VPC", create(e.c, ec2.CreateVpcPeeringConnectionInput{VpcId: &va}), "MissingParameter", "peerVpcId"},
		{"create from an unknown VPC", create(e.c, ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String("vpc-0123456789abcdef0"), PeerVpcId: &vb}),
			"InvalidVpcID.NotFound", "The vpc ID 'vpc-0123456789abcdef0' does not exist"},
		{"create from another account's VPC", create(e.c, ec2.CreateVpcPeeringConnectionInput{VpcId: &vb, PeerVpcId: &va}), "InvalidVpcID.NotFound", vb},
		{"create to an unknown region", create(e.c, ec2.CreateVpcPeeringConnectionInput{VpcId: &va, PeerVpcId: &vb, PeerRegion: aws.String("mars-north-1")}),
			"InvalidParameterValue", "mars-north-1"},
		{"create tagging another type", create(e.c, ec2.CreateVpcPeeringConnectionInput{VpcId: &va, PeerVpcId: &vb, TagSpecifications: nameTag(types.ResourceTypeVpc, "x")}),
			"InvalidParameterValue", "'vpc' is not a valid taggable resource type"},
		{"accept as the requester", accept(e.c, pending, false), "OperationNotPermitted", "User " + accountA + " cannot accept peering " + pending},
		{"accept as a third account", accept(c, pending, false), notFound, "The vpcPeeringConnection ID '" + pending + "' does not exist"},
		{"accept an unknown connection", accept(e.b, unknown, false), notFound, unknown},
		{"accept a malformed id", accept(e.b, "pcx-xyz", false), "InvalidVpcPeeringConnectionId.Malformed", `Invalid id: "pcx-xyz" (expecting "pcx-...")`},
		{"accept an active connection", accept(e.b, active, false), "InvalidStateTransition", transition(active, "active", "active")},
		{"accept a rejected request", accept(e.b, rejected, false), "InvalidStateTransition", transition(rejected, "rejected", "active")},
		{"accept a failed request", accept(e.b, failed, false), "InvalidStateTransition", transition(failed, "failed", "active")},
		{"accept a second connection between two VPCs", accept(e.c, reversed, false),
			"VpcPeeringConnectionAlreadyExists", "The vpc peering connection identified by " + reversed + " already exists."},
		{"accept as a dry run", accept(e.b, pending, true), "DryRunOperation", ""},
		{"reject as the requester", reject(e.c, pending), "OperationNotPermitted", "User " + accountA + " cannot reject peering " + pending},
		{"reject an active connection", reject(e.b, active), "InvalidStateTransition", transition(active, "active", "rejected")},
		{"delete a failed request", del(e.c, failed), "InvalidStateTransition", transition(failed, "failed", "deleting")},
		{"delete a rejected request", del(e.c, rejected), "InvalidStateTransition", transition(rejected, "rejected", "deleting")},
		{"delete a request as its accepter", del(e.b, pending), "OperationNotPermitted", "User " + accountB + " cannot delete peering " + pending},
		{"delete as a third account", del(c, active), notFound, active},
		{"options of a pending request", modify(e.c, pending, dns, nil), "OperationNotPermitted",
			"Peering " + pending + " is not active. Peering options can be added only to active peerings."},
		{"options of the other side", modify(e.c, active, nil, dns), "OperationNotPermitted",
			"User " + accountA + " does not have permission to modify the accepter side peering options"},
		{"options of the requester as the accepter", modify(e.b, active, dns, nil), "OperationNotPermitted",
			"User " + accountB + " does not have permission to modify the requester side peering options"},
		{"ClassicLink options", modify(e.c, active, &types.PeeringConnectionOptionsRequest{AllowEgressFromLocalClassicLinkToRemoteVpc: aws.Bool(true)}, nil),
			"UnsupportedOperation", "ClassicLink"},
		{"delete a VPC with an active connection", deleteVPC(e.c, va), "DependencyViolation", "The vpc '" + va + "' has dependencies and cannot be deleted."},
		{"delete the accepter VPC of a pending request", deleteVPC(e.b, vb2), "DependencyViolation", vb2},
		{"tag as a third account", func() error {
			_, err := c.CreateTags(e.ctx, &ec2.CreateTagsInput{Resources: []string{active}, Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
			return err
		}, notFound, active},
	})
	if e.status(e.b, pending) != types.VpcPeeringConnectionStateReasonCodePendingAcceptance {
		t.Fatal("the dry-run accept left the request pending")
	}
}

// TestVPCPeeringCreateAgain: asking again for a connection between the
// same requester and accepter VPCs returns the one that is open; the other
// way round makes a new request, which cannot be accepted while the first
// connection is active.
func TestVPCPeeringCreateAgain(t *testing.T) {
	e := newPeeringEnv(t)
	va, vb := e.vpc(e.c, "10.1.0.0/16"), e.vpc(e.b, "10.2.0.0/16")
	id := e.request(e.c, va, vb, accountB, "")
	if again := e.request(e.c, va, vb, accountB, ""); again != id {
		t.Fatalf("a second request while pending: %s, want %s", again, id)
	}
	e.accept(e.b, id)
	out, err := e.c.CreateVpcPeeringConnection(e.ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: &va, PeerVpcId: &vb, PeerOwnerId: aws.String(accountB)})
	e.must(err)
	if p := out.VpcPeeringConnection; aws.ToString(p.VpcPeeringConnectionId) != id || p.Status.Code != types.VpcPeeringConnectionStateReasonCodeActive {
		t.Fatalf("a request while active answers the active connection: %+v", p)
	}
	reversed := e.request(e.b, vb, va, accountA, "")
	if reversed == id {
		t.Fatal("the other way round is a new request")
	}
	_, err = e.c.AcceptVpcPeeringConnection(e.ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: &reversed})
	e.wantErr(err, "VpcPeeringConnectionAlreadyExists", reversed)
	e.deletePeering(e.b, id)
	e.accept(e.c, reversed)
	// After the first was deleted, a new request is a new connection.
	if fresh := e.request(e.c, va, vb, accountB, ""); fresh == id || fresh == reversed {
		t.Fatalf("a request after delete: %s", fresh)
	}
}

// TestVPCPeeringSameScope: a connection within one account and region is
// one resource with one tag set.
func TestVPCPeeringSameScope(t *testing.T) {
	e := newPeeringEnv(t)
	va, va2 := e.vpc(e.c, "10.1.0.0/16"), e.vpc(e.c, "10.2.0.0/16")
	out, err := e.c.CreateVpcPeeringConnection(e.ctx, &ec2.CreateVpcPeeringConnectionInput{
		VpcId: &va, PeerVpcId: &va2, TagSpecifications: nameTag(types.ResourceTypeVpcPeeringConnection, "one"),
	})
	e.must(err)
	id := aws.ToString(out.VpcPeeringConnection.VpcPeeringConnectionId)
	if owner := aws.ToString(out.VpcPeeringConnection.AccepterVpcInfo.OwnerId); owner != accountA {
		t.Fatalf("the peer owner defaults to the caller: %s", owner)
	}
	e.accept(e.c, id)
	_, err = e.c.CreateTags(e.ctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: []types.Tag{{Key: aws.String("Side"), Value: aws.String("both")}}})
	e.must(err)
	if got := peeringTags(e.connection(e.c, id).Tags); got != "Name=one,Side=both" {
		t.Fatalf("tags: %s", got)
	}
	all, err := e.c.DescribeVpcPeeringConnections(e.ctx, &ec2.DescribeVpcPeeringConnectionsInput{})
	e.must(err)
	if len(all.VpcPeeringConnections) != 1 {
		t.Fatalf("listed once: %d", len(all.VpcPeeringConnections))
	}
	// Its owner deletes it as either side.
	e.deletePeering(e.c, id)
}

func TestVPCPeeringQuotas(t *testing.T) {
	e := newPeeringEnv(t)
	va := e.vpc(e.c, "10.0.0.0/16")
	// Outstanding requests: 25 per account.
	var requests []string
	for i := range 25 {
		requests = append(requests, e.request(e.c, va, e.vpc(e.b, fmt.Sprintf("10.%d.0.0/16", i+1)), accountB, ""))
	}
	extra := e.vpc(e.b, "10.100.0.0/16")
	_, err := e.c.CreateVpcPeeringConnection(e.ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: &va, PeerVpcId: &extra, PeerOwnerId: aws.String(accountB)})
	e.wantErr(err, "PendingVpcPeeringConnectionLimitExceeded", "Vpc peering connection request limit exceeded.")
	// Accepted ones are no longer outstanding; active ones count per VPC: 50.
	for _, id := range requests {
		e.accept(e.b, id)
	}
	for i := 25; i < 50; i++ {
		e.active(e.c, e.b, va, e.vpc(e.b, fmt.Sprintf("10.%d.0.0/16", i+1)), accountB, "")
	}
	id := e.request(e.c, va, extra, accountB, "")
	_, err = e.b.AcceptVpcPeeringConnection(e.ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: &id})
	e.wantErr(err, "ActiveVpcPeeringConnectionPerVpcLimitExceeded", va)
	e.deletePeering(e.c, requests[0])
	e.accept(e.b, id)
}

func TestVPCPeeringFilters(t *testing.T) {
	e := newPeeringEnv(t)
	va, vb, vb2 := e.vpc(e.c, "10.1.0.0/16"), e.vpc(e.b, "10.2.0.0/16"), e.vpc(e.b, "10.6.0.0/16")
	tag := func(c *ec2.Client, id string, kv ...string) {
		var tags []types.Tag
		for i := 0; i < len(kv); i += 2 {
			tags = append(tags, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
		}
		_, err := c.CreateTags(e.ctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: tags})
		e.must(err)
	}
	p1 := e.active(e.c, e.b, va, vb, accountB, "")
	tag(e.c, p1, "Name", "one", "env", "prod")
	tag(e.b, p1, "Name", "bside")
	p2 := e.request(e.c, va, vb2, accountB, "")
	tag(e.c, p2, "Name", "two")
	p3 := e.request(e.c, va, e.vpc(e.b, "10.1.0.0/24"), accountB, "")
	expires := e.clk.Now().Add(7 * 24 * time.Hour).Format("2006-01-02T15:04:05.000Z")

	describe := func(c *ec2.Client) func(types.Filter) ([]string, error) {
		return func(f types.Filter) ([]string, error) {
			out, err := c.DescribeVpcPeeringConnections(e.ctx, &ec2.DescribeVpcPeeringConnectionsInput{Filters: []types.Filter{f}})
			if err != nil {
				return nil, err
			}
			var ids []string
			for _, p := range out.VpcPeeringConnections {
				ids = append(ids, aws.ToString(p.VpcPeeringConnectionId))
			}
			return ids, nil
		}
	}
	checkFilters(t, []filterCase{
		// A pending request does not show the accepter's blocks.
		{"accepter-vpc-info.cidr-block", []string{"10.2.0.0/16", "10.6.0.0/16"}, []string{p1}},
		{"accepter-vpc-info.owner-id", []string{accountB}, []string{p1, p2, p3}},
		{"accepter-vpc-info.vpc-id", []string{vb2}, []string{p2}},
		{"expiration-time", []string{expires}, []string{p2}},
		{"requester-vpc-info.cidr-block", []string{"10.1.0.0/16"}, []string{p1, p2, p3}},
		{"requester-vpc-info.owner-id", []string{accountA}, []string{p1, p2, p3}},
		{"requester-vpc-info.vpc-id", []string{va}, []string{p1, p2, p3}},
		{"status-code", []string{"active", "failed"}, []string{p1, p3}},
		{"status-code", []string{"pend*"}, []string{p2}},
		{"status-message", []string{"Pending Acceptance by " + accountB}, []string{p2}},
		{"tag:Name", []string{"one"}, []string{p1}},
		{"tag:Name", []string{"bside"}, nil},
		{"tag-key", []string{"env"}, []string{p1}},
		{"tag-value", []string{"two"}, []string{p2}},
		{"vpc-peering-connection-id", []string{p3}, []string{p3}},
	}, describe(e.c))
	// The accepter filters on its own tags.
	checkFilters(t, []filterCase{
		{"tag:Name", []string{"bside"}, []string{p1}},
		{"tag:Name", []string{"one"}, nil},
		{"requester-vpc-info.vpc-id", []string{va}, []string{p1, p2, p3}},
		{"accepter-vpc-info.vpc-id", []string{vb}, []string{p1}},
	}, describe(e.b))
	_, err := describe(e.c)(types.Filter{Name: aws.String("owner-id"), Values: []string{accountA}})
	e.wantErr(err, "InvalidParameterValue", "The filter 'owner-id' is invalid")
}

func TestVPCPeeringPaging(t *testing.T) {
	e := newPeeringEnv(t)
	va := e.vpc(e.c, "10.0.0.0/16")
	var want []string
	for i := range 7 {
		want = append(want, e.request(e.c, va, e.vpc(e.b, fmt.Sprintf("10.%d.0.0/16", i+1)), accountB, ""))
	}
	e.vpc(e.in(accountB, "us-west-2"), "10.50.0.0/16") // B works elsewhere too
	for _, c := range []*ec2.Client{e.c, e.b} {
		var got []string
		pages := 0
		p := ec2.NewDescribeVpcPeeringConnectionsPaginator(c, &ec2.DescribeVpcPeeringConnectionsInput{MaxResults: aws.Int32(5)})
		for p.HasMorePages() {
			out, err := p.NextPage(e.ctx)
			e.must(err)
			pages++
			for _, x := range out.VpcPeeringConnections {
				got = append(got, aws.ToString(x.VpcPeeringConnectionId))
			}
		}
		if pages != 2 {
			t.Errorf("%d pages, want 2", pages)
		}
		sameIDs(t, got, want)
	}
}

// routeState is the state of the route to dest in table, as c sees it.
func (e peeringEnv) routeState(c *ec2.Client, table, dest string) types.RouteState {
	e.t.Helper()
	out, err := c.DescribeRouteTables(e.ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{table}})
	e.must(err)
	for _, r := range out.RouteTables[0].Routes {
		if aws.ToString(r.DestinationCidrBlock) == dest {
			return r.State
		}
	}
	e.t.Fatalf("no route to %s in %s", dest, table)
	return ""
}

func (e peeringEnv) mainTable(c *ec2.Client, vpc string) string {
	e.t.Helper()
	out, err := c.DescribeRouteTables(e.ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{
		{Name: aws.String("association.main"), Values: []string{"true"}},
		{Name: aws.String("vpc-id"), Values: []string{vpc}},
	}})
	e.must(err)
	return aws.ToString(out.RouteTables[0].RouteTableId)
}

func (e peeringEnv) route(c *ec2.Client, table, dest, pcx string) error {
	_, err := c.CreateRoute(e.ctx, &ec2.CreateRouteInput{RouteTableId: &table, DestinationCidrBlock: &dest, VpcPeeringConnectionId: &pcx})
	return err
}

func TestVPCPeeringRoutes(t *testing.T) {
	e := newPeeringEnv(t)
	va, vb, other := e.vpc(e.c, "10.1.0.0/16"), e.vpc(e.b, "10.2.0.0/16"), e.vpc(e.c, "10.3.0.0/16")
	ta, tb := e.mainTable(e.c, va), e.mainTable(e.b, vb)
	id := e.request(e.c, va, vb, accountB, "")

	// A route to a pending request is accepted and goes nowhere yet.
	e.must(e.route(e.c, ta, "10.2.0.0/16", id))
	if got := e.routeState(e.c, ta, "10.2.0.0/16"); got != types.RouteStateBlackhole {
		t.Fatalf("route to a pending request: %s", got)
	}
	e.accept(e.b, id)
	e.must(e.route(e.b, tb, "10.1.0.0/16", id))
	if a, b := e.routeState(e.c, ta, "10.2.0.0/16"), e.routeState(e.b, tb, "10.1.0.0/16"); a != types.RouteStateActive || b != types.RouteStateActive {
		t.Fatalf("routes once active: %s %s", a, b)
	}
	_, err := e.c.ReplaceRoute(e.ctx, &ec2.ReplaceRouteInput{RouteTableId: &ta, DestinationCidrBlock: aws.String("10.2.0.0/16"), VpcPeeringConnectionId: &id})
	e.must(err)
	checkRefusals(t, []refusal{
		{"a table of another VPC", func() error { return e.route(e.c, e.mainTable(e.c, other), "10.2.0.0/16", id) },
			"InvalidParameterValue", "route table " + e.mainTable(e.c, other) + " and VPC peering connection " + id + " belong to different networks"},
		{"an unknown connection", func() error { return e.route(e.c, ta, "10.9.0.0/16", "pcx-0123456789abcdef0") },
			"InvalidVpcPeeringConnectionID.NotFound", "The vpcPeeringConnection ID 'pcx-0123456789abcdef0' does not exist"},
		{"a connection the account does not see", func() error {
			cc := e.in(accountC, "us-east-1")
			return e.route(cc, e.mainTable(cc, e.vpc(cc, "10.4.0.0/16")), "10.9.0.0/16", id)
		}, "InvalidVpcPeeringConnectionID.NotFound", id},
	})

	// Deleting the connection leaves the routes, as blackholes; a closed
	// connection is no route target.
	e.deletePeering(e.c, id)
	if a, b := e.routeState(e.c, ta, "10.2.0.0/16"), e.routeState(e.b, tb, "10.1.0.0/16"); a != types.RouteStateBlackhole || b != types.RouteStateBlackhole {
		t.Fatalf("routes once deleted: %s %s", a, b)
	}
	e.wantErr(e.route(e.c, ta, "10.8.0.0/16", id), "InvalidVpcPeeringConnectionID.NotFound", id)
}

func (e peeringEnv) group(c *ec2.Client, vpc, name string) string {
	e.t.Helper()
	out, err := c.CreateSecurityGroup(e.ctx, &ec2.CreateSecurityGroupInput{VpcId: &vpc, GroupName: &name, Description: aws.String(name)})
	e.must(err)
	return aws.ToString(out.GroupId)
}

// groupPermission allows HTTPS from a group of account owner.
func groupPermission(group, owner string) []types.IpPermission {
	return []types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
		UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: &group, UserId: &owner}}}}
}

func (e peeringEnv) stale(c *ec2.Client, vpc string) []types.StaleSecurityGroup {
	e.t.Helper()
	out, err := c.DescribeStaleSecurityGroups(e.ctx, &ec2.DescribeStaleSecurityGroupsInput{VpcId: &vpc})
	e.must(err)
	return out.StaleSecurityGroupSet
}

func TestVPCPeeringSecurityGroupReferences(t *testing.T) {
	e := newPeeringEnv(t)
	va, vb, lone := e.vpc(e.c, "10.1.0.0/16"), e.vpc(e.b, "10.2.0.0/16"), e.vpc(e.b, "10.7.0.0/16")
	ga, gb, gLone := e.group(e.c, va, "app"), e.group(e.b, vb, "db"), e.group(e.b, lone, "lone")
	authorize := func(group string, perms []types.IpPermission) (*ec2.AuthorizeSecurityGroupIngressOutput, error) {
		return e.c.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &group, IpPermissions: perms})
	}
	_, err := authorize(ga, groupPermission(gb, accountB))
	e.wantErr(err, "InvalidGroup.NotFound", "You have specified two resources that belong to different networks.")
	id := e.request(e.c, va, vb, accountB, "")
	_, err = authorize(ga, groupPermission(gb, accountB))
	e.wantErr(err, "InvalidGroup.NotFound", "different networks") // pending is not enough
	e.accept(e.b, id)

	out, err := authorize(ga, groupPermission(gb, accountB))
	e.must(err)
	ref := out.SecurityGroupRules[0].ReferencedGroupInfo
	if ref == nil || aws.ToString(ref.GroupId) != gb || aws.ToString(ref.UserId) != accountB || aws.ToString(ref.VpcId) != vb ||
		aws.ToString(ref.VpcPeeringConnectionId) != id || aws.ToString(ref.PeeringStatus) != "active" {
		t.Fatalf("rule answer: %+v", ref)
	}
	_, err = authorize(ga, groupPermission(gLone, accountB))
	e.wantErr(err, "InvalidGroup.NotFound", "different networks") // a VPC the connection does not join
	pair := func() types.UserIdGroupPair {
		d, err := e.c.DescribeSecurityGroups(e.ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{ga}})
		e.must(err)
		return d.SecurityGroups[0].IpPermissions[0].UserIdGroupPairs[0]
	}
	if p := pair(); aws.ToString(p.VpcId) != vb || aws.ToString(p.VpcPeeringConnectionId) != id || aws.ToString(p.PeeringStatus) != "active" || aws.ToString(p.UserId) != accountB {
		t.Fatalf("DescribeSecurityGroups pair: %+v", p)
	}
	rules, err := e.c.DescribeSecurityGroupRules(e.ctx, &ec2.DescribeSecurityGroupRulesInput{Filters: []types.Filter{{Name: aws.String("group-id"), Values: []string{ga}}}})
	e.must(err)
	for _, r := range rules.SecurityGroupRules {
		if r.ReferencedGroupInfo != nil && aws.ToString(r.ReferencedGroupInfo.PeeringStatus) != "active" {
			t.Fatalf("DescribeSecurityGroupRules: %+v", r.ReferencedGroupInfo)
		}
	}
	if s := e.stale(e.c, va); len(s) != 0 {
		t.Fatalf("stale while active: %+v", s)
	}

	// Once the connection is deleted the rule stays, stale.
	e.deletePeering(e.b, id)
	if p := pair(); aws.ToString(p.PeeringStatus) != "deleted" {
		t.Fatalf("pair once deleted: %+v", p)
	}
	stale := e.stale(e.c, va)
	if len(stale) != 1 || aws.ToString(stale[0].GroupId) != ga || aws.ToString(stale[0].GroupName) != "app" || len(stale[0].StaleIpPermissions) != 1 {
		t.Fatalf("stale: %+v", stale)
	}
	sp := stale[0].StaleIpPermissions[0]
	if aws.ToString(sp.IpProtocol) != "tcp" || aws.ToInt32(sp.FromPort) != 443 || len(sp.UserIdGroupPairs) != 1 ||
		aws.ToString(sp.UserIdGroupPairs[0].GroupId) != gb || aws.ToString(sp.UserIdGroupPairs[0].VpcPeeringConnectionId) != id {
		t.Fatalf("stale permission: %+v", sp)
	}
	// The peer deletes its group (the reference does not hold it); the
	// stale rule is still revoked by the group's id.
	_, err = e.b.DeleteSecurityGroup(e.ctx, &ec2.DeleteSecurityGroupInput{GroupId: &gb})
	e.must(err)
	_, err = e.c.RevokeSecurityGroupIngress(e.ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: &ga, IpPermissions: groupPermission(gb, accountB)})
	e.must(err)
	if s := e.stale(e.c, va); len(s) != 0 {
		t.Fatalf("stale after revoke: %+v", s)
	}
	_, err = e.c.DescribeStaleSecurityGroups(e.ctx, &ec2.DescribeStaleSecurityGroupsInput{VpcId: &vb})
	e.wantErr(err, "InvalidVpcID.NotFound", vb)
}

func TestVPCPeeringStaleSecurityGroupsPaging(t *testing.T) {
	e := newPeeringEnv(t)
	va, vb := e.vpc(e.c, "10.1.0.0/16"), e.vpc(e.b, "10.2.0.0/16")
	id := e.active(e.c, e.b, va, vb, accountB, "")
	gb := e.group(e.b, vb, "db")
	var want []string
	for i := range 6 {
		g := e.group(e.c, va, fmt.Sprintf("app-%d", i))
		_, err := e.c.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &g, IpPermissions: groupPermission(gb, accountB)})
		e.must(err)
		want = append(want, g)
	}
	e.deletePeering(e.c, id)
	var got []string
	pages := 0
	p := ec2.NewDescribeStaleSecurityGroupsPaginator(e.c, &ec2.DescribeStaleSecurityGroupsInput{VpcId: &va, MaxResults: aws.Int32(5)})
	for p.HasMorePages() {
		out, err := p.NextPage(e.ctx)
		e.must(err)
		pages++
		for _, g := range out.StaleSecurityGroupSet {
			got = append(got, aws.ToString(g.GroupId))
		}
	}
	if pages != 2 {
		t.Errorf("%d pages, want 2", pages)
	}
	sameIDs(t, got, want)
}

// TestVPCPeeringVPCDelete: a pending request goes with its requester's VPC;
// pending or active connections otherwise hold their VPCs, and expired
// ones do not.
func TestVPCPeeringVPCDelete(t *testing.T) {
	e := newPeeringEnv(t)
	va, vb := e.vpc(e.c, "10.1.0.0/16"), e.vpc(e.b, "10.2.0.0/16")
	id := e.request(e.c, va, vb, accountB, "")
	_, err := e.c.DeleteVpc(e.ctx, &ec2.DeleteVpcInput{VpcId: &va})
	e.must(err)
	if got := e.connection(e.b, id).Status; got.Code != types.VpcPeeringConnectionStateReasonCodeDeleted || aws.ToString(got.Message) != "Deleted by "+accountA {
		t.Fatalf("the request once its VPC is gone: %+v", got)
	}
	if got := e.connection(e.c, id); aws.ToString(got.RequesterVpcInfo.CidrBlock) != "10.1.0.0/16" {
		t.Fatalf("a deleted VPC's blocks stay as they were: %+v", got.RequesterVpcInfo)
	}

	va = e.vpc(e.c, "10.1.0.0/16")
	e.request(e.c, va, vb, accountB, "")
	e.clk.Add(7 * 24 * time.Hour)
	_, err = e.b.DeleteVpc(e.ctx, &ec2.DeleteVpcInput{VpcId: &vb})
	e.must(err) // the request expired
}
