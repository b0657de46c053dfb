package route53_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/vpcemu/vpcemu/internal/emulator"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

var ctx = context.Background()

// wantError fails unless err is the API error code, with the HTTP status
// the model gives it, whose message holds msg.
func wantError(t *testing.T, err error, code string, status int, msg string) {
	t.Helper()
	emulatortest.WantError(t, err, code, status, msg)
}

// wantBatchError fails unless err is InvalidChangeBatch listing msg.
func wantBatchError(t *testing.T, err error, msg string) {
	t.Helper()
	var icb *types.InvalidChangeBatch
	if !errors.As(err, &icb) || !strings.HasPrefix(icb.ErrorMessage(), "[") || !strings.Contains(icb.ErrorMessage(), msg) {
		t.Fatalf("got %v, want InvalidChangeBatch with %q", err, msg)
	}
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

func newVPC(t *testing.T, e *emulator.Emulator, account, region string) string {
	t.Helper()
	out := must[*ec2.CreateVpcOutput](t)(emulatortest.EC2(e, account, region).CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}))
	return aws.ToString(out.Vpc.VpcId)
}

func privateZone(t *testing.T, c *route53.Client, name, ref, vpc string) string {
	t.Helper()
	out := must[*route53.CreateHostedZoneOutput](t)(c.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{
		Name: aws.String(name), CallerReference: aws.String(ref),
		VPC: &types.VPC{VPCId: aws.String(vpc), VPCRegion: types.VPCRegionUsEast1}}))
	return aws.ToString(out.HostedZone.Id)
}

func change(action types.ChangeAction, rs types.ResourceRecordSet) types.Change {
	return types.Change{Action: action, ResourceRecordSet: &rs}
}

func rrs(name string, typ types.RRType, ttl int64, values ...string) types.ResourceRecordSet {
	r := types.ResourceRecordSet{Name: aws.String(name), Type: typ, TTL: aws.Int64(ttl)}
	for _, v := range values {
		r.ResourceRecords = append(r.ResourceRecords, types.ResourceRecord{Value: aws.String(v)})
	}
	return r
}

func changeBatch(c *route53.Client, zone string, changes ...types.Change) (*route53.ChangeResourceRecordSetsOutput, error) {
	return c.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{HostedZoneId: aws.String(zone), ChangeBatch: &types.ChangeBatch{Changes: changes}})
}

func listAll(t *testing.T, c *route53.Client, zone string) []types.ResourceRecordSet {
	t.Helper()
	var out []types.ResourceRecordSet
	p := route53.NewListResourceRecordSetsPaginator(c, &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(zone), MaxItems: aws.Int32(3)})
	for p.HasMorePages() {
		out = append(out, must[*route53.ListResourceRecordSetsOutput](t)(p.NextPage(ctx)).ResourceRecordSets...)
	}
	return out
}

