package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// The leftovers check covers endpoint services and connection
// notifications too.
func init() {
	leftovers = append(leftovers,
		leftover{"VPC endpoint services", func(ctx context.Context, c *ec2.Client, _ string) ([]string, error) {
			out, err := c.DescribeVpcEndpointServiceConfigurations(ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{})
			return ids(out, err, func(o *ec2.DescribeVpcEndpointServiceConfigurationsOutput) (r []string) {
				for _, s := range o.ServiceConfigurations {
					r = append(r, aws.ToString(s.ServiceId))
				}
				return r
			})
		}},
		leftover{"VPC endpoint connection notifications", func(ctx context.Context, c *ec2.Client, _ string) ([]string, error) {
			out, err := c.DescribeVpcEndpointConnectionNotifications(ctx, &ec2.DescribeVpcEndpointConnectionNotificationsInput{})
			return ids(out, err, func(o *ec2.DescribeVpcEndpointConnectionNotificationsOutput) (r []string) {
				for _, n := range o.ConnectionNotificationSet {
					r = append(r, aws.ToString(n.ConnectionNotificationId))
				}
				return r
			})
		}},
	)
}

// TestTerraformEndpointServices: endpoint services on a Network and a
// Gateway Load Balancer, with allowed principals, a private DNS name and a
// connection notification, apply, show no drift and destroy cleanly; the
// consumer account's data source finds the service it is allowed to see.
func TestTerraformEndpointServices(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	a := emulatortest.EC2(e, accountA, region)
	tf := newTerraform(t, "endpoint-services", e.URL())
	tf.lifecycle(a, func() {
		var out struct {
			ServiceID       string   `json:"nlb_service_id"`
			State           string   `json:"nlb_service_state"`
			DNSState        string   `json:"dns_state"`
			GWLBServiceType string   `json:"gwlb_service_type"`
			SeenOwner       string   `json:"seen_owner"`
			SeenZones       []string `json:"seen_zones"`
			NotificationID  string   `json:"notification_id"`
		}
		tf.outputs(&out)
		if out.State != "Available" || out.DNSState != "pendingVerification" || out.GWLBServiceType != "GatewayLoadBalancer" {
			t.Errorf("services: %+v", out)
		}
		if out.SeenOwner != accountA || len(out.SeenZones) != 2 {
			t.Errorf("consumer's view: owner %s zones %v", out.SeenOwner, out.SeenZones)
		}
		if !strings.HasPrefix(out.NotificationID, "vpce-nfn-") {
			t.Errorf("notification %q", out.NotificationID)
		}
		perms, err := a.DescribeVpcEndpointServicePermissions(testContext(t, time.Minute), &ec2.DescribeVpcEndpointServicePermissionsInput{ServiceId: &out.ServiceID})
		if err != nil {
			t.Fatal(err)
		}
		if len(perms.AllowedPrincipals) != 1 || aws.ToString(perms.AllowedPrincipals[0].Principal) != "arn:aws:iam::"+accountB+":root" {
			t.Errorf("allowed principals %+v", perms.AllowedPrincipals)
		}
	})
}

