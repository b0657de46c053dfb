package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestTerraformPrivateLink: endpoint services behind an NLB and a GWLB in
// one account, reached from another account through interface, Gateway
// Load Balancer and gateway endpoints, apply with no drift and destroy
// cleanly in both accounts.
func TestTerraformPrivateLink(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	provider := emulatortest.EC2(e, accountA, region)
	consumer := emulatortest.EC2(e, accountB, region)
	tf := newTerraform(t, "privatelink", e.URL())
	tf.lifecycle(provider, func() {
		var out struct {
			API struct {
				ID       string   `json:"id"`
				State    string   `json:"state"`
				DNSNames []string `json:"dns_names"`
			} `json:"api_endpoint"`
			S3PrefixList struct{ ID, Name string } `json:"s3_prefix_list"`
			Secrets      struct {
				Name           string `json:"name"`
				PrivateDNSName string `json:"private_dns_name"`
			} `json:"secretsmanager_service"`
		}
		tf.outputs(&out)
		// Accepted by the provider: available, with a regional name and one
		// name per zone.
		if out.API.State != "available" || len(out.API.DNSNames) != 3 {
			t.Errorf("api endpoint: %+v", out.API)
		}
		for _, n := range out.API.DNSNames {
			if !strings.HasSuffix(n, ".us-east-1.vpce.amazonaws.com") {
				t.Errorf("endpoint DNS name %q", n)
			}
		}
		if out.S3PrefixList.Name != "com.amazonaws.us-east-1.s3" || out.Secrets.PrivateDNSName != "secretsmanager.us-east-1.amazonaws.com" {
			t.Errorf("data sources: %+v %+v", out.S3PrefixList, out.Secrets)
		}
		checkPrivateLinkCost(t, e.URL(), tf.dir)
		ctx := testContext(t, time.Minute)
		// The provider sees the consumer's connection.
		conns, err := provider.DescribeVpcEndpointConnections(ctx, &ec2.DescribeVpcEndpointConnectionsInput{})
		if err != nil {
			t.Fatal(err)
		}
		// EC2 spells endpoint states in lower camel case on the wire
		// ("available"), not as the SDK's enum constants ("Available").
		found := false
		for _, c := range conns.VpcEndpointConnections {
			if aws.ToString(c.VpcEndpointId) == out.API.ID {
				found = aws.ToString(c.VpcEndpointOwner) == accountB && c.VpcEndpointState == "available"
			}
		}
		if !found {
			t.Errorf("provider's view of the connection: %+v", conns.VpcEndpointConnections)
		}
		// The workload route table sends 0.0.0.0/0 to the GWLB endpoint and
		// S3's prefix list to the gateway endpoint.
		rts, err := consumer.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{
			{Name: aws.String("route.destination-prefix-list-id"), Values: []string{out.S3PrefixList.ID}}}})
		if err != nil || len(rts.RouteTables) != 1 {
			t.Fatalf("route table with the S3 route: %v %v", rts, err)
		}
		// DescribeRouteTables shows an endpoint target as a GatewayId.
		var def *types.Route
		for _, r := range rts.RouteTables[0].Routes {
			if aws.ToString(r.DestinationCidrBlock) == "0.0.0.0/0" {
				def = &r
			}
		}
		if def == nil || def.State != types.RouteStateActive || !strings.HasPrefix(aws.ToString(def.GatewayId), "vpce-") {
			t.Errorf("default route through the GWLB endpoint: %+v", def)
		}
	})
	onlyDefaults(t, testContext(t, time.Minute), consumer)
}
