package e2e

import (
	"net/netip"
	"strings"
	"testing"
)

// webVPC is the data plane tests' one-subnet network in account A: VPC
// 10.0.0.0/16, subnet 10.0.1.0/24, and a security group "web" that lets
// the VPC in on some TCP ports.
type webVPC struct {
	t                *testing.T
	cli              *awsCLI
	vpc, subnet, web string
}

// newWebVPC builds the network; ports are the group's ("8080",
// "8080-8081").
func newWebVPC(t *testing.T, cli *awsCLI, ports string) *webVPC {
	w := &webVPC{t: t, cli: cli}
	w.vpc = cli.ok(t, "ec2", "create-vpc", "--cidr-block", "10.0.0.0/16", "--query", "Vpc.VpcId", "--output", "text")
	w.subnet = cli.ok(t, "ec2", "create-subnet", "--vpc-id", w.vpc, "--cidr-block", "10.0.1.0/24", "--query", "Subnet.SubnetId", "--output", "text")
	w.web = cli.ok(t, "ec2", "create-security-group", "--vpc-id", w.vpc, "--group-name", "web", "--description", "web", "--query", "GroupId", "--output", "text")
	cli.ok(t, "ec2", "authorize-security-group-ingress", "--group-id", w.web, "--protocol", "tcp", "--port", ports, "--cidr", "10.0.0.0/16")
	return w
}

// launch runs an instance in the subnet, with args added to run-instances
// ("--security-group-ids", w.web); it returns its id and private address.
func (w *webVPC) launch(args ...string) (id, ip string) {
	id, ip, _ = strings.Cut(w.cli.ok(w.t, append([]string{"ec2", "run-instances", "--image-id", "ami-12345678", "--subnet-id", w.subnet,
		"--query", "Instances[0].[InstanceId,PrivateIpAddress]", "--output", "text"}, args...)...), "\t")
	return id, ip
}

// dualStack is the IPv6 tests' network in account A: a dual-stack VPC
// (10.46.0.0/16 and Amazon's /56, block), one subnet with the first /64,
// and a group "v6" (sg) that lets only IPv6 sources of the VPC in on TCP
// 8080 (a flow from an instance's IPv4 address would be dropped).
type dualStack struct {
	t                 *testing.T
	cli               *awsCLI
	subnet, sg, block string
}

func newDualStack(t *testing.T, cli *awsCLI) *dualStack {
	d := &dualStack{t: t, cli: cli}
	vpc := cli.ok(t, "ec2", "create-vpc", "--cidr-block", "10.46.0.0/16", "--amazon-provided-ipv6-cidr-block", "--query", "Vpc.VpcId", "--output", "text")
	d.block = cli.ok(t, "ec2", "describe-vpcs", "--vpc-ids", vpc, "--query", "Vpcs[0].Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock", "--output", "text")
	slash64 := netip.PrefixFrom(netip.MustParsePrefix(d.block).Addr(), 64).String()
	d.subnet = cli.ok(t, "ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.46.1.0/24", "--ipv6-cidr-block", slash64, "--query", "Subnet.SubnetId", "--output", "text")
	d.sg = cli.ok(t, "ec2", "create-security-group", "--vpc-id", vpc, "--group-name", "v6", "--description", "v6", "--query", "GroupId", "--output", "text")
	cli.ok(t, "ec2", "authorize-security-group-ingress", "--group-id", d.sg, "--ip-permissions", `IpProtocol=tcp,FromPort=8080,ToPort=8080,Ipv6Ranges=[{CidrIpv6=`+d.block+`}]`)
	return d
}

// launch runs an instance with one IPv6 address in the subnet and group;
// it returns its id and IPv6 address.
func (d *dualStack) launch() (id, ip string) {
	id, ip, _ = strings.Cut(d.cli.ok(d.t, "ec2", "run-instances", "--image-id", "ami-12345678", "--subnet-id", d.subnet, "--security-group-ids", d.sg, "--ipv6-address-count", "1",
		"--query", "Instances[0].[InstanceId,NetworkInterfaces[0].Ipv6Addresses[0].Ipv6Address]", "--output", "text"), "\t")
	return id, ip
}

