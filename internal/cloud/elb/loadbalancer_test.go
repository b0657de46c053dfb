package elb

import (
	"fmt"
	"net/netip"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
)

// Each type of load balancer gets its ARN, DNS name, zone, interfaces,
// groups and attributes; the create answer says provisioning, reads say
// active.
func TestCreateLoadBalancer(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		name       string
		in         CreateLoadBalancerInput
		arn, dns   string // patterns
		zone       string
		scheme     string
		eniType    string
		owner      string
		groups     int
		public     bool
		attributes int
	}{
		{"network", CreateLoadBalancerInput{Name: "my-nlb", Type: LBNetwork, Scheme: SchemeInternal, Subnets: f.subnets[:2]},
			`loadbalancer/net/my-nlb/[0-9a-f]{16}$`, `^my-nlb-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$`, "Z26RNL4JYFTOTI", SchemeInternal,
			"network_load_balancer", "amazon-aws", 0, false, 9},
		{"application", CreateLoadBalancerInput{Name: "my-alb", Subnets: f.subnets[:2]},
			`loadbalancer/app/my-alb/[0-9a-f]{16}$`, `^my-alb-\d+\.us-east-1\.elb\.amazonaws\.com$`, "Z35SXDOTRQ7X7K", SchemeInternetFacing,
			"interface", "amazon-elb", 1, true, 23},
		{"internal application", CreateLoadBalancerInput{Name: "inner", Type: LBApplication, Scheme: SchemeInternal, Subnets: f.subnets[1:]},
			`loadbalancer/app/inner/[0-9a-f]{16}$`, `^internal-inner-\d+\.us-east-1\.elb\.amazonaws\.com$`, "Z35SXDOTRQ7X7K", SchemeInternal,
			"interface", "amazon-elb", 1, false, 23},
		{"gateway", CreateLoadBalancerInput{Name: "my-gwlb", Type: LBGateway, Subnets: f.subnets[:2]},
			`loadbalancer/gwy/my-gwlb/[0-9a-f]{16}$`, `^$`, "", "",
			"gateway_load_balancer", "amazon-aws", 0, false, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lb, err := f.elb.CreateLoadBalancer(f.ctx, alice, tc.in)
			f.must(err)
			if !regexp.MustCompile(`^arn:aws:elasticloadbalancing:us-east-1:111111111111:`+tc.arn).MatchString(lb.ID) ||
				!regexp.MustCompile(tc.dns).MatchString(lb.DNSName()) || lb.CanonicalHostedZoneID() != tc.zone || lb.Scheme != tc.scheme ||
				lb.State != LBProvisioning || lb.VpcID != f.vpc.ID || lb.IPAddressType != "ipv4" || len(lb.SecurityGroups) != tc.groups {
				t.Errorf("created %+v (DNS %s, zone %s)", lb, lb.DNSName(), lb.CanonicalHostedZoneID())
			}
			if tc.groups == 1 && lb.SecurityGroups[0] != f.vpc.DefaultSecurityGroupID {
				t.Errorf("groups %v, want the VPC's default", lb.SecurityGroups)
			}
			if got := get[LoadBalancer](f, lb.ID); got.State != LBActive || !reflect.DeepEqual(got.Zones, lb.Zones) {
				t.Errorf("read %+v", got)
			}
			enis := f.interfaces(lb)
			if len(enis) != len(tc.in.Subnets) || len(lb.Zones) != len(tc.in.Subnets) {
				t.Fatalf("%d interfaces, %d zones", len(enis), len(lb.Zones))
			}
			for i, z := range lb.Zones {
				if z.SubnetID != tc.in.Subnets[i] || z.ZoneName != get[network.Subnet](f, z.SubnetID).AvailabilityZone || z.InterfaceID == "" {
					t.Errorf("zone %+v", z)
				}
			}
			for _, e := range enis {
				switch {
				case e.InterfaceType != tc.eniType, e.RequesterID != "amazon-elb", !e.RequesterManaged, e.Status != "in-use",
					e.Attachment == nil || e.Attachment.InstanceOwnerID != tc.owner || e.Attachment.Status != "attached",
					len(e.Groups) != tc.groups, (e.PrivateIPs[0].Association != nil) != tc.public:
					t.Errorf("interface %+v", e)
				}
			}
			a, err := f.elb.LoadBalancerAttributes(f.ctx, alice, lb.ID)
			f.must(err)
			if len(a) != tc.attributes || a[0] != (Attribute{"deletion_protection.enabled", "false"}) {
				t.Errorf("attributes %v", a)
			}
		})
	}
}

func TestLoadBalancerAttributeDefaults(t *testing.T) {
	f := newFixture(t)
	nlb, alb := f.nlb("n"), f.alb("a")
	for _, tc := range []struct {
		lb   *LoadBalancer
		want map[string]string
	}{
		{nlb, map[string]string{
			"deletion_protection.enabled": "false", "load_balancing.cross_zone.enabled": "false",
			"access_logs.s3.enabled": "false", "access_logs.s3.bucket": "", "access_logs.s3.prefix": "",
			"ipv6.deny_all_igw_traffic": "true", "dns_record.client_routing_policy": "any_availability_zone",
			"zonal_shift.config.enabled": "false", "secondary_ips.auto_assigned.per_subnet": "0",
		}},
		{f.gwlb("g"), map[string]string{"deletion_protection.enabled": "false", "load_balancing.cross_zone.enabled": "false"}},
	} {
		a, err := f.elb.LoadBalancerAttributes(f.ctx, alice, tc.lb.ID)
		f.must(err)
		if got := attrMap(a); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.lb.Name, got, tc.want)
		}
	}
	a, err := f.elb.LoadBalancerAttributes(f.ctx, alice, alb.ID)
	f.must(err)
	if m := attrMap(a); m["load_balancing.cross_zone.enabled"] != "true" || m["routing.http2.enabled"] != "true" || m["idle_timeout.timeout_seconds"] != "60" ||
		m["ipv6.deny_all_igw_traffic"] != "false" || m["routing.http.desync_mitigation_mode"] != "defensive" {
		t.Errorf("ALB attributes %v", m)
	}
}

