package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/vpcemu/vpcemu/internal/analyzer"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
	"github.com/vpcemu/vpcemu/internal/pathtext"
)

// screenshotsEnv asks the browser tests to write their screenshots to
// testdata/ui (the README shows two of them); without it they write none.
const screenshotsEnv = "VPCEMU_UI_SCREENSHOTS"

// browser starts a headless Chromium for the test, or skips it when the
// machine has none.
func browser(t *testing.T) context.Context {
	t.Helper()
	var exe string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			exe = p
			break
		}
	}
	if exe == "" {
		t.Skip("no chromium on PATH (.ci/run installs Debian's chromium): the web view's browser tests need one")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.WindowSize(1600, 1000),
		chromedp.Flag("no-sandbox", true), // CI runs as root, where Chromium's sandbox refuses to start
		chromedp.Flag("disable-dev-shm-usage", true))
	actx, cancel := chromedp.NewExecAllocator(t.Context(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// screenshot saves the page as testdata/ui/name.png when asked to.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if os.Getenv(screenshotsEnv) == "" {
		return
	}
	if err := chromedp.Do(ctx, chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "ui", name+".png")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", path)
}

// plTopology is a two-account network: account A provides a service
// behind a Network Load Balancer; account B's client reaches it through
// an interface endpoint whose security group does not let it in yet, and
// B's VPC peers with another of A's VPCs.
type plTopology struct {
	ProviderVPC, SharedVPC, ConsumerVPC string
	EndpointIP, EndpointENI             string
	API, Client                         string // instances
	NLB, Service, Endpoint, EndpointSG  string
	Peering                             string
}

func buildPLTopology(t *testing.T, url string) plTopology {
	t.Helper()
	ctx := testContext(t, time.Minute)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	named := func(kind types.ResourceType, name string) []types.TagSpecification {
		return []types.TagSpecification{{ResourceType: kind, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}}}}
	}
	var top plTopology
	vpc := func(c *ec2.Client, name, block string) (vpc, subnet string) {
		t.Helper()
		v, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(block), TagSpecifications: named(types.ResourceTypeVpc, name)})
		must(err)
		s, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String(block[:len(block)-3] + "/24"), AvailabilityZone: aws.String("us-east-1a"),
			TagSpecifications: named(types.ResourceTypeSubnet, name+"-a")})
		must(err)
		return aws.ToString(v.Vpc.VpcId), aws.ToString(s.Subnet.SubnetId)
	}
	group := func(c *ec2.Client, vpc, name string, port int32, from string) string {
		t.Helper()
		g, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: &vpc, GroupName: aws.String(name), Description: aws.String(name)})
		must(err)
		if port != 0 {
			_, err = c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: g.GroupId, IpPermissions: []types.IpPermission{{
				IpProtocol: aws.String("tcp"), FromPort: aws.Int32(port), ToPort: aws.Int32(port), IpRanges: []types.IpRange{{CidrIp: aws.String(from)}}}}})
			must(err)
		}
		return aws.ToString(g.GroupId)
	}
	instance := func(c *ec2.Client, name, subnet, group string) string {
		t.Helper()
		out, err := c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
			SubnetId: &subnet, SecurityGroupIds: []string{group}, TagSpecifications: named(types.ResourceTypeInstance, name)})
		must(err)
		return aws.ToString(out.Instances[0].InstanceId)
	}

	// Account A: the provider.
	a, lb := ec2Client(url, accountA, region), elb.NewFromConfig(emulatortest.Config(url, accountA, region))
	var providerSubnet string
	top.ProviderVPC, providerSubnet = vpc(a, "provider", "10.1.0.0/16")
	top.API = instance(a, "api", providerSubnet, group(a, top.ProviderVPC, "api", 443, "10.1.0.0/16"))
	nlb, err := lb.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{Name: aws.String("api"), Type: elbtypes.LoadBalancerTypeEnumNetwork,
		Scheme: elbtypes.LoadBalancerSchemeEnumInternal, Subnets: []string{providerSubnet}})
	must(err)
	top.NLB = aws.ToString(nlb.LoadBalancers[0].LoadBalancerArn)
	tg, err := lb.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{Name: aws.String("api"), Protocol: elbtypes.ProtocolEnumTcp, Port: aws.Int32(443), VpcId: &top.ProviderVPC})
	must(err)
	_, err = lb.RegisterTargets(ctx, &elb.RegisterTargetsInput{TargetGroupArn: tg.TargetGroups[0].TargetGroupArn, Targets: []elbtypes.TargetDescription{{Id: &top.API}}})
	must(err)
	_, err = lb.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: &top.NLB, Protocol: elbtypes.ProtocolEnumTcp, Port: aws.Int32(443),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: tg.TargetGroups[0].TargetGroupArn}}})
	must(err)
	svc, err := a.CreateVpcEndpointServiceConfiguration(ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{NetworkLoadBalancerArns: []string{top.NLB},
		AcceptanceRequired: aws.Bool(false), TagSpecifications: named(types.ResourceTypeVpcEndpointService, "api-service")})
	must(err)
	top.Service = aws.ToString(svc.ServiceConfiguration.ServiceId)
	_, err = a.ModifyVpcEndpointServicePermissions(ctx, &ec2.ModifyVpcEndpointServicePermissionsInput{ServiceId: &top.Service,
		AddAllowedPrincipals: []string{"arn:aws:iam::" + accountB + ":root"}})
	must(err)
	top.SharedVPC, _ = vpc(a, "shared", "10.3.0.0/16")

	// Account B: the consumer.
	b := ec2Client(url, accountB, region)
	var consumerSubnet string
	top.ConsumerVPC, consumerSubnet = vpc(b, "consumer", "10.2.0.0/16")
	top.Client = instance(b, "client", consumerSubnet, group(b, top.ConsumerVPC, "client", 0, ""))
	top.EndpointSG = group(b, top.ConsumerVPC, "endpoint", 0, "") // no way in yet
	ep, err := b.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: &top.ConsumerVPC, VpcEndpointType: types.VpcEndpointTypeInterface,
		ServiceName: svc.ServiceConfiguration.ServiceName, SubnetIds: []string{consumerSubnet}, SecurityGroupIds: []string{top.EndpointSG},
		TagSpecifications: named(types.ResourceTypeVpcEndpoint, "api")})
	must(err)
	top.Endpoint = aws.ToString(ep.VpcEndpoint.VpcEndpointId)
	enis, err := b.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: ep.VpcEndpoint.NetworkInterfaceIds})
	must(err)
	top.EndpointIP = aws.ToString(enis.NetworkInterfaces[0].PrivateIpAddress)
	top.EndpointENI = aws.ToString(enis.NetworkInterfaces[0].NetworkInterfaceId)
	pcx, err := b.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: &top.ConsumerVPC, PeerVpcId: &top.SharedVPC, PeerOwnerId: aws.String(accountA)})
	must(err)
	top.Peering = aws.ToString(pcx.VpcPeeringConnection.VpcPeeringConnectionId)
	_, err = a.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: &top.Peering})
	must(err)
	return top
}

