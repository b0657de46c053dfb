package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestAWSCLIRoute53: the aws CLI (botocore's rest-xml client) creates a
// private hosted zone for a VPC, changes record sets from a change-batch
// file, lists them, waits for the change, associates a second VPC, and
// deletes it all; refusals end in AWS's error at once.
func TestAWSCLIRoute53(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	cli := newAWSCLI(t, e.URL(), accountA)
	vpc := cli.ok(t, "ec2", "create-vpc", "--cidr-block", "10.50.0.0/16", "--query", "Vpc.VpcId", "--output", "text")
	vpc2 := cli.ok(t, "ec2", "create-vpc", "--cidr-block", "10.51.0.0/16", "--query", "Vpc.VpcId", "--output", "text")

	var created struct {
		HostedZone struct {
			Id, Name string
			Config   struct{ PrivateZone bool }
		}
		ChangeInfo struct{ Id, Status string }
		Location   string
	}
	cli.json(t, &created, "route53", "create-hosted-zone", "--name", "corp.internal", "--caller-reference", "cli-1",
		"--vpc", "VPCRegion=us-east-1,VPCId="+vpc, "--hosted-zone-config", "Comment=cli,PrivateZone=true")
	id := created.HostedZone.Id
	if !strings.HasPrefix(id, "/hostedzone/Z") || created.HostedZone.Name != "corp.internal." || !created.HostedZone.Config.PrivateZone ||
		created.ChangeInfo.Status != "PENDING" || !strings.HasSuffix(created.Location, id) {
		t.Fatalf("create-hosted-zone: %+v", created)
	}
	cli.ok(t, "route53", "wait", "resource-record-sets-changed", "--id", created.ChangeInfo.Id)

	batch := filepath.Join(t.TempDir(), "batch.json")
	if err := os.WriteFile(batch, []byte(`{"Comment":"cli","Changes":[
		{"Action":"CREATE","ResourceRecordSet":{"Name":"db.corp.internal","Type":"A","TTL":60,"ResourceRecords":[{"Value":"10.50.0.10"}]}},
		{"Action":"CREATE","ResourceRecordSet":{"Name":"corp.internal","Type":"TXT","TTL":300,"ResourceRecords":[{"Value":"\"hello\""}]}},
		{"Action":"CREATE","ResourceRecordSet":{"Name":"www.corp.internal","Type":"CNAME","TTL":300,"ResourceRecords":[{"Value":"db.corp.internal"}]}},
		{"Action":"CREATE","ResourceRecordSet":{"Name":"api.corp.internal","Type":"A","AliasTarget":{"HostedZoneId":"`+strings.TrimPrefix(id, "/hostedzone/")+`","DNSName":"db.corp.internal","EvaluateTargetHealth":false}}}
	]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	change := cli.ok(t, "route53", "change-resource-record-sets", "--hosted-zone-id", id, "--change-batch", "file://"+batch, "--query", "ChangeInfo.Id", "--output", "text")
	if got := cli.ok(t, "route53", "get-change", "--id", change, "--query", "ChangeInfo.Status", "--output", "text"); got != "INSYNC" {
		t.Errorf("get-change: %s", got)
	}
	got := cli.ok(t, "route53", "list-resource-record-sets", "--hosted-zone-id", id, "--query", "ResourceRecordSets[].[Name,Type]", "--output", "text")
	want := "corp.internal.\tNS\ncorp.internal.\tSOA\ncorp.internal.\tTXT\napi.corp.internal.\tA\ndb.corp.internal.\tA\nwww.corp.internal.\tCNAME"
	if got != want {
		t.Errorf("list-resource-record-sets:\n%s\nwant\n%s", got, want)
	}
	// The CLI pages by itself with a page size.
	if got := cli.ok(t, "route53", "list-resource-record-sets", "--hosted-zone-id", id, "--page-size", "2", "--query", "length(ResourceRecordSets)"); got != "6" {
		t.Errorf("paged: %s", got)
	}
	_, stderr, code := cli.run(t, "route53", "change-resource-record-sets", "--hosted-zone-id", id, "--change-batch", "file://"+batch)
	if code != 254 && code != 255 || !strings.Contains(stderr, "InvalidChangeBatch") || !strings.Contains(stderr, "Tried to create resource record set [name='db.corp.internal.', type='A'] but it already exists") {
		t.Errorf("second batch: exit %d\n%s", code, stderr)
	}

	cli.ok(t, "route53", "associate-vpc-with-hosted-zone", "--hosted-zone-id", id, "--vpc", "VPCRegion=us-east-1,VPCId="+vpc2)
	if got := cli.ok(t, "route53", "list-hosted-zones-by-vpc", "--vpc-id", vpc2, "--vpc-region", "us-east-1", "--query", "HostedZoneSummaries[].Name", "--output", "text"); got != "corp.internal." {
		t.Errorf("list-hosted-zones-by-vpc: %q", got)
	}
	cli.ok(t, "route53", "change-tags-for-resource", "--resource-type", "hostedzone", "--resource-id", strings.TrimPrefix(id, "/hostedzone/"), "--add-tags", "Key=env,Value=dev")
	if got := cli.ok(t, "route53", "list-tags-for-resource", "--resource-type", "hostedzone", "--resource-id", strings.TrimPrefix(id, "/hostedzone/"),
		"--query", "ResourceTagSet.Tags[].[Key,Value]", "--output", "text"); got != "env\tdev" {
		t.Errorf("tags: %q", got)
	}
	_, stderr, _ = cli.run(t, "route53", "delete-hosted-zone", "--id", id)
	if !strings.Contains(stderr, "(HostedZoneNotEmpty)") {
		t.Errorf("delete-hosted-zone with records: %s", stderr)
	}
	_, stderr, _ = cli.run(t, "route53", "get-hosted-zone", "--id", "Z0NOSUCHZONE")
	if !strings.Contains(stderr, "(NoSuchHostedZone)") || !strings.Contains(stderr, "No hosted zone found with ID: Z0NOSUCHZONE") {
		t.Errorf("get-hosted-zone of nothing: %s", stderr)
	}
	if got := cli.ok(t, "route53", "list-hosted-zones-by-name", "--query", "HostedZones[].[Name,Config.PrivateZone]", "--output", "text"); got != "corp.internal.\tTrue" {
		t.Errorf("list-hosted-zones-by-name: %q", got)
	}
}
