package e2e

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestTerraformEndpoints: gateway and interface endpoints, their route
// table, subnet, security group and policy resources, and the data
// sources that look endpoints, services and prefix lists up apply, show
// no drift and destroy cleanly.
func TestTerraformEndpoints(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, accountA, region)
	tf := newTerraform(t, "endpoints", e.URL())
	tf.lifecycle(c, func() {
		var out struct {
			S3 struct {
				ID           string   `json:"id"`
				PrefixListID string   `json:"prefix_list_id"`
				CIDRBlocks   []string `json:"cidr_blocks"`
				State        string   `json:"state"`
			} `json:"s3_endpoint"`
			S3PrefixList   struct{ ID, Name string } `json:"s3_prefix_list"`
			DynamoDBID     string                    `json:"dynamodb_endpoint_id"`
			SecretsManager struct {
				ID                string   `json:"id"`
				State             string   `json:"state"`
				PrivateDNSEnabled bool     `json:"private_dns_enabled"`
				DNSNames          []string `json:"dns_names"`
				Interfaces        []string `json:"interfaces"`
			} `json:"secretsmanager"`
			SNSID      string `json:"sns_endpoint_id"`
			Private    string `json:"private_route_table_id"`
			Isolated   string `json:"isolated_route_table_id"`
			ExtraGroup string `json:"extra_group_id"`
		}
		tf.outputs(&out)
		if out.S3.State != "available" || out.S3.PrefixListID != "pl-63a5400a" || len(out.S3.CIDRBlocks) == 0 ||
			out.S3PrefixList.ID != out.S3.PrefixListID || out.S3PrefixList.Name != "com.amazonaws.us-east-1.s3" {
			t.Errorf("S3 endpoint: %+v %+v", out.S3, out.S3PrefixList)
		}
		sm := out.SecretsManager
		regional := regexp.MustCompile(`^` + sm.ID + `-[a-z0-9]{8}\.secretsmanager\.us-east-1\.vpce\.amazonaws\.com$`)
		if sm.State != "available" || !sm.PrivateDNSEnabled || len(sm.Interfaces) != 2 || len(sm.DNSNames) != 4 ||
			!regional.MatchString(sm.DNSNames[0]) || sm.DNSNames[3] != "secretsmanager.us-east-1.amazonaws.com" {
			t.Errorf("Secrets Manager endpoint: %+v", sm)
		}

		ctx := testContext(t, time.Minute)
		tables, err := c.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{out.Private, out.Isolated}})
		if err != nil {
			t.Fatal(err)
		}
		for _, rt := range tables.RouteTables {
			var targets []string
			for _, r := range rt.Routes {
				if r.DestinationPrefixListId != nil {
					targets = append(targets, aws.ToString(r.GatewayId))
				}
			}
			want := []string{out.DynamoDBID}
			if aws.ToString(rt.RouteTableId) == out.Private {
				want = append(want, out.S3.ID)
			}
			if !slices.Equal(slices.Sorted(slices.Values(targets)), slices.Sorted(slices.Values(want))) {
				t.Errorf("endpoint routes of %s: %v, want %v", aws.ToString(rt.RouteTableId), targets, want)
			}
		}
		eps, err := c.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{out.DynamoDBID, out.SNSID}})
		if err != nil {
			t.Fatal(err)
		}
		for _, ep := range eps.VpcEndpoints {
			switch aws.ToString(ep.VpcEndpointId) {
			case out.DynamoDBID:
				if !strings.Contains(aws.ToString(ep.PolicyDocument), "dynamodb:GetItem") || len(ep.RouteTableIds) != 2 {
					t.Errorf("DynamoDB endpoint: %+v", ep)
				}
			case out.SNSID:
				groups := []string{}
				for _, g := range ep.Groups {
					groups = append(groups, aws.ToString(g.GroupId))
				}
				if len(ep.SubnetIds) != 1 || !slices.Contains(groups, out.ExtraGroup) || len(groups) != 2 {
					t.Errorf("SNS endpoint: subnets %v, groups %v", ep.SubnetIds, groups)
				}
			}
		}
	})
}