// js evaluates an expression in the page.
func js[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return out
}

func q(s string) string { b, _ := json.Marshal(s); return string(b) }

// TestWebView opens the web view on a two-account PrivateLink and
// peering network in a real browser: the map has the VPCs, the endpoint,
// the service, its load balancer and target, the peering; a path through
// the endpoint is drawn blocked at the endpoint's security group with the
// sentence `vpcemu analyze` prints; once the group lets the client in
// (through the API), the page shows the path reachable without a reload.
func TestWebView(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	e := emulatortest.Start(t)
	top := buildPLTopology(t, e.URL())
	start := time.Now()
	url := fmt.Sprintf("%s/_vpcemu/ui/?account=%s,%s&region=%s", e.URL(), accountA, accountB, region)
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body[data-revision]"))); err != nil {
		t.Fatal(err)
	}
	t.Logf("map drawn %v after navigating (Chromium's start included); the page took %s ms to fetch and draw it", time.Since(start).Round(time.Millisecond), js[string](t, ctx, "document.body.dataset.loadMs"))

	// The nodes and edges.
	for _, id := range []string{top.ProviderVPC, top.SharedVPC, top.ConsumerVPC, top.API, top.Client, top.NLB, top.Service, top.Endpoint} {
		if !js[bool](t, ctx, "vpcemu.cy.getElementById("+q(id)+").nonempty()") {
			t.Errorf("the map has no node %s", id)
		}
	}
	edge := func(kind, from, to string) string {
		return fmt.Sprintf("vpcemu.cy.edges(%s).some(e => e.source().id() === %s && e.target().id() === %s)", q("."+kind), q(from), q(to))
	}
	for name, expr := range map[string]string{
		"PrivateLink endpoint to service": edge("privatelink", top.Endpoint, top.Service),
		"service to load balancer":        edge("service-lb", top.Service, top.NLB),
		"load balancer to target":         edge("target", top.NLB, top.API),
		"active peering":                  edge("peering.active", top.ConsumerVPC, top.SharedVPC),
		"the endpoint in its subnet":      fmt.Sprintf("vpcemu.cy.getElementById(%s).parent().hasClass('subnet')", q(top.Endpoint)),
	} {
		if !js[bool](t, ctx, expr) {
			t.Errorf("the map lacks the %s", name)
		}
	}

	// Live flows come from the data plane, which this server runs without.
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool]("document.getElementById('flows-status').textContent === 'flows: data plane off'", chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("the flows' status: %v (%q)", err, js[string](t, ctx, "document.getElementById('flows-status').textContent"))
	}

	// A blocked path: the page's words are the command's.
	question := analyzer.Request{From: top.Client, To: top.Endpoint, Port: 443}
	client := &analyzer.Client{Endpoint: e.URL(), Region: region, Credentials: aws.Credentials{AccessKeyID: accountB, SecretAccessKey: emulatortest.Secret}}
	raw, err := client.Analyze(ctx, question)
	if err != nil {
		t.Fatal(err)
	}
	var answer analyzer.Answer
	if err := json.Unmarshal(raw, &answer); err != nil {
		t.Fatal(err)
	}
	want := pathtext.Render(answer)
	// The endpoint's interface blocks it, by its security group.
	if want.Found || want.Blocked == nil || !strings.HasPrefix(want.Blocked.ID, "eni-") || !strings.Contains(want.Blocked.Detail, top.EndpointSG) {
		t.Fatalf("the engine's answer is not the block this test expects: %+v %+v", want, want.Blocked)
	}
	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void]("window.notReloaded = true"),
		// Its Name tag; the page asks as its owner, B, though A comes first.
		chromedp.SetValue(chromedp.CSS("#path-from"), "client"),
		chromedp.SetValue(chromedp.CSS("#path-to"), top.Endpoint),
		chromedp.SetValue(chromedp.CSS("#path-port"), "443"),
		chromedp.Click(chromedp.CSS("#path-form button[type=submit]")),
		chromedp.WaitReady(chromedp.CSS(`body[data-path="blocked"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	why := js[string](t, ctx, "document.getElementById('path-why').textContent")
	blockedHop := js[string](t, ctx, "document.querySelector('.blocked-hop').dataset.id")
	if why != "blocked: "+want.Why[0] {
		t.Errorf("the page says\n%s\nvpcemu analyze says\nblocked: %s", why, want.Why[0])
	}
	if blockedHop != want.Blocked.ID {
		t.Errorf("blocked hop %q, want the endpoint's interface %s", blockedHop, want.Blocked.ID)
	}
	if got := js[[]string](t, ctx, "vpcemu.cy.nodes('.blocked').map(n => n.id())"); len(got) != 1 || got[0] != top.Endpoint {
		t.Errorf("nodes marked blocked: %v, want the endpoint %s", got, top.Endpoint)
	}
	if n := js[int](t, ctx, "vpcemu.cy.edges('.hop').length"); n == 0 {
		t.Error("the path is not drawn over the map")
	}
	screenshot(t, ctx, "blocked")

	// Fixed through the API: the page follows without a reload.
	b := emulatortest.EC2(e, accountB, region)
	if _, err := b.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &top.EndpointSG, IpPermissions: []types.IpPermission{{
		IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), IpRanges: []types.IpRange{{CidrIp: aws.String("10.2.0.0/16")}}}}}); err != nil {
		t.Fatal(err)
	}
	fixed := time.Now()
	if err := chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS(`body[data-path="reachable"]`))); err != nil {
		t.Fatal(err)
	}
	verdict := js[string](t, ctx, "document.getElementById('path-verdict').textContent")
	t.Logf("the page showed the fix %v after it was made", time.Since(fixed).Round(time.Millisecond))
	if !js[bool](t, ctx, "window.notReloaded === true") {
		t.Error("the page reloaded")
	}
	if !strings.HasPrefix(verdict, "reachable: tcp/443 from "+top.Client) {
		t.Errorf("verdict %q", verdict)
	}
	if n := js[int](t, ctx, "vpcemu.cy.nodes('.blocked').length"); n != 0 {
		t.Errorf("%d nodes still marked blocked", n)
	}
	screenshot(t, ctx, "fixed")

	// The keyboard alone: arrows move between resources, D makes the one
	// selected the destination, Enter shows its details.
	err = chromedp.Do(ctx, chromedp.Focus(chromedp.CSS("#cy")), chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowRight),
		chromedp.KeyEvent("d"), chromedp.KeyEvent(kb.Enter))
	if err != nil {
		t.Fatal(err)
	}
	selected := js[string](t, ctx, "vpcemu.state.selected")
	if selected == "" || js[string](t, ctx, "document.getElementById('path-to').value") != selected ||
		!strings.Contains(js[string](t, ctx, "document.getElementById('announce').textContent"), selected) {
		t.Errorf("the keyboard selected %q; destination %q; announced %q", selected, js[string](t, ctx, "document.getElementById('path-to').value"),
			js[string](t, ctx, "document.getElementById('announce').textContent"))
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool]("document.getElementById('details-title').textContent.includes("+q(selected)+")", chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("Enter did not show the details of %s: %v", selected, err)
	}

	// The table view lists the same resources, and the details of the
	// endpoint show its group's rules.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#tab-table")),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#node-table tr[data-id=%s]`, q(top.Endpoint)))),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool]("document.getElementById('details-title').textContent.includes("+q(top.Endpoint)+")", chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the endpoint's details: %v", err)
	}
	rows := js[int](t, ctx, "document.querySelectorAll('#node-table tbody tr').length")
	detailsText := js[string](t, ctx, "document.getElementById('details').textContent")
	if want := js[int](t, ctx, "vpcemu.state.graph.nodes.filter(n => n.kind !== 'zone').length"); rows != want {
		t.Errorf("the table has %d rows, want %d", rows, want)
	}
	// Its price too: an interface endpoint in one zone, $7.30 a month.
	for _, s := range []string{top.EndpointSG, "10.2.0.0/16", "443", "Cost: $7.30 a month", "Endpoint (1 AZ)"} {
		if !strings.Contains(detailsText, s) {
			t.Errorf("the endpoint's details lack %q:\n%s", s, detailsText)
		}
	}
	screenshot(t, ctx, "table")

	// Dark, as the system asks: the page and the map follow.
	dark := func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
		return err
	}
	if err := chromedp.Do(ctx, chromedp.Func(dark), chromedp.Click(chromedp.CSS("#tab-map"))); err != nil {
		t.Fatal(err)
	}
	if bg := js[string](t, ctx, "getComputedStyle(document.body).backgroundColor"); bg != "rgb(21, 23, 26)" {
		t.Errorf("dark background %s", bg)
	}
	if fg := js[string](t, ctx, "vpcemu.cy.getElementById("+q(top.Client)+").style('color')"); fg != "rgb(232,234,237)" {
		t.Errorf("the map's labels in the dark are %s", fg)
	}
	screenshot(t, ctx, "fixed-dark")
}