// An internet-facing network load balancer takes a mapping's Elastic IP,
// others get one from Amazon's pool; a mapping may pin the private
// address. Deleting the load balancer gives the Elastic IP back.
func TestLoadBalancerAddresses(t *testing.T) {
	f := newFixture(t)
	eip, err := f.net.AllocateAddress(f.ctx, alice, network.AllocateAddressInput{})
	f.must(err)
	lb := f.createLB(CreateLoadBalancerInput{Name: "public", Type: LBNetwork, SubnetMappings: []SubnetMapping{
		{SubnetID: f.subnets[0], AllocationID: eip.ID}, {SubnetID: f.subnets[1]},
	}})
	if z := lb.Zones; lb.Scheme != SchemeInternetFacing || z[0].PublicIP != eip.PublicIP || z[0].AllocationID != eip.ID || z[1].PublicIP != "" {
		t.Fatalf("zones %+v", z)
	}
	for _, e := range f.interfaces(lb) {
		if e.PrivateIPs[0].Association == nil || e.PrivateIPs[0].Association.PublicIP == "" {
			t.Errorf("interface %s has no public address", e.ID)
		}
	}
	if a := get[network.Address](f, eip.ID); a.NetworkInterfaceID != lb.Zones[0].InterfaceID {
		t.Errorf("Elastic IP %+v", a)
	}
	pinned := f.createLB(CreateLoadBalancerInput{Name: "pinned", Type: LBNetwork, Scheme: SchemeInternal,
		SubnetMappings: []SubnetMapping{{SubnetID: f.subnets[2], PrivateIPv4: "10.0.2.50"}}})
	if z := pinned.Zones[0]; z.PrivateIPv4 != "10.0.2.50" || get[network.NetworkInterface](f, z.InterfaceID).PrimaryIP() != "10.0.2.50" {
		t.Errorf("pinned %+v", z)
	}
	_, err = f.elb.CreateLoadBalancer(f.ctx, alice, CreateLoadBalancerInput{Name: "again", Type: LBNetwork, Scheme: SchemeInternal,
		SubnetMappings: []SubnetMapping{{SubnetID: f.subnets[2], PrivateIPv4: "10.0.2.50"}}})
	wantReason(t, err, cloud.InvalidConfiguration, "", "The private IPv4 address 10.0.2.50 is already in use in subnet "+f.subnets[2])
	_, err = f.elb.CreateLoadBalancer(f.ctx, alice, CreateLoadBalancerInput{Name: "twice", Type: LBNetwork,
		SubnetMappings: []SubnetMapping{{SubnetID: f.subnets[2], AllocationID: eip.ID}}})
	wantReason(t, err, cloud.InvalidConfiguration, "", "The Elastic IP address allocation '"+eip.ID+"' is already associated")

	f.must(f.elb.DeleteLoadBalancer(f.ctx, alice, lb.ID))
	if a := get[network.Address](f, eip.ID); a.AssociationID != "" || a.NetworkInterfaceID != "" {
		t.Errorf("Elastic IP still associated: %+v", a)
	}
	if n := len(f.interfaces(lb)); n != 0 {
		t.Errorf("%d interfaces left", n)
	}
}

// A repeated create answers the load balancer as it is; the same name
// with other settings is refused.
func TestCreateLoadBalancerIsIdempotent(t *testing.T) {
	f := newFixture(t)
	first := f.nlb("again")
	second := f.nlb("again")
	if first.ID != second.ID || second.State != LBActive {
		t.Fatalf("a repeat made %s (%s), first %s", second.ID, second.State, first.ID)
	}
	_, err := f.elb.CreateLoadBalancer(f.ctx, alice, CreateLoadBalancerInput{Name: "again", Type: LBNetwork, Scheme: SchemeInternal, Subnets: f.subnets[:1]})
	wantReason(t, err, cloud.Duplicate, cloud.KindLoadBalancer, "A load balancer with the same name 'again' exists, but with different settings")
	page, err := cloud.List[LoadBalancer](f.ctx, f.c, alice, cloud.Query{}, nil)
	if err != nil || len(page.Items) != 1 {
		t.Errorf("load balancers %v, %v", page.Items, err)
	}
}