// TestAWSCLIEndpointService: the provider side of PrivateLink through the
// aws CLI, starting with the command of seed 004 verbatim (a real NLB ARN):
// create the service, allow another account, which then finds it, and
// delete it, which frees its load balancer.
func TestAWSCLIEndpointService(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	cli := newAWSCLI(t, e.URL(), accountA)
	consumer := newAWSCLI(t, e.URL(), accountB)
	subnets := strings.Fields(cli.ok(t, "ec2", "describe-subnets", "--filters", "Name=default-for-az,Values=true",
		"--query", "Subnets[0:2].SubnetId", "--output", "text"))
	nlb := cli.ok(t, append([]string{"elbv2", "create-load-balancer", "--name", "nlb-vpce", "--type", "network", "--scheme", "internal",
		"--query", "LoadBalancers[0].LoadBalancerArn", "--output", "text", "--subnets"}, subnets...)...)

	var created struct {
		ServiceConfiguration struct {
			ServiceType                                      []struct{ ServiceType string }
			ServiceId, ServiceName, ServiceState             string
			AcceptanceRequired, ManagesVpcEndpoints          bool
			AvailabilityZones, BaseEndpointDnsNames          []string
			NetworkLoadBalancerArns, SupportedIpAddressTypes []string
		}
	}
	cli.json(t, &created, "ec2", "create-vpc-endpoint-service-configuration", "--network-load-balancer-arns", nlb, "--acceptance-required")
	svc := created.ServiceConfiguration
	if svc.ServiceState != "Available" || !svc.AcceptanceRequired || svc.ManagesVpcEndpoints || svc.ServiceType[0].ServiceType != "Interface" ||
		svc.ServiceName != "com.amazonaws.vpce.us-east-1."+svc.ServiceId || len(svc.AvailabilityZones) != 2 ||
		len(svc.BaseEndpointDnsNames) != 1 || svc.BaseEndpointDnsNames[0] != svc.ServiceId+".us-east-1.vpce.amazonaws.com" ||
		len(svc.NetworkLoadBalancerArns) != 1 || svc.NetworkLoadBalancerArns[0] != nlb || strings.Join(svc.SupportedIpAddressTypes, ",") != "ipv4" {
		t.Errorf("create-vpc-endpoint-service-configuration: %+v", svc)
	}

	// The consumer finds the service once its account is allowed.
	if got := consumer.ok(t, "ec2", "describe-vpc-endpoint-services", "--filters", "Name=owner,Values="+accountA, "--query", "ServiceNames", "--output", "text"); got != "" {
		t.Errorf("seen before being allowed: %q", got)
	}
	added := cli.ok(t, "ec2", "modify-vpc-endpoint-service-permissions", "--service-id", svc.ServiceId,
		"--add-allowed-principals", "arn:aws:iam::"+accountB+":root", "--query", "AddedPrincipals[0].[PrincipalType,ServicePermissionId]", "--output", "text")
	if !strings.HasPrefix(added, "Account\tvpce-svc-perm-") {
		t.Errorf("modify-vpc-endpoint-service-permissions: %q", added)
	}
	if got := consumer.ok(t, "ec2", "describe-vpc-endpoint-services", "--service-names", svc.ServiceName,
		"--query", "ServiceDetails[0].[Owner,AcceptanceRequired]", "--output", "text"); got != accountA+"\tTrue" {
		t.Errorf("consumer's describe-vpc-endpoint-services: %q", got)
	}
	if got := cli.ok(t, "ec2", "describe-vpc-endpoint-service-permissions", "--service-id", svc.ServiceId,
		"--query", "AllowedPrincipals[].Principal", "--output", "text"); got != "arn:aws:iam::"+accountB+":root" {
		t.Errorf("describe-vpc-endpoint-service-permissions: %q", got)
	}
	if got := cli.ok(t, "ec2", "describe-vpc-endpoint-connections", "--filters", "Name=service-id,Values="+svc.ServiceId); !strings.Contains(got, `"VpcEndpointConnections": []`) {
		t.Errorf("describe-vpc-endpoint-connections: %s", got)
	}

	cliError(t, cli, "ResourceInUse", "DeleteLoadBalancer", "elbv2", "delete-load-balancer", "--load-balancer-arn", nlb)
	if got := cli.ok(t, "ec2", "delete-vpc-endpoint-service-configurations", "--service-ids", svc.ServiceId); !strings.Contains(got, `"Unsuccessful": []`) {
		t.Errorf("delete-vpc-endpoint-service-configurations: %s", got)
	}
	cliError(t, cli, "InvalidVpcEndpointServiceId.NotFound", "DescribeVpcEndpointServiceConfigurations",
		"ec2", "describe-vpc-endpoint-service-configurations", "--service-ids", svc.ServiceId)
	cli.ok(t, "elbv2", "delete-load-balancer", "--load-balancer-arn", nlb)
}