// TestWebViewThousandVPCs measures opening an account with 1,000 VPCs
// (BENCHMARKS.md records the figure): the VPCs start collapsed, and one
// opens on a click. It logs how long each step took, and asserts no time.
func TestWebViewThousandVPCs(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	e := emulatortest.Start(t)
	const account = "333333333333"
	c := emulatortest.EC2(e, account, region)
	made := time.Now()
	var last string
	for i := range 1000 {
		v, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(fmt.Sprintf("10.%d.%d.0/24", i/256, i%256)),
			TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeVpc, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String(fmt.Sprintf("vpc-%04d", i))}}}}})
		if err != nil {
			t.Fatal(err)
		}
		last = aws.ToString(v.Vpc.VpcId)
		if _, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String(fmt.Sprintf("10.%d.%d.0/26", i/256, i%256))}); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("made 1,000 VPCs with a subnet each in %v", time.Since(made).Round(time.Millisecond))
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil { // Chromium's start, not counted
		t.Fatal(err)
	}
	start := time.Now()
	err := chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/_vpcemu/ui/?account=%s&region=%s", e.URL(), account, region)),
		chromedp.WaitReady(chromedp.CSS("body[data-revision]")))
	if err != nil {
		t.Fatal(err)
	}
	opened := time.Since(start)
	nodes := js[int](t, ctx, "vpcemu.cy.nodes().length")
	t.Logf("opened in %v (the page: %s ms to fetch the map and draw it, of which %s ms drawing, %s ms the layout); %d nodes on screen",
		opened.Round(time.Millisecond), js[string](t, ctx, "document.body.dataset.loadMs"), js[string](t, ctx, "document.body.dataset.renderMs"), js[string](t, ctx, "document.body.dataset.layoutMs"), nodes)
	if nodes != 1001 { // the VPCs, collapsed, and the default one
		t.Errorf("%d nodes on screen, want the 1,001 VPCs collapsed", nodes)
	}
	start = time.Now()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void]("vpcemu.toggle("+q(last)+")")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool]("vpcemu.cy.getElementById("+q(last)+").isParent()")); err != nil {
		t.Fatal(err)
	}
	t.Logf("one VPC opened in %v", time.Since(start).Round(time.Millisecond))
	// The opened VPC is drawn with its subnet, above the others.
	if !js[bool](t, ctx, "vpcemu.cy.getElementById("+q(last)+").boundingBox().y2 < vpcemu.cy.nodes('.collapsed').boundingBox().y1") {
		t.Error("the opened VPC overlaps the collapsed ones")
	}
	screenshot(t, ctx, "thousand")
}

