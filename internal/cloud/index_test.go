package cloud

import (
	"reflect"
	"testing"
)

// fillAll sets every field of v, recursively, to a non-zero value: strings
// "x", booleans true, numbers 1, one element in each slice and map.
func fillAll(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillAll(v.Elem())
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fillAll(v.Index(0))
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fillAll(k)
		fillAll(e)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillAll(v.Field(i))
			}
		}
	}
}

// TestIndexesAreWritten checks that every index a kind declares is a key
// its records are written with, so a Describe filter the domain looks up
// by index can never silently miss.
func TestIndexesAreWritten(t *testing.T) {
	objects := []Object{
		&Address{}, &ConnectionNotification{}, &Instance{}, &InternetGateway{}, &Listener{},
		&ManagedPrefixList{}, &NetworkACL{}, &NetworkInsightsAnalysis{}, &NetworkInsightsPath{},
		&NetworkInterface{}, &RouteTable{}, &SecurityGroup{}, &ServiceConfiguration{}, &Subnet{},
		&SubnetCIDRReservation{}, &VPC{}, &VPCEndpoint{}, &VPCPeeringConnection{}, &VPNGateway{},
	}
	seen := map[Kind]bool{}
	for _, o := range objects {
		k := o.Kind()
		seen[k] = true
		fillAll(reflect.ValueOf(o).Elem())
		written := map[string]bool{}
		for _, key := range o.Keys() {
			written[key.Name] = true
		}
		for filter, ix := range indexOf[k].indexes {
			if !written[ix.key] {
				t.Errorf("%s: filter %s is declared indexed under %s, which keys() does not write", k, filter, ix.key)
			}
		}
	}
	for k := range indexOf {
		if !seen[k] {
			t.Errorf("%s declares indexes: add it to this test", k)
		}
	}
}

// TestLookup checks which filter's index a Describe call uses.
func TestLookup(t *testing.T) {
	f := func(name string, vals ...string) Filter { return Filter{Name: name, Values: vals} }
	for _, tc := range []struct {
		name string
		kind Kind
		fs   []Filter
		want []string // name=value
	}{
		{"none", KindSubnet, nil, nil},
		{"not indexed", KindSubnet, []Filter{f("state", "available")}, nil},
		{"indexed", KindSubnet, []Filter{f("vpc-id", "vpc-1", "vpc-2")}, []string{"vpc-id=vpc-1", "vpc-id=vpc-2"}},
		{"alias", KindSubnet, []Filter{f("availabilityZone", "us-east-1a")}, []string{"availability-zone=us-east-1a"}},
		{"first indexed wins", KindSubnet, []Filter{f("state", "a"), f("availability-zone", "z"), f("vpc-id", "v")}, []string{"availability-zone=z"}},
		{"wildcards scan", KindSubnet, []Filter{f("vpc-id", "vpc-*")}, nil},
		{"no values", KindSubnet, []Filter{f("vpc-id")}, nil},
		{"tag", KindSubnet, []Filter{f("tag:Name", "web")}, []string{"tag:Name=web"}},
		{"tag-key", KindVPC, []Filter{f("tag-key", "Name")}, []string{"tag-key=Name"}},
		{"undeclared kind still has tags", KindNATGateway, []Filter{f("vpc-id", "v"), f("tag:a", "b")}, []string{"tag:a=b"}},
		{"value transform", KindNetworkInsightsPath, []Filter{f("source", "arn:aws:ec2:us-east-1:111111111111:instance/i-1")}, []string{"source=i-1"}},
		{"shared key", KindRouteTable, []Filter{f("route.nat-gateway-id", "nat-1")}, []string{"route-target=nat-1"}},
		{"joint group name", KindSecurityGroup, []Filter{f("vpc-id", "v"), f("group-name", "default")}, []string{"group-name=v/default"}},
		{"joint needs both", KindSecurityGroup, []Filter{f("group-name", "default")}, nil},
		{"joint default ACL", KindNetworkACL, []Filter{f("vpc-id", "v"), f("default", "true")}, []string{"default-for=v"}},
		{"not the default ACL", KindNetworkACL, []Filter{f("vpc-id", "v"), f("default", "false")}, []string{"vpc-id=v"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, k := range lookup(tc.kind, tc.fs) {
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
	subnetIndexes.Key("vpcid", "vpc-1")
}