// TestAWSCLIPrivateDNSVerification: the TXT dance through the aws CLI. A
// service's private DNS name waits for verification with a TXT record to
// publish; verifying before the record is published fails; once a public
// hosted zone holds it, verification succeeds and consumers may use the
// name.
func TestAWSCLIPrivateDNSVerification(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	cli := newAWSCLI(t, e.URL(), accountA)
	consumer := newAWSCLI(t, e.URL(), accountB)
	subnet := cli.ok(t, "ec2", "describe-subnets", "--filters", "Name=default-for-az,Values=true", "--query", "Subnets[0].SubnetId", "--output", "text")
	nlb := cli.ok(t, "elbv2", "create-load-balancer", "--name", "nlb-dns", "--type", "network", "--scheme", "internal", "--subnets", subnet,
		"--query", "LoadBalancers[0].LoadBalancerArn", "--output", "text")
	id := cli.ok(t, "ec2", "create-vpc-endpoint-service-configuration", "--network-load-balancer-arns", nlb, "--no-acceptance-required",
		"--private-dns-name", "api.verify.example.com", "--query", "ServiceConfiguration.ServiceId", "--output", "text")
	cli.ok(t, "ec2", "modify-vpc-endpoint-service-permissions", "--service-id", id, "--add-allowed-principals", "arn:aws:iam::"+accountB+":root")

	config := func() (state, name, value string) {
		t.Helper()
		var out struct {
			ServiceConfigurations []struct {
				PrivateDnsNameConfiguration struct{ State, Type, Name, Value string }
			}
		}
		cli.json(t, &out, "ec2", "describe-vpc-endpoint-service-configurations", "--service-ids", id)
		c := out.ServiceConfigurations[0].PrivateDnsNameConfiguration
		if c.Type != "TXT" {
			t.Errorf("verification type %q", c.Type)
		}
		return c.State, c.Name, c.Value
	}
	seen := func() string {
		t.Helper()
		return consumer.ok(t, "ec2", "describe-vpc-endpoint-services", "--service-names", "com.amazonaws.vpce.us-east-1."+id,
			"--query", "ServiceDetails[0].PrivateDnsNameVerificationState", "--output", "text")
	}
	state, name, value := config()
	if state != "pendingVerification" || !strings.HasPrefix(name, "_") || !strings.HasPrefix(value, "vpce:") {
		t.Fatalf("a new name: %s %s %s", state, name, value)
	}
	cli.ok(t, "ec2", "start-vpc-endpoint-service-private-dns-verification", "--service-id", id)
	if state, _, _ := config(); state != "failed" || seen() != "failed" {
		t.Fatalf("verified without a record: %s, consumer sees %s", state, seen())
	}

	// The provider publishes the record in its public zone and starts
	// again.
	zone := cli.ok(t, "route53", "create-hosted-zone", "--name", "verify.example.com", "--caller-reference", "dns-verify",
		"--query", "HostedZone.Id", "--output", "text")
	batch := filepath.Join(t.TempDir(), "txt.json")
	if err := os.WriteFile(batch, []byte(`{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"`+name+`.api.verify.example.com","Type":"TXT","TTL":300,
		"ResourceRecords":[{"Value":"\"`+value+`\""}]}}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	change := cli.ok(t, "route53", "change-resource-record-sets", "--hosted-zone-id", zone, "--change-batch", "file://"+batch, "--query", "ChangeInfo.Id", "--output", "text")
	cli.ok(t, "route53", "wait", "resource-record-sets-changed", "--id", change)
	cli.ok(t, "ec2", "start-vpc-endpoint-service-private-dns-verification", "--service-id", id)
	if state, _, _ := config(); state != "verified" || seen() != "verified" {
		t.Fatalf("after publishing the record: %s, consumer sees %s", state, seen())
	}
	cliError(t, cli, "InvalidVpcEndpointServiceId.NotFound", "StartVpcEndpointServicePrivateDnsVerification",
		"ec2", "start-vpc-endpoint-service-private-dns-verification", "--service-id", "vpce-svc-00000000000000000")
}
