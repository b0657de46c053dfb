package emulator_test

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/api/elbv2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestReadsAnswerEveryList asks every Describe, Get and List operation of
// EC2 and ELBv2 vpcemu serves and checks that each answer carries every list
// member of every structure in it, as an empty element when there is
// nothing to list: boto3's resp["LoadBalancers"] and the aws CLI's --query
// 'length(Tags)' must never find a list missing. First in an account that
// has only what AWS gives a new one (reads that need an id are skipped),
// then with one untagged resource of each kind, whose ids fill the
// parameters those reads need.
func TestReadsAnswerEveryList(t *testing.T) {
	e := emulatortest.Start(t)
	t.Run("empty account", func(t *testing.T) { askEveryRead(t, e.URL(), nil) })

	// One of each: unsigned requests act in account 000000000000, as does
	// an SDK client whose key id is not 12 digits.
	ctx := context.Background()
	c := emulatortest.EC2(e, "test", "us-east-1")
	lb := emulatortest.ELBv2(e, "test", "us-east-1")
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	vpcID := aws.ToString(vpc.Vpc.VpcId)
	subnet, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpcID, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	eni, err := c.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: subnet.Subnet.SubnetId})
	must(t, err)
	pl, err := c.CreateManagedPrefixList(ctx, &ec2.CreateManagedPrefixListInput{PrefixListName: aws.String("pl"), MaxEntries: aws.Int32(5), AddressFamily: aws.String("IPv4")})
	must(t, err)
	nlb, err := lb.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{Name: aws.String("nlb"), Type: elbtypes.LoadBalancerTypeEnumNetwork, Scheme: elbtypes.LoadBalancerSchemeEnumInternal, Subnets: []string{aws.ToString(subnet.Subnet.SubnetId)}})
	must(t, err)
	nlbArn := aws.ToString(nlb.LoadBalancers[0].LoadBalancerArn)
	tg, err := lb.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{Name: aws.String("tg"), Protocol: elbtypes.ProtocolEnumTcp, Port: aws.Int32(80), VpcId: &vpcID})
	must(t, err)
	tgArn := aws.ToString(tg.TargetGroups[0].TargetGroupArn)
	listener, err := lb.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: &nlbArn, Protocol: elbtypes.ProtocolEnumTcp, Port: aws.Int32(80),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: &tgArn}}})
	must(t, err)
	listenerArn := aws.ToString(listener.Listeners[0].ListenerArn)
	svc, err := c.CreateVpcEndpointServiceConfiguration(ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{NetworkLoadBalancerArns: []string{nlbArn}})
	must(t, err)
	params := map[string]url.Values{
		"ec2/DescribeVpcAttribute":                            {"VpcId": {vpcID}, "Attribute": {"enableDnsSupport"}},
		"ec2/DescribeNetworkInterfaceAttribute":               {"NetworkInterfaceId": {aws.ToString(eni.NetworkInterface.NetworkInterfaceId)}, "Attribute": {"groupSet"}},
		"ec2/GetManagedPrefixListAssociations":                {"PrefixListId": {aws.ToString(pl.PrefixList.PrefixListId)}},
		"ec2/GetManagedPrefixListEntries":                     {"PrefixListId": {aws.ToString(pl.PrefixList.PrefixListId)}},
		"ec2/DescribeVpcEndpointServicePermissions":           {"ServiceId": {aws.ToString(svc.ServiceConfiguration.ServiceId)}},
		"ec2/DescribeStaleSecurityGroups":                     {"VpcId": {vpcID}},
		"elasticloadbalancing/DescribeRules":                  {"ListenerArn": {listenerArn}},
		"elasticloadbalancing/DescribeTargetHealth":           {"TargetGroupArn": {tgArn}},
		"elasticloadbalancing/DescribeTags":                   {"ResourceArns.member.1": {nlbArn}},
		"elasticloadbalancing/DescribeListenerAttributes":     {"ListenerArn": {listenerArn}},
		"elasticloadbalancing/DescribeLoadBalancerAttributes": {"LoadBalancerArn": {nlbArn}},
		"elasticloadbalancing/DescribeListeners":              {"LoadBalancerArn": {nlbArn}},
		"elasticloadbalancing/DescribeCapacityReservation":    {"LoadBalancerArn": {nlbArn}},
		"elasticloadbalancing/DescribeTargetGroupAttributes":  {"TargetGroupArn": {tgArn}},
		"elasticloadbalancing/DescribeListenerCertificates":   {"ListenerArn": {listenerArn}},
	}
	t.Run("one of each", func(t *testing.T) { askEveryRead(t, e.URL(), params) })
}

