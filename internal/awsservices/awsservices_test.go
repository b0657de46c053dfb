package awsservices

import (
	"cmp"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/regions"
)

var (
	serviceIDShape = regexp.MustCompile(`^vpce-svc-[0-9a-f]{17}$`)
	listIDShape    = regexp.MustCompile(`^pl-[0-9a-f]{8}$`)
)

// The services a user expects to find in every region.
var expected = []struct{ service, typ string }{
	{"s3", TypeGateway}, {"s3", TypeInterface}, {"dynamodb", TypeGateway}, {"dynamodb", TypeInterface},
	{"secretsmanager", TypeInterface}, {"ssm", TypeInterface}, {"ssmmessages", TypeInterface},
	{"ec2messages", TypeInterface}, {"ec2", TypeInterface}, {"ecr.api", TypeInterface}, {"ecr.dkr", TypeInterface},
	{"logs", TypeInterface}, {"monitoring", TypeInterface}, {"events", TypeInterface}, {"sns", TypeInterface},
	{"sqs", TypeInterface}, {"sts", TypeInterface}, {"kms", TypeInterface}, {"lambda", TypeInterface},
	{"elasticloadbalancing", TypeInterface}, {"execute-api", TypeInterface},
}

func TestEveryRegionHasTheExpectedServices(t *testing.T) {
	for _, r := range regions.All() {
		services := EndpointServices(r.Name)
		for _, want := range expected {
			i := slices.IndexFunc(services, func(s EndpointService) bool { return s.Service == want.service && s.Type == want.typ })
			if i < 0 {
				t.Errorf("%s: no %s %s service", r.Name, want.typ, want.service)
				continue
			}
			s := services[i]
			if s.Name != "com.amazonaws."+r.Name+"."+want.service || !serviceIDShape.MatchString(s.ID) || len(s.Zones) != len(r.Zones) {
				t.Errorf("%s: %+v", r.Name, s)
			}
			for _, n := range append(slices.Clone(s.BaseEndpointDNSNames), s.PrivateDNSNames...) {
				if !strings.Contains(n, "."+r.Name+".") {
					t.Errorf("%s: DNS name %q of %s is not the region's", r.Name, n, s.Name)
				}
			}
			if (s.Type == TypeGateway) != (s.PrivateDNSName() == "") && s.Service != "dynamodb" {
				t.Errorf("%s: %s %s has private DNS name %q", r.Name, s.Type, s.Name, s.PrivateDNSName())
			}
		}
		if !slices.IsSortedFunc(services, func(a, b EndpointService) int {
			return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.Type, b.Type))
		}) {
			t.Errorf("%s: services are not in name order", r.Name)
		}
	}
}

func TestServiceIDsAreStableAndDistinct(t *testing.T) {
	seen := map[string]string{}
	for _, r := range regions.All() {
		for _, s := range EndpointServices(r.Name) {
			if other, dup := seen[s.ID]; dup {
				t.Errorf("%s and %s share id %s", other, s.Name+"/"+s.Type, s.ID)
			}
			seen[s.ID] = s.Name + "/" + s.Type
		}
	}
	// Ids AWS is known to show are kept.
	for name, id := range map[string]string{
		"com.amazonaws.us-east-1.monitoring/Interface": "vpce-svc-0fc975f3e7e5beba4",
		"com.amazonaws.us-west-2.dynamodb/Gateway":     "vpce-svc-06e332dbde3b83af2",
	} {
		if seen[id] != name {
			t.Errorf("%s: want id %s", name, id)
		}
	}
	// A derived id depends on the name and type only, so it is the same in
	// every run and on every machine.
	if got, want := derivedServiceID("com.amazonaws.us-east-1.s3", "Gateway"), "vpce-svc-2fa5968516771e923"; got != want {
		t.Errorf("derived id %s, want %s", got, want)
	}
}

