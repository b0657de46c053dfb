package e2e

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestTerraformPeering: VPC peering across two accounts and two regions
// (connections, accepters with their own tags, options on both sides,
// routes, a rule that references the peer's group) applies, shows no drift
// and destroys cleanly in every account and region.
func TestTerraformPeering(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	a := emulatortest.EC2(e, accountA, region)
	b := emulatortest.EC2(e, accountB, region)
	bWest := emulatortest.EC2(e, accountB, "us-west-2")
	tf := newTerraform(t, "peering", e.URL())
	tf.lifecycle(a, func() {
		var out struct {
			CrossAccountID string `json:"cross_account_id"`
			InterRegionID  string `json:"inter_region_id"`
			AcceptStatus   string `json:"accept_status"`
			AppGroupID     string `json:"app_group_id"`
			DBGroupID      string `json:"db_group_id"`
		}
		tf.outputs(&out)
		if out.AcceptStatus != "active" {
			t.Errorf("accept status %q", out.AcceptStatus)
		}
		ctx := testContext(t, time.Minute)
		describe := func(c *ec2.Client, id string) types.VpcPeeringConnection {
			t.Helper()
			d, err := c.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{id}})
			if err != nil {
				t.Fatal(err)
			}
			return d.VpcPeeringConnections[0]
		}
		// Each side has its own tags; both set their options.
		for _, side := range []struct {
			c    *ec2.Client
			tags string
		}{{a, "Name=requester-side,Side=Requester"}, {b, "Name=accepter-side,Side=Accepter"}} {
			p := describe(side.c, out.CrossAccountID)
			if p.Status.Code != types.VpcPeeringConnectionStateReasonCodeActive || tagString(p.Tags) != side.tags ||
				!aws.ToBool(p.RequesterVpcInfo.PeeringOptions.AllowDnsResolutionFromRemoteVpc) ||
				!aws.ToBool(p.AccepterVpcInfo.PeeringOptions.AllowDnsResolutionFromRemoteVpc) {
				t.Errorf("cross-account connection: %s %s %+v %+v", p.Status.Code, tagString(p.Tags), p.RequesterVpcInfo.PeeringOptions, p.AccepterVpcInfo.PeeringOptions)
			}
		}
		if p := describe(bWest, out.InterRegionID); p.Status.Code != types.VpcPeeringConnectionStateReasonCodeActive || len(p.Tags) != 0 ||
			aws.ToString(p.AccepterVpcInfo.Region) != "us-west-2" {
			t.Errorf("inter-region connection, as the accepter sees it: %s %s %s", p.Status.Code, tagString(p.Tags), aws.ToString(p.AccepterVpcInfo.Region))
		}
		routes, err := a.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{
			{Name: aws.String("route.vpc-peering-connection-id"), Values: []string{out.CrossAccountID, out.InterRegionID}},
		}})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, rt := range routes.RouteTables {
			for _, r := range rt.Routes {
				if r.VpcPeeringConnectionId != nil {
					n++
					if r.State != types.RouteStateActive {
						t.Errorf("route to %s: %s", aws.ToString(r.VpcPeeringConnectionId), r.State)
					}
				}
			}
		}
		if n != 2 {
			t.Errorf("%d routes through the connections, want 2", n)
		}
		groups, err := a.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{out.AppGroupID}})
		if err != nil {
			t.Fatal(err)
		}
		perms := groups.SecurityGroups[0].IpPermissions
		if len(perms) != 1 || len(perms[0].UserIdGroupPairs) != 1 {
			t.Fatalf("app group rules: %+v", perms)
		}
		if p := perms[0].UserIdGroupPairs[0]; aws.ToString(p.GroupId) != out.DBGroupID || aws.ToString(p.UserId) != accountB ||
			aws.ToString(p.VpcPeeringConnectionId) != out.CrossAccountID || aws.ToString(p.PeeringStatus) != "active" {
			t.Errorf("peer group reference: %+v", p)
		}
	})
	onlyDefaults(t, testContext(t, time.Minute), b)
	onlyDefaults(t, testContext(t, time.Minute), bWest)
}

// TestAWSCLIPeering: the aws CLI drives a cross-account peering request,
// its acceptance, each side's tags and options, and its deletion.
func TestAWSCLIPeering(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	a, b := newAWSCLI(t, e.URL(), accountA), newAWSCLI(t, e.URL(), accountB)
	vpcA := a.ok(t, "ec2", "create-vpc", "--cidr-block", "10.60.0.0/16", "--query", "Vpc.VpcId", "--output", "text")
	vpcB := b.ok(t, "ec2", "create-vpc", "--cidr-block", "10.61.0.0/16", "--query", "Vpc.VpcId", "--output", "text")
	var created struct {
		VpcPeeringConnection struct {
			VpcPeeringConnectionId string
			Status                 struct{ Code, Message string }
		}
	}
	a.json(t, &created, "ec2", "create-vpc-peering-connection", "--vpc-id", vpcA, "--peer-vpc-id", vpcB, "--peer-owner-id", accountB,
		"--tag-specifications", "ResourceType=vpc-peering-connection,Tags=[{Key=Name,Value=from-a}]")
	id := created.VpcPeeringConnection.VpcPeeringConnectionId
	if s := created.VpcPeeringConnection.Status; s.Code != "initiating-request" || s.Message != "Initiating Request to "+accountB {
		t.Errorf("create-vpc-peering-connection: %+v", created.VpcPeeringConnection)
	}
	cliError(t, a, "OperationNotPermitted", "AcceptVpcPeeringConnection", "ec2", "accept-vpc-peering-connection", "--vpc-peering-connection-id", id)
	if got := b.ok(t, "ec2", "accept-vpc-peering-connection", "--vpc-peering-connection-id", id,
		"--query", "VpcPeeringConnection.[Status.Code,AccepterVpcInfo.CidrBlock]", "--output", "text"); got != "active\t10.61.0.0/16" {
		t.Errorf("accept: %q", got)
	}
	b.ok(t, "ec2", "create-tags", "--resources", id, "--tags", "Key=Name,Value=from-b")
	b.ok(t, "ec2", "modify-vpc-peering-connection-options", "--vpc-peering-connection-id", id,
		"--accepter-peering-connection-options", "AllowDnsResolutionFromRemoteVpc=true")
	for _, side := range []struct {
		cli  *awsCLI
		name string
	}{{a, "from-a"}, {b, "from-b"}} {
		got := side.cli.ok(t, "ec2", "describe-vpc-peering-connections", "--filters", "Name=tag:Name,Values="+side.name,
			"--query", "VpcPeeringConnections[].[VpcPeeringConnectionId,AccepterVpcInfo.PeeringOptions.AllowDnsResolutionFromRemoteVpc]", "--output", "text")
		if got != id+"\tTrue" {
			t.Errorf("%s's view: %q", side.name, got)
		}
	}
	cliError(t, a, "DependencyViolation", "DeleteVpc", "ec2", "delete-vpc", "--vpc-id", vpcA)
	a.ok(t, "ec2", "delete-vpc-peering-connection", "--vpc-peering-connection-id", id)
	if got := b.ok(t, "ec2", "describe-vpc-peering-connections", "--vpc-peering-connection-ids", id,
		"--query", "VpcPeeringConnections[0].Status.Message", "--output", "text"); got != "Deleted by "+accountA {
		t.Errorf("after delete: %q", got)
	}
	a.ok(t, "ec2", "delete-vpc", "--vpc-id", vpcA)
}
