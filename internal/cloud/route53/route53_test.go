package route53

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
)

var (
	alice, bob = cloudtest.Alice, cloudtest.Bob
	ctx        = context.Background()
)

func newService(t *testing.T) (*Service, *network.Service) {
	t.Helper()
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	c := cloudtest.Open(t, cloud.WithIDs(cloud.SequentialIDs()), cloud.WithClock(func() time.Time { return now }))
	return New(c), network.New(c)
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// refused fails unless err is a refusal with reason r about subject whose
// message holds msg.
func refused(t *testing.T, err error, r cloud.Reason, subject cloud.Kind, msg string) {
	t.Helper()
	e, ok := cloud.AsError(err)
	if !ok || e.Reason != r || e.Subject != subject || !strings.Contains(e.Msg, msg) {
		t.Fatalf("want reason %d %s %q, got %#v", r, subject, msg, err)
	}
}

func vpcOf(t *testing.T, n *network.Service, who cloud.Caller) VPC {
	t.Helper()
	v := must[*network.VPC](t)(n.CreateVPC(ctx, who, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16"}))
	return VPC{Region: who.Region, ID: v.ID}
}

func TestNames(t *testing.T) {
	for _, tc := range []struct {
		in, fqdn, reversed string
		valid              bool
	}{
		{"Example.COM", "example.com.", "com.example", true},
		{"www.example.com.", "www.example.com.", "com.example.www", true},
		{"a..b", "a..b.", "b..a", false},
		{"has space.com", "has space.com.", "com.has space", false},
		{strings.Repeat("a", 64) + ".com", strings.Repeat("a", 64) + ".com.", "com." + strings.Repeat("a", 64), false},
	} {
		if got := Fqdn(tc.in); got != tc.fqdn {
			t.Errorf("Fqdn(%q) = %q, want %q", tc.in, got, tc.fqdn)
		}
		if got := reversed(Fqdn(tc.in)); got != tc.reversed {
			t.Errorf("reversed(%q) = %q, want %q", tc.in, got, tc.reversed)
		}
		if got := validName(Fqdn(tc.in)); got != tc.valid {
			t.Errorf("validName(%q) = %v", tc.in, got)
		}
	}
	// A name's record sets sort before its subdomains'.
	if !(recordID("Z", "example.com.", "TXT", "") < recordID("Z", "a.example.com.", "A", "")) {
		t.Error("record ids do not sort the apex first")
	}
}

func TestCreateHostedZone(t *testing.T) {
	s, n := newService(t)
	v := vpcOf(t, n, alice)
	for _, tc := range []struct {
		name   string
		who    cloud.Caller
		in     NewZone
		reason cloud.Reason
		subj   cloud.Kind
		msg    string
	}{
		{"public", alice, NewZone{Name: "example.com", CallerReference: "r1"}, 0, "", ""},
		{"caller reference reused", alice, NewZone{Name: "other.com", CallerReference: "r1"}, cloud.Duplicate, cloud.KindHostedZone, "caller reference"},
		{"another account's reference", bob, NewZone{Name: "other.com", CallerReference: "r1"}, 0, "", ""},
		{"private", alice, NewZone{Name: "corp.internal", CallerReference: "r2", VPC: &v}, 0, "", ""},
		{"same name, same VPC", alice, NewZone{Name: "corp.internal", CallerReference: "r3", VPC: &v}, cloud.Conflict, SubjectAssociation, "same domain name"},
		{"private without VPC", alice, NewZone{Name: "x.internal", CallerReference: "r4", Private: true}, cloud.InvalidParameter, "", "must specify a VPC"},
		{"someone else's VPC", bob, NewZone{Name: "x.internal", CallerReference: "r5", VPC: &v}, cloud.InvalidParameter, SubjectVPC, v.ID},
		{"VPC in another region", alice, NewZone{Name: "x.internal", CallerReference: "r6", VPC: &VPC{Region: "us-west-2", ID: v.ID}}, cloud.InvalidParameter, SubjectVPC, v.ID},
		{"bad name", alice, NewZone{Name: "a..b", CallerReference: "r7"}, cloud.InvalidParameter, SubjectDomain, "a..b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z, err := s.CreateHostedZone(ctx, tc.who, tc.in)
			if tc.reason != 0 {
				refused(t, err, tc.reason, tc.subj, tc.msg)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if z.Zone.RecordCount != 2 || z.Zone.Private != (tc.in.VPC != nil) || z.Change.Status != StatusPending || !strings.HasPrefix(z.Zone.ID, "Z") {
				t.Fatalf("zone %+v %+v", z.Zone, z.Change)
			}
		})
	}
}

func TestChangeRecordSets(t *testing.T) {
	s, n := newService(t)
	v := vpcOf(t, n, alice)
	z := must[*ZoneCreated](t)(s.CreateHostedZone(ctx, alice, NewZone{Name: "corp.internal", CallerReference: "r", VPC: &v})).Zone
	ttl := new(int64(60))
	a := func(name string, values ...string) RecordSet {
		return RecordSet{Name: name, Type: "A", TTL: ttl, Values: values}
	}
	must[ChangeInfo](t)(s.ChangeRecordSets(ctx, alice, z.ID, "", []RecordChange{
		{ActionCreate, a("db.corp.internal", "10.0.0.1")},
		{ActionCreate, RecordSet{Name: "www.corp.internal", Type: "CNAME", TTL: ttl, Values: []string{"db.corp.internal"}}},
	}))
	for _, tc := range []struct {
		name   string
		change RecordChange
		msg    string // "" when taken
	}{
		{"create again", RecordChange{ActionCreate, a("db.corp.internal", "10.0.0.1")}, "Tried to create resource record set [name='db.corp.internal.', type='A'] but it already exists"},
		{"upsert", RecordChange{ActionUpsert, a("db.corp.internal", "10.0.0.2")}, ""},
		{"delete other values", RecordChange{ActionDelete, a("db.corp.internal", "10.0.0.1")}, "do not match the current values"},
		{"delete missing", RecordChange{ActionDelete, a("x.corp.internal", "10.0.0.1")}, "but it was not found"},
		{"weighted, set identifier", RecordChange{ActionCreate, RecordSet{Name: "w.corp.internal", Type: "A", TTL: ttl, Values: []string{"10.0.0.3"}, SetIdentifier: "blue", Routing: Routing{Weight: new(int64(10))}}}, ""},
		{"weighted again", RecordChange{ActionCreate, RecordSet{Name: "w.corp.internal", Type: "A", TTL: ttl, Values: []string{"10.0.0.3"}, SetIdentifier: "blue"}}, "[name='w.corp.internal.', type='A', set-identifier='blue'] but it already exists"},
		{"outside the zone", RecordChange{ActionCreate, a("a.example.com", "10.0.0.1")}, "RRSet with DNS name a.example.com. is not permitted in zone corp.internal."},
		{"unknown type", RecordChange{ActionCreate, RecordSet{Name: "t.corp.internal", Type: "XYZ", TTL: ttl, Values: []string{"x"}}}, "not a valid record type"},
		{"no TTL", RecordChange{ActionCreate, RecordSet{Name: "t.corp.internal", Type: "A", Values: []string{"10.0.0.1"}}}, "found only part of [TTL, and ResourceRecords]"},
		{"nothing", RecordChange{ActionCreate, RecordSet{Name: "t.corp.internal", Type: "A"}}, "but found none"},
		{"bad IPv4", RecordChange{ActionCreate, a("t.corp.internal", "fe80::1")}, "ARRDATAIllegalIPv4Address"},
		{"bad IPv6", RecordChange{ActionCreate, RecordSet{Name: "t.corp.internal", Type: "AAAA", TTL: ttl, Values: []string{"10.0.0.1"}}}, "AAAARRDATAIllegalIPv6Address"},
		{"TXT unquoted", RecordChange{ActionCreate, RecordSet{Name: "t.corp.internal", Type: "TXT", TTL: ttl, Values: []string{"x"}}}, "enclosed in quotation marks"},
		{"MX", RecordChange{ActionCreate, RecordSet{Name: "corp.internal", Type: "MX", TTL: ttl, Values: []string{"10 mail.corp.internal"}}}, ""},
		{"MX without priority", RecordChange{ActionCreate, RecordSet{Name: "m.corp.internal", Type: "MX", TTL: ttl, Values: []string{"mail.corp.internal"}}}, "MXRRDATA"},
		{"SRV", RecordChange{ActionCreate, RecordSet{Name: "_x._tcp.corp.internal", Type: "SRV", TTL: ttl, Values: []string{"1 2 443 x.corp.internal"}}}, ""},
		{"SRV short", RecordChange{ActionCreate, RecordSet{Name: "_y._tcp.corp.internal", Type: "SRV", TTL: ttl, Values: []string{"1 2 x.corp.internal"}}}, "SRVRRDATA"},
		{"CNAME beside A", RecordChange{ActionCreate, RecordSet{Name: "db.corp.internal", Type: "CNAME", TTL: ttl, Values: []string{"x.example.com"}}}, "conflicts with other records"},
		{"A beside CNAME", RecordChange{ActionCreate, a("www.corp.internal", "10.0.0.1")}, "a conflicting RRSet of type CNAME"},
		{"CNAME at apex", RecordChange{ActionCreate, RecordSet{Name: "corp.internal", Type: "CNAME", TTL: ttl, Values: []string{"x.example.com"}}}, "not permitted at apex"},
		{"two CNAME values", RecordChange{ActionCreate, RecordSet{Name: "c.corp.internal", Type: "CNAME", TTL: ttl, Values: []string{"a.example.com", "b.example.com"}}}, "more than one resource record"},
		{"alias in zone", RecordChange{ActionCreate, RecordSet{Name: "api.corp.internal", Type: "A", Alias: &Alias{HostedZoneID: "/hostedzone/" + z.ID, DNSName: "db.corp.internal"}}}, ""},
		{"alias to nothing", RecordChange{ActionCreate, RecordSet{Name: "api2.corp.internal", Type: "A", Alias: &Alias{HostedZoneID: z.ID, DNSName: "none.corp.internal"}}}, "but that target was not found"},
		{"alias outside its zone", RecordChange{ActionCreate, RecordSet{Name: "api3.corp.internal", Type: "A", Alias: &Alias{HostedZoneID: z.ID, DNSName: "db.example.com"}}}, "does not lie within the target zone"},
		{"alias to CloudFront, as given", RecordChange{ActionCreate, RecordSet{Name: "cdn.corp.internal", Type: "A", Alias: &Alias{HostedZoneID: "Z2FDTNDATAQYW2", DNSName: "d111111abcdef8.cloudfront.net"}}}, ""},
		{"alias to no endpoint", RecordChange{ActionCreate, RecordSet{Name: "svc.corp.internal", Type: "A", Alias: &Alias{HostedZoneID: "Z7HUB22UULQXV", DNSName: "vpce-0123456789abcdef0-abcdefgh.vpce-svc-1.us-east-1.vpce.amazonaws.com"}}}, "in zone Z7HUB22UULQXV, but that target was not found"},
		{"alias to no load balancer", RecordChange{ActionCreate, RecordSet{Name: "lb.corp.internal", Type: "A", Alias: &Alias{HostedZoneID: "Z26RNL4JYFTOTI", DNSName: "web-0123456789abcdef.elb.us-east-1.amazonaws.com"}}}, "but that target was not found"},
		{"alias with TTL", RecordChange{ActionCreate, RecordSet{Name: "api4.corp.internal", Type: "A", TTL: ttl, Alias: &Alias{HostedZoneID: z.ID, DNSName: "db.corp.internal"}}}, "Expected exactly one of"},
		{"delete the SOA", RecordChange{ActionDelete, RecordSet{Name: "corp.internal", Type: "SOA", TTL: new(int64(900)), Values: []string{z.soa()}}}, "exactly one SOA record"},
		{"delete the apex NS", RecordChange{ActionDelete, RecordSet{Name: "corp.internal", Type: "NS", TTL: new(int64(172800)), Values: z.NameServers()}}, "at least one NS record"},
		{"bad action", RecordChange{"PATCH", a("db.corp.internal", "10.0.0.1")}, "Invalid action PATCH"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.ChangeRecordSets(ctx, alice, z.ID, "", []RecordChange{tc.change})
			if tc.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			refused(t, err, cloud.InvalidParameter, SubjectChangeBatch, tc.msg)
		})
	}
	// Several problems are reported together, and nothing is changed.
	_, err := s.ChangeRecordSets(ctx, alice, z.ID, "", []RecordChange{
		{ActionCreate, a("new.corp.internal", "10.0.0.9")},
		{ActionCreate, a("db.corp.internal", "10.0.0.1")},
		{ActionDelete, a("gone.corp.internal", "10.0.0.1")},
	})
	e, _ := cloud.AsError(err)
	if e == nil || len(strings.Split(e.Msg, "\n")) != 2 {
		t.Fatalf("two problems, got %v", err)
	}
	page := must[RecordPage](t)(s.ListRecordSets(ctx, alice, z.ID, "new.corp.internal", "A", "", 1))
	if len(page.Sets) == 1 && page.Sets[0].Name == "new.corp.internal." {
		t.Fatal("a refused batch left a record set")
	}
	got := must[*HostedZone](t)(s.GetHostedZone(ctx, alice, z.ID))
	all := must[RecordPage](t)(s.ListRecordSets(ctx, alice, z.ID, "", "", "", 300))
	if int(got.RecordCount) != len(all.Sets) {
		t.Fatalf("count %d, %d record sets", got.RecordCount, len(all.Sets))
	}
	// Another account sees no zone.
	_, err = s.ChangeRecordSets(ctx, bob, z.ID, "", []RecordChange{{ActionCreate, a("b.corp.internal", "10.0.0.1")}})
	refused(t, err, cloud.NotFound, cloud.KindHostedZone, "No hosted zone found with ID: "+z.ID)
}

func TestAssociations(t *testing.T) {
	s, n := newService(t)
	v1, v2, vb := vpcOf(t, n, alice), vpcOf(t, n, alice), vpcOf(t, n, bob)
	z := must[*ZoneCreated](t)(s.CreateHostedZone(ctx, alice, NewZone{Name: "corp.internal", CallerReference: "r", VPC: &v1})).Zone
	pub := must[*ZoneCreated](t)(s.CreateHostedZone(ctx, alice, NewZone{Name: "example.com", CallerReference: "p"})).Zone
	steps := []struct {
		name   string
		run    func() error
		reason cloud.Reason
		subj   cloud.Kind
		msg    string
	}{
		{"associate", func() error { _, err := s.AssociateVPC(ctx, alice, z.ID, v2, ""); return err }, 0, "", ""},
		{"associate again", func() error { _, err := s.AssociateVPC(ctx, alice, z.ID, v2, ""); return err }, cloud.Conflict, SubjectAssociation, "already been associated"},
		{"public zone", func() error { _, err := s.AssociateVPC(ctx, alice, pub.ID, v2, ""); return err }, cloud.OperationNotPermitted, SubjectAssociation, "public hosted zone"},
		{"other account, no authorization", func() error { _, err := s.AssociateVPC(ctx, bob, z.ID, vb, ""); return err }, cloud.AuthFailure, SubjectAuthorization, "not authorized"},
		{"authorize", func() error { _, err := s.Authorize(ctx, alice, z.ID, vb); return err }, 0, "", ""},
		{"authorize someone else's zone", func() error { _, err := s.Authorize(ctx, bob, z.ID, vb); return err }, cloud.NotFound, cloud.KindHostedZone, z.ID},
		{"other account, authorized", func() error { _, err := s.AssociateVPC(ctx, bob, z.ID, vb, ""); return err }, 0, "", ""},
		{"other account, someone else's VPC", func() error { _, err := s.AssociateVPC(ctx, bob, z.ID, v2, ""); return err }, cloud.AuthFailure, SubjectAuthorization, "not authorized"},
		{"deauthorize", func() error { return s.Deauthorize(ctx, alice, z.ID, vb) }, 0, "", ""},
		{"deauthorize again", func() error { return s.Deauthorize(ctx, alice, z.ID, vb) }, cloud.NotFound, SubjectAuthorization, "not authorized"},
		{"disassociate", func() error { _, err := s.DisassociateVPC(ctx, alice, z.ID, v2, ""); return err }, 0, "", ""},
		{"disassociate again", func() error { _, err := s.DisassociateVPC(ctx, alice, z.ID, v2, ""); return err }, cloud.NotFound, SubjectAssociation, "not currently associated"},
		{"VPC owner leaves", func() error { _, err := s.DisassociateVPC(ctx, bob, z.ID, vb, ""); return err }, 0, "", ""},
		{"last VPC", func() error { _, err := s.DisassociateVPC(ctx, alice, z.ID, v1, ""); return err }, cloud.IncorrectState, SubjectAssociation, "last VPC"},
	}
	for _, st := range steps {
		err := st.run()
		if st.reason == 0 {
			if err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			continue
		}
		t.Run(st.name, func(t *testing.T) { refused(t, err, st.reason, st.subj, st.msg) })
	}
	byVPC := must[[]ZoneSummary](t)(s.ListHostedZonesByVPC(ctx, alice, v1))
	if len(byVPC) != 1 || byVPC[0].ID != z.ID {
		t.Fatalf("by VPC %+v", byVPC)
	}
}
