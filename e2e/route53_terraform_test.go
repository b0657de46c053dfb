package e2e

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestTerraformRoute53: aws_route53_zone (private, with a vpc block and
// tags; public), aws_route53_record (A, TXT, an alias), and another
// account's VPC joining the private zone (aws_route53_vpc_association_
// authorization, aws_route53_zone_association) apply, show no drift, and
// destroy leaving no zone and nothing in either account.
func TestTerraformRoute53(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	r53 := emulatortest.Route53(e, accountA)
	tf := newTerraform(t, "route53", e.URL())
	tf.lifecycle(emulatortest.EC2(e, accountA, region), func() {
		var out struct {
			Zone struct {
				ID          string
				ARN         string
				NameServers []string `json:"name_servers"`
			}
			PublicNameServers []string `json:"public_name_servers"`
			SharedVPC         string   `json:"shared_vpc"`
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
		if err != nil || len(sets.ResourceRecordSets) != 5 {
			t.Fatalf("record sets %+v %v", sets, err)
		}
		for _, s := range sets.ResourceRecordSets {
			if aws.ToString(s.Name) == "corp.internal." && s.Type == "TXT" && aws.ToString(s.ResourceRecords[0].Value) != `"hello=world"` {
				t.Errorf("TXT %+v", s.ResourceRecords)
			}
		}
	})
	onlyDefaults(t, t.Context(), emulatortest.EC2(e, accountB, region))
	zones, err := r53.ListHostedZones(t.Context(), &route53.ListHostedZonesInput{})
	if err != nil || len(zones.HostedZones) != 0 {
		t.Errorf("hosted zones left: %+v %v", zones, err)
	}
}
