package ec2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestRequesterManagedInterfacesAreReadOnly: the interfaces of an interface
// endpoint, a load balancer and a NAT gateway belong to the service that
// made them. Users see and tag them, and every change is refused.
func TestRequesterManagedInterfacesAreReadOnly(t *testing.T) {
	e := newENIEnv(t)
	vpc := e.vpc("10.0.0.0/16")
	subnet := e.subnet(vpc, "10.0.1.0/24", "us-east-1a")

	_, err := e.c.CreateVpcEndpoint(e.ctx, &ec2.CreateVpcEndpointInput{VpcId: &vpc, VpcEndpointType: types.VpcEndpointTypeInterface,
		ServiceName: aws.String("com.amazonaws.us-east-1.ec2"), SubnetIds: []string{subnet}, PrivateDnsEnabled: aws.Bool(false)})
	e.must(err)
	_, err = emulatortest.ELBv2(e.em, emulatortest.AccountA, "us-east-1").CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
		Name: aws.String("nlb"), Type: elbtypes.LoadBalancerTypeEnumNetwork, Scheme: elbtypes.LoadBalancerSchemeEnumInternal, Subnets: []string{subnet}})
	e.must(err)
	createNAT(t, e.c, &ec2.CreateNatGatewayInput{SubnetId: &subnet, ConnectivityType: types.ConnectivityTypePrivate})

	out, err := e.c.DescribeNetworkInterfaces(e.ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []types.Filter{
		{Name: aws.String("subnet-id"), Values: []string{subnet}}, {Name: aws.String("requester-managed"), Values: []string{"true"}}}})
	e.must(err)
	byType := map[types.NetworkInterfaceType]types.NetworkInterface{}
	for _, n := range out.NetworkInterfaces {
		byType[n.InterfaceType] = n
	}
	for _, typ := range []types.NetworkInterfaceType{types.NetworkInterfaceTypeVpcEndpoint, types.NetworkInterfaceTypeNetworkLoadBalancer, "nat_gateway"} {
		n, ok := byType[typ]
		if !ok {
			t.Fatalf("no requester-managed %s interface among %d", typ, len(out.NetworkInterfaces))
		}
		id := n.NetworkInterfaceId
		t.Run(string(typ), func(t *testing.T) {
			const denied = "You do not have permission to access the specified resource."
			cases := []refusal{
				{"modify description", func() error {
					_, err := e.c.ModifyNetworkInterfaceAttribute(e.ctx, &ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: id,
						Description: &types.AttributeValue{Value: aws.String("mine")}})
					return err
				}, "AuthFailure", denied},
				{"modify source/dest check", func() error {
					_, err := e.c.ModifyNetworkInterfaceAttribute(e.ctx, &ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: id,
						SourceDestCheck: &types.AttributeBooleanValue{Value: aws.Bool(false)}})
					return err
				}, "AuthFailure", denied},
				{"assign addresses", func() error {
					_, err := e.c.AssignPrivateIpAddresses(e.ctx, &ec2.AssignPrivateIpAddressesInput{NetworkInterfaceId: id, SecondaryPrivateIpAddressCount: aws.Int32(1)})
					return err
				}, "AuthFailure", denied},
				{"unassign addresses", func() error {
					_, err := e.c.UnassignPrivateIpAddresses(e.ctx, &ec2.UnassignPrivateIpAddressesInput{NetworkInterfaceId: id, PrivateIpAddresses: []string{aws.ToString(n.PrivateIpAddress)}})
					return err
				}, "AuthFailure", denied},
				{"delete", func() error {
					_, err := e.c.DeleteNetworkInterface(e.ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: id})
					return err
				}, "InvalidParameterValue", "Network interface '" + aws.ToString(id) + "' is currently in use."},
			}
			if n.Attachment != nil {
				cases = append(cases, refusal{"detach", func() error {
					_, err := e.c.DetachNetworkInterface(e.ctx, &ec2.DetachNetworkInterfaceInput{AttachmentId: n.Attachment.AttachmentId})
					return err
				}, "OperationNotPermitted", "You are not allowed to manage 'ela-attach' attachments."})
			}
			checkRefusals(t, cases)
			after := e.describeENI(aws.ToString(id))
			if aws.ToString(after.Description) != aws.ToString(n.Description) || len(after.PrivateIpAddresses) != len(n.PrivateIpAddresses) ||
				aws.ToBool(after.SourceDestCheck) != aws.ToBool(n.SourceDestCheck) {
				t.Fatalf("a refused call changed the interface: %+v", after)
			}
			// Tags are the user's.
			_, err := e.c.CreateTags(e.ctx, &ec2.CreateTagsInput{Resources: []string{aws.ToString(id)}, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("net")}}})
			e.must(err)
			if tags := e.describeENI(aws.ToString(id)).TagSet; len(tags) != 1 || aws.ToString(tags[0].Key) != "team" {
				t.Fatalf("tags: %+v", tags)
			}
			_, err = e.c.DeleteTags(e.ctx, &ec2.DeleteTagsInput{Resources: []string{aws.ToString(id)}, Tags: []types.Tag{{Key: aws.String("team")}}})
			e.must(err)
		})
	}
}
