package awsproto_test

import (
	"reflect"
	"sync"
	"testing"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
)

// TestStructOfConcurrentFirstUse asks for plans of shapes no one has used
// yet from many goroutines at once: each must see every field (a plan
// published before it was filled made a fresh server refuse the first
// concurrent requests with UnknownParameter).
func TestStructOfConcurrentFirstUse(t *testing.T) {
	types := []reflect.Type{
		reflect.TypeOf(ec2api.CreateVpcInput{}), reflect.TypeOf(ec2api.CreateSubnetInput{}),
		reflect.TypeOf(ec2api.AuthorizeSecurityGroupIngressInput{}), reflect.TypeOf(ec2api.DescribeVpcsOutput{}),
	}
	var wg sync.WaitGroup
	for range 32 {
		for _, typ := range types {
			wg.Go(func() {
				plan := awsproto.StructOf(typ)
				if got, want := len(plan.Fields), typ.NumField(); got != want {
					t.Errorf("%s: plan has %d fields of %d", typ.Name(), got, want)
				}
				for _, f := range plan.Fields {
					if f.Kind == awsproto.KindStruct && len(f.Struct.Fields) == 0 && f.Type.NumField() > 0 {
						t.Errorf("%s.%s: nested plan has no fields", typ.Name(), f.Name)
					}
				}
			})
		}
	}
	wg.Wait()
}
