package elb_test

import (
	"context"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
)

// A load balancer an endpoint service uses stays until the service goes
// (privatelink sits above this family, hence a test of its own package).
func TestDeleteLoadBalancerInUse(t *testing.T) {
	c, ctx, alice := cloudtest.Fixed(t), context.Background(), cloudtest.Alice
	net, lbs, pl := network.New(c), elb.New(c), privatelink.New(c)
	vpc, err := net.CreateVPC(ctx, alice, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	subnet, err := net.CreateSubnet(ctx, alice, network.CreateSubnetInput{VpcID: vpc.ID, CIDRBlock: "10.0.1.0/24"})
	if err != nil {
		t.Fatal(err)
	}
	lb, err := lbs.CreateLoadBalancer(ctx, alice, elb.CreateLoadBalancerInput{Name: "svc", Type: elb.LBNetwork, Scheme: elb.SchemeInternal, Subnets: []string{subnet.ID}})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := pl.CreateServiceConfiguration(ctx, alice, privatelink.ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{lb.ID}})
	if err != nil {
		t.Fatal(err)
	}
	cloudtest.WantReason(t, lbs.DeleteLoadBalancer(ctx, alice, lb.ID), cloud.InUse, cloud.KindLoadBalancer,
		"Load balancer '"+lb.ID+"' cannot be deleted because it is currently associated with another service")
	if failed, err := pl.DeleteServiceConfigurations(ctx, alice, []string{svc.ID}); err != nil || len(failed) != 0 {
		t.Fatalf("deleting the service: %v %v", failed, err)
	}
	if err := lbs.DeleteLoadBalancer(ctx, alice, lb.ID); err != nil {
		t.Fatal(err)
	}
	_, err = lbs.GetLoadBalancer(ctx, alice, lb.ID)
	cloudtest.WantReason(t, err, cloud.NotFound, cloud.KindLoadBalancer, "")
}
