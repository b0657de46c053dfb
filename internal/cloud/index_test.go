package cloud_test

import (
	"reflect"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/directconnect"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/flowlogs"
	"github.com/vpcemu/vpcemu/internal/cloud/insights"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
)

// The families register their kinds and indexes when linked in.
var _, _, _, _, _, _ = directconnect.New, elb.New, flowlogs.New, insights.New, network.New, privatelink.New

// TestKindTypes checks what the families register: every taggable kind and
// every kind that holds another's records has its Go type, whose records
// are of that kind, and a holder implements Holder.
func TestKindTypes(t *testing.T) {
	types := cloud.Types()
	for k, mk := range types {
		if got := mk().Kind(); got != k {
			t.Errorf("the registered type of %s makes %s records", k, got)
		}
	}
	for _, k := range cloud.Kinds() {
		if cloud.Taggable(k) && types[k] == nil {
			t.Errorf("taggable %s has no registered type", k)
		}
		if h := cloud.HeldBy(k); h != "" {
			if mk := types[h]; mk == nil {
				t.Errorf("%s holds %s but has no registered type", h, k)
			} else if _, ok := mk().(cloud.Holder); !ok {
				t.Errorf("%s holds %s but is not a Holder", h, k)
			}
		}
	}
}

// TestIndexesAreWritten checks that every index a kind declares is a key
// its records are written with, so a Describe filter the domain looks up
// by index can never silently miss.
func TestIndexesAreWritten(t *testing.T) {
	for k, mk := range cloud.Types() {
		o := mk()
		fill(reflect.ValueOf(o).Elem(), 1)
		written := map[string]bool{}
		for _, key := range o.Keys() {
			written[key.Name] = true
		}
		for filter, key := range cloud.IndexKeys(k) {
			if !written[key] {
				t.Errorf("%s: filter %s is declared indexed under %s, which Keys() does not write", k, filter, key)
			}
		}
	}
}

// TestLookup checks which filter's index a Describe call uses.
func TestLookup(t *testing.T) {
	f := func(name string, vals ...string) cloud.Filter { return cloud.Filter{Name: name, Values: vals} }
	for _, tc := range []struct {
		name string
		kind cloud.Kind
		fs   []cloud.Filter
		want []string // name=value
	}{
		{"none", cloud.KindSubnet, nil, nil},
		{"not indexed", cloud.KindSubnet, []cloud.Filter{f("state", "available")}, nil},
		{"indexed", cloud.KindSubnet, []cloud.Filter{f("vpc-id", "vpc-1", "vpc-2")}, []string{"vpc-id=vpc-1", "vpc-id=vpc-2"}},
		{"alias", cloud.KindSubnet, []cloud.Filter{f("availabilityZone", "us-east-1a")}, []string{"availability-zone=us-east-1a"}},
		{"first indexed wins", cloud.KindSubnet, []cloud.Filter{f("state", "a"), f("availability-zone", "z"), f("vpc-id", "v")}, []string{"availability-zone=z"}},
		{"wildcards scan", cloud.KindSubnet, []cloud.Filter{f("vpc-id", "vpc-*")}, nil},
		{"no values", cloud.KindSubnet, []cloud.Filter{f("vpc-id")}, nil},
		{"tag", cloud.KindSubnet, []cloud.Filter{f("tag:Name", "web")}, []string{"tag:Name=web"}},
		{"tag-key", cloud.KindVPC, []cloud.Filter{f("tag-key", "Name")}, []string{"tag-key=Name"}},
		{"undeclared kind still has tags", cloud.KindNATGateway, []cloud.Filter{f("vpc-id", "v"), f("tag:a", "b")}, []string{"tag:a=b"}},
		{"value transform", cloud.KindNetworkInsightsPath, []cloud.Filter{f("source", "arn:aws:ec2:us-east-1:111111111111:instance/i-1")}, []string{"source=i-1"}},
		{"shared key", cloud.KindRouteTable, []cloud.Filter{f("route.nat-gateway-id", "nat-1")}, []string{"route-target=nat-1"}},
		{"joint group name", cloud.KindSecurityGroup, []cloud.Filter{f("vpc-id", "v"), f("group-name", "default")}, []string{"group-name=v/default"}},
		{"joint needs both", cloud.KindSecurityGroup, []cloud.Filter{f("group-name", "default")}, nil},
		{"joint default ACL", cloud.KindNetworkACL, []cloud.Filter{f("vpc-id", "v"), f("default", "true")}, []string{"default-for=v"}},
		{"not the default ACL", cloud.KindNetworkACL, []cloud.Filter{f("vpc-id", "v"), f("default", "false")}, []string{"vpc-id=v"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, k := range cloud.Lookup(tc.kind, tc.fs) {
				got = append(got, k.Name+"="+k.Value)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestUndeclaredIndexPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("an undeclared index name did not panic")
		}
	}()
	cloud.Same("vpc-id").Key("vpcid", "vpc-1")
}
