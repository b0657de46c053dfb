package reach_test

import (
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloud/route53"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// privateZone creates a private hosted zone associated with the VPC.
func (w *world) privateZone(name string, vpc *network.VPC) *route53.HostedZone {
	w.t.Helper()
	return must(w.r53.CreateHostedZone(w.ctx, w.who, route53.NewZone{Name: name, CallerReference: name + vpc.ID, Private: true,
		VPC: &route53.VPC{Region: vpc.Region, ID: vpc.ID}})).Zone
}

// aliasRecord creates an A alias in a zone.
func (w *world) aliasRecord(z *route53.HostedZone, name, targetZone, target string) {
	w.t.Helper()
	must(w.r53.ChangeRecordSets(w.ctx, w.who, z.ID, "", []route53.RecordChange{{Action: "CREATE",
		Set: route53.RecordSet{Name: name, Type: "A", Alias: &route53.Alias{HostedZoneID: targetZone, DNSName: target}}}}))
}

// Destinations named through Route 53 private hosted zones.
var dnsScenarios = []scenario{
	{
		name: "seed 004: a custom private zone names the provider's service: an alias to the consumer's interface endpoint",
		setup: func(w *world) (reach.Query, func()) {
			b := w.as(bob)
			p := b.nlbService("10.0.0.0/16", "10.0.5.0/24", 443, 8080, false, true, alice)
			c := newConsumerPL(w, p)
			z := w.privateZone("internal.example.com", c.vpc)
			entry := c.ep.DNSEntries[0]
			return reach.Query{Source: c.client.ID, DestinationName: "svc.internal.example.com", Protocol: reach.TCP, DestinationPort: 443},
				func() { w.aliasRecord(z, "svc.internal.example.com", entry.HostedZoneID, entry.DNSName) }
		},
		blocked: reach.UnknownDestination,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "name", e.Destination.Name, "svc.internal.example.com")
		},
		forward: "i eni sg acl rtb acl sg eni vpce loadbalancer targetgroup sg eni i",
		back:    "i eni sg loadbalancer vpce eni sg acl rtb acl sg eni i",
		fixed: func(t *testing.T, w *world, r reach.Result) {
			equal(t, "through the endpoint", strings.HasPrefix(hop(t, r.ForwardPathComponents, "vpce").Component.ID, "vpce-"), true)
		},
	},
	{
		name: "the most specific private zone wins: a name it lacks is NXDOMAIN though a parent zone has it",
		setup: func(w *world) (reach.Query, func()) {
			n := newAppVPC(w)
			server := w.instance(n.app, false, n.appGroup)
			w.allow(n.appGroup, false, "tcp", 5432, 5432, cidrPeer("10.0.0.0/16"))
			parent := w.privateZone("example.com", n.vpc)
			child := w.privateZone("db.example.com", n.vpc)
			addr := server.PrivateIP
			must(w.r53.ChangeRecordSets(w.ctx, w.who, parent.ID, "", []route53.RecordChange{{Action: "CREATE",
				Set: route53.RecordSet{Name: "main.db.example.com", Type: "A", TTL: new(int64(60)), Values: []string{addr}}}}))
			return reach.Query{Source: n.inst.ID, DestinationName: "main.db.example.com", Protocol: reach.TCP, DestinationPort: 5432},
				func() {
					must(w.r53.ChangeRecordSets(w.ctx, w.who, child.ID, "", []route53.RecordChange{{Action: "CREATE",
						Set: route53.RecordSet{Name: "main.db.example.com", Type: "CNAME", TTL: new(int64(60)), Values: []string{"ip-" + strings.ReplaceAll(addr, ".", "-") + ".ec2.internal"}}}}))
				}
		},
		blocked: reach.UnknownDestination,
		// One subnet: no ACL between; a destination named by address ends
		// at the interface that holds it.
		forward: "i eni sg sg eni",
		back:    "eni sg sg eni i",
	},
}
