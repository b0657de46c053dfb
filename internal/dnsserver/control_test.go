package dnsserver_test

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/vpcemu/vpcemu/internal/dnsserver"
	"github.com/vpcemu/vpcemu/internal/emulator"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// client asks e as account in region.
func client(e *emulator.Emulator, account, region string) *dnsserver.Client {
	return &dnsserver.Client{Endpoint: e.URL(), Region: region, Credentials: aws.Credentials{AccessKeyID: account, SecretAccessKey: "secret"}}
}

// TestControlEndpoint asks POST /_vpcemu/dns (vpcemu dig's endpoint) of
// a running emulator: answers for the caller's VPC and the public view,
// and EC2's refusals.
func TestControlEndpoint(t *testing.T) {
	e := emulatortest.Start(t)
	ctx := t.Context()
	ec := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	vpc := must(ec.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})).Vpc.VpcId
	must(ec.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: vpc, EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}}))
	r53 := emulatortest.Route53(e, emulatortest.AccountA)
	zone := must(r53.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("corp.internal"), CallerReference: aws.String("corp"),
		VPC: &r53types.VPC{VPCId: vpc, VPCRegion: r53types.VPCRegionUsEast1}})).HostedZone
	must(r53.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{HostedZoneId: zone.Id, ChangeBatch: &r53types.ChangeBatch{
		Changes: []r53types.Change{{Action: r53types.ChangeActionCreate, ResourceRecordSet: &r53types.ResourceRecordSet{
			Name: aws.String("db.corp.internal"), Type: r53types.RRTypeA, TTL: aws.Int64(300), ResourceRecords: []r53types.ResourceRecord{{Value: aws.String("10.0.1.50")}}}}}}}))
	zoneID := strings.TrimPrefix(*zone.Id, "/hostedzone/")

	cases := []struct {
		name    string
		account string
		region  string
		q       dnsserver.Question
		want    dnsserver.Answer
		code    string // a refusal's
		message string
	}{
		{name: "a record of a private zone", q: dnsserver.Question{VPC: *vpc, Name: "db.corp.internal"}, want: dnsserver.Answer{
			View: *vpc, Status: "NOERROR", Flags: "qr aa rd", Question: "db.corp.internal.\tIN\tA", Answer: []string{"db.corp.internal.\t300\tIN\tA\t10.0.1.50"},
			Authority: []string{}, Source: zoneID, SourceName: "private hosted zone corp.internal"}},
		{name: "a zone by its id, the type in lower case", q: dnsserver.Question{VPC: *vpc, Zone: "use1-az4", Name: "db.corp.internal.", Type: "aaaa"}, want: dnsserver.Answer{
			View: *vpc, Zone: "us-east-1a", Status: "NOERROR", Flags: "qr aa rd", Question: "db.corp.internal.\tIN\tAAAA", Answer: []string{},
			Authority: []string{"corp.internal.\t900\tIN\tSOA\t" + soaOf(t, r53, *zone.Id)}, Source: zoneID, SourceName: "private hosted zone corp.internal"}},
		{name: "the public view", q: dnsserver.Question{Name: "db.corp.internal"}, want: dnsserver.Answer{
			View: "public", Status: "NXDOMAIN", Flags: "qr rd", Question: "db.corp.internal.\tIN\tA", Answer: []string{}, Authority: []string{}}},
		{name: "another account's VPC", account: emulatortest.AccountB, q: dnsserver.Question{VPC: *vpc, Name: "db.corp.internal"},
			code: "InvalidVpcID.NotFound", message: "The vpc ID '" + *vpc + "' does not exist"},
		{name: "the VPC from another region", region: "eu-west-1", q: dnsserver.Question{VPC: *vpc, Name: "db.corp.internal"},
			code: "InvalidVpcID.NotFound", message: "The vpc ID '" + *vpc + "' does not exist"},
		{name: "no name", q: dnsserver.Question{VPC: *vpc}, code: "MissingParameter", message: "The request must contain the parameter name"},
		{name: "not a name", q: dnsserver.Question{Name: "a..b"}, code: "InvalidParameterValue", message: "Value (a..b) for parameter name is invalid. It is not a domain name."},
		{name: "not a type", q: dnsserver.Question{Name: "x.example", Type: "BOGUS"}, code: "InvalidParameterValue", message: "Value (BOGUS) for parameter type is invalid. It is not a DNS record type."},
		{name: "a zone of another region", q: dnsserver.Question{Name: "x.example", Zone: "eu-west-1a"}, code: "InvalidParameterValue",
			message: "Value (eu-west-1a) for parameter zone is invalid. It is not an Availability Zone of us-east-1."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			account, region := cmp.Or(tc.account, emulatortest.AccountA), cmp.Or(tc.region, "us-east-1")
			got, err := client(e, account, region).Dig(t.Context(), tc.q)
			var refused *dnsserver.Error
			switch {
			case tc.code != "":
				if !errors.As(err, &refused) || refused.Code != tc.code || refused.Message != tc.message {
					t.Fatalf("got %v, want %s: %s", err, tc.code, tc.message)
				}
			case err != nil:
				t.Fatal(err)
			case got.View != tc.want.View || got.Zone != tc.want.Zone || got.Status != tc.want.Status || got.Flags != tc.want.Flags || got.Question != tc.want.Question ||
				!slices.Equal(got.Answer, tc.want.Answer) || !slices.Equal(got.Authority, tc.want.Authority) || got.Source != tc.want.Source || got.SourceName != tc.want.SourceName:
				t.Errorf("got  %#v\nwant %#v", got, tc.want)
			}
		})
	}

	// The strict decoder: POST only, known members only.
	for _, tc := range []struct {
		method, body string
		status       int
		code         string
	}{
		{http.MethodGet, "", http.StatusMethodNotAllowed, "MethodNotAllowed"},
		{http.MethodPost, `{"name": "x.example", "class": "CH"}`, http.StatusBadRequest, "UnknownParameter"},
		{http.MethodPost, `[]`, http.StatusBadRequest, "SerializationException"},
	} {
		req := must(http.NewRequestWithContext(ctx, tc.method, e.URL()+dnsserver.Path, strings.NewReader(tc.body)))
		resp := must(http.DefaultClient.Do(req))
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s: %s, want %d", tc.method, tc.body, resp.Status, tc.status)
		}
	}
}

// soaOf is the value of a zone's SOA record set.
func soaOf(t *testing.T, r53 *route53.Client, zone string) string {
	t.Helper()
	sets := must(r53.ListResourceRecordSets(t.Context(), &route53.ListResourceRecordSetsInput{HostedZoneId: &zone}))
	for _, s := range sets.ResourceRecordSets {
		if s.Type == r53types.RRTypeSoa {
			return *s.ResourceRecords[0].Value
		}
	}
	t.Fatal("no SOA")
	return ""
}
