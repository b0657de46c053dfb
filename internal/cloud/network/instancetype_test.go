package network

import (
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

func TestLaunchCredits(t *testing.T) {
	for _, tc := range []struct {
		typ, asked, want string
		refused          bool
	}{
		{"t2.micro", "", "standard", false},
		{"t3.micro", "", "unlimited", false},
		{"t3a.large", "", "unlimited", false},
		{"t4g.nano", "", "unlimited", false},
		{"t3.micro", "standard", "standard", false},
		{"t1.micro", "", "", false},
		{"m5.large", "", "", false},
		{"m5.large", "unlimited", "", true},
		{"t3.micro", "boundless", "", true},
	} {
		got, err := launchCredits(tc.typ, tc.asked)
		if got != tc.want || (err != nil) != tc.refused {
			t.Errorf("%s asking %q: %q %v, want %q refused %v", tc.typ, tc.asked, got, err, tc.want, tc.refused)
		}
	}
}

func TestInstanceTypeChangeCredits(t *testing.T) {
	f := newInstanceFixture(t)
	id := f.run(RunInstancesInput{SubnetID: f.subnet.ID, InstanceType: "t2.micro"}).Instances[0].ID
	if _, err := f.c.StopInstances(f.ctx, f.who, []string{id}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ typ, want string }{
		{"t3.small", "standard"}, // kept across burstable types
		{"m5.large", ""},
		{"t3.micro", "unlimited"}, // the new family's default
	} {
		if err := f.c.ModifyInstanceAttribute(f.ctx, f.who, id, InstanceChange{InstanceType: &tc.typ}); err != nil {
			t.Fatal(err)
		}
		if got := f.inst(id).CPUCredits; got != tc.want {
			t.Errorf("after the change to %s: credits %q, want %q", tc.typ, got, tc.want)
		}
	}
	// An instance stored before vpcemu kept credits has its family's.
	f.write(func(tx *cloud.Txn) error {
		inst, err := cloud.GetIn[Instance](tx, id)
		if err != nil {
			return err
		}
		inst.CPUCredits = ""
		return cloud.Put(tx, inst)
	})
	specs, err := f.c.InstanceCreditSpecifications(f.ctx, f.who, []string{id})
	if err != nil || len(specs) != 1 || specs[0].CPUCredits != "unlimited" {
		t.Errorf("credits of an older t3: %+v %v", specs, err)
	}
}