func TestEveryRegionHasS3AndDynamoDBPrefixLists(t *testing.T) {
	for _, r := range regions.All() {
		lists := PrefixLists(r.Name)
		if len(lists) != 2 || lists[0].ID == lists[1].ID {
			t.Fatalf("%s: %+v", r.Name, lists)
		}
		for _, svc := range []string{"s3", "dynamodb"} {
			l, ok := PrefixListOf(r.Name, svc)
			if !ok || l.Name != "com.amazonaws."+r.Name+"."+svc || !listIDShape.MatchString(l.ID) || l.AddressFamily != "IPv4" || l.Weight != 1 || len(l.CIDRs) == 0 {
				t.Errorf("%s %s: %+v", r.Name, svc, l)
			}
			for _, c := range l.CIDRs {
				p, err := netip.ParsePrefix(c)
				if err != nil || !p.Addr().Is4() || p.Masked() != p || p.Addr().IsPrivate() {
					t.Errorf("%s %s: CIDR %q is not a canonical public IPv4 block", r.Name, svc, c)
				}
			}
			if got, ok := FindPrefixList(r.Name, l.ID); !ok || got.Name != l.Name {
				t.Errorf("%s: FindPrefixList(%s) = %+v", r.Name, l.ID, got)
			}
		}
	}
	// The ids AWS uses where they are known.
	for region, ids := range map[string][2]string{
		"us-east-1": {"pl-63a5400a", "pl-02cd2c6b"},
		"us-west-2": {"pl-68a54001", "pl-00a54069"},
		"eu-west-1": {"pl-6da54004", "pl-6fa54006"},
	} {
		s3, _ := PrefixListOf(region, "s3")
		ddb, _ := PrefixListOf(region, "dynamodb")
		if s3.ID != ids[0] || ddb.ID != ids[1] {
			t.Errorf("%s: s3 %s dynamodb %s, want %v", region, s3.ID, ddb.ID, ids)
		}
	}
	if _, ok := FindPrefixList("us-east-1", "pl-68a54001"); ok {
		t.Error("another region's list found in us-east-1")
	}
}

// The catalogue is AWS's list of services that integrate with PrivateLink,
// not a hand-picked few.
func TestCatalogueSize(t *testing.T) {
	for _, tc := range []struct {
		region string
		min    int
	}{{"us-east-1", 400}, {"eu-west-1", 200}, {"mx-central-1", 150}, {"ap-southeast-7", 150}} {
		if n := len(EndpointServices(tc.region)); n < tc.min {
			t.Errorf("%s: %d services, want more than %d", tc.region, n, tc.min)
		}
	}
}

// A sample of services with the DNS names, policy support and regions AWS
// documents for them.
func TestDocumentedServices(t *testing.T) {
	for _, tc := range []struct {
		region, name, typ string
		base, private     []string
		policy, cross     bool
	}{
		{"us-east-1", "com.amazonaws.us-east-1.rds", TypeInterface, []string{"rds.us-east-1.vpce.amazonaws.com"}, []string{"rds.us-east-1.amazonaws.com"}, true, false},
		{"mx-central-1", "com.amazonaws.mx-central-1.rds", TypeInterface, []string{"rds.mx-central-1.vpce.amazonaws.com"}, []string{"rds.mx-central-1.amazonaws.com"}, true, false},
		{"ap-southeast-7", "com.amazonaws.ap-southeast-7.glue", TypeInterface, []string{"glue.ap-southeast-7.vpce.amazonaws.com"}, []string{"glue.ap-southeast-7.amazonaws.com"}, true, false},
		{"us-east-1", "com.amazonaws.us-east-1.bedrock-runtime", TypeInterface, []string{"bedrock-runtime.us-east-1.vpce.amazonaws.com"}, []string{"bedrock-runtime.us-east-1.amazonaws.com"}, true, false},
		{"us-east-1", "com.amazonaws.us-east-1.ecs", TypeInterface, []string{"ecs.us-east-1.vpce.amazonaws.com"}, []string{"ecs.us-east-1.amazonaws.com"}, true, true},
		// The endpoint service is kinesis-streams; the API it answers for is kinesis.
		{"us-east-1", "com.amazonaws.us-east-1.kinesis-streams", TypeInterface, []string{"kinesis-streams.us-east-1.vpce.amazonaws.com"}, []string{"kinesis.us-east-1.amazonaws.com"}, true, false},
		{"us-east-1", "com.amazonaws.us-east-1.kinesis-firehose", TypeInterface, []string{"kinesis-firehose.us-east-1.vpce.amazonaws.com"}, []string{"firehose.us-east-1.amazonaws.com"}, true, true},
		{"us-west-2", "com.amazonaws.us-west-2.kms-fips", TypeInterface, []string{"kms-fips.us-west-2.vpce.amazonaws.com"}, []string{"kms-fips.us-west-2.amazonaws.com"}, true, true},
		{"us-east-1", "com.amazonaws.us-east-1.sagemaker.api", TypeInterface, []string{"api.sagemaker.us-east-1.vpce.amazonaws.com"}, []string{"api.sagemaker.us-east-1.amazonaws.com"}, true, false},
		{"us-east-1", "com.amazonaws.us-east-1.ecr.dkr", TypeInterface, []string{"dkr.ecr.us-east-1.vpce.amazonaws.com"}, []string{"*.dkr.ecr.us-east-1.amazonaws.com"}, true, true},
		{"us-east-1", "com.amazonaws.us-east-1.execute-api", TypeInterface, []string{"execute-api.us-east-1.vpce.amazonaws.com"}, []string{"*.execute-api.us-east-1.amazonaws.com"}, true, false},
		{"us-east-1", "com.amazonaws.us-east-1.s3", TypeInterface, []string{"s3.us-east-1.vpce.amazonaws.com"}, []string{"*.s3.us-east-1.amazonaws.com"}, true, true},
		{"us-east-1", "com.amazonaws.us-east-1.s3", TypeGateway, []string{"s3.us-east-1.amazonaws.com"}, nil, true, false},
		{"mx-central-1", "com.amazonaws.mx-central-1.dynamodb", TypeGateway, []string{"dynamodb.mx-central-1.amazonaws.com"}, nil, true, false},
		{"us-east-1", "com.amazonaws.us-east-1.dynamodb", TypeInterface, []string{"dynamodb.us-east-1.vpce.amazonaws.com"}, nil, true, false},
		{"us-east-1", "com.amazonaws.us-east-1.monitoring", TypeInterface, []string{"monitoring.us-east-1.vpce.amazonaws.com"},
			[]string{"monitoring.us-east-1.amazonaws.com", "monitoring.us-east-1.api.aws", "monitoring-fips.us-east-1.amazonaws.com", "monitoring-fips.us-east-1.api.aws"}, true, false},
		// Services AWS shows with VpcEndpointPolicySupported false.
		{"us-east-1", "com.amazonaws.us-east-1.appmesh-envoy-management", TypeInterface, []string{"appmesh-envoy-management.us-east-1.vpce.amazonaws.com"}, []string{"appmesh-envoy-management.us-east-1.amazonaws.com"}, false, false},
		{"us-east-1", "com.amazonaws.us-east-1.transfer.server", TypeInterface, []string{"server.transfer.us-east-1.vpce.amazonaws.com"}, []string{"server.transfer.us-east-1.amazonaws.com"}, false, false},
		// Names outside com.amazonaws.<region>.
		{"us-east-1", "aws.api.us-east-1.qbusiness", TypeInterface, []string{"qbusiness.us-east-1.vpce.amazonaws.com"}, []string{"qbusiness.us-east-1.api.aws"}, true, false},
		{"us-east-1", "com.amazonaws.iam", TypeInterface, []string{"iam.us-east-1.vpce.amazonaws.com"}, []string{"iam.amazonaws.com"}, true, true},
	} {
		i := slices.IndexFunc(EndpointServices(tc.region), func(s EndpointService) bool { return s.Name == tc.name && s.Type == tc.typ })
		if i < 0 {
			t.Errorf("%s: no %s %s", tc.region, tc.typ, tc.name)
			continue
		}
		s := EndpointServices(tc.region)[i]
		if !slices.Equal(s.BaseEndpointDNSNames, tc.base) || !slices.Equal(s.PrivateDNSNames, tc.private) || s.PolicySupported != tc.policy || s.CrossRegion != tc.cross {
			t.Errorf("%s %s: base %v private %v policy %v cross %v, want %v %v %v %v", tc.typ, tc.name,
				s.BaseEndpointDNSNames, s.PrivateDNSNames, s.PolicySupported, s.CrossRegion, tc.base, tc.private, tc.policy, tc.cross)
		}
	}
}

