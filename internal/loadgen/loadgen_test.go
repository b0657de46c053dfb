package loadgen

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/emulator"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
	"github.com/vpcemu/vpcemu/internal/sigv4"
)

func TestConnReadsBothBodyFramings(t *testing.T) {
	big := strings.Repeat("x", 10000) // over net/http's buffer: sent chunked
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/small":
			w.Header().Set("Content-Length", "5")
			w.Write([]byte("hello"))
		case "/big":
			w.Write([]byte(big))
		case "/err":
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte("<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>gone</Message></Error></Errors></Response>"))
		}
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	c, err := dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	get := func(path string) string { return "GET " + path + " HTTP/1.1\r\nHost: " + addr + "\r\n\r\n" }
	for range 2 { // twice: the connection is reused
		for path, want := range map[string]string{"/small": "hello", "/big": big} {
			status, body, err := c.do([]byte(get(path)))
			if err != nil || status != 200 || string(body) != want {
				t.Fatalf("%s: %d %q (%d bytes) %v", path, status, body[:min(20, len(body))], len(body), err)
			}
		}
	}
	_, err = call(c, &request{wire: []byte(get("/err"))})
	if !isCode(err, "InvalidVpcID.NotFound") {
		t.Fatalf("error answer: %v", err)
	}
}

func TestRequestIsSignedForTheAccount(t *testing.T) {
	tg := Target{Addr: "127.0.0.1:1", Account: "100000000001", Region: "eu-west-1"}
	req := string(tg.request(action("DescribeVpcs", "VpcId.1", "vpc-1", "Filter.1.Name", "tag:a b")).wire)
	for _, want := range []string{
		"POST / HTTP/1.1\r\n",
		"Credential=100000000001/20260101/eu-west-1/ec2/aws4_request",
		"\r\n\r\nAction=DescribeVpcs&Version=2016-11-15&VpcId.1=vpc-1&Filter.1.Name=tag%3Aa+b",
	} {
		if !strings.Contains(req, want) {
			t.Errorf("request lacks %q:\n%s", want, req)
		}
	}
}

func TestPercentiles(t *testing.T) {
	var lat latencies
	for i := 100; i >= 1; i-- {
		lat = append(lat, msd(i))
	}
	var r Result
	lat.summarize(&r, msd(1000))
	if r.Requests != 100 || r.P50ms != 50 || r.P90ms != 90 || r.P99ms != 99 || r.RPS != 100 {
		t.Errorf("got %+v", r)
	}
}

