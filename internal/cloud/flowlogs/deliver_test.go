package flowlogs

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
	"github.com/vpcemu/vpcemu/internal/flowlog"
)

// fakeLogs is CloudWatch Logs as the logs family will register it: it
// keeps what it is given, and refuses the group "/denied".
type fakeLogs struct{ got map[string][]cloud.LogEvent } // by account/region/group/stream

func (l *fakeLogs) DeliverLogEvents(t *cloud.Txn, account, region, group, stream string, events []cloud.LogEvent) error {
	if group == "/denied" {
		return errors.New("no such group")
	}
	k := account + "/" + region + "/" + group + "/" + stream
	l.got[k] = append(l.got[k], events...)
	return nil
}

func withFakeLogs(t *testing.T) *fakeLogs {
	l := &fakeLogs{got: map[string][]cloud.LogEvent{}}
	cloud.RegisterLogDelivery(l)
	t.Cleanup(func() { cloud.RegisterLogDelivery(nil) })
	return l
}

func TestDeliver(t *testing.T) {
	f := newFixture(t)
	logs := withFakeLogs(t)
	all := f.create(cwl(ResourceVPC, f.vpc))[0]
	rejects := cwl(ResourceSubnet, f.subnet)
	rejects.TrafficType, rejects.LogGroupName, rejects.LogFormat = "REJECT", "/rejects", "${version} ${interface-id} ${action} ${vpc-id}"
	f.create(rejects)
	denied := cwl(ResourceInterface, f.eni)
	denied.LogGroupName = "/denied"
	deniedID := f.create(denied)[0]
	toS3 := Input{ResourceType: ResourceInterface, ResourceIDs: []string{f.eni}, TrafficType: "ACCEPT", DestinationType: DestinationS3,
		Destination: "arn:aws:s3:::flow-bucket/team", LogFormat: "${srcaddr} ${dstport} ${action}"}
	s3ID := f.create(toS3)[0]
	// Another account's VPC sees nothing of alice's records.
	other := newFixtureIn(t, f)

	start := time.Date(2026, 11, 21, 12, 7, 30, 0, time.UTC)
	rec := func(action string, port uint16, at time.Time) flowlog.Record {
		return flowlog.Record{Interface: f.eni, Account: alice.Account, Region: alice.Region, VPC: f.vpc, Subnet: f.subnet,
			Src: netip.MustParseAddr("10.0.1.4"), Dst: netip.MustParseAddr("10.0.1.9"), SrcPort: 40000, DstPort: port, Protocol: 6,
			Packets: 3, Bytes: 180, Start: at, End: at.Add(10 * time.Second), Action: action}
	}
	records := []flowlog.Record{rec("ACCEPT", 443, start.Add(time.Second)), rec("REJECT", 22, start)}
	if err := f.fl.Deliver(f.ctx, records); err != nil {
		t.Fatal(err)
	}

	stream := "111111111111/us-east-1/%s/" + f.eni
	want := map[string][]cloud.LogEvent{
		fmt.Sprintf(stream, "/vpc/flow-logs"): {
			{Time: start, Message: flowlog.Default().Render(&records[1])},
			{Time: start.Add(time.Second), Message: flowlog.Default().Render(&records[0])},
		},
		fmt.Sprintf(stream, "/rejects"): {{Time: start, Message: "3 " + f.eni + " REJECT " + f.vpc}},
	}
	if !reflect.DeepEqual(logs.got, want) {
		t.Errorf("CloudWatch Logs got\n%v\nwant\n%v", logs.got, want)
	}
	if fl := f.get(deniedID); fl.DeliverStatus != DeliverFailed || fl.DeliverError != "Access error" {
		t.Errorf("denied group: %s %q", fl.DeliverStatus, fl.DeliverError)
	}
	if fl := f.get(all); fl.DeliverStatus != DeliverOK {
		t.Errorf("delivered: %s", fl.DeliverStatus)
	}
	if fl := f.get(s3ID); fl.DeliverStatus != DeliverOK {
		t.Errorf("s3: %s %q", fl.DeliverStatus, fl.DeliverError)
	}
	if other.fl.DeliverStatus != DeliverOK {
		t.Errorf("bob's flow log: %+v", other.fl)
	}

	// S3: one file, in AWS's layout under the bucket's directory.
	dir := filepath.Join(f.s3, "flow-bucket", "team", "AWSLogs", "111111111111", "vpcflowlogs", "us-east-1", "2026", "11", "21")
	files, _ := filepath.Glob(filepath.Join(dir, "111111111111_vpcflowlogs_us-east-1_"+s3ID+"_20261121T1205Z_*.log.gz"))
	if len(files) != 1 {
		entries, _ := filepath.Glob(filepath.Join(f.s3, "*", "*", "*", "*", "*", "*", "*", "*", "*", "*", "*"))
		t.Fatalf("S3 files %v; found %v", files, entries)
	}
	if got, want := gunzipLines(t, files[0]), []string{"srcaddr dstport action", "10.0.1.4 443 ACCEPT"}; !reflect.DeepEqual(got, want) {
		t.Errorf("S3 file:\n%q\nwant\n%q", got, want)
	}

	// Without CloudWatch Logs, a delivery fails and says so.
	cloud.RegisterLogDelivery(nil)
	if err := f.fl.Deliver(f.ctx, records[:1]); err != nil {
		t.Fatal(err)
	}
	if fl := f.get(all); fl.DeliverStatus != DeliverFailed || fl.DeliverError != "Access error" {
		t.Errorf("without CloudWatch Logs: %s %q", fl.DeliverStatus, fl.DeliverError)
	}
}