// TestPrivateZoneLifecycle: a private zone through the SDK: created with
// its VPC (201, PENDING, then INSYNC), its apex SOA and NS, the caller
// reference used once, record sets of every type with Route 53's refusals,
// and deleted only once empty.
func TestPrivateZoneLifecycle(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.Route53(e, emulatortest.AccountA)
	vpc := newVPC(t, e, emulatortest.AccountA, "us-east-1")
	created := must[*route53.CreateHostedZoneOutput](t)(c.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{
		Name: aws.String("Internal.Example.com"), CallerReference: aws.String("ref-1"),
		HostedZoneConfig: &types.HostedZoneConfig{Comment: aws.String("private"), PrivateZone: true},
		VPC:              &types.VPC{VPCId: aws.String(vpc), VPCRegion: types.VPCRegionUsEast1}}))
	id := aws.ToString(created.HostedZone.Id)
	if !strings.HasPrefix(id, "/hostedzone/Z") || aws.ToString(created.HostedZone.Name) != "internal.example.com." || !created.HostedZone.Config.PrivateZone ||
		created.ChangeInfo.Status != types.ChangeStatusPending || aws.ToString(created.VPC.VPCId) != vpc || created.DelegationSet != nil ||
		aws.ToString(created.Location) != "https://route53.amazonaws.com/2013-04-01"+id {
		t.Fatalf("created %+v %+v %+v %v", created.HostedZone, created.ChangeInfo, created.VPC, aws.ToString(created.Location))
	}
	got := must[*route53.GetChangeOutput](t)(c.GetChange(ctx, &route53.GetChangeInput{Id: created.ChangeInfo.Id}))
	if got.ChangeInfo.Status != types.ChangeStatusInsync {
		t.Errorf("change %+v", got.ChangeInfo)
	}
	_, err := c.GetChange(ctx, &route53.GetChangeInput{Id: aws.String("C0NOSUCHCHANGE")})
	wantError(t, err, "NoSuchChange", 404, "C0NOSUCHCHANGE")
	_, err = c.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("other.example.com"), CallerReference: aws.String("ref-1")})
	wantError(t, err, "HostedZoneAlreadyExists", 409, "caller reference")

	zone := must[*route53.GetHostedZoneOutput](t)(c.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: &id}))
	if len(zone.VPCs) != 1 || aws.ToString(zone.VPCs[0].VPCId) != vpc || aws.ToInt64(zone.HostedZone.ResourceRecordSetCount) != 2 || aws.ToString(zone.HostedZone.Config.Comment) != "private" {
		t.Fatalf("zone %+v %+v", zone.HostedZone, zone.VPCs)
	}
	apex := listAll(t, c, id)
	if len(apex) != 2 || apex[0].Type != types.RRTypeNs || apex[1].Type != types.RRTypeSoa || len(apex[0].ResourceRecords) != 4 ||
		!strings.HasPrefix(aws.ToString(apex[0].ResourceRecords[0].Value), "ns-") {
		t.Fatalf("apex %+v", apex)
	}

	must[*route53.ChangeResourceRecordSetsOutput](t)(changeBatch(c, id,
		change(types.ChangeActionCreate, rrs("db.internal.example.com", types.RRTypeA, 60, "10.0.0.10", "10.0.0.11")),
		change(types.ChangeActionCreate, rrs("db.internal.example.com", types.RRTypeAaaa, 60, "2600:1f18::10")),
		change(types.ChangeActionCreate, rrs("www.internal.example.com", types.RRTypeCname, 300, "db.internal.example.com")),
		change(types.ChangeActionCreate, rrs("internal.example.com", types.RRTypeTxt, 300, `"v=spf1 -all"`)),
		change(types.ChangeActionCreate, rrs("internal.example.com", types.RRTypeMx, 300, "10 mail.internal.example.com")),
		change(types.ChangeActionCreate, rrs("_sip._tcp.internal.example.com", types.RRTypeSrv, 300, "1 10 5060 sip.internal.example.com")),
		change(types.ChangeActionCreate, rrs("sub.internal.example.com", types.RRTypeNs, 300, "ns1.example.net")),
		change(types.ChangeActionCreate, types.ResourceRecordSet{Name: aws.String("alias.internal.example.com"), Type: types.RRTypeA,
			AliasTarget: &types.AliasTarget{HostedZoneId: aws.String(strings.TrimPrefix(id, "/hostedzone/")), DNSName: aws.String("db.internal.example.com"), EvaluateTargetHealth: false}}),
		change(types.ChangeActionCreate, types.ResourceRecordSet{Name: aws.String("svc.internal.example.com"), Type: types.RRTypeA,
			AliasTarget: &types.AliasTarget{HostedZoneId: aws.String("Z2FDTNDATAQYW2"), DNSName: aws.String("d111111abcdef8.cloudfront.net"), EvaluateTargetHealth: true}}),
		change(types.ChangeActionCreate, types.ResourceRecordSet{Name: aws.String("w.internal.example.com"), Type: types.RRTypeA, TTL: aws.Int64(60),
			SetIdentifier: aws.String("blue"), Weight: aws.Int64(70), ResourceRecords: []types.ResourceRecord{{Value: aws.String("10.0.0.20")}}}),
	))
	all := listAll(t, c, id)
	var names []string
	for _, r := range all {
		names = append(names, aws.ToString(r.Name)+" "+string(r.Type))
	}
	want := "internal.example.com. MX,internal.example.com. NS,internal.example.com. SOA,internal.example.com. TXT,_sip._tcp.internal.example.com. SRV," +
		"alias.internal.example.com. A,db.internal.example.com. A,db.internal.example.com. AAAA,sub.internal.example.com. NS,svc.internal.example.com. A," +
		"w.internal.example.com. A,www.internal.example.com. CNAME"
	if strings.Join(names, ",") != want {
		t.Fatalf("record sets\n%s\nwant\n%s", strings.Join(names, ","), want)
	}
	for _, r := range all {
		switch aws.ToString(r.Name) {
		case "w.internal.example.com.":
			if aws.ToString(r.SetIdentifier) != "blue" || aws.ToInt64(r.Weight) != 70 {
				t.Errorf("weighted %+v", r)
			}
		case "svc.internal.example.com.":
			if r.AliasTarget == nil || aws.ToString(r.AliasTarget.HostedZoneId) != "Z2FDTNDATAQYW2" || !r.AliasTarget.EvaluateTargetHealth || r.TTL != nil {
				t.Errorf("alias %+v", r)
			}
		}
	}

	refusals := []struct {
		change types.Change
		msg    string
	}{
		{change(types.ChangeActionCreate, rrs("internal.example.com", types.RRTypeTxt, 300, `"x"`)), "Tried to create resource record set [name='internal.example.com.', type='TXT'] but it already exists"},
		{change(types.ChangeActionDelete, rrs("nope.internal.example.com", types.RRTypeTxt, 300, `"x"`)), "Tried to delete resource record set [name='nope.internal.example.com.', type='TXT'] but it was not found"},
		{change(types.ChangeActionDelete, rrs("db.internal.example.com", types.RRTypeA, 60, "10.0.0.10")), "but the values provided do not match the current values"},
		{change(types.ChangeActionCreate, rrs("db.internal.example.com", types.RRTypeCname, 60, "x.example.com")), "RRSet of type CNAME with DNS name db.internal.example.com. is not permitted as it conflicts with other records"},
		{change(types.ChangeActionCreate, rrs("www.internal.example.com", types.RRTypeTxt, 60, `"x"`)), "RRSet of type TXT with DNS name www.internal.example.com. is not permitted because a conflicting RRSet of type CNAME"},
		{change(types.ChangeActionCreate, rrs("internal.example.com", types.RRTypeCname, 60, "x.example.com")), "is not permitted at apex in zone internal.example.com."},
		{change(types.ChangeActionCreate, rrs("a.other.com", types.RRTypeA, 60, "10.0.0.1")), "RRSet with DNS name a.other.com. is not permitted in zone internal.example.com."},
		{change(types.ChangeActionCreate, rrs("t.internal.example.com", types.RRTypeTxt, 60, "unquoted")), "Value should be enclosed in quotation marks"},
		{change(types.ChangeActionCreate, rrs("a.internal.example.com", types.RRTypeA, 60, "10.0.0.300")), "ARRDATAIllegalIPv4Address"},
		{change(types.ChangeActionCreate, rrs("a.internal.example.com", types.RRTypeMx, 60, "mail")), "MX"},
		{change(types.ChangeActionCreate, types.ResourceRecordSet{Name: aws.String("a2.internal.example.com"), Type: types.RRTypeA,
			AliasTarget: &types.AliasTarget{HostedZoneId: &id, DNSName: aws.String("missing.internal.example.com")}}), "Tried to create an alias that targets missing.internal.example.com., type A in zone"},
		{change(types.ChangeActionDelete, apex[1]), "A HostedZone must contain exactly one SOA record."},
		{change(types.ChangeActionDelete, apex[0]), "A HostedZone must contain at least one NS record for the zone itself."},
	}
	for _, r := range refusals {
		_, err := changeBatch(c, id, r.change)
		wantBatchError(t, err, r.msg)
	}
	// A batch is all or nothing.
	_, err = changeBatch(c, id, change(types.ChangeActionCreate, rrs("new.internal.example.com", types.RRTypeA, 60, "10.0.0.5")),
		change(types.ChangeActionCreate, rrs("internal.example.com", types.RRTypeTxt, 300, `"x"`)))
	wantBatchError(t, err, "already exists")
	if n := len(listAll(t, c, id)); n != len(all) {
		t.Fatalf("%d record sets after a refused batch, want %d", n, len(all))
	}
	// UPSERT replaces.
	must[*route53.ChangeResourceRecordSetsOutput](t)(changeBatch(c, id, change(types.ChangeActionUpsert, rrs("db.internal.example.com", types.RRTypeA, 30, "10.0.0.12"))))
	one := must[*route53.ListResourceRecordSetsOutput](t)(c.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: &id,
		StartRecordName: aws.String("db.internal.example.com"), StartRecordType: types.RRTypeA, MaxItems: aws.Int32(1)}))
	if len(one.ResourceRecordSets) != 1 || aws.ToInt64(one.ResourceRecordSets[0].TTL) != 30 || aws.ToString(one.ResourceRecordSets[0].ResourceRecords[0].Value) != "10.0.0.12" ||
		!one.IsTruncated || aws.ToString(one.NextRecordName) != "db.internal.example.com." || one.NextRecordType != types.RRTypeAaaa {
		t.Fatalf("upserted %+v next %v %v", one.ResourceRecordSets, aws.ToString(one.NextRecordName), one.NextRecordType)
	}

	_, err = c.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: &id})
	wantError(t, err, "HostedZoneNotEmpty", 400, "non-required resource record sets")
	var deletes []types.Change
	for _, r := range listAll(t, c, id) {
		if !(aws.ToString(r.Name) == "internal.example.com." && (r.Type == types.RRTypeNs || r.Type == types.RRTypeSoa)) {
			deletes = append(deletes, change(types.ChangeActionDelete, r))
		}
	}
	must[*route53.ChangeResourceRecordSetsOutput](t)(changeBatch(c, id, deletes...))
	must[*route53.DeleteHostedZoneOutput](t)(c.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: &id}))
	_, err = c.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: &id})
	wantError(t, err, "NoSuchHostedZone", 404, "No hosted zone found with ID: "+strings.TrimPrefix(id, "/hostedzone/"))
}

