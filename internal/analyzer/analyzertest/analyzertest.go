// Package analyzertest builds, through aws-sdk-go-v2, a small network to
// ask reachability questions about: the tests of the analyze endpoint and
// of `vpcemu analyze` share it.
package analyzertest

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Network is what Build made. One VPC, 10.0.0.0/16, without an internet
// gateway:
//
//	subnet front  10.0.1.0/24  instance Client  group "client" (egress only)
//	subnet back   10.0.2.0/24  instance Web     group "web" (tcp 443 in from 10.0.0.0/16)
//	subnet locked 10.0.3.0/24  instance Vault   group "web", behind network ACL
//	                           "locked" with no rules (so it denies all)
type Network struct {
	VPC                   string
	Front, Back, Locked   string // subnets
	ClientGroup, WebGroup string
	LockedACL             string
	Client, Web, Vault    string // instances
	ClientIP, WebIP       string // their primary private addresses
	VaultIP               string
}

// Build makes the network with c.
func Build(t testing.TB, c *ec2.Client) Network {
	t.Helper()
	ctx := t.Context()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	named := func(kind types.ResourceType, name string) []types.TagSpecification {
		return []types.TagSpecification{{ResourceType: kind, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}}}}
	}
	var n Network
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), TagSpecifications: named(types.ResourceTypeVpc, "app")})
	must(err)
	n.VPC = aws.ToString(vpc.Vpc.VpcId)
	subnet := func(name, block string) string {
		t.Helper()
		out, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &n.VPC, CidrBlock: aws.String(block), TagSpecifications: named(types.ResourceTypeSubnet, name)})
		must(err)
		return aws.ToString(out.Subnet.SubnetId)
	}
	n.Front, n.Back, n.Locked = subnet("front", "10.0.1.0/24"), subnet("back", "10.0.2.0/24"), subnet("locked", "10.0.3.0/24")
	group := func(name string) string {
		t.Helper()
		out, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: &n.VPC, GroupName: aws.String(name), Description: aws.String(name),
			TagSpecifications: named(types.ResourceTypeSecurityGroup, name)})
		must(err)
		return aws.ToString(out.GroupId)
	}
	n.ClientGroup, n.WebGroup = group("client"), group("web")
	_, err = c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &n.WebGroup, IpPermissions: []types.IpPermission{{
		IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), IpRanges: []types.IpRange{{CidrIp: aws.String("10.0.0.0/16")}},
	}}})
	must(err)
	acl, err := c.CreateNetworkAcl(ctx, &ec2.CreateNetworkAclInput{VpcId: &n.VPC, TagSpecifications: named(types.ResourceTypeNetworkAcl, "locked")})
	must(err)
	n.LockedACL = aws.ToString(acl.NetworkAcl.NetworkAclId)
	acls, err := c.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: []types.Filter{{Name: aws.String("association.subnet-id"), Values: []string{n.Locked}}}})
	must(err)
	for _, a := range acls.NetworkAcls[0].Associations {
		if aws.ToString(a.SubnetId) == n.Locked {
			_, err = c.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: a.NetworkAclAssociationId, NetworkAclId: &n.LockedACL})
			must(err)
		}
	}
	instance := func(name, subnet, group string) (id, ip string) {
		t.Helper()
		out, err := c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
			SubnetId: &subnet, SecurityGroupIds: []string{group}, TagSpecifications: named(types.ResourceTypeInstance, name)})
		must(err)
		return aws.ToString(out.Instances[0].InstanceId), aws.ToString(out.Instances[0].PrivateIpAddress)
	}
	n.Client, n.ClientIP = instance("client", n.Front, n.ClientGroup)
	n.Web, n.WebIP = instance("web", n.Back, n.WebGroup)
	n.Vault, n.VaultIP = instance("vault", n.Locked, n.WebGroup)
	return n
}