func TestCreateLoadBalancerRefusals(t *testing.T) {
	f := newFixture(t)
	noIGW := f.newVPC("10.1.0.0/16", false)
	noIGWSubnet := f.newSubnet(noIGW.ID, "10.1.0.0/24", "us-east-1a")
	otherSG := f.group(noIGW.ID, "other")
	sameZone := f.newSubnet(f.vpc.ID, "10.0.10.0/24", "us-east-1a")
	tiny := f.newSubnet(f.vpc.ID, "10.0.20.0/28", "us-east-1b")
	for range 11 {
		_, err := f.net.CreateNetworkInterface(f.ctx, alice, network.CreateNetworkInterfaceInput{SubnetID: tiny})
		f.must(err)
	}
	subnets := f.subnets
	for _, tc := range []struct {
		name   string
		in     CreateLoadBalancerInput
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"empty name", CreateLoadBalancerInput{Type: LBNetwork, Subnets: subnets[:1]}, cloud.InvalidParameter, "", "The load balancer name cannot be empty"},
		{"name too long", CreateLoadBalancerInput{Name: strings.Repeat("a", 33), Type: LBNetwork, Subnets: subnets[:1]}, cloud.InvalidParameter, "", "cannot be longer than '32' characters"},
		{"name characters", CreateLoadBalancerInput{Name: "a_b", Type: LBNetwork, Subnets: subnets[:1]}, cloud.InvalidParameter, "", "can only contain characters that are alphanumeric characters or hyphens(-)"},
		{"name hyphen", CreateLoadBalancerInput{Name: "ab-", Type: LBNetwork, Subnets: subnets[:1]}, cloud.InvalidParameter, "", "cannot begin or end with a hyphen"},
		{"name internal-", CreateLoadBalancerInput{Name: "internal-x", Type: LBNetwork, Subnets: subnets[:1]}, cloud.InvalidParameter, "", "cannot begin with 'internal-'"},
		{"no subnets", CreateLoadBalancerInput{Name: "x", Type: LBNetwork}, cloud.InvalidParameter, "", "At least one subnet must be specified"},
		{"subnets and mappings", CreateLoadBalancerInput{Name: "x", Type: LBNetwork, Subnets: subnets[:1], SubnetMappings: []SubnetMapping{{SubnetID: subnets[1]}}}, cloud.InvalidParameter, "", "not both"},
		{"mapping without subnet", CreateLoadBalancerInput{Name: "x", Type: LBNetwork, SubnetMappings: []SubnetMapping{{PrivateIPv4: "10.0.0.9"}}}, cloud.InvalidParameter, "", "A subnet ID must be specified"},
		{"unknown subnet", CreateLoadBalancerInput{Name: "x", Type: LBNetwork, Subnets: []string{"subnet-0123456789abcdef0"}}, cloud.NotFound, cloud.KindSubnet, "The subnet ID 'subnet-0123456789abcdef0' is not valid"},
		{"malformed subnet", CreateLoadBalancerInput{Name: "x", Type: LBNetwork, Subnets: []string{"sub-1"}}, cloud.NotFound, cloud.KindSubnet, "'sub-1'"},
		{"same zone", CreateLoadBalancerInput{Name: "x", Type: LBNetwork, Subnets: []string{subnets[0], sameZone}}, cloud.InvalidConfiguration, "", "multiple subnets in the same Availability Zone"},
		{"two VPCs", CreateLoadBalancerInput{Name: "x", Type: LBNetwork, Subnets: []string{subnets[1], noIGWSubnet}}, cloud.InvalidConfiguration, "", "All subnets must belong to the same VPC"},
		{"application in one zone", CreateLoadBalancerInput{Name: "x", Subnets: subnets[:1]}, cloud.InvalidParameter, "", "At least two subnets in two different Availability Zones"},
		{"internet-facing without a gateway", CreateLoadBalancerInput{Name: "x", Type: LBNetwork, Subnets: []string{noIGWSubnet}}, cloud.InvalidParameter, cloud.KindSubnet, "VPC " + noIGW.ID + " has no internet gateway"},
		{"gateway with groups", CreateLoadBalancerInput{Name: "x", Type: LBGateway, Subnets: subnets[:1], SecurityGroups: []string{f.vpc.DefaultSecurityGroupID}}, cloud.InvalidParameter, "", "type 'gateway'"},
		{"gateway with scheme", CreateLoadBalancerInput{Name: "x", Type: LBGateway, Scheme: SchemeInternal, Subnets: subnets[:1]}, cloud.InvalidParameter, "", "A scheme cannot be specified"},
		{"group of another VPC", CreateLoadBalancerInput{Name: "x", Type: LBNetwork, Subnets: subnets[:1], SecurityGroups: []string{otherSG}}, cloud.InvalidConfiguration, "", "Security group '" + otherSG + "' does not belong to VPC '" + f.vpc.ID + "'"},
		{"unknown group", CreateLoadBalancerInput{Name: "x", Type: LBNetwork, Subnets: subnets[:1], SecurityGroups: []string{"sg-0123456789abcdef0"}}, cloud.InvalidParameter, cloud.KindSecurityGroup, "'sg-0123456789abcdef0' does not exist"},
		{"Elastic IP on an ALB", CreateLoadBalancerInput{Name: "x", SubnetMappings: []SubnetMapping{{SubnetID: subnets[0], AllocationID: "eipalloc-0123456789abcdef0"}, {SubnetID: subnets[1]}}}, cloud.InvalidParameter, "", "Elastic IP addresses can only be specified for Network Load Balancers"},
		{"Elastic IP on an internal NLB", CreateLoadBalancerInput{Name: "x", Type: LBNetwork, Scheme: SchemeInternal, SubnetMappings: []SubnetMapping{{SubnetID: subnets[0], AllocationID: "eipalloc-0123456789abcdef0"}}}, cloud.InvalidParameter, "", "internal load balancers"},
		{"private address on an ALB", CreateLoadBalancerInput{Name: "x", SubnetMappings: []SubnetMapping{{SubnetID: subnets[0], PrivateIPv4: "10.0.0.9"}, {SubnetID: subnets[1]}}}, cloud.InvalidParameter, "", "Private IPv4 addresses can only be specified for Network Load Balancers"},
		{"Elastic IP and private address", CreateLoadBalancerInput{Name: "x", Type: LBNetwork, SubnetMappings: []SubnetMapping{{SubnetID: subnets[0], AllocationID: "eipalloc-0123456789abcdef0", PrivateIPv4: "10.0.0.9"}}}, cloud.InvalidParameter, "", "both an allocation ID and a private IPv4 address"},
		{"IPv6 address on an ALB", CreateLoadBalancerInput{Name: "x", SubnetMappings: []SubnetMapping{{SubnetID: subnets[0], IPv6Address: "2600::1"}, {SubnetID: subnets[1]}}}, cloud.InvalidParameter, "", "IPv6 addresses can only be specified for Network Load Balancers"},
		{"IPv6 address on an ipv4 NLB", CreateLoadBalancerInput{Name: "x", Type: LBNetwork, Scheme: SchemeInternal, SubnetMappings: []SubnetMapping{{SubnetID: subnets[0], IPv6Address: "2600::1"}}}, cloud.InvalidConfiguration, "", "whose IP address type is ipv4"},
		{"unknown Elastic IP", CreateLoadBalancerInput{Name: "x", Type: LBNetwork, SubnetMappings: []SubnetMapping{{SubnetID: subnets[0], AllocationID: "eipalloc-0123456789abcdef0"}}}, cloud.NotFound, cloud.KindAddress, "Elastic IP address allocation 'eipalloc-0123456789abcdef0' not found"},
		{"private address outside the subnet", CreateLoadBalancerInput{Name: "x", Type: LBNetwork, Scheme: SchemeInternal, SubnetMappings: []SubnetMapping{{SubnetID: subnets[0], PrivateIPv4: "10.0.9.9"}}}, cloud.InvalidConfiguration, "", "The private IPv4 address 10.0.9.9 is not in the usable range of subnet " + subnets[0] + " (10.0.0.0/24)"},
		{"reserved private address", CreateLoadBalancerInput{Name: "x", Type: LBNetwork, Scheme: SchemeInternal, SubnetMappings: []SubnetMapping{{SubnetID: subnets[0], PrivateIPv4: "10.0.0.1"}}}, cloud.InvalidConfiguration, "", "usable range"},
		{"bad private address", CreateLoadBalancerInput{Name: "x", Type: LBNetwork, Scheme: SchemeInternal, SubnetMappings: []SubnetMapping{{SubnetID: subnets[0], PrivateIPv4: "10.0.0"}}}, cloud.InvalidParameter, "", "The private IPv4 address '10.0.0' is not valid"},
		{"dualstack without IPv6", CreateLoadBalancerInput{Name: "x", Type: LBNetwork, IPAddressType: "dualstack", Subnets: subnets[:1]}, cloud.InvalidParameter, cloud.KindSubnet, "Subnet '" + subnets[0] + "' does not have an IPv6 CIDR block"},
		{"dualstack-without-public-ipv4 on an NLB", CreateLoadBalancerInput{Name: "x", Type: LBNetwork, IPAddressType: "dualstack-without-public-ipv4", Subnets: subnets[:1]}, cloud.InvalidParameter, "", "only supported for Application Load Balancers"},
		{"dualstack-without-public-ipv4 internal", CreateLoadBalancerInput{Name: "x", Scheme: SchemeInternal, IPAddressType: "dualstack-without-public-ipv4", Subnets: subnets[:2]}, cloud.InvalidParameter, "", "not supported for internal load balancers"},
		{"full subnet", CreateLoadBalancerInput{Name: "x", Type: LBNetwork, Subnets: []string{tiny}}, cloud.InvalidParameter, cloud.KindSubnet, "Not enough IP space available in " + tiny},
		{"duplicate tag", CreateLoadBalancerInput{Name: "x", Type: LBNetwork, Subnets: subnets[:1], Tags: []cloud.Tag{{Key: "a"}, {Key: "a"}}}, cloud.Duplicate, "tag", "Tag key was specified more than once: a"},
		{"reserved tag", CreateLoadBalancerInput{Name: "x", Type: LBNetwork, Subnets: subnets[:1], Tags: []cloud.Tag{{Key: "aws:x"}}}, cloud.InvalidParameter, "", "cannot begin with 'aws:'"},
		{"too many tags", CreateLoadBalancerInput{Name: "x", Type: LBNetwork, Subnets: subnets[:1], Tags: manyTags(51)}, cloud.LimitExceeded, "tag", "quota for the number of tags"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.elb.CreateLoadBalancer(f.ctx, alice, tc.in)
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}
	page, err := cloud.List[LoadBalancer](f.ctx, f.c, alice, cloud.Query{}, nil)
	if err != nil || len(page.Items) != 0 {
		t.Errorf("refused creates left %d load balancers, %v", len(page.Items), err)
	}
	// Bob sees none of alice's subnets.
	_, err = f.elb.CreateLoadBalancer(f.ctx, bob, CreateLoadBalancerInput{Name: "x", Type: LBNetwork, Subnets: subnets[:1]})
	wantReason(t, err, cloud.NotFound, cloud.KindSubnet, subnets[0])
}

