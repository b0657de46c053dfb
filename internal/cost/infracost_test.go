package cost

import (
	"bytes"
	"strings"
	"testing"
)

func TestUsageFileNotes(t *testing.T) {
	inv := &Inventory{Resources: []Resource{{ID: "nat-1", Kind: KindNATGateway, Account: "1", Region: "us-east-1"}}}
	text := "version: 0.1\nresource_usage:\n  nat-1: {monthly_data_processed_gb: 10, processed_bytes_gb: 3}\n  aws_nat_gateway.other: {monthly_data_processed_gb: 1}\n  nat-gone: {monthly_data_processed_gb: 1}\n"
	u, notes, err := ReadInfracostUsage(strings.NewReader(text), inv, UsageFileInput{Scale: 1})
	if err != nil || u.Processed["nat-1"] != 10 {
		t.Fatalf("usage %+v, %v", u, err)
	}
	want := []string{
		"aws_nat_gateway.other: no Terraform state to find its resource",
		"nat-1: processed_bytes_gb does not apply to a nat-gateway",
		"nat-gone: no such priced resource",
	}
	if len(notes) != len(want) {
		t.Fatalf("notes %q", notes)
	}
	for i, w := range want {
		if !strings.HasPrefix(notes[i], w) {
			t.Errorf("note %d = %q, want %q…", i, notes[i], w)
		}
	}
	// A Terraform address finds its resource through the state.
	u, notes, _ = ReadInfracostUsage(strings.NewReader(text), inv, UsageFileInput{Scale: 1, IDs: map[string]string{"aws_nat_gateway.other": "nat-1"}})
	if u.Processed["nat-1"] != 11 || len(notes) != 2 {
		t.Errorf("by address: %+v %q", u.Processed, notes)
	}
	for _, bad := range []string{"version: 0.2\n", "version: [\n"} {
		if _, _, err := ReadInfracostUsage(strings.NewReader(bad), inv, UsageFileInput{Scale: 1}); err == nil {
			t.Errorf("%q read", bad)
		}
	}
}

func TestTerraformState(t *testing.T) {
	state := `{"version": 4, "resources": [
	  {"mode": "managed", "type": "aws_vpc_endpoint", "name": "sqs", "instances": [{"attributes": {"id": "vpce-1"}}]},
	  {"module": "module.net", "mode": "managed", "type": "aws_nat_gateway", "name": "nat", "instances": [{"index_key": 0, "attributes": {"id": "nat-1"}}, {"index_key": "b", "attributes": {"id": "nat-2"}}]},
	  {"mode": "data", "type": "aws_vpc", "name": "x", "instances": [{"attributes": {"id": "vpc-1"}}]}]}`
	ids, err := ReadTerraformState(strings.NewReader(state))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"aws_vpc_endpoint.sqs": "vpce-1", "module.net.aws_nat_gateway.nat[0]": "nat-1", `module.net.aws_nat_gateway.nat["b"]`: "nat-2"}
	if len(ids) != len(want) {
		t.Errorf("ids %v", ids)
	}
	for k, v := range want {
		if ids[k] != v {
			t.Errorf("%s = %q, want %q", k, ids[k], v)
		}
	}
	if _, err := ReadTerraformState(strings.NewReader(`{"version": 3}`)); err == nil {
		t.Error("version 3 read")
	}
}

// TestUsageRoundTrip: what WriteInfracostUsage writes, ReadInfracostUsage
// reads back to the same traffic.
func TestUsageRoundTrip(t *testing.T) {
	inv := &Inventory{Resources: []Resource{
		{ID: "vpce-1", Kind: KindInterfaceEndpoint, Account: "1", Region: "us-east-1"},
		{ID: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/a/b", Kind: KindNLB, Account: "1", Region: "us-east-1"},
		{ID: "dxcon-1", Kind: KindDXConnection, Account: "1", Region: "us-east-1", Location: "EqDC2", LocationRegion: "us-east-1"},
	}}
	u := &Usage{
		Processed: map[string]float64{"vpce-1": 1.5, "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/a/b": 2},
		Transfers: []Transfer{
			{Account: "1", Kind: CrossZone, FromRegion: "us-east-1", GB: 3},
			{Account: "1", Kind: Internet, FromRegion: "us-east-1", GB: 4},
			{Account: "1", Kind: InterRegion, FromRegion: "us-east-1", ToRegion: "us-east-2", GB: 5},
			{Account: "1", Kind: InterRegion, FromRegion: "us-east-1", ToRegion: "eu-west-1", GB: 6},
			{Account: "1", Kind: DirectConnect, FromRegion: "us-east-1", ToRegion: "us-east-1", Location: "EqDC2", GB: 7, Via: "dxcon-1"},
		},
	}
	var b bytes.Buffer
	if err := WriteInfracostUsage(&b, u, inv, map[string]string{"vpce-1": "aws_vpc_endpoint.sqs"}, "test"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "aws_vpc_endpoint.sqs:") || !strings.HasPrefix(b.String(), "# test\n") {
		t.Errorf("written:\n%s", b.String())
	}
	back, notes, err := ReadInfracostUsage(&b, inv, UsageFileInput{Account: "1", Scale: 1, IDs: map[string]string{"aws_vpc_endpoint.sqs": "vpce-1"}})
	if err != nil || len(notes) > 0 {
		t.Fatalf("read back: %v %q", err, notes)
	}
	one, two := Compute(inv, u, DefaultPrices(), month), Compute(inv, back, DefaultPrices(), month)
	if !near(one.Total, two.Total) {
		t.Errorf("written %.4f, read back %.4f\n%s", one.Total, two.Total, b.String())
	}
}

func FuzzReadInfracostUsage(f *testing.F) {
	f.Add([]byte("version: 0.1\nresource_usage:\n  nat-1: {monthly_data_processed_gb: 10}\n  aws_data_transfer.x: {region: us-east-1, monthly_intra_region_gb: 1}\n"))
	f.Add([]byte("version: 0.1\nresource_usage:\n  dxcon-1:\n    monthly_outbound_from_region_to_dx_connection_location: {us_east_1: x}\n"))
	inv := &Inventory{Resources: []Resource{{ID: "nat-1", Kind: KindNATGateway}, {ID: "dxcon-1", Kind: KindDXConnection}}}
	f.Fuzz(func(t *testing.T, b []byte) {
		u, _, err := ReadInfracostUsage(bytes.NewReader(b), inv, UsageFileInput{Scale: 1})
		if err == nil {
			Compute(inv, u, DefaultPrices(), month)
		}
	})
}
