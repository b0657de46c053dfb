package e2e

import (
	"math"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/route53"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestTerraformRoute53: aws_route53_zone (private, with a vpc block and
// tags; public), aws_route53_record (A, TXT, CNAME, aliases to a record,
// to a network load balancer and to an interface endpoint), and another
// account's VPC joining the private zone (aws_route53_vpc_association_
// authorization, aws_route53_zone_association) apply, show no drift, and
// destroy leaving no zone and nothing in either account.
func TestTerraformRoute53(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	r53 := emulatortest.Route53(e, accountA)
	tf := newTerraform(t, "route53", e.URL())
	tf.lifecycle(emulatortest.EC2(e, accountA, region), func() {
		// Two zones, a private and a public one: $0.50 a month each.
		if got := charges(costOf(t, player{t: t, url: e.URL(), account: accountA}).Bill)[accountA+" hosted-zone Hosted zone (first 25 zones)"]; math.Abs(got-1.00) > 0.005 {
			t.Errorf("the hosted zones cost %.4f a month, want $1.00", got)
		}
		var out struct {
			Zone struct {
				ID          string
				ARN         string
				NameServers []string `json:"name_servers"`
			}
			PublicNameServers []string `json:"public_name_servers"`
			SharedVPC         string   `json:"shared_vpc"`
			Aliases           map[string]struct {
				DNSName string `json:"dns_name"`
				ZoneID  string `json:"zone_id"`
			}
		}
		tf.outputs(&out)
		if out.Zone.ARN != "arn:aws:route53:::hostedzone/"+out.Zone.ID || len(out.Zone.NameServers) != 4 || !strings.HasPrefix(out.Zone.ID, "Z") {
			t.Errorf("zone %+v", out.Zone)
		}
		if len(out.PublicNameServers) != 4 {
			t.Errorf("public zone's name servers %v", out.PublicNameServers)
		}
		byVPC, err := emulatortest.Route53(e, accountB).ListHostedZonesByVPC(t.Context(), &route53.ListHostedZonesByVPCInput{VPCId: &out.SharedVPC, VPCRegion: "us-east-1"})
		if err != nil || len(byVPC.HostedZoneSummaries) != 1 || aws.ToString(byVPC.HostedZoneSummaries[0].HostedZoneId) != out.Zone.ID {
			t.Errorf("zones of the second account's VPC %+v %v", byVPC, err)
		}
		sets, err := r53.ListResourceRecordSets(t.Context(), &route53.ListResourceRecordSetsInput{HostedZoneId: &out.Zone.ID})
		if err != nil || len(sets.ResourceRecordSets) != 8 {
			t.Fatalf("record sets %+v %v", sets, err)
		}
		// The aliases name what the load balancer and the endpoint say
		// of themselves (their DNS names and hosted zone ids).
		want := map[string]string{
			"nlb.corp.internal. A":     "alias " + out.Aliases["nlb"].DNSName + ". " + out.Aliases["nlb"].ZoneID,
			"sqs.corp.internal. A":     "alias " + out.Aliases["endpoint"].DNSName + ". " + out.Aliases["endpoint"].ZoneID,
			"www.corp.internal. CNAME": "api.corp.internal",
			`corp.internal. TXT`:       `"hello=world"`,
			"api.corp.internal. A":     "alias db.corp.internal. " + out.Zone.ID,
			"db.corp.internal. A":      "10.60.0.10",
		}
		for _, s := range sets.ResourceRecordSets {
			key, got := aws.ToString(s.Name)+" "+string(s.Type), ""
			if a := s.AliasTarget; a != nil {
				got = "alias " + aws.ToString(a.DNSName) + " " + aws.ToString(a.HostedZoneId)
			} else if len(s.ResourceRecords) == 1 {
				got = aws.ToString(s.ResourceRecords[0].Value)
			}
			if w, ok := want[key]; ok && !strings.EqualFold(got, w) {
				t.Errorf("%s: %q, want %q", key, got, w)
			}
			delete(want, key)
		}
		if len(want) != 0 {
			t.Errorf("record sets missing: %v", want)
		}
		if out.Aliases["nlb"].ZoneID == "" || out.Aliases["endpoint"].ZoneID != "Z7HUB22UULQXV" {
			t.Errorf("alias targets %+v", out.Aliases)
		}
	})
	onlyDefaults(t, t.Context(), emulatortest.EC2(e, accountB, region))
	zones, err := r53.ListHostedZones(t.Context(), &route53.ListHostedZonesInput{})
	if err != nil || len(zones.HostedZones) != 0 {
		t.Errorf("hosted zones left: %+v %v", zones, err)
	}
	lbs, err := emulatortest.ELBv2(e, accountA, region).DescribeLoadBalancers(t.Context(), &elasticloadbalancingv2.DescribeLoadBalancersInput{})
	if err != nil || len(lbs.LoadBalancers) != 0 {
		t.Errorf("load balancers left: %+v %v", lbs, err)
	}
}