// askEveryRead asks each read of EC2 and ELBv2 with its params, by
// "service/operation" (none when it has no entry), and checks its answer has every list. A read answered
// MissingParameter or ValidationError without params is skipped.
func askEveryRead(t *testing.T, endpoint string, params map[string]url.Values) {
	services := []struct {
		spec    *awsproto.Spec
		handler reflect.Type
		ec2     bool
	}{
		{ec2api.Spec, reflect.TypeFor[ec2api.Handler](), true},
		{elbv2api.Spec, reflect.TypeFor[elbv2api.Handler](), false},
	}
	for _, svc := range services {
		for name, op := range svc.spec.Operations {
			if !strings.HasPrefix(name, "Describe") && !strings.HasPrefix(name, "Get") && !strings.HasPrefix(name, "List") {
				continue
			}
			t.Run(svc.spec.SigningName+"/"+name, func(t *testing.T) {
				form := url.Values{"Action": {name}, "Version": {svc.spec.APIVersion}}
				p := params[svc.spec.SigningName+"/"+name]
				for k, v := range p {
					form[k] = v
				}
				resp, err := http.Post(endpoint, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				raw, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != http.StatusOK {
					if p == nil && (strings.Contains(string(raw), "MissingParameter") || strings.Contains(string(raw), "ValidationError")) {
						t.Skipf("needs parameters: %s", raw)
					}
					t.Fatalf("status %d: %s", resp.StatusCode, raw)
				}
				var root node
				if err := xml.Unmarshal(raw, &root); err != nil {
					t.Fatalf("answer does not parse: %v\n%s", err, raw)
				}
				m, _ := svc.handler.MethodByName(name)
				members := &root
				if !svc.ec2 {
					if members = root.child(op.ResultWrapper); members == nil {
						t.Fatalf("no %s in %s", op.ResultWrapper, raw)
					}
				}
				for _, missing := range missingLists(members, awsproto.StructOf(m.Type.Out(0)), name) {
					t.Errorf("%s is missing in %s", missing, raw)
				}
			})
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// node is any XML element, with its children.
type node struct {
	XMLName  xml.Name
	Children []node `xml:",any"`
}

func (n *node) child(name string) *node {
	for i := range n.Children {
		if n.Children[i].XMLName.Local == name {
			return &n.Children[i]
		}
	}
	return nil
}

// missingLists walks element n as structure s and names every list or map
// member that is absent, in n and in every structure below it.
func missingLists(n *node, s *awsproto.Struct, path string) []string {
	var missing []string
	for _, f := range s.Fields {
		if f.In != "" || f.Attr {
			continue
		}
		c := n.child(f.XMLName())
		switch f.Kind {
		case awsproto.KindList, awsproto.KindMap:
			if f.Flat {
				continue
			}
			if c == nil {
				if !f.Sparse {
					missing = append(missing, path+"."+f.XMLName())
				}
				continue
			}
			if f.Kind == awsproto.KindList && f.Elem.Kind == awsproto.KindStruct {
				for i := range c.Children {
					missing = append(missing, missingLists(&c.Children[i], f.Elem.Struct, path+"."+f.XMLName()+"[]")...)
				}
			}
		case awsproto.KindStruct:
			if c != nil {
				missing = append(missing, missingLists(c, f.Struct, path+"."+f.XMLName())...)
			}
		}
	}
	return missing
}
