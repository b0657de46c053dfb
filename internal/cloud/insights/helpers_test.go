package insights

import (
	"context"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
)

var alice, bob = cloudtest.Alice, cloudtest.Bob

var (
	wantReason  = cloudtest.WantReason
	refusedWith = cloudtest.RefusedWith
)

// fixture is the family on a fresh store with sequential ids, used by
// alice, who has a VPC with an internet gateway, a subnet, two instances
// (a and b) and a spare interface: the ends a path may name.
type fixture struct {
	t           *testing.T
	c           *cloud.Cloud
	net         *network.Service
	ins         *Service
	ctx         context.Context
	vpc         *network.VPC
	subnet      *network.Subnet
	igw         string
	a, b        string // instances
	eniA, spare string // a's primary interface, an unattached one
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	c := cloudtest.Fixed(t)
	f := &fixture{t: t, c: c, net: network.New(c), ins: New(c), ctx: context.Background()}
	var err error
	if f.vpc, err = f.net.CreateVPC(f.ctx, alice, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16"}); err != nil {
		t.Fatal(err)
	}
	if f.subnet, err = f.net.CreateSubnet(f.ctx, alice, network.CreateSubnetInput{VpcID: f.vpc.ID, CIDRBlock: "10.0.1.0/24"}); err != nil {
		t.Fatal(err)
	}
	igw, err := f.net.CreateInternetGateway(f.ctx, alice, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.igw = igw.ID
	if err := f.net.AttachInternetGateway(f.ctx, alice, f.igw, f.vpc.ID); err != nil {
		t.Fatal(err)
	}
	r, err := f.net.RunInstances(f.ctx, alice, network.RunInstancesInput{ImageID: "ami-12345678", MinCount: 2, MaxCount: 2, SubnetID: f.subnet.ID})
	if err != nil {
		t.Fatal(err)
	}
	f.a, f.b = r.Instances[0].ID, r.Instances[1].ID
	f.eniA = r.Instances[0].NetworkInterfaces[0]
	eni, err := f.net.CreateNetworkInterface(f.ctx, alice, network.CreateNetworkInterfaceInput{SubnetID: f.subnet.ID})
	if err != nil {
		t.Fatal(err)
	}
	f.spare = eni.ID
	return f
}

// arn is the ARN alice's resource id has in us-east-1.
func arnOf(kind cloud.Kind, account, id string) string {
	return "arn:aws:ec2:us-east-1:" + account + ":" + string(kind) + "/" + id
}

// path creates a path of alice's, tcp unless in says otherwise.
func (f *fixture) path(in NetworkInsightsPathInput) *NetworkInsightsPath {
	f.t.Helper()
	if in.Protocol == "" {
		in.Protocol = "tcp"
	}
	p, err := f.ins.CreateNetworkInsightsPath(f.ctx, alice, in)
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

// analyse starts an analysis of alice's path whose engine answers found.
func (f *fixture) analyse(pathID string, found bool) *NetworkInsightsAnalysis {
	f.t.Helper()
	a, err := f.ins.StartNetworkInsightsAnalysis(f.ctx, alice, AnalysisInput{PathID: pathID}, answer(found))
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

// answer is an engine that finds a path or not, and says so in its result.
func answer(found bool) func(*NetworkInsightsPath) (Finding, error) {
	return func(p *NetworkInsightsPath) (Finding, error) {
		return Finding{PathFound: found, Result: []byte(`{"path":"` + p.ID + `"}`)}, nil
	}
}

// ids are the ids of the objects of a page, in its order.
func ids[P cloud.Object](ps []P) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Base().ID)
	}
	return out
}