// TestAWSCLIEndpoints: the aws CLI runs seed 004's consumer sample
// verbatim (with real ids, in us-east-2) and its endpoint policy, and seed
// 001's S3 gateway endpoint on a private subnet's route table.
func TestAWSCLIEndpoints(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	cli := newAWSCLI(t, e.URL(), accountA)
	ohio := func(args ...string) []string { return append(args, "--region", "us-east-2") }
	vpc := cli.ok(t, ohio("ec2", "create-vpc", "--cidr-block", "10.70.0.0/16", "--query", "Vpc.VpcId", "--output", "text")...)
	cli.ok(t, ohio("ec2", "modify-vpc-attribute", "--vpc-id", vpc, "--enable-dns-hostnames")...)
	var subnets []string
	for i, zone := range []string{"us-east-2a", "us-east-2b"} {
		subnets = append(subnets, cli.ok(t, ohio("ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.70."+string(rune('1'+i))+".0/24",
			"--availability-zone", zone, "--query", "Subnet.SubnetId", "--output", "text")...))
	}
	sg := cli.ok(t, ohio("ec2", "create-security-group", "--vpc-id", vpc, "--group-name", "endpoints", "--description", "endpoints",
		"--query", "GroupId", "--output", "text")...)

	var created struct {
		VpcEndpoint struct {
			VpcEndpointId, State, ServiceName string
			PrivateDnsEnabled                 bool
			SubnetIds, NetworkInterfaceIds    []string
			DnsEntries                        []struct{ DnsName, HostedZoneId string }
		}
	}
	cli.json(t, &created, ohio("ec2", "create-vpc-endpoint",
		"--vpc-id", vpc,
		"--vpc-endpoint-type", "Interface",
		"--service-name", "com.amazonaws.us-east-2.secretsmanager",
		"--subnet-ids", subnets[0], subnets[1],
		"--security-group-ids", sg)...)
	ep := created.VpcEndpoint
	if ep.State != "pending" || !ep.PrivateDnsEnabled || len(ep.NetworkInterfaceIds) != 2 || len(ep.DnsEntries) != 4 ||
		ep.DnsEntries[0].HostedZoneId != "ZC8PG0KIFKBRI" || !strings.HasSuffix(ep.DnsEntries[0].DnsName, ".secretsmanager.us-east-2.vpce.amazonaws.com") ||
		ep.DnsEntries[3].DnsName != "secretsmanager.us-east-2.amazonaws.com" {
		t.Errorf("create-vpc-endpoint: %+v", ep)
	}
	if got := cli.ok(t, ohio("ec2", "describe-vpc-endpoints", "--vpc-endpoint-ids", ep.VpcEndpointId,
		"--query", "VpcEndpoints[0].[State,Groups[0].GroupName]", "--output", "text")...); got != "available\tendpoints" {
		t.Errorf("describe-vpc-endpoints: %q", got)
	}

	// Seed 004's endpoint policy, on an SSM endpoint.
	policy := `{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "ssm:DescribeInstanceInformation", "Resource": "*"}]}`
	ssm := cli.ok(t, ohio("ec2", "create-vpc-endpoint", "--vpc-id", vpc, "--vpc-endpoint-type", "Interface",
		"--service-name", "com.amazonaws.us-east-2.ssm", "--subnet-ids", subnets[0], "--policy-document", policy,
		"--query", "VpcEndpoint.VpcEndpointId", "--output", "text")...)
	if got := cli.ok(t, ohio("ec2", "describe-vpc-endpoints", "--filters", "Name=service-name,Values=com.amazonaws.us-east-2.ssm",
		"--query", "VpcEndpoints[0].PolicyDocument", "--output", "text")...); got != policy {
		t.Errorf("policy: %q", got)
	}

	// Seed 001: S3 through a gateway endpoint from a private subnet.
	table := cli.ok(t, ohio("ec2", "create-route-table", "--vpc-id", vpc, "--query", "RouteTable.RouteTableId", "--output", "text")...)
	cli.ok(t, ohio("ec2", "associate-route-table", "--route-table-id", table, "--subnet-id", subnets[1])...)
	s3 := cli.ok(t, ohio("ec2", "create-vpc-endpoint", "--vpc-id", vpc, "--service-name", "com.amazonaws.us-east-2.s3",
		"--route-table-ids", table, "--query", "VpcEndpoint.VpcEndpointId", "--output", "text")...)
	pl := cli.ok(t, ohio("ec2", "describe-prefix-lists", "--filters", "Name=prefix-list-name,Values=com.amazonaws.us-east-2.s3",
		"--query", "PrefixLists[0].PrefixListId", "--output", "text")...)
	if got := cli.ok(t, ohio("ec2", "describe-route-tables", "--route-table-ids", table,
		"--query", "RouteTables[0].Routes[?DestinationPrefixListId=='"+pl+"'].[GatewayId,State]", "--output", "text")...); got != s3+"\tactive" {
		t.Errorf("S3 route: %q", got)
	}

	cli.ok(t, ohio("ec2", "delete-vpc-endpoints", "--vpc-endpoint-ids", ep.VpcEndpointId, ssm, s3)...)
	if got := cli.ok(t, ohio("ec2", "describe-vpc-endpoints", "--query", "VpcEndpoints[].State", "--output", "text")...); got != "deleted\tdeleted\tdeleted" {
		t.Errorf("after delete: %q", got)
	}
}