// TestVPCAssociations: a private zone's VPCs: associated, listed by VPC,
// a second zone of the same name refused, the last VPC kept, and a public
// zone or a VPC that does not exist refused.
func TestVPCAssociations(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.Route53(e, emulatortest.AccountA)
	vpc1, vpc2 := newVPC(t, e, emulatortest.AccountA, "us-east-1"), newVPC(t, e, emulatortest.AccountA, "us-west-2")
	id := privateZone(t, c, "corp.internal", "r1", vpc1)
	west := &types.VPC{VPCId: &vpc2, VPCRegion: types.VPCRegionUsWest2}
	must[*route53.AssociateVPCWithHostedZoneOutput](t)(c.AssociateVPCWithHostedZone(ctx, &route53.AssociateVPCWithHostedZoneInput{HostedZoneId: &id, VPC: west}))
	byVPC := must[*route53.ListHostedZonesByVPCOutput](t)(c.ListHostedZonesByVPC(ctx, &route53.ListHostedZonesByVPCInput{VPCId: &vpc2, VPCRegion: types.VPCRegionUsWest2}))
	if len(byVPC.HostedZoneSummaries) != 1 || "/hostedzone/"+aws.ToString(byVPC.HostedZoneSummaries[0].HostedZoneId) != id ||
		aws.ToString(byVPC.HostedZoneSummaries[0].Owner.OwningAccount) != emulatortest.AccountA {
		t.Fatalf("by VPC %+v", byVPC.HostedZoneSummaries)
	}
	_, err := c.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("corp.internal"), CallerReference: aws.String("r2"), VPC: west})
	wantError(t, err, "ConflictingDomainExists", 400, "with the same domain name")
	must[*route53.DisassociateVPCFromHostedZoneOutput](t)(c.DisassociateVPCFromHostedZone(ctx, &route53.DisassociateVPCFromHostedZoneInput{HostedZoneId: &id, VPC: west}))
	_, err = c.DisassociateVPCFromHostedZone(ctx, &route53.DisassociateVPCFromHostedZoneInput{HostedZoneId: &id, VPC: west})
	wantError(t, err, "VPCAssociationNotFound", 404, "not currently associated")
	_, err = c.DisassociateVPCFromHostedZone(ctx, &route53.DisassociateVPCFromHostedZoneInput{HostedZoneId: &id, VPC: &types.VPC{VPCId: &vpc1, VPCRegion: types.VPCRegionUsEast1}})
	wantError(t, err, "LastVPCAssociation", 400, "last VPC")
	_, err = c.AssociateVPCWithHostedZone(ctx, &route53.AssociateVPCWithHostedZoneInput{HostedZoneId: &id, VPC: &types.VPC{VPCId: aws.String("vpc-0123456789abcdef0"), VPCRegion: types.VPCRegionUsEast1}})
	wantError(t, err, "InvalidVPCId", 400, "vpc-0123456789abcdef0")
	// The VPC must be in the region named.
	_, err = c.AssociateVPCWithHostedZone(ctx, &route53.AssociateVPCWithHostedZoneInput{HostedZoneId: &id, VPC: &types.VPC{VPCId: &vpc2, VPCRegion: types.VPCRegionUsEast1}})
	wantError(t, err, "InvalidVPCId", 400, vpc2)
	public := must[*route53.CreateHostedZoneOutput](t)(c.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("example.com"), CallerReference: aws.String("r3")}))
	if public.HostedZone.Config.PrivateZone || public.DelegationSet == nil || len(public.DelegationSet.NameServers) != 4 {
		t.Fatalf("public %+v %+v", public.HostedZone, public.DelegationSet)
	}
	_, err = c.AssociateVPCWithHostedZone(ctx, &route53.AssociateVPCWithHostedZoneInput{HostedZoneId: public.HostedZone.Id, VPC: west})
	wantError(t, err, "PublicZoneVPCAssociation", 400, "public hosted zone")
	dnssec := must[*route53.GetDNSSECOutput](t)(c.GetDNSSEC(ctx, &route53.GetDNSSECInput{HostedZoneId: public.HostedZone.Id}))
	if aws.ToString(dnssec.Status.ServeSignature) != "NOT_SIGNING" {
		t.Errorf("dnssec %+v", dnssec.Status)
	}
	_, err = c.GetDNSSEC(ctx, &route53.GetDNSSECInput{HostedZoneId: &id})
	wantError(t, err, "InvalidArgument", 400, "Operation is unsupported for private")

	updated := must[*route53.UpdateHostedZoneCommentOutput](t)(c.UpdateHostedZoneComment(ctx, &route53.UpdateHostedZoneCommentInput{Id: &id, Comment: aws.String("renamed")}))
	if aws.ToString(updated.HostedZone.Config.Comment) != "renamed" || !updated.HostedZone.Config.PrivateZone {
		t.Errorf("updated %+v", updated.HostedZone.Config)
	}
	from := must[*route53.ListHostedZonesByNameOutput](t)(c.ListHostedZonesByName(ctx, &route53.ListHostedZonesByNameInput{DNSName: aws.String("corp.internal"), MaxItems: aws.Int32(1)}))
	if len(from.HostedZones) != 1 || aws.ToString(from.HostedZones[0].Name) != "corp.internal." || from.IsTruncated {
		t.Errorf("by name from corp.internal %+v", from)
	}
	byName := must[*route53.ListHostedZonesByNameOutput](t)(c.ListHostedZonesByName(ctx, &route53.ListHostedZonesByNameInput{}))
	if len(byName.HostedZones) != 2 || aws.ToString(byName.HostedZones[0].Name) != "example.com." || aws.ToString(byName.HostedZones[1].Name) != "corp.internal." {
		t.Fatalf("by name %+v", byName.HostedZones)
	}
	list := must[*route53.ListHostedZonesOutput](t)(c.ListHostedZones(ctx, &route53.ListHostedZonesInput{MaxItems: aws.Int32(1)}))
	if len(list.HostedZones) != 1 || !list.IsTruncated || list.NextMarker == nil {
		t.Fatalf("list %+v", list)
	}
	rest := must[*route53.ListHostedZonesOutput](t)(c.ListHostedZones(ctx, &route53.ListHostedZonesInput{Marker: list.NextMarker}))
	if len(rest.HostedZones) != 1 || rest.IsTruncated || aws.ToString(rest.HostedZones[0].Id) == aws.ToString(list.HostedZones[0].Id) {
		t.Fatalf("rest %+v", rest)
	}
}

