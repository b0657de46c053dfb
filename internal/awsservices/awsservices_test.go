package awsservices

import (
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
			return strings.Compare(a.Name+"/"+a.Type, b.Name+"/"+b.Type)
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