// TestTerraformEndpointSubnets: an interface endpoint with private DNS
// created without subnets, given two, then none again, beside a gateway
// endpoint: every plan right after an apply is empty, and the endpoint's
// DNS entries are there only while it has network interfaces.
func TestTerraformEndpointSubnets(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, accountA, region)
	tf := newTerraform(t, "endpoint-subnets", e.URL())
	tf.expect(0, "init")
	for _, subnets := range []int{0, 2, 0} {
		v := fmt.Sprintf("subnets=%d", subnets)
		tf.expect(0, "apply", "-auto-approve", "-var", v)
		tf.expect(0, "plan", "-detailed-exitcode", "-var", v) // 2 would be drift
		var out struct {
			KMS string `json:"kms_id"`
			S3  string `json:"s3_id"`
		}
		tf.outputs(&out)
		eps, err := c.DescribeVpcEndpoints(testContext(t, time.Minute), &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{out.KMS, out.S3}})
		if err != nil {
			t.Fatal(err)
		}
		for _, ep := range eps.VpcEndpoints {
			var names []string
			for _, d := range ep.DnsEntries {
				names = append(names, aws.ToString(d.DnsName))
			}
			if ep.DnsOptions == nil || ep.DnsOptions.DnsRecordIpType != "ipv4" || ep.IpAddressType != "ipv4" {
				t.Errorf("%d subnets: %s: DNS options %+v, IP address type %q", subnets, aws.ToString(ep.VpcEndpointId), ep.DnsOptions, ep.IpAddressType)
			}
			if aws.ToString(ep.VpcEndpointId) == out.S3 {
				if len(names) != 0 {
					t.Errorf("gateway endpoint: DNS names %v", names)
				}
				continue
			}
			regional := regexp.MustCompile(`^` + out.KMS + `-[a-z0-9]{8}\.kms\.us-east-1\.vpce\.amazonaws\.com$`)
			switch {
			case len(ep.NetworkInterfaceIds) != subnets:
				t.Errorf("%d subnets: interfaces %v", subnets, ep.NetworkInterfaceIds)
			case subnets == 0 && len(names) != 0:
				t.Errorf("without subnets: DNS names %v, want none", names)
			case subnets == 2 && (len(names) != 4 || !regional.MatchString(names[0]) || names[3] != "kms.us-east-1.amazonaws.com"):
				t.Errorf("with two subnets: DNS names %v", names)
			}
		}
	}
	tf.expect(0, "destroy", "-auto-approve")
	onlyDefaults(t, t.Context(), c)
}