// TestCrossAccountAssociation: another account's VPC joins a zone only
// with the zone owner's authorization.
func TestCrossAccountAssociation(t *testing.T) {
	e := emulatortest.Start(t)
	a, b := emulatortest.Route53(e, emulatortest.AccountA), emulatortest.Route53(e, emulatortest.AccountB)
	id := privateZone(t, a, "shared.internal", "r1", newVPC(t, e, emulatortest.AccountA, "us-east-1"))
	vpcB := newVPC(t, e, emulatortest.AccountB, "us-east-1")
	v := &types.VPC{VPCId: &vpcB, VPCRegion: types.VPCRegionUsEast1}
	_, err := b.AssociateVPCWithHostedZone(ctx, &route53.AssociateVPCWithHostedZoneInput{HostedZoneId: &id, VPC: v})
	wantError(t, err, "NotAuthorizedException", 401, "not authorized")
	_, err = b.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: &id})
	wantError(t, err, "NoSuchHostedZone", 404, "No hosted zone found")
	must[*route53.CreateVPCAssociationAuthorizationOutput](t)(a.CreateVPCAssociationAuthorization(ctx, &route53.CreateVPCAssociationAuthorizationInput{HostedZoneId: &id, VPC: v}))
	auths := must[*route53.ListVPCAssociationAuthorizationsOutput](t)(a.ListVPCAssociationAuthorizations(ctx, &route53.ListVPCAssociationAuthorizationsInput{HostedZoneId: &id}))
	if len(auths.VPCs) != 1 || aws.ToString(auths.VPCs[0].VPCId) != vpcB {
		t.Fatalf("authorizations %+v", auths.VPCs)
	}
	must[*route53.AssociateVPCWithHostedZoneOutput](t)(b.AssociateVPCWithHostedZone(ctx, &route53.AssociateVPCWithHostedZoneInput{HostedZoneId: &id, VPC: v}))
	byVPC := must[*route53.ListHostedZonesByVPCOutput](t)(b.ListHostedZonesByVPC(ctx, &route53.ListHostedZonesByVPCInput{VPCId: &vpcB, VPCRegion: types.VPCRegionUsEast1}))
	if len(byVPC.HostedZoneSummaries) != 1 || aws.ToString(byVPC.HostedZoneSummaries[0].Owner.OwningAccount) != emulatortest.AccountA {
		t.Fatalf("by VPC %+v", byVPC.HostedZoneSummaries)
	}
	must[*route53.DeleteVPCAssociationAuthorizationOutput](t)(a.DeleteVPCAssociationAuthorization(ctx, &route53.DeleteVPCAssociationAuthorizationInput{HostedZoneId: &id, VPC: v}))
	_, err = a.DeleteVPCAssociationAuthorization(ctx, &route53.DeleteVPCAssociationAuthorizationInput{HostedZoneId: &id, VPC: v})
	wantError(t, err, "VPCAssociationAuthorizationNotFound", 404, vpcB)
	// The VPC's owner may leave the zone.
	must[*route53.DisassociateVPCFromHostedZoneOutput](t)(b.DisassociateVPCFromHostedZone(ctx, &route53.DisassociateVPCFromHostedZoneInput{HostedZoneId: &id, VPC: v}))
}

