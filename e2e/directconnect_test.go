package e2e

import (
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestAWSCLIDirectConnect: the aws CLI (botocore's json protocol client)
// lists the location catalogue, and orders a connection, a gateway, a
// private VIF with a second BGP peer, tags them, reads them back and
// deletes them, as against AWS; refusals end in AWS's error at once.
func TestAWSCLIDirectConnect(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	cli := newAWSCLI(t, e.URL(), accountA)

	var out struct {
		Locations []struct {
			LocationCode, LocationName, Region string
			AvailablePortSpeeds                []string
		}
	}
	cli.json(t, &out, "directconnect", "describe-locations")
	if len(out.Locations) != 2 || out.Locations[0].LocationCode != "EqDC2" || out.Locations[0].Region != "us-east-1" ||
		strings.Join(out.Locations[0].AvailablePortSpeeds, ",") != "1Gbps,10Gbps,100Gbps,400Gbps" {
		t.Errorf("describe-locations: %+v", out)
	}
	if got := cli.ok(t, "directconnect", "describe-locations", "--region", "eu-west-1", "--query", "length(locations)"); got != "0" {
		t.Errorf("locations in eu-west-1: %s", got)
	}

	var conn struct{ ConnectionId, ConnectionState, OwnerAccount string }
	cli.json(t, &conn, "directconnect", "create-connection", "--location", "EqDC2", "--bandwidth", "10Gbps", "--connection-name", "primary",
		"--tags", "key=env,value=test")
	if !strings.HasPrefix(conn.ConnectionId, "dxcon-") || conn.ConnectionState != "requested" || conn.OwnerAccount != accountA {
		t.Fatalf("create-connection: %+v", conn)
	}
	if got := cli.ok(t, "directconnect", "describe-connections", "--connection-id", conn.ConnectionId,
		"--query", "connections[].[connectionName,connectionState,bandwidth]", "--output", "text"); got != "primary\tavailable\t10Gbps" {
		t.Errorf("describe-connections: %q", got)
	}
	gw := cli.ok(t, "directconnect", "create-direct-connect-gateway", "--direct-connect-gateway-name", "corp", "--amazon-side-asn", "64600",
		"--query", "directConnectGateway.directConnectGatewayId", "--output", "text")
	vif := cli.ok(t, "directconnect", "create-private-virtual-interface", "--connection-id", conn.ConnectionId,
		"--new-private-virtual-interface", "virtualInterfaceName=vif1,vlan=101,asnLong=65000,directConnectGatewayId="+gw,
		"--query", "virtualInterfaceId", "--output", "text")
	if got := cli.ok(t, "directconnect", "create-bgp-peer", "--virtual-interface-id", vif, "--new-bgp-peer", "asn=65000,addressFamily=ipv6",
		"--query", "virtualInterface.bgpPeers[].addressFamily", "--output", "text"); got != "ipv4\tipv6" {
		t.Errorf("create-bgp-peer: %q", got)
	}
	if got := cli.ok(t, "directconnect", "describe-virtual-interfaces", "--connection-id", conn.ConnectionId,
		"--query", "virtualInterfaces[].[virtualInterfaceState,amazonAddress,customerAddress,amazonSideAsn,bgpPeers[0].bgpStatus]", "--output", "text"); got != "available\t169.254.0.1/30\t169.254.0.2/30\t64600\tup" {
		t.Errorf("describe-virtual-interfaces: %q", got)
	}
	if got := cli.ok(t, "directconnect", "describe-direct-connect-gateway-attachments", "--direct-connect-gateway-id", gw,
		"--query", "directConnectGatewayAttachments[].[virtualInterfaceId,attachmentType,attachmentState]", "--output", "text"); got != vif+"\tPrivateVirtualInterface\tattached" {
		t.Errorf("describe-direct-connect-gateway-attachments: %q", got)
	}
	arn := "arn:aws:directconnect:us-east-1:" + accountA + ":dxvif/" + vif
	cli.ok(t, "directconnect", "tag-resource", "--resource-arn", arn, "--tags", "key=team,value=net")
	if got := cli.ok(t, "directconnect", "describe-tags", "--resource-arns", arn, "--query", "resourceTags[0].tags[].[key,value]", "--output", "text"); got != "team\tnet" {
		t.Errorf("describe-tags: %q", got)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"directconnect", "delete-connection", "--connection-id", conn.ConnectionId},
			"An error occurred (DirectConnectClientException) when calling the DeleteConnection operation: Connection " + conn.ConnectionId + " has virtual interfaces (" + vif + "). Delete them first."},
		{[]string{"directconnect", "delete-bgp-peer", "--virtual-interface-id", vif, "--asn", "65000", "--customer-address", "169.254.0.2/30"}, ""},
		{[]string{"directconnect", "delete-bgp-peer", "--virtual-interface-id", vif, "--asn", "65000", "--customer-address", "2001:db8:dc::2/125"},
			"An error occurred (DirectConnectClientException) when calling the DeleteBGPPeer operation: The last BGP Peer on a Virtual Interface cannot be deleted"},
		{[]string{"directconnect", "create-direct-connect-gateway", "--direct-connect-gateway-name", "x", "--amazon-side-asn", "7224"},
			"An error occurred (DirectConnectClientException) when calling the CreateDirectConnectGateway operation: The ASN 7224 is not valid for the Amazon side of a Direct Connect gateway: it must be in the range 64512-65534 or 4200000000-4294967294."},
		{[]string{"directconnect", "create-direct-connect-gateway-association", "--direct-connect-gateway-id", gw, "--gateway-id", "tgw-0123456789abcdef0"},
			"An error occurred (UnsupportedOperation) when calling the CreateDirectConnectGatewayAssociation operation: vpcemu does not model AWS Transit Gateway yet"},
		{[]string{"directconnect", "describe-interconnects"}, // in the model only
			"An error occurred (UnsupportedOperation) when calling the DescribeInterconnects operation: vpcemu does not implement directconnect:DescribeInterconnects yet."},
	} {
		stdout, stderr, code := cli.run(t, tc.args...)
		if tc.want == "" {
			if code != 0 {
				t.Errorf("aws %s: exit %d: %s", strings.Join(tc.args, " "), code, stderr)
			}
			continue
		}
		if code == 0 || stdout != "" || !strings.HasPrefix(strings.TrimSpace(stderr), tc.want) {
			t.Errorf("aws %s: exit %d\nstdout %q\nstderr %q\nwant   %q", strings.Join(tc.args, " "), code, stdout, stderr, tc.want)
		}
	}

	if got := cli.ok(t, "directconnect", "delete-virtual-interface", "--virtual-interface-id", vif, "--output", "text"); got != "deleting" {
		t.Errorf("delete-virtual-interface: %q", got)
	}
	if got := cli.ok(t, "directconnect", "delete-direct-connect-gateway", "--direct-connect-gateway-id", gw,
		"--query", "directConnectGateway.directConnectGatewayState", "--output", "text"); got != "deleting" {
		t.Errorf("delete-direct-connect-gateway: %q", got)
	}
	if got := cli.ok(t, "directconnect", "delete-connection", "--connection-id", conn.ConnectionId, "--query", "connectionState", "--output", "text"); got != "deleted" {
		t.Errorf("delete-connection: %q", got)
	}
	_, stderr, code := cli.run(t, "directconnect", "describe-connections", "--connection-id", conn.ConnectionId)
	if want := "An error occurred (DirectConnectClientException) when calling the DescribeConnections operation: Could not find Connection with ID " + conn.ConnectionId; code == 0 || strings.TrimSpace(stderr) != want {
		t.Errorf("describe-connections after delete: exit %d, %q", code, stderr)
	}
}
