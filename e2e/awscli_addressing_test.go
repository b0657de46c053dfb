package e2e

import (
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestAWSCLIAddressing: the aws CLI sees blocks made canonical, subnet CIDR
// reservations, ModifyVpcTenancy and the refusals AWS gives.
func TestAWSCLIAddressing(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	cli := newAWSCLI(t, e.URL(), accountA)

	vpc := cli.ok(t, "ec2", "create-vpc", "--cidr-block", "100.68.0.18/18", "--instance-tenancy", "dedicated",
		"--query", "Vpc.[VpcId,CidrBlock]", "--output", "text")
	vpcID, block, _ := strings.Cut(vpc, "\t")
	if block != "100.68.0.0/18" {
		t.Fatalf("create-vpc 100.68.0.18/18: %q", vpc)
	}
	subnetID := cli.ok(t, "ec2", "create-subnet", "--vpc-id", vpcID, "--cidr-block", "100.68.1.9/24", "--query", "Subnet.SubnetId", "--output", "text")
	if got := cli.ok(t, "ec2", "describe-subnets", "--subnet-ids", subnetID, "--query", "Subnets[0].CidrBlock", "--output", "text"); got != "100.68.1.0/24" {
		t.Errorf("subnet block: %q", got)
	}

	scr := cli.ok(t, "ec2", "create-subnet-cidr-reservation", "--subnet-id", subnetID, "--cidr", "100.68.1.0/28", "--reservation-type", "explicit",
		"--description", "appliances", "--query", "SubnetCidrReservation.SubnetCidrReservationId", "--output", "text")
	if got := cli.ok(t, "ec2", "get-subnet-cidr-reservations", "--subnet-id", subnetID,
		"--query", "SubnetIpv4CidrReservations[].[SubnetCidrReservationId,Cidr,ReservationType,Description]", "--output", "text"); got != scr+"\t100.68.1.0/28\texplicit\tappliances" {
		t.Errorf("get-subnet-cidr-reservations: %q", got)
	}
	if got := cli.ok(t, "ec2", "create-network-interface", "--subnet-id", subnetID, "--query", "NetworkInterface.PrivateIpAddress", "--output", "text"); got != "100.68.1.16" {
		t.Errorf("first address past the reservation: %q", got)
	}
	cli.ok(t, "ec2", "delete-subnet-cidr-reservation", "--subnet-cidr-reservation-id", scr)
	cliError(t, cli, "InvalidSubnetCidrReservationID.NotFound", "DeleteSubnetCidrReservation", "ec2", "delete-subnet-cidr-reservation", "--subnet-cidr-reservation-id", scr)

	cli.ok(t, "ec2", "modify-vpc-tenancy", "--vpc-id", vpcID, "--instance-tenancy", "default")
	if got := cli.ok(t, "ec2", "describe-vpcs", "--vpc-ids", vpcID, "--query", "Vpcs[0].InstanceTenancy", "--output", "text"); got != "default" {
		t.Errorf("tenancy after modify-vpc-tenancy: %q", got)
	}

	rtb := cli.ok(t, "ec2", "describe-route-tables", "--filters", "Name=vpc-id,Values="+vpcID, "--query", "RouteTables[0].RouteTableId", "--output", "text")
	igw := cli.ok(t, "ec2", "create-internet-gateway", "--query", "InternetGateway.InternetGatewayId", "--output", "text")
	cli.ok(t, "ec2", "attach-internet-gateway", "--internet-gateway-id", igw, "--vpc-id", vpcID)
	cli.ok(t, "ec2", "create-route", "--route-table-id", rtb, "--destination-cidr-block", "0.0.0.0/0", "--gateway-id", igw)
	for _, tc := range []struct {
		code, op string
		args     []string
	}{
		{"RouteAlreadyExists", "CreateRoute", []string{"ec2", "create-route", "--route-table-id", rtb, "--destination-cidr-block", "0.0.0.0/0", "--gateway-id", igw}},
		{"InvalidParameterValue", "ModifyVpcTenancy", []string{"ec2", "modify-vpc-tenancy", "--vpc-id", vpcID, "--instance-tenancy", "dedicated"}},
		{"InvalidGroupId.Malformed", "DescribeSecurityGroupRules", []string{"ec2", "describe-security-group-rules", "--filters", "Name=group-id,Values=web"}},
	} {
		cliError(t, cli, tc.code, tc.op, tc.args...)
	}
}
