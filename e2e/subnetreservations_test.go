package e2e

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestTerraformSubnetReservations: aws_ec2_subnet_cidr_reservation of both
// types applies with no drift, the address AWS picks for an interface
// avoids the reserved blocks while one asked for by value may use them,
// and everything destroys cleanly.
func TestTerraformSubnetReservations(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, accountA, region)
	tf := newTerraform(t, "subnet-reservations", e.URL())
	tf.lifecycle(c, func() {
		var out struct {
			SubnetID     string                                `json:"subnet_id"`
			Reservations map[string]struct{ ID, Owner string } `json:"reservations"`
			AppIP        string                                `json:"app_ip"`
			FirewallIP   string                                `json:"firewall_ip"`
		}
		tf.outputs(&out)
		if out.AppIP != "10.30.1.32" || out.FirewallIP != "10.30.1.10" {
			t.Errorf("addresses: app %s (want the first one past both reservations, 10.30.1.32), firewall %s", out.AppIP, out.FirewallIP)
		}
		ctx := testContext(t, time.Minute)
		got, err := c.GetSubnetCidrReservations(ctx, &ec2.GetSubnetCidrReservationsInput{SubnetId: &out.SubnetID})
		if err != nil {
			t.Fatal(err)
		}
		byID := map[string]string{}
		for _, r := range got.SubnetIpv4CidrReservations {
			byID[aws.ToString(r.SubnetCidrReservationId)] = aws.ToString(r.Cidr) + " " + string(r.ReservationType) + " " + aws.ToString(r.Description)
		}
		if byID[out.Reservations["explicit"].ID] != "10.30.1.0/28 explicit firewall appliances" || byID[out.Reservations["prefix"].ID] != "10.30.1.16/28 prefix " ||
			out.Reservations["explicit"].Owner != accountA {
			t.Errorf("reservations: %v, Terraform says %+v", byID, out.Reservations)
		}
	})
}