func TestDeliverHivePartitions(t *testing.T) {
	f := newFixture(t)
	in := Input{ResourceType: ResourceVPC, ResourceIDs: []string{f.vpc}, TrafficType: "ALL", DestinationType: DestinationS3,
		Destination: "arn:aws:s3:::flow-bucket", DestinationOptions: &DestinationOptions{HiveCompatiblePartitions: new(true), PerHourPartition: new(true)}}
	id := f.create(in)[0]
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := f.fl.Deliver(f.ctx, []flowlog.Record{{Interface: f.eni, Account: alice.Account, Region: alice.Region, Start: at, End: at}}); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(f.s3, "flow-bucket", "AWSLogs", "aws-account-id=111111111111", "aws-service=vpcflowlogs",
		"aws-region=us-east-1", "year=2026", "month=01", "day=02", "hour=03", "111111111111_vpcflowlogs_us-east-1_"+id+"_20260102T0300Z_*.log.gz"))
	if len(files) != 1 {
		t.Fatalf("files %v", files)
	}
	if got := gunzipLines(t, files[0]); len(got) != 2 || got[0] != flowlog.Default().Header() || !strings.HasSuffix(got[1], "NODATA") {
		t.Errorf("file %q", got)
	}
}

// otherAccount is bob's flow log on his own VPC, to see that alice's
// records do not reach it.
type otherAccount struct{ fl *FlowLog }

func newFixtureIn(t *testing.T, f *fixture) otherAccount {
	t.Helper()
	bob := cloudtest.Bob
	vpc, err := f.net.CreateVPC(f.ctx, bob, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	out, err := f.fl.CreateFlowLogs(f.ctx, bob, Input{ResourceType: ResourceVPC, ResourceIDs: []string{vpc.ID}, TrafficType: "ALL",
		DestinationType: DestinationS3, Destination: "arn:aws:s3:::bob-bucket"})
	if err != nil || len(out.IDs) != 1 {
		t.Fatalf("%+v %v", out, err)
	}
	t.Cleanup(func() {
		if files, _ := filepath.Glob(filepath.Join(f.s3, "bob-bucket")); len(files) != 0 {
			t.Errorf("bob's bucket got alice's records")
		}
	})
	var fl *FlowLog
	err = f.c.View(f.ctx, bob, func(tx *cloud.Txn) (err error) { fl, err = cloud.GetIn[FlowLog](tx, out.IDs[0]); return err })
	if err != nil {
		t.Fatal(err)
	}
	return otherAccount{fl}
}

func gunzipLines(t *testing.T, path string) []string {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	zr, err := gzip.NewReader(fh)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for sc := bufio.NewScanner(zr); sc.Scan(); {
		out = append(out, sc.Text())
	}
	return out
}

// TestDeliverAfterTheInterface: a record of an interface deleted since
// reaches the flow logs of its subnet and VPC by the record's own fields;
// a record nothing watches is dropped without a write.
func TestDeliverAfterTheInterface(t *testing.T) {
	f := newFixture(t)
	id := f.create(Input{ResourceType: ResourceVPC, ResourceIDs: []string{f.vpc}, TrafficType: "ALL", DestinationType: DestinationS3,
		Destination: "arn:aws:s3:::flow-bucket"})[0]
	if err := f.net.DeleteNetworkInterface(f.ctx, alice, f.eni); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	rec := flowlog.Record{Interface: f.eni, Account: alice.Account, Region: alice.Region, VPC: f.vpc, Subnet: f.subnet, Start: at, End: at}
	unwatched := flowlog.Record{Interface: "eni-0123456789abcdef0", Account: alice.Account, Region: alice.Region, Start: at, End: at}
	if err := f.fl.Deliver(f.ctx, []flowlog.Record{rec, unwatched}); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(f.s3, "flow-bucket", "AWSLogs", "111111111111", "vpcflowlogs", "us-east-1", "2026", "01", "02", "*_"+id+"_*.log.gz"))
	if len(files) != 1 || len(gunzipLines(t, files[0])) != 2 {
		t.Fatalf("files %v", files)
	}
}