// TestRecordPaging: a zone's record sets page through the SDK's paginator
// in Route 53's order, none lost or repeated.
func TestRecordPaging(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.Route53(e, emulatortest.AccountA)
	id := privateZone(t, c, "paged.internal", "r1", newVPC(t, e, emulatortest.AccountA, "us-east-1"))
	var changes []types.Change
	for i := range 25 {
		changes = append(changes, change(types.ChangeActionCreate, rrs(fmt.Sprintf("h%02d.paged.internal", i), types.RRTypeA, 60, fmt.Sprintf("10.0.0.%d", i+1))))
	}
	must[*route53.ChangeResourceRecordSetsOutput](t)(changeBatch(c, id, changes...))
	all := listAll(t, c, id)
	if len(all) != 27 {
		t.Fatalf("%d record sets, want 27", len(all))
	}
	for i, r := range all[2:] {
		if want := fmt.Sprintf("h%02d.paged.internal.", i); aws.ToString(r.Name) != want {
			t.Fatalf("record set %d is %s, want %s", i, aws.ToString(r.Name), want)
		}
	}
}

// TestTags: a zone's tags are added, replaced and removed.
func TestTags(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.Route53(e, emulatortest.AccountA)
	id := strings.TrimPrefix(privateZone(t, c, "tags.internal", "r1", newVPC(t, e, emulatortest.AccountA, "us-east-1")), "/hostedzone/")
	must[*route53.ChangeTagsForResourceOutput](t)(c.ChangeTagsForResource(ctx, &route53.ChangeTagsForResourceInput{ResourceType: types.TagResourceTypeHostedzone, ResourceId: &id,
		AddTags: []types.Tag{{Key: aws.String("env"), Value: aws.String("dev")}, {Key: aws.String("team"), Value: aws.String("net")}}}))
	must[*route53.ChangeTagsForResourceOutput](t)(c.ChangeTagsForResource(ctx, &route53.ChangeTagsForResourceInput{ResourceType: types.TagResourceTypeHostedzone, ResourceId: &id,
		AddTags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}, RemoveTagKeys: []string{"team"}}))
	got := must[*route53.ListTagsForResourceOutput](t)(c.ListTagsForResource(ctx, &route53.ListTagsForResourceInput{ResourceType: types.TagResourceTypeHostedzone, ResourceId: &id}))
	if tags := got.ResourceTagSet.Tags; len(tags) != 1 || aws.ToString(tags[0].Key) != "env" || aws.ToString(tags[0].Value) != "prod" || aws.ToString(got.ResourceTagSet.ResourceId) != id {
		t.Fatalf("tags %+v", got.ResourceTagSet)
	}
	_, err := c.ListTagsForResource(ctx, &route53.ListTagsForResourceInput{ResourceType: types.TagResourceTypeHostedzone, ResourceId: aws.String("Z0NOPE")})
	wantError(t, err, "NoSuchHostedZone", 404, "Z0NOPE")
}