func manyTags(n int) []cloud.Tag {
	var tags []cloud.Tag
	for i := range n {
		tags = append(tags, cloud.Tag{Key: fmt.Sprintf("k%d", i), Value: "v"})
	}
	return tags
}

// A dry run checks everything and creates nothing.
func TestCreateLoadBalancerDryRun(t *testing.T) {
	f := newFixture(t)
	_, err := f.elb.CreateLoadBalancer(f.ctx, dry(alice), CreateLoadBalancerInput{Name: "dry", Type: LBNetwork, Subnets: f.subnets[:2]})
	wantReason(t, err, cloud.DryRun, "", "")
	page, err := cloud.List[LoadBalancer](f.ctx, f.c, alice, cloud.Query{}, nil)
	enis, _ := cloud.List[network.NetworkInterface](f.ctx, f.c, alice, cloud.Query{}, nil)
	if err != nil || len(page.Items) != 0 || len(enis.Items) != 0 {
		t.Errorf("a dry run left %d load balancers and %d interfaces (%v)", len(page.Items), len(enis.Items), err)
	}
}

// The region's quota of load balancers of each type.
func TestLoadBalancerQuota(t *testing.T) {
	f := newFixture(t, cloud.WithQuotas(map[string]int{"network-load-balancers": 1}))
	f.nlb("one")
	_, err := f.elb.CreateLoadBalancer(f.ctx, alice, CreateLoadBalancerInput{Name: "two", Type: LBNetwork, Scheme: SchemeInternal, Subnets: f.subnets[:1]})
	wantReason(t, err, cloud.LimitExceeded, cloud.KindLoadBalancer, "The maximum number of load balancers of type 'network' has been reached")
	f.alb("other-type")
}