// Each service is offered only where AWS runs it: FIPS endpoints where the
// SDK has them, a service with a fixed Region in it alone, global services
// in us-east-1.
func TestServicesOnlyWhereAWSRunsThem(t *testing.T) {
	has := func(region, name string) bool {
		return slices.ContainsFunc(EndpointServices(region), func(s EndpointService) bool { return s.Name == name })
	}
	for _, tc := range []struct {
		region, name string
		want         bool
	}{
		{"us-east-1", "com.amazonaws.us-east-1.rds-fips", true},
		{"ca-central-1", "com.amazonaws.ca-central-1.rds-fips", true},
		{"eu-west-1", "com.amazonaws.eu-west-1.rds-fips", false},
		{"us-east-2", "aws.api.us-east-2.route53globalresolver", true},
		{"us-east-1", "aws.api.us-east-2.route53globalresolver", false},
		{"us-east-1", "com.amazonaws.iam", true},
		{"eu-west-1", "com.amazonaws.iam", false},
		{"mx-central-1", "com.amazonaws.mx-central-1.ecs", true},
		{"ap-east-2", "com.amazonaws.ap-east-2.kms", true},
		// KMS has FIPS endpoints in every Region (the SDK lists them);
		// a FIPS service the SDK does not know is in the US and Canada.
		{"sa-east-1", "com.amazonaws.sa-east-1.kms-fips", true},
		{"us-west-2", "com.amazonaws.us-west-2.git-codecommit-fips", true},
		{"eu-west-1", "com.amazonaws.eu-west-1.git-codecommit-fips", false},
	} {
		if got := has(tc.region, tc.name); got != tc.want {
			t.Errorf("%s in %s: %v, want %v", tc.name, tc.region, got, tc.want)
		}
	}
}