// privateLink is seed 004 in two accounts, as the data plane tests build
// it: the provider's (A) internal NLB "api" in 10.1.1.0/24 forwards TCP 443
// to the instance server at 10.1.1.10:8443, whose group lets its VPC in,
// and is an endpoint service that account B may use; the consumer's (B)
// interface endpoint to it and the instance client share subnet
// 10.2.1.0/24.
type privateLink struct {
	prov, cons *awsCLI
	// The provider's.
	nlb, tg, server, svcID, svcName string
	// The consumer's.
	cvpc, csubnet, endpointID, endpointIP, client string
}

// newPrivateLink builds it against the server at url; acceptance says
// whether the service needs the provider to accept each endpoint.
func newPrivateLink(t *testing.T, url string, acceptance bool) *privateLink {
	pl := &privateLink{prov: newAWSCLI(t, url, accountA), cons: newAWSCLI(t, url, accountB)}
	prov, cons := pl.prov, pl.cons
	vpc := prov.ok(t, "ec2", "create-vpc", "--cidr-block", "10.1.0.0/16", "--query", "Vpc.VpcId", "--output", "text")
	subnet := prov.ok(t, "ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.1.1.0/24", "--availability-zone", "us-east-1a", "--query", "Subnet.SubnetId", "--output", "text")
	pl.nlb = prov.ok(t, "elbv2", "create-load-balancer", "--name", "api", "--type", "network", "--scheme", "internal", "--subnets", subnet, "--query", "LoadBalancers[0].LoadBalancerArn", "--output", "text")
	pl.tg = prov.ok(t, "elbv2", "create-target-group", "--name", "api", "--protocol", "TCP", "--port", "8443", "--target-type", "ip", "--vpc-id", vpc, "--query", "TargetGroups[0].TargetGroupArn", "--output", "text")
	prov.ok(t, "elbv2", "register-targets", "--target-group-arn", pl.tg, "--targets", "Id=10.1.1.10")
	prov.ok(t, "elbv2", "create-listener", "--load-balancer-arn", pl.nlb, "--protocol", "TCP", "--port", "443", "--default-actions", "Type=forward,TargetGroupArn="+pl.tg)
	sg := prov.ok(t, "ec2", "create-security-group", "--vpc-id", vpc, "--group-name", "api", "--description", "api", "--query", "GroupId", "--output", "text")
	prov.ok(t, "ec2", "authorize-security-group-ingress", "--group-id", sg, "--protocol", "tcp", "--port", "8443", "--cidr", "10.1.0.0/16")
	pl.server = prov.ok(t, "ec2", "run-instances", "--image-id", "ami-12345678", "--subnet-id", subnet, "--private-ip-address", "10.1.1.10", "--security-group-ids", sg, "--query", "Instances[0].InstanceId", "--output", "text")
	accept := "--no-acceptance-required"
	if acceptance {
		accept = "--acceptance-required"
	}
	svc := prov.ok(t, "ec2", "create-vpc-endpoint-service-configuration", "--network-load-balancer-arns", pl.nlb, accept, "--query", "ServiceConfiguration.[ServiceId,ServiceName]", "--output", "text")
	pl.svcID, pl.svcName, _ = strings.Cut(svc, "\t")
	prov.ok(t, "ec2", "modify-vpc-endpoint-service-permissions", "--service-id", pl.svcID, "--add-allowed-principals", "arn:aws:iam::"+accountB+":root")

	pl.cvpc = cons.ok(t, "ec2", "create-vpc", "--cidr-block", "10.2.0.0/16", "--query", "Vpc.VpcId", "--output", "text")
	pl.csubnet = cons.ok(t, "ec2", "create-subnet", "--vpc-id", pl.cvpc, "--cidr-block", "10.2.1.0/24", "--availability-zone", "us-east-1a", "--query", "Subnet.SubnetId", "--output", "text")
	endpoint := cons.ok(t, "ec2", "create-vpc-endpoint", "--vpc-endpoint-type", "Interface", "--vpc-id", pl.cvpc, "--subnet-ids", pl.csubnet, "--service-name", pl.svcName, "--query", "VpcEndpoint.[VpcEndpointId,NetworkInterfaceIds[0]]", "--output", "text")
	var eni string
	pl.endpointID, eni, _ = strings.Cut(endpoint, "\t")
	pl.endpointIP = cons.ok(t, "ec2", "describe-network-interfaces", "--network-interface-ids", eni, "--query", "NetworkInterfaces[0].PrivateIpAddress", "--output", "text")
	pl.client = cons.ok(t, "ec2", "run-instances", "--image-id", "ami-12345678", "--subnet-id", pl.csubnet, "--query", "Instances[0].InstanceId", "--output", "text")
	return pl
}