// TestAliasTargets: aliases to a load balancer's and an interface
// endpoint's DNS names, with the hosted zone ids vpcemu gives them, are
// taken; names vpcemu does not have are refused as Route 53 does.
func TestAliasTargets(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.Route53(e, emulatortest.AccountA)
	ec := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	vpc := newVPC(t, e, emulatortest.AccountA, "us-east-1")
	subnet := must[*ec2.CreateSubnetOutput](t)(ec.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")}))
	lb := must[*elbv2.CreateLoadBalancerOutput](t)(emulatortest.ELBv2(e, emulatortest.AccountA, "us-east-1").CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{
		Name: aws.String("web"), Type: elbtypes.LoadBalancerTypeEnumNetwork, Scheme: elbtypes.LoadBalancerSchemeEnumInternal, Subnets: []string{aws.ToString(subnet.Subnet.SubnetId)}})).LoadBalancers[0]
	ep := must[*ec2.CreateVpcEndpointOutput](t)(ec.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: &vpc, VpcEndpointType: ec2types.VpcEndpointTypeInterface,
		ServiceName: aws.String("com.amazonaws.us-east-1.sqs"), SubnetIds: []string{aws.ToString(subnet.Subnet.SubnetId)}, PrivateDnsEnabled: aws.Bool(false)})).VpcEndpoint
	if len(ep.DnsEntries) == 0 {
		t.Fatalf("endpoint without DNS entries: %+v", ep)
	}
	id := privateZone(t, c, "svc.internal", "r1", vpc)
	alias := func(name, zone, dns string) types.Change {
		return change(types.ChangeActionCreate, types.ResourceRecordSet{Name: aws.String(name), Type: types.RRTypeA,
			AliasTarget: &types.AliasTarget{HostedZoneId: aws.String(zone), DNSName: aws.String(dns), EvaluateTargetHealth: true}})
	}
	must[*route53.ChangeResourceRecordSetsOutput](t)(changeBatch(c, id,
		alias("lb.svc.internal", aws.ToString(lb.CanonicalHostedZoneId), aws.ToString(lb.DNSName)),
		alias("sqs.svc.internal", aws.ToString(ep.DnsEntries[0].HostedZoneId), aws.ToString(ep.DnsEntries[0].DnsName)),
		alias("sqs-a.svc.internal", aws.ToString(ep.DnsEntries[1].HostedZoneId), aws.ToString(ep.DnsEntries[1].DnsName)),
	))
	_, err := changeBatch(c, id, alias("gone.svc.internal", aws.ToString(lb.CanonicalHostedZoneId), "other-0123456789abcdef.elb.us-east-1.amazonaws.com"))
	wantBatchError(t, err, "Tried to create an alias that targets other-0123456789abcdef.elb.us-east-1.amazonaws.com., type A in zone "+aws.ToString(lb.CanonicalHostedZoneId)+", but that target was not found")
	_, err = changeBatch(c, id, alias("gone.svc.internal", aws.ToString(ep.DnsEntries[0].HostedZoneId), "vpce-0123456789abcdef0-zzzzzzzz.sqs.us-east-1.vpce.amazonaws.com"))
	wantBatchError(t, err, "but that target was not found")
}