// holdScript opens a connection to argv[1]:443, sends half a request
// (the server waits for the rest) and holds it open.
const holdScript = `
import socket, sys, time
c = socket.create_connection((sys.argv[1], 443), timeout=5)
c.sendall(b'GET / HTTP/1.1\r\n')
time.sleep(120)
`

// TestWebViewFlows: a connection the data plane carries, from the
// consumer's client through the endpoint to the provider's instance,
// appears on the map along its path, with its bytes, and in the table,
// without a reload.
func TestWebViewFlows(t *testing.T) {
	t.Parallel()
	needsDataPlane(t)
	ctx := browser(t)
	srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory")
	top := buildPLTopology(t, srv.URL)
	b := ec2Client(srv.URL, accountB, region)
	if _, err := b.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &top.EndpointSG, IpPermissions: []types.IpPermission{{
		IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), IpRanges: []types.IpRange{{CidrIp: aws.String("10.2.0.0/16")}}}}}); err != nil {
		t.Fatal(err)
	}
	provider, consumer := player{t: t, url: srv.URL, account: accountA}, player{t: t, url: srv.URL, account: accountB}
	provider.serve(top.API, "python3", "-m", "http.server", "443")
	consumer.waitServing(top.Client, "http://"+top.EndpointIP+":443/")

	url := fmt.Sprintf("%s/_vpcemu/ui/?account=%s,%s&region=%s", srv.URL, accountB, accountA, region)
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body[data-revision]"))); err != nil {
		t.Fatal(err)
	}
	if n := js[int](t, ctx, "vpcemu.cy.edges('.flow').length"); n != 0 {
		t.Errorf("%d flows drawn before any connection is held", n)
	}
	consumer.serve(top.Client, "python3", "-c", holdScript, top.EndpointIP)
	// Drawn along its path: from the client, through the endpoint and the
	// load balancer, to the provider's instance.
	flow := fmt.Sprintf("[%s, %s, %s].every(id => vpcemu.cy.edges('.flow').some(e => e.source().id() === id)) && vpcemu.cy.edges('.flow').some(e => e.target().id() === %s)",
		q(top.Client), q(top.Endpoint), q(top.NLB), q(top.API))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](flow, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatalf("no flow from the client to the provider's instance on the map: %v; status %q", err, js[string](t, ctx, "document.getElementById('flows-status').textContent"))
	}
	if label := js[string](t, ctx, "vpcemu.cy.edges('.flow')[0].data('label')"); !strings.HasPrefix(label, "tcp 443 · ↑") {
		t.Errorf("the flow's label %q", label)
	}
	if row := js[string](t, ctx, "document.querySelector('#flow-table tbody tr').textContent"); !strings.Contains(row, top.Client) || !strings.Contains(row, top.Endpoint) {
		t.Errorf("the flows' table row %q", row)
	}
	screenshot(t, ctx, "flows")

	// When the data plane's window closes, the interfaces' records show in
	// the table view, the endpoint's among them, accepted.
	records := fmt.Sprintf("[...document.querySelectorAll('#record-table tbody tr')].some(tr => tr.textContent.includes(%s) && tr.textContent.includes('ACCEPT'))", q(top.EndpointENI))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](records, chromedp.WithPollingTimeout(100*time.Second), chromedp.WithPollingInterval(time.Second))); err != nil {
		t.Fatalf("no flow-log record of the endpoint's interface %s in the table: %v", top.EndpointENI, err)
	}
}