// Describe by ARN, by name (ARNs in the order of the names), by VPC, and
// page by page.
func TestListLoadBalancers(t *testing.T) {
	f := newFixture(t)
	var arns []string
	for i := range 3 {
		arns = append(arns, f.nlb(fmt.Sprintf("lb-%d", i)).ID)
	}
	other := f.newVPC("10.9.0.0/16", true)
	elsewhere := f.createLB(CreateLoadBalancerInput{Name: "elsewhere", Type: LBNetwork, Subnets: []string{f.newSubnet(other.ID, "10.9.0.0/24", "us-east-1a")}})
	byName, err := f.elb.LoadBalancerARNs(f.ctx, alice, []string{"lb-2", "lb-0"})
	f.must(err)
	if !reflect.DeepEqual(byName, []string{arns[0], arns[2]}) {
		t.Errorf("by name %v", byName)
	}
	_, err = f.elb.LoadBalancerARNs(f.ctx, alice, []string{"lb-0", "nope", "gone"})
	wantReason(t, err, cloud.NotFound, cloud.KindLoadBalancer, "Load balancers '[gone, nope]' not found")
	_, err = f.elb.LoadBalancerARNs(f.ctx, bob, []string{"lb-0"})
	wantReason(t, err, cloud.NotFound, cloud.KindLoadBalancer, "'[lb-0]'")

	all := append(append([]string(nil), arns...), elsewhere.ID)
	for _, tc := range []struct {
		name string
		q    cloud.Query
		want []string
	}{
		{"all", cloud.Query{}, all},
		{"by ARN", cloud.Query{IDs: arns[1:2]}, arns[1:2]},
		{"by ARNs", cloud.Query{IDs: []string{elsewhere.ID, arns[0]}}, []string{arns[0], elsewhere.ID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, err := cloud.List[LoadBalancer](f.ctx, f.c, alice, tc.q, nil)
			f.must(err)
			got := []string{}
			for _, lb := range page.Items {
				got = append(got, lb.ID)
				if lb.State != LBActive {
					t.Errorf("%s is %s", lb.Name, lb.State)
				}
			}
			if want := append([]string{}, tc.want...); !sameSet(got, want) || len(got) != len(want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
	var paged []string
	q := cloud.Query{Limit: 2}
	for pages := 1; ; pages++ {
		page, err := cloud.List[LoadBalancer](f.ctx, f.c, alice, q, nil)
		f.must(err)
		for _, lb := range page.Items {
			paged = append(paged, lb.ID)
		}
		if page.Next == "" {
			if pages != 2 {
				t.Errorf("%d pages", pages)
			}
			break
		}
		q.After = page.Next
	}
	if !sameSet(paged, all) {
		t.Errorf("paged %v", paged)
	}
	_, err = cloud.List[LoadBalancer](f.ctx, f.c, bob, cloud.Query{IDs: arns[:1]}, nil)
	refusedWith(t, err, cloud.NotFound, "bob describes alice's")
	for _, tc := range []struct {
		name, arn string
		reason    cloud.Reason
		kind      cloud.Kind
		msg       string
	}{
		{"unknown", missingARN(arns[0]), cloud.NotFound, cloud.KindLoadBalancer, "One or more load balancers not found"},
		{"malformed", "lb-0", cloud.InvalidParameter, "", "'lb-0' is not a valid load balancer ARN"},
		{"a target group's", strings.Replace(arns[0], "loadbalancer/net/", "targetgroup/", 1), cloud.InvalidParameter, "", "not a valid load balancer ARN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.elb.GetLoadBalancer(f.ctx, alice, tc.arn)
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
			refusedWith(t, f.elb.CheckLoadBalancer(f.ctx, alice, tc.arn), tc.reason, tc.name)
		})
	}
	f.must(f.elb.CheckLoadBalancer(f.ctx, alice, arns[0]))
}

func TestModifyLoadBalancerAttributes(t *testing.T) {
	f := newFixture(t)
	nlb, alb := f.nlb("attrs"), f.alb("web")
	out, err := f.elb.ModifyLoadBalancerAttributes(f.ctx, alice, nlb.ID, attrs("load_balancing.cross_zone.enabled", "true", "dns_record.client_routing_policy", "availability_zone_affinity"))
	f.must(err)
	if m := attrMap(out); len(m) != 9 || m["load_balancing.cross_zone.enabled"] != "true" || m["dns_record.client_routing_policy"] != "availability_zone_affinity" {
		t.Errorf("modified %v", m)
	}
	got, err := f.elb.LoadBalancerAttributes(f.ctx, alice, nlb.ID)
	f.must(err)
	if !reflect.DeepEqual(got, out) {
		t.Errorf("read %v, want %v", got, out)
	}
	_, err = f.elb.ModifyLoadBalancerAttributes(f.ctx, alice, nlb.ID, attrs("secondary_ips.auto_assigned.per_subnet", "3"))
	f.must(err)
	for _, tc := range []struct {
		name   string
		lb     *LoadBalancer
		kv     []string
		reason cloud.Reason
		msg    string
	}{
		{"unknown key", nlb, []string{"nope.enabled", "true"}, cloud.InvalidParameter, "Load balancer attribute key 'nope.enabled' is not recognized"},
		{"key of another type", nlb, []string{"routing.http2.enabled", "true"}, cloud.InvalidConfiguration, "Load balancer attribute key 'routing.http2.enabled' is not supported on load balancers with type 'network'"},
		{"bad boolean", nlb, []string{"deletion_protection.enabled", "yes"}, cloud.InvalidParameter, "Load balancer attribute 'deletion_protection.enabled' value 'yes' is not valid: it must be one of true, false"},
		{"bad policy", nlb, []string{"dns_record.client_routing_policy", "nearest"}, cloud.InvalidParameter, "dns_record.client_routing_policy"},
		{"out of range", alb, []string{"idle_timeout.timeout_seconds", "4001"}, cloud.InvalidParameter, "an integer from 1 to 4000"},
		{"access logs without bucket", nlb, []string{"access_logs.s3.enabled", "true"}, cloud.InvalidParameter, "when access logs are enabled"},
		{"connection logs without bucket", alb, []string{"connection_logs.s3.enabled", "true"}, cloud.InvalidParameter, "when connection logs are enabled"},
		{"health check logs without bucket", alb, []string{"health_check_logs.s3.enabled", "true"}, cloud.InvalidParameter, "when health check logs are enabled"},
		{"ALB cross-zone off", alb, []string{"load_balancing.cross_zone.enabled", "false"}, cloud.InvalidConfiguration, "Cross-zone load balancing cannot be disabled"},
		{"secondary addresses down", nlb, []string{"secondary_ips.auto_assigned.per_subnet", "2"}, cloud.InvalidConfiguration, "cannot be decreased"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.elb.ModifyLoadBalancerAttributes(f.ctx, alice, tc.lb.ID, attrs(tc.kv...))
			wantReason(t, err, tc.reason, "", tc.msg)
		})
	}
	// The refusals changed nothing.
	after, err := f.elb.LoadBalancerAttributes(f.ctx, alice, nlb.ID)
	f.must(err)
	if m := attrMap(after); m["secondary_ips.auto_assigned.per_subnet"] != "3" || m["access_logs.s3.enabled"] != "false" {
		t.Errorf("after refusals %v", m)
	}
	out, err = f.elb.ModifyLoadBalancerAttributes(f.ctx, alice, alb.ID, attrs("access_logs.s3.enabled", "true", "access_logs.s3.bucket", "logs", "routing.http.xff_header_processing.mode", "remove"))
	f.must(err)
	if m := attrMap(out); m["access_logs.s3.bucket"] != "logs" || m["routing.http.xff_header_processing.mode"] != "remove" {
		t.Errorf("ALB %v", m)
	}
	_, err = f.elb.ModifyLoadBalancerAttributes(f.ctx, alice, missingARN(nlb.ID), attrs("deletion_protection.enabled", "true"))
	wantReason(t, err, cloud.NotFound, cloud.KindLoadBalancer, "One or more load balancers not found")
	_, err = f.elb.LoadBalancerAttributes(f.ctx, bob, nlb.ID)
	refusedWith(t, err, cloud.NotFound, "bob reads alice's attributes")
}

// Deletion protection, use by an endpoint service and deletion itself:
// listeners, rules and interfaces go with the load balancer, which may be
// deleted twice.
func TestDeleteLoadBalancer(t *testing.T) {
	f := newFixture(t)
	lb := f.alb("gone")
	tg := f.targetGroup("gone-tg", "HTTP", 80, TargetIP)
	l := f.forward(lb.ID, "HTTP", 80, tg.ID)
	r, err := f.elb.CreateRule(f.ctx, alice, l.ID, RuleInput{Priority: 1, Conditions: []ConditionInput{{Field: ConditionPathPattern, Values: []string{"/a"}}},
		Actions: []ActionInput{{Type: ActionForward, TargetGroupARN: tg.ID}}})
	f.must(err)
	if got := get[TargetGroup](f, tg.ID); !reflect.DeepEqual(got.LoadBalancerARNs, []string{lb.ID}) {
		t.Errorf("group used by %v", got.LoadBalancerARNs)
	}

	_, err = f.elb.ModifyLoadBalancerAttributes(f.ctx, alice, lb.ID, attrs("deletion_protection.enabled", "true"))
	f.must(err)
	wantReason(t, f.elb.DeleteLoadBalancer(f.ctx, alice, lb.ID), cloud.OperationNotPermitted, "", "Load balancer '"+lb.ID+"' cannot be deleted because deletion protection is enabled")
	_, err = f.elb.ModifyLoadBalancerAttributes(f.ctx, alice, lb.ID, attrs("deletion_protection.enabled", "false"))
	f.must(err)
	wantReason(t, f.elb.DeleteLoadBalancer(f.ctx, alice, "gone"), cloud.InvalidParameter, "", "not a valid load balancer ARN")
	wantReason(t, f.elb.DeleteLoadBalancer(f.ctx, dry(alice), lb.ID), cloud.DryRun, "", "")
	if len(f.interfaces(lb)) != 2 {
		t.Fatal("a dry run deleted the interfaces")
	}

	f.must(f.elb.DeleteLoadBalancer(f.ctx, alice, lb.ID))
	f.must(f.elb.DeleteLoadBalancer(f.ctx, alice, lb.ID))
	if n := len(f.interfaces(lb)); n != 0 {
		t.Errorf("%d interfaces left", n)
	}
	_, err = f.elb.GetListener(f.ctx, alice, l.ID)
	wantReason(t, err, cloud.NotFound, cloud.KindListener, "One or more listeners not found")
	_, err = f.elb.DescribeRules(f.ctx, alice, "", []string{r.ID})
	wantReason(t, err, cloud.NotFound, cloud.KindRule, "")
	if got := get[TargetGroup](f, tg.ID); len(got.LoadBalancerARNs) != 0 {
		t.Errorf("group still used by %v", got.LoadBalancerARNs)
	}
	f.must(f.elb.DeleteTargetGroup(f.ctx, alice, tg.ID))
	f.must(f.net.DeleteSubnet(f.ctx, alice, f.subnets[0]))
}

// SetSubnets adds subnets to any load balancer and replaces an
// application load balancer's; interfaces follow.
func TestSetSubnets(t *testing.T) {
	f := newFixture(t)
	nlb := f.nlb("set")
	before := nlb.Zones
	added, err := f.elb.SetSubnets(f.ctx, alice, nlb.ID, f.subnets, nil, "")
	f.must(err)
	if len(added.Zones) != 3 || len(f.interfaces(nlb)) != 3 || !reflect.DeepEqual(added.Zones[:2], before) || added.State != LBActive {
		t.Errorf("after adding a subnet: %+v", added.Zones)
	}
	alb := f.createLB(CreateLoadBalancerInput{Name: "alb", Subnets: f.subnets})
	moved, err := f.elb.SetSubnets(f.ctx, alice, alb.ID, f.subnets[1:], nil, "")
	f.must(err)
	if len(moved.Zones) != 2 || len(f.interfaces(alb)) != 2 || moved.Zones[0] != alb.Zones[1] {
		t.Errorf("after removing a subnet: %+v", moved.Zones)
	}
	other := f.newVPC("10.8.0.0/16", true)
	elsewhere := f.newSubnet(other.ID, "10.8.0.0/24", "us-east-1a")
	for _, tc := range []struct {
		name    string
		lb      *LoadBalancer
		subnets []string
		maps    []SubnetMapping
		ipType  string
		reason  cloud.Reason
		kind    cloud.Kind
		msg     string
	}{
		{"remove a subnet of an NLB", nlb, f.subnets[:1], nil, "", cloud.InvalidParameter, "", "Subnets cannot be removed from a load balancer of type 'network': subnet '" + f.subnets[1] + "' is missing"},
		{"subnet of another VPC", nlb, []string{elsewhere}, nil, "", cloud.InvalidConfiguration, "", "is not in the VPC of the load balancer"},
		{"ALB in one zone", alb, f.subnets[:1], nil, "", cloud.InvalidParameter, "", "At least two subnets"},
		{"no subnets", alb, nil, nil, "", cloud.InvalidParameter, "", "At least one subnet"},
		{"dualstack without IPv6", nlb, f.subnets, nil, "dualstack", cloud.InvalidParameter, cloud.KindSubnet, "does not have an IPv6 CIDR block"},
		{"unknown load balancer", &LoadBalancer{Meta: cloud.Meta{ID: missingARN(nlb.ID)}}, f.subnets, nil, "", cloud.NotFound, cloud.KindLoadBalancer, "One or more load balancers not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.elb.SetSubnets(f.ctx, alice, tc.lb.ID, tc.subnets, tc.maps, tc.ipType)
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}
	if got := get[LoadBalancer](f, nlb.ID); len(got.Zones) != 3 || got.IPAddressType != "ipv4" {
		t.Errorf("the refusals changed %+v", got)
	}
}

func TestSetSecurityGroups(t *testing.T) {
	f := newFixture(t)
	web, app := f.group(f.vpc.ID, "web"), f.group(f.vpc.ID, "app")
	elsewhere := f.group(f.newVPC("10.8.0.0/16", false).ID, "elsewhere")
	alb := f.alb("alb")
	got, err := f.elb.SetSecurityGroups(f.ctx, alice, alb.ID, []string{web, app, web}, "")
	f.must(err)
	want := []string{app, web}
	if app > web {
		want = []string{web, app}
	}
	if !reflect.DeepEqual(got.SecurityGroups, want) {
		t.Errorf("groups %v, want %v", got.SecurityGroups, want)
	}
	for _, e := range f.interfaces(alb) {
		if !reflect.DeepEqual(e.Groups, want) {
			t.Errorf("interface %s groups %v", e.ID, e.Groups)
		}
	}
	withGroups := f.createLB(CreateLoadBalancerInput{Name: "guarded", Type: LBNetwork, Scheme: SchemeInternal, Subnets: f.subnets[:1], SecurityGroups: []string{web}})
	if withGroups.EnforcePrivateLinkInbound != "on" {
		t.Errorf("enforce %q", withGroups.EnforcePrivateLinkInbound)
	}
	got, err = f.elb.SetSecurityGroups(f.ctx, alice, withGroups.ID, []string{app}, "off")
	f.must(err)
	if !reflect.DeepEqual(got.SecurityGroups, []string{app}) || got.EnforcePrivateLinkInbound != "off" {
		t.Errorf("NLB %+v", got)
	}
	nlb, gwlb := f.nlb("bare"), f.gwlb("gw")
	for _, tc := range []struct {
		name    string
		lb      *LoadBalancer
		groups  []string
		enforce string
		reason  cloud.Reason
		msg     string
	}{
		{"group of another VPC", alb, []string{elsewhere}, "", cloud.InvalidConfiguration, "Security group '" + elsewhere + "' does not belong to VPC '" + f.vpc.ID + "'"},
		{"unknown group", alb, []string{"sg-0123456789abcdef0"}, "", cloud.InvalidParameter, "One or more security groups are invalid"},
		{"no groups on an ALB", alb, nil, "", cloud.InvalidParameter, "At least one security group must be specified"},
		{"enforce on an ALB", alb, []string{web}, "on", cloud.InvalidParameter, "only supported for Network Load Balancers"},
		{"groups on an NLB created without", nlb, []string{web}, "", cloud.InvalidConfiguration, "created without security groups"},
		{"all groups off an NLB", withGroups, nil, "", cloud.InvalidConfiguration, "cannot remove all security groups"},
		{"gateway", gwlb, []string{web}, "", cloud.InvalidParameter, "not supported for load balancers with type 'gateway'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.elb.SetSecurityGroups(f.ctx, alice, tc.lb.ID, tc.groups, tc.enforce)
			refusedWith(t, err, tc.reason, tc.name)
			if e, _ := cloud.AsError(err); !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("message %q", e.Msg)
			}
		})
	}
}

func TestSecurityGroupsQuota(t *testing.T) {
	f := newFixture(t, cloud.WithQuotas(map[string]int{"security-groups-per-interface": 2}))
	groups := []string{f.group(f.vpc.ID, "a"), f.group(f.vpc.ID, "b"), f.group(f.vpc.ID, "c")}
	_, err := f.elb.CreateLoadBalancer(f.ctx, alice, CreateLoadBalancerInput{Name: "x", Subnets: f.subnets[:2], SecurityGroups: groups})
	wantReason(t, err, cloud.InvalidParameter, cloud.KindSecurityGroup, "You can specify at most 2 security groups")
}

// ipv6Subnets gives the fixture's VPC an IPv6 block and its first n
// subnets a /64 of it each.
func (f *fixture) ipv6Subnets(n int) []netip.Prefix {
	f.t.Helper()
	_, _, err := f.net.AssociateVPCCIDRBlock(f.ctx, alice, f.vpc.ID, "", true, "")
	f.must(err)
	vpc := get[network.VPC](f, f.vpc.ID)
	block := netip.MustParsePrefix(vpc.IPv6Associations[0].CIDR)
	var out []netip.Prefix
	for i := range n {
		b := block.Addr().As16()
		b[7] = byte(i + 1)
		p := netip.PrefixFrom(netip.AddrFrom16(b), 64)
		_, _, err := f.net.AssociateSubnetCIDRBlock(f.ctx, alice, f.subnets[i], p.String())
		f.must(err)
		out = append(out, p)
	}
	return out
}

// A dualstack load balancer's interfaces have an IPv6 address in each
// subnet (a network load balancer's mapping may name it);
// SetIPAddressType adds and takes them.
func TestDualstackLoadBalancer(t *testing.T) {
	f := newFixture(t)
	blocks := f.ipv6Subnets(2)
	pinned := blocks[0].Addr().Next().Next().Next().Next().Next().Next().String()
	nlb := f.createLB(CreateLoadBalancerInput{Name: "dual", Type: LBNetwork, Scheme: SchemeInternal, IPAddressType: "dualstack",
		SubnetMappings: []SubnetMapping{{SubnetID: f.subnets[0], IPv6Address: pinned}, {SubnetID: f.subnets[1]}}})
	if nlb.Zones[0].IPv6Address != pinned {
		t.Errorf("zones %+v", nlb.Zones)
	}
	for _, e := range f.interfaces(nlb) {
		if len(e.IPv6Addresses) != 1 {
			t.Errorf("interface %s: %v", e.ID, e.IPv6Addresses)
		}
	}
	_, err := f.elb.CreateLoadBalancer(f.ctx, alice, CreateLoadBalancerInput{Name: "clash", Type: LBNetwork, Scheme: SchemeInternal, IPAddressType: "dualstack",
		SubnetMappings: []SubnetMapping{{SubnetID: f.subnets[0], IPv6Address: pinned}}})
	wantReason(t, err, cloud.InvalidConfiguration, "", "The IPv6 address "+pinned+" is already in use in subnet "+f.subnets[0])

	alb := f.alb("web")
	for _, step := range []struct {
		ipType string
		v6     int
	}{{"dualstack", 1}, {"dualstack-without-public-ipv4", 1}, {"ipv4", 0}} {
		lb, err := f.elb.SetIPAddressType(f.ctx, alice, alb.ID, step.ipType)
		f.must(err)
		if lb.IPAddressType != step.ipType || lb.State != LBActive {
			t.Errorf("%s: %+v", step.ipType, lb)
		}
		for _, e := range f.interfaces(alb) {
			if len(e.IPv6Addresses) != step.v6 {
				t.Errorf("%s: interface %s has %v", step.ipType, e.ID, e.IPv6Addresses)
			}
		}
	}
	dualNLB, err := f.elb.SetIPAddressType(f.ctx, alice, nlb.ID, "ipv4")
	f.must(err)
	if dualNLB.Zones[0].IPv6Address != "" {
		t.Errorf("ipv4 again keeps %+v", dualNLB.Zones[0])
	}
	tg := f.targetGroup("udp", "UDP", 53, TargetIP)
	f.forward(nlb.ID, "UDP", 53, tg.ID)
	third := f.createLB(CreateLoadBalancerInput{Name: "third", Type: LBNetwork, Scheme: SchemeInternal, Subnets: f.subnets[2:]})
	for _, tc := range []struct {
		name, arn, ipType string
		reason            cloud.Reason
		kind              cloud.Kind
		msg               string
	}{
		{"UDP listener", nlb.ID, "dualstack", cloud.InvalidConfiguration, "", "You cannot use the dualstack IP address type with a UDP listener"},
		{"subnet without IPv6", third.ID, "dualstack", cloud.InvalidParameter, cloud.KindSubnet, "Subnet '" + f.subnets[2] + "' does not have an IPv6 CIDR block"},
		{"dualstack-without-public-ipv4 on an NLB", third.ID, "dualstack-without-public-ipv4", cloud.InvalidParameter, "", "only supported for Application Load Balancers"},
		{"unknown", missingARN(nlb.ID), "dualstack", cloud.NotFound, cloud.KindLoadBalancer, "One or more load balancers not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.elb.SetIPAddressType(f.ctx, alice, tc.arn, tc.ipType)
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}
	// A dualstack load balancer takes no UDP or QUIC listener.
	dual := f.createLB(CreateLoadBalancerInput{Name: "dual2", Type: LBNetwork, Scheme: SchemeInternal, IPAddressType: "dualstack", Subnets: f.subnets[1:2]})
	_, err = f.elb.CreateListener(f.ctx, alice, dual.ID, ListenerInput{Port: ptr(int32(53)), Protocol: "UDP", Actions: []ActionInput{{Type: ActionForward, TargetGroupARN: tg.ID}}})
	wantReason(t, err, cloud.InvalidConfiguration, "", "You cannot use the UDP protocol with a dualstack load balancer")
}

// The create answer's time is the kernel's clock.
func TestLoadBalancerCreatedTime(t *testing.T) {
	f := newFixture(t)
	f.now = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if lb := f.nlb("clock"); !lb.CreatedTime.Equal(f.now) {
		t.Errorf("created %v", lb.CreatedTime)
	}
}