// TestScenarios runs each scenario, small, against an in-memory vpcemu.
func TestScenarios(t *testing.T) {
	e := emulatortest.Start(t)
	r := &Runner{Addr: e.Addr(), RSS: func() (int64, bool) { return 1 << 20, true }, ServerPid: os.Getpid()}
	ctx := context.Background()

	desc, err := r.Describe(ctx, DescribeConfig{Concurrency: []int{1, 2}, Requests: 40, SameCPU: runtime.GOOS == "linux", Baseline: true})
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, d := range desc {
		rows = append(rows, fmt.Sprintf("%s c=%d %d/%d", d.Operation, d.Concurrency, d.Requests, d.Errors))
	}
	want := "DescribeVpcs c=1 40/0 DescribeVpcs, do-nothing server c=1 40/0 DescribeVpcs, one CPU c=1 40/0 DescribeVpcs c=2 40/0 DescribeVpcs, do-nothing server c=2 40/0"
	if runtime.GOOS != "linux" {
		want = "DescribeVpcs c=1 40/0 DescribeVpcs, do-nothing server c=1 40/0 DescribeVpcs c=2 40/0 DescribeVpcs, do-nothing server c=2 40/0"
	}
	if !strings.Contains(strings.Join(desc[0].Notes, " "), "of a do-nothing net/http server's rate") {
		t.Errorf("no share of the baseline's rate in %v", desc[0].Notes)
	}
	if got := strings.Join(rows, " "); got != want || desc[0].RSSBytes != 1<<20 {
		t.Errorf("describe rows: %s (RSS %d)", got, desc[0].RSSBytes)
	}

	pop, err := r.Populate(ctx, PopulateConfig{VPCs: 4, Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	ops := map[string]int{}
	for _, res := range pop[1:] {
		ops[res.Operation] = res.Requests
	}
	if pop[0].Operation != "all calls" || pop[0].VPCs != 4 || ops["CreateVpc"] != 4 || ops["CreateSubnet"] != 8 {
		t.Errorf("populate: %+v", pop)
	}
	// Calls the server does not implement are noted, not failed; the others
	// are made for every VPC.
	perVPC := map[string]int{"CreateVpc": 1, "CreateSubnet": 2, "CreateRouteTable": 1, "AssociateRouteTable": 2,
		"CreateVpcEndpoint": 1, "CreateSecurityGroup": 1, "AuthorizeSecurityGroupIngress": 1}
	calls := 0
	for name, n := range perVPC {
		got, measured := ops[name]
		switch {
		case measured && got != 4*n:
			t.Errorf("%s: %d calls for 4 VPCs, want %d", name, got, 4*n)
		case !measured && !slices.Contains(pop[0].Skipped, name):
			t.Errorf("%s neither measured nor noted: %v", name, pop[0].Skipped)
		}
		calls += got / 4
	}
	// With client tokens, twice on one server: each run's tokens are its
	// own (a token reused for another VPC would be refused as a mismatch).
	for range 2 {
		tok, err := r.Populate(ctx, PopulateConfig{VPCs: 3, Concurrency: 2, ClientTokens: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, res := range tok {
			if res.Scenario != "populate-tokens" || res.Errors != 0 || res.Operation == "CreateRouteTable" && res.Requests != 3 {
				t.Errorf("populate-tokens: %+v", res)
			}
		}
	}

	grow, err := r.Growth(ctx, GrowthConfig{Steps: []int{2, 5}, Concurrency: 2, Samples: 10})
	if err != nil {
		t.Fatal(err)
	}
	rows = nil
	for _, g := range grow {
		rows = append(rows, fmt.Sprintf("%s@%d:%d/%d", g.Operation, g.VPCs, g.Requests, g.Errors))
	}
	lookups := func(vpcs int) string {
		return strings.ReplaceAll("DescribeVpcs by id@N:10/0 DescribeSubnets vpc-id@N:10/0 DescribeVpcEndpoints by id@N:10/0 "+
			"DescribeVpcEndpoints vpc-id@N:10/0 DescribeVpcEndpointServices s3@N:10/0", "@N", fmt.Sprint("@", vpcs))
	}
	want = fmt.Sprintf("populate step@2:%d/0 %s populate step@5:%d/0 %s", 2*calls, lookups(2), 3*calls, lookups(5))
	if strings.Join(rows, " ") != want {
		t.Errorf("growth rows:\n got %s\nwant %s", strings.Join(rows, " "), want)
	}
}

func TestChecks(t *testing.T) {
	results := []Result{
		{Scenario: "describe", Operation: "DescribeVpcs", Concurrency: 1, RPS: 12000},
		{Scenario: "describe", Operation: "DescribeVpcs", Concurrency: 16, RPS: 15000},
		{Scenario: "describe", Operation: baselineOp, Concurrency: 16, RPS: 20000},
		{Scenario: "describe", Operation: "DescribeVpcs", Concurrency: 4, RPS: 15000}, // no target
		{Scenario: "describe", Operation: baselineOp, Concurrency: 4, RPS: 16000},     // no target
		{Scenario: "populate", Operation: "all calls", VPCs: 1000, ElapsedSec: 3, Skipped: []string{"CreateRouteTable"}},
		{Scenario: "growth", Operation: "populate step", VPCs: 100},
		{Scenario: "growth", Operation: "DescribeVpcs by id", VPCs: 100, P50ms: 0.2},
		{Scenario: "growth", Operation: "DescribeVpcs by id", VPCs: 10000, P50ms: 0.25, RSSBytes: 80 << 20},
		{Scenario: "dx-route53", Operation: "grow step", Size: 100},
		{Scenario: "dx-route53", Operation: "ListHostedZonesByVPC", Size: 100, P50ms: 0.6},
		{Scenario: "dx-route53", Operation: "grow step", Size: 10000},
		{Scenario: "dx-route53", Operation: "ListHostedZonesByVPC", Size: 10000, P50ms: 1.2},
	}
	var got []string
	for _, c := range Checks(results) {
		got = append(got, fmt.Sprintf("%v %s", c.Met, c.Target))
	}
	want := []string{
		"true DescribeVpcs c=1 ≥ 10000 req/s",
		"false DescribeVpcs c=16 ≥ 20000 req/s",
		"false DescribeVpcs c=16 ≥ 85% of a do-nothing server", // 75%
		"false populate 1000 VPCs < 5s",                        // calls skipped: not comparable
		"true DescribeVpcs by id p50 < 0.5 ms at every size",
		"true DescribeVpcs by id flat: p50 at 10000 VPCs ≤ 1.5× p50 at 100",
		"true server RSS < 100 MB at 10000 VPCs",
		"false ListHostedZonesByVPC flat: p50 at 10000 of each ≤ 1.5× p50 at 100", // no p50 target of its own
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("checks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestReadRSS(t *testing.T) {
	n, err := ReadRSS(os.Getpid())
	if err != nil || n < 1<<20 {
		t.Fatalf("RSS of this process: %d, %v", n, err)
	}
}

func msd(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// TestSigV4ClientSignsForReal runs the describe scenario, a populate and
// dx-route53 with the signing client against a server that verifies every signature; the
// raw client's placeholder signature is refused there.
func TestSigV4ClientSignsForReal(t *testing.T) {
	var entries []string
	for _, account := range []string{describeAccount, populateAccount, dxRoute53Account} {
		entries = append(entries, fmt.Sprintf(`{"accessKeyId": %q, "secretAccessKey": %q, "account": %q}`, account, benchSecret, account))
	}
	keys, err := sigv4.ParseKeys([]byte("[" + strings.Join(entries, ",") + "]"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := emulator.New(emulator.Config{InMemory: true, Keys: keys, VerifySignatures: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	go e.Serve()
	defer e.Shutdown(context.Background())
	ctx := context.Background()

	r := &Runner{Addr: e.Addr(), Client: SigV4Client}
	desc, err := r.Describe(ctx, DescribeConfig{Concurrency: []int{3}, Requests: 30, Baseline: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(desc) != 2 || desc[0].Requests != 30 || desc[0].Errors != 0 || desc[1].Operation != baselineOp || desc[1].Requests != 30 {
		t.Errorf("describe with sigv4: %+v", desc)
	}
	pop, err := r.Populate(ctx, PopulateConfig{VPCs: 2, Concurrency: 2})
	if err != nil || pop[0].Requests == 0 {
		t.Fatalf("populate with sigv4: %v %+v", err, pop)
	}
	// Other services, methods, paths with a query and headers.
	dx, err := r.DXRoute53(ctx, DXRoute53Config{Steps: []int{3}, Concurrency: 2, Samples: 5})
	if err != nil {
		t.Fatalf("dx-route53 with sigv4: %v", err)
	}
	for _, row := range dx {
		if row.Errors != 0 || row.Requests == 0 {
			t.Errorf("dx-route53 with sigv4: %+v", row)
		}
	}

	raw := &Runner{Addr: e.Addr(), Client: RawClient}
	// Its fixed date is long past, and its signature zeros.
	if _, err := raw.Describe(ctx, DescribeConfig{Concurrency: []int{1}, Requests: 1}); !isCode(err, "RequestExpired") && !isCode(err, "SignatureDoesNotMatch") {
		t.Errorf("raw client against a strict server: %v, want its signature refused", err)
	}
}

// TestDescribeInTurns measures vpcemu and the baseline in alternating turns:
// each row holds the requests of all its turns.
func TestDescribeInTurns(t *testing.T) {
	e := emulatortest.Start(t)
	r := &Runner{Addr: e.Addr()}
	rows, err := r.Describe(context.Background(), DescribeConfig{Concurrency: []int{2}, Duration: 200 * time.Millisecond, Baseline: true, Turns: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Operation != "DescribeVpcs" || rows[1].Operation != baselineOp {
		t.Fatalf("rows: %+v", rows)
	}
	for _, row := range rows {
		notes := strings.Join(row.Notes, "; ")
		if row.Requests == 0 || row.Errors != 0 || row.ElapsedSec < 0.15 || !strings.Contains(notes, "measured in 4 turns of 50ms") {
			t.Errorf("%s: %d requests, %d errors in %.2f s; notes %q", row.Operation, row.Requests, row.Errors, row.ElapsedSec, notes)
		}
	}
	if !strings.Contains(strings.Join(rows[0].Notes, " "), "of a do-nothing net/http server's rate") {
		t.Errorf("no share of the baseline's rate in %v", rows[0].Notes)
	}
}

func TestParseClient(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Client
		ok   bool
	}{{"raw", RawClient, true}, {"sigv4", SigV4Client, true}, {"sdk", "", false}, {"", "", false}} {
		got, err := ParseClient(tc.in)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("ParseClient(%q) = %q, %v", tc.in, got, err)
		}
	}
}

// TestCPUUseOverTurns: CPU figures over several spans are their total over
// their total time.
func TestCPUUseOverTurns(t *testing.T) {
	var u cpuUse
	u.add(cpuUse{secs: 1, server: 0.5, client: 0.2, other: 0, ok: true, haveSrv: true})
	u.add(cpuUse{}) // a span without figures counts for nothing
	u.add(cpuUse{secs: 3, server: 2.5, client: 1.0, other: 0.4, ok: true, haveSrv: true})
	var r Result
	u.record(&r)
	if r.CPUServer != 0.75 || r.CPUClient != 0.3 || r.CPUOther != 0.1 {
		t.Errorf("got server %.3f client %.3f other %.3f, want 0.75 0.3 0.1", r.CPUServer, r.CPUClient, r.CPUOther)
	}
	u.add(cpuUse{secs: 1, ok: true}) // the server's figure missing from one span: not reported
	r = Result{}
	u.record(&r)
	if r.CPUServer != 0 || r.CPUClient == 0 {
		t.Errorf("server figure from incomplete spans: %+v", r)
	}
}

// TestDXRoute53 runs the dx-route53 scenario, small, against an in-memory
// vpcemu with each client: a grow row and one row per operation at each
// step, no errors.
func TestDXRoute53(t *testing.T) {
	for _, client := range Clients {
		t.Run(string(client), func(t *testing.T) {
			e := emulatortest.Start(t)
			r := &Runner{Addr: e.Addr(), Client: client}
			rows, err := r.DXRoute53(context.Background(), DXRoute53Config{Steps: []int{10, 20}, Concurrency: 3, Samples: 8})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, row := range rows {
				got = append(got, fmt.Sprintf("%s@%d:%d", row.Operation, row.Size, row.Requests))
				if row.Errors != 0 || row.Scenario != "dx-route53" {
					t.Errorf("%+v", row)
				}
			}
			step := func(n, calls int) string {
				return strings.ReplaceAll(fmt.Sprintf("grow step@N:%d DescribeVirtualInterfaces by id@N:8 DescribeDirectConnectGatewayAssociations by gateway@N:8 "+
					"ListResourceRecordSets 100 from a name@N:8 ListHostedZonesByVPC@N:8", calls), "@N", fmt.Sprint("@", n))
			}
			// A unit is 6 calls (the first 5 also associate the measured
			// VPC with their zone); the first step also creates a
			// connection and a gateway, each step a batch of record sets.
			want := step(10, 10*6+zonesOfMeasuredVPC+2+1) + " " + step(20, 10*6+1)
			if strings.Join(got, " ") != want {
				t.Errorf("rows:\n got %s\nwant %s", strings.Join(got, " "), want)
			}
			if client == RawClient {
				checkDXRoute53Answers(t, r)
			}
		})
	}
}

// checkDXRoute53Answers checks that what the scenario measures answers
// what it should at 20: a gateway's 20 associations, a page of record sets
// from a name, the 5 zones of the measured VPC.
func checkDXRoute53Answers(t *testing.T, r *Runner) {
	tg := r.target(dxRoute53Account)
	get := func(req *request) string {
		t.Helper()
		body, err := r.once(tg.Addr, req)
		if err != nil {
			t.Fatal(err)
		}
		return string(body)
	}
	gws := get(tg.jsonCall("directconnect", "OvertureService.DescribeDirectConnectGateways", map[string]any{}))
	gw := jsonField([]byte(gws), "directConnectGatewayId")
	assocs := get(tg.jsonCall("directconnect", "OvertureService.DescribeDirectConnectGatewayAssociations", map[string]any{"directConnectGatewayId": gw}))
	if n := strings.Count(assocs, `"associationId"`); n != 20 {
		t.Errorf("gateway %s: %d associations, want 20", gw, n)
	}
	zones := get(tg.restXMLCall("route53", "GET", "/2013-04-01/hostedzonesbyname?dnsname="+recordsZone+"&maxitems=1", ""))
	zone := zoneID(element([]byte(zones), "HostedZone", "Id"))
	// From r1 in name order: r1, r10…r19, r2…r9.
	page := get(tg.restXMLCall("route53", "GET", "/2013-04-01/hostedzone/"+zone+"/rrset?name=r1."+recordsZone+"&type=A&maxitems=100", ""))
	if n := strings.Count(page, "<ResourceRecordSet>"); n != 19 {
		t.Errorf("record sets from r1: %d, want 19:\n%s", n, page)
	}
	vpcs := get(tg.request(action("DescribeVpcs", "Filter.1.Name", "cidr-block-association.cidr-block", "Filter.1.Value.1", "10.255.0.0/16")))
	vpc := element([]byte(vpcs), "vpcId")
	byVPC := get(tg.restXMLCall("route53", "GET", "/2013-04-01/hostedzonesbyvpc?vpcid="+vpc+"&vpcregion="+tg.Region, ""))
	if n := strings.Count(byVPC, "<HostedZoneSummary>"); n != zonesOfMeasuredVPC {
		t.Errorf("zones of %s: %d, want %d:\n%s", vpc, n, zonesOfMeasuredVPC, byVPC)
	}
}

// TestPageStarts: a page of record sets starts where a full page follows,
// in Route 53's name order.
func TestPageStarts(t *testing.T) {
	for _, tc := range []struct {
		records int
		first   string
		starts  int
	}{{20, "r0." + recordsZone, 1}, {100, "r0." + recordsZone, 1}, {150, "r0." + recordsZone, 51}} {
		g := &dxRoute53{}
		for i := range tc.records {
			g.recNames = append(g.recNames, recordName(i))
		}
		got := g.pageStarts()
		if len(got) != tc.starts || got[0] != tc.first || tc.starts > 1 && got[1] != "r1."+recordsZone {
			t.Errorf("%d records: %d starts from %q", tc.records, len(got), got[0])
		}
	}
}
