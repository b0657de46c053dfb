package dataplane

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
)

// metadataWorld is a VPC (10.0.0.0/16, subnet 10.0.1.0/24 in
// us-east-1a) with instances launched with different metadata options,
// and the fabric that serves their metadata.
type metadataWorld struct {
	f                               *Fabric
	c                               *cloud.Cloud
	net                             *network.Service
	vpc, subnet, group              string
	open, required, disabled, plain *network.Instance
}

func newMetadataWorld(t *testing.T) *metadataWorld {
	c := cloudtest.Open(t)
	ctx, who, net := context.Background(), cloudtest.Alice, network.New(c)
	live := netview.NewLive(c)
	t.Cleanup(func() {
		net.CreateVPC(ctx, who, network.CreateVPCInput{CIDRBlock: "10.9.0.0/16"})
		live.Current(ctx)
	})
	vpc := must(net.CreateVPC(ctx, who, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16"}))
	subnet := must(net.CreateSubnet(ctx, who, network.CreateSubnetInput{VpcID: vpc.ID, CIDRBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1a"}))
	web := must(net.CreateSecurityGroup(ctx, who, network.CreateSecurityGroupInput{VpcID: vpc.ID, Name: "web", Description: "web"}))
	launch := func(ip string, m network.MetadataOptions) *network.Instance {
		zero := int32(0)
		return must(net.RunInstances(ctx, who, network.RunInstancesInput{ImageID: "ami-12345678", InstanceType: "t3.micro", MinCount: 1, MaxCount: 1,
			UserData: base64.StdEncoding.EncodeToString([]byte("#!/bin/sh\necho hi\n")), Metadata: m,
			Tags:       []cloud.TagSpec{{ResourceType: "instance", Tags: []cloud.Tag{{Key: "Name", Value: "web-1"}, {Key: "team", Value: "platform"}}}},
			Interfaces: []network.LaunchInterface{{DeviceIndex: &zero, SubnetID: subnet.ID, Groups: []string{web.ID}, PrivateIP: ip}}})).Instances[0]
	}
	w := &metadataWorld{c: c, net: net, vpc: vpc.ID, subnet: subnet.ID, group: web.ID,
		open:     launch("10.0.1.10", network.MetadataOptions{InstanceMetadataTags: "enabled"}),
		required: launch("10.0.1.11", network.MetadataOptions{HTTPTokens: "required"}),
		disabled: launch("10.0.1.12", network.MetadataOptions{HTTPEndpoint: "disabled"}),
		plain:    launch("10.0.1.13", network.MetadataOptions{}),
	}
	w.f = NewFabric(NewDecider(live), nil, nil, nil)
	return w
}

// do sends one request to the metadata service as instance.
func (w *metadataWorld) do(t *testing.T, instance, method, path string, header ...string) (int, string, http.Header) {
	t.Helper()
	req := httptest.NewRequest(method, "http://169.254.169.254"+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	w.f.metadataHandler(instance).ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body), rec.Result().Header
}

// token is an IMDSv2 token of instance's.
func (w *metadataWorld) token(t *testing.T, instance string) string {
	t.Helper()
	code, body, _ := w.do(t, instance, http.MethodPut, "/latest/api/token", tokenTTLHeader, "60")
	if code != http.StatusOK {
		t.Fatalf("token for %s: %d %s", instance, code, body)
	}
	return body
}

// The metadata service's tokens and versions, as AWS enforces them.
func TestMetadataTokens(t *testing.T) {
	w := newMetadataWorld(t)
	openToken, requiredToken := w.token(t, w.open.ID), w.token(t, w.required.ID)
	cases := []struct {
		name     string
		instance string
		method   string
		path     string
		header   []string
		code     int
		body     string
	}{
		{"v1 where optional", w.open.ID, "GET", "/latest/meta-data/instance-id", nil, 200, w.open.ID},
		{"v2 where optional", w.open.ID, "GET", "/latest/meta-data/instance-id", []string{tokenHeader, openToken}, 200, w.open.ID},
		{"v1 where required", w.required.ID, "GET", "/latest/meta-data/instance-id", nil, 401, "401 - Unauthorized"},
		{"v2 where required", w.required.ID, "GET", "/latest/meta-data/instance-id", []string{tokenHeader, requiredToken}, 200, w.required.ID},
		{"a bad token", w.open.ID, "GET", "/latest/meta-data/instance-id", []string{tokenHeader, "AQAEAnotatoken"}, 401, "401 - Unauthorized"},
		{"another instance's token", w.open.ID, "GET", "/latest/meta-data/instance-id", []string{tokenHeader, requiredToken}, 401, ""},
		{"endpoint disabled", w.disabled.ID, "GET", "/latest/meta-data/instance-id", nil, 403, "403 - Forbidden"},
		{"token where disabled", w.disabled.ID, "PUT", "/latest/api/token", []string{tokenTTLHeader, "60"}, 403, ""},
		{"token without a ttl", w.open.ID, "PUT", "/latest/api/token", nil, 400, "400 - Bad Request"},
		{"token ttl 0", w.open.ID, "PUT", "/latest/api/token", []string{tokenTTLHeader, "0"}, 400, ""},
		{"token ttl too long", w.open.ID, "PUT", "/latest/api/token", []string{tokenTTLHeader, "21601"}, 400, ""},
		{"token ttl not a number", w.open.ID, "PUT", "/latest/api/token", []string{tokenTTLHeader, "soon"}, 400, ""},
		{"token longest ttl", w.open.ID, "PUT", "/latest/api/token", []string{tokenTTLHeader, "21600"}, 200, "AQAEA"},
		{"token through a proxy", w.open.ID, "PUT", "/latest/api/token", []string{tokenTTLHeader, "60", "X-Forwarded-For", "10.0.1.99"}, 403, ""},
		{"token by GET", w.open.ID, "GET", "/latest/api/token", nil, 405, ""},
		{"PUT elsewhere", w.open.ID, "PUT", "/latest/meta-data/instance-id", nil, 405, ""},
		{"an instance nobody has", "i-0000000000000000f", "GET", "/latest/meta-data/instance-id", nil, 404, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, body, h := w.do(t, c.instance, c.method, c.path, c.header...)
			if code != c.code || !strings.Contains(body, c.body) {
				t.Fatalf("got %d %q, want %d with %q", code, body, c.code, c.body)
			}
			if h.Get("Server") != "EC2ws" {
				t.Errorf("Server: %q", h.Get("Server"))
			}
		})
	}
}

// A token lasts its ttl, and no longer.
func TestMetadataTokenExpires(t *testing.T) {
	w := newMetadataWorld(t)
	now := time.Now()
	w.f.imds.now = func() time.Time { return now }
	token := w.token(t, w.required.ID)
	now = now.Add(59 * time.Second)
	if code, _, h := w.do(t, w.required.ID, "GET", "/latest/meta-data/instance-id", tokenHeader, token); code != 200 || h.Get(tokenTTLHeader) != "1" {
		t.Fatalf("before expiry: %d, ttl %q", code, h.Get(tokenTTLHeader))
	}
	now = now.Add(time.Second)
	if code, _, _ := w.do(t, w.required.ID, "GET", "/latest/meta-data/instance-id", tokenHeader, token); code != 401 {
		t.Fatalf("after expiry: %d, want 401", code)
	}
}

// The metadata's paths: values, listings and what is not there.
func TestMetadataPaths(t *testing.T) {
	w := newMetadataWorld(t)
	eni := cloudtest.ReadAs[network.NetworkInterface](t, w.c, cloudtest.Alice, w.open.NetworkInterfaces[0])
	mac := eni.MACAddress
	if mac == "" {
		t.Fatal("the interface has no MAC address")
	}
	macs := "/latest/meta-data/network/interfaces/macs/" + mac + "/"
	cases := []struct {
		instance, path string
		code           int
		body           string
	}{
		{w.open.ID, "/latest/meta-data/instance-id", 200, w.open.ID},
		{w.open.ID, "/latest/meta-data/ami-id", 200, "ami-12345678"},
		{w.open.ID, "/latest/meta-data/instance-type", 200, "t3.micro"},
		{w.open.ID, "/latest/meta-data/local-ipv4", 200, "10.0.1.10"},
		{w.open.ID, "/latest/meta-data/local-hostname", 200, "ip-10-0-1-10.ec2.internal"},
		{w.open.ID, "/latest/meta-data/hostname", 200, "ip-10-0-1-10.ec2.internal"},
		{w.open.ID, "/latest/meta-data/mac", 200, mac},
		{w.open.ID, "/latest/meta-data/security-groups", 200, "web"},
		{w.open.ID, "/latest/meta-data/placement/availability-zone", 200, "us-east-1a"},
		{w.open.ID, "/latest/meta-data/placement/region", 200, "us-east-1"},
		{w.open.ID, "/latest/meta-data/services/domain", 200, "amazonaws.com"},
		{w.open.ID, "/latest/meta-data/services/partition", 200, "aws"},
		{w.open.ID, "/latest/meta-data/placement/", 200, "availability-zone\navailability-zone-id\nregion"},
		{w.open.ID, "/latest/meta-data/placement", 200, "availability-zone\navailability-zone-id\nregion"},
		{w.open.ID, "/latest/meta-data/network/interfaces/macs/", 200, mac + "/"},
		{w.open.ID, macs + "interface-id", 200, eni.ID},
		{w.open.ID, macs + "device-number", 200, "0"},
		{w.open.ID, macs + "local-ipv4s", 200, "10.0.1.10"},
		{w.open.ID, macs + "owner-id", 200, cloudtest.Alice.Account},
		{w.open.ID, macs + "security-group-ids", 200, w.group},
		{w.open.ID, macs + "security-groups", 200, "web"},
		{w.open.ID, macs + "subnet-id", 200, w.subnet},
		{w.open.ID, macs + "subnet-ipv4-cidr-block", 200, "10.0.1.0/24"},
		{w.open.ID, macs + "vpc-id", 200, w.vpc},
		{w.open.ID, macs + "vpc-ipv4-cidr-block", 200, "10.0.0.0/16"},
		{w.open.ID, macs + "vpc-ipv4-cidr-blocks", 200, "10.0.0.0/16"},
		{w.open.ID, "/latest/meta-data/tags/instance/", 200, "Name\nteam"},
		{w.open.ID, "/latest/meta-data/tags/instance/team", 200, "platform"},
		{w.plain.ID, "/latest/meta-data/tags/instance/Name", 404, "404 - Not Found"},
		{w.plain.ID, "/latest/meta-data/tags/", 404, ""},
		{w.open.ID, "/latest/meta-data/iam/", 404, "404 - Not Found"},
		{w.open.ID, "/latest/meta-data/public-ipv4", 404, ""},
		{w.open.ID, "/latest/meta-data/nothing-here", 404, ""},
		{w.open.ID, "/nonsense/meta-data/instance-id", 404, ""},
		{w.open.ID, "/latest/user-data", 200, "#!/bin/sh\necho hi\n"},
		{w.open.ID, "/latest/", 200, "dynamic/\nmeta-data/\nuser-data"},
		{w.open.ID, "/latest/dynamic/", 200, "instance-identity/"},
		{w.open.ID, "/2021-07-15/meta-data/instance-id", 200, w.open.ID},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			code, body, _ := w.do(t, c.instance, "GET", c.path)
			if code != c.code || (c.code == 200 && body != c.body) || (c.code != 200 && !strings.Contains(body, c.body)) {
				t.Fatalf("got %d %q, want %d %q", code, body, c.code, c.body)
			}
		})
	}
	// The root listing has the values above and their directories.
	_, root, _ := w.do(t, w.open.ID, "GET", "/latest/meta-data/")
	for _, want := range []string{"ami-id", "instance-id", "local-ipv4", "mac", "network/", "placement/", "services/", "tags/", "security-groups"} {
		if !strings.Contains("\n"+root+"\n", "\n"+want+"\n") {
			t.Errorf("the listing %q lacks %s", root, want)
		}
	}
}

// The identity document is JSON as AWS shapes it.
func TestMetadataIdentityDocument(t *testing.T) {
	w := newMetadataWorld(t)
	code, body, _ := w.do(t, w.open.ID, "GET", "/latest/dynamic/instance-identity/document")
	if code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	want := map[string]any{"accountId": cloudtest.Alice.Account, "architecture": "x86_64", "availabilityZone": "us-east-1a", "imageId": "ami-12345678",
		"instanceId": w.open.ID, "instanceType": "t3.micro", "privateIp": "10.0.1.10", "region": "us-east-1", "version": "2017-09-30", "kernelId": nil}
	for k, v := range want {
		if got, ok := doc[k]; !ok || got != v {
			t.Errorf("%s: %v, want %v", k, got, v)
		}
	}
	if _, err := time.Parse(time.RFC3339, doc["pendingTime"].(string)); err != nil {
		t.Errorf("pendingTime: %v", err)
	}
	if !strings.Contains(body, `"accountId" : "`) {
		t.Errorf("not AWS's spacing: %s", body)
	}
}

// Only 169.254.169.254:80 is the service, and [fd00:ec2::254]:80 for an
// instance that enables its IPv6 endpoint; never for a host on premises.
func TestServesMetadata(t *testing.T) {
	w := newMetadataWorld(t)
	snap := must(w.f.decider.live.Current(context.Background()))
	v4, v6 := netip.AddrPortFrom(metadataV4, 80), netip.AddrPortFrom(metadataV6, 80)
	cases := []struct {
		instance string
		dst      netip.AddrPort
		want     bool
	}{
		{w.open.ID, v4, true},
		{w.disabled.ID, v4, true}, // served: it answers 403
		{w.open.ID, netip.AddrPortFrom(metadataV4, 443), false},
		{w.open.ID, v6, false},
		{w.open.ID, netip.MustParseAddrPort("10.0.1.11:80"), false},
		{"onprem/10.50.0.5", v4, false},
	}
	for _, c := range cases {
		if got := servesMetadata(snap, c.instance, c.dst); got != c.want {
			t.Errorf("%s to %s: %v, want %v", c.instance, c.dst, got, c.want)
		}
	}
}

// In proxy mode the metadata service answers the run's instance through
// every protocol of the proxy, and at the run's own endpoint.
func TestMetadataProxy(t *testing.T) {
	target := must(net.Listen("tcp", "127.0.0.1:0"))
	n := newProxyNet(t, target)
	good := basic(n.client.Instance, n.client.Token)
	read := func(t *testing.T, c net.Conn, br *bufio.Reader, path string) string {
		t.Helper()
		fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: 169.254.169.254\r\n\r\n", path)
		resp := must(http.ReadResponse(br, nil))
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	t.Run("CONNECT", func(t *testing.T) {
		status, c, br := n.connect(t, "169.254.169.254:80", good, 2*time.Second)
		if status != "200 Connection established" {
			t.Fatalf("status %q", status)
		}
		if got := read(t, c, br, "/latest/meta-data/instance-id"); got != n.client.Instance {
			t.Fatalf("instance-id %q, want %s", got, n.client.Instance)
		}
	})
	t.Run("SOCKS5", func(t *testing.T) {
		_, code, c := n.socks(t, netip.AddrPortFrom(metadataV4, 80), n.client.Instance, n.client.Token, 2*time.Second)
		if code != socksOK {
			t.Fatalf("reply %d", code)
		}
		if got := read(t, c, bufio.NewReader(c), "/latest/meta-data/placement/availability-zone"); got != "us-east-1a" {
			t.Fatalf("zone %q", got)
		}
	})
	t.Run("absolute HTTP", func(t *testing.T) {
		c := must(net.Dial("tcp", n.proxy.Addr().String()))
		defer c.Close()
		fmt.Fprintf(c, "GET http://169.254.169.254/latest/meta-data/local-ipv4 HTTP/1.1\r\nHost: 169.254.169.254\r\nProxy-Authorization: %s\r\n\r\n", good)
		resp := must(http.ReadResponse(bufio.NewReader(c), nil))
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || string(body) != "10.2.1.5" {
			t.Fatalf("%d %q", resp.StatusCode, body)
		}
	})
	t.Run("the run's endpoint", func(t *testing.T) {
		cfg := n.client
		cfg.Token = newToken()
		n.proxy.runs.tokens[cfg.Token] = pending{cfg: cfg, expires: time.Now().Add(time.Minute)}
		s := must(OpenSession(n.proxy.Addr().String(), cfg.Instance, cfg.Token))
		if !strings.HasPrefix(s.Metadata, "http://127.0.0.1:") {
			t.Fatalf("the run's metadata endpoint %q", s.Metadata)
		}
		req := must(http.NewRequest(http.MethodPut, s.Metadata+"/latest/api/token", nil))
		req.Header.Set(tokenTTLHeader, "60")
		resp := must(http.DefaultClient.Do(req))
		token, _ := io.ReadAll(resp.Body)
		req = must(http.NewRequest(http.MethodGet, s.Metadata+"/latest/meta-data/instance-id", nil))
		req.Header.Set(tokenHeader, string(token))
		resp = must(http.DefaultClient.Do(req))
		body, _ := io.ReadAll(resp.Body)
		if string(body) != cfg.Instance {
			t.Fatalf("instance-id %q", body)
		}
		s.Close()
		deadline := time.Now().Add(5 * time.Second)
		for {
			_, err := http.Get(s.Metadata + "/latest/meta-data/instance-id")
			if err != nil {
				break // the endpoint ends with the run
			}
			if time.Now().After(deadline) {
				t.Fatal("the run's metadata endpoint outlived the run")
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

// A change through the API applies to the next request.
func TestMetadataLive(t *testing.T) {
	w := newMetadataWorld(t)
	ctx := context.Background()
	steps := []struct {
		change network.MetadataOptions
		path   string
		code   int
	}{
		{network.MetadataOptions{}, "/latest/meta-data/instance-id", 200},
		{network.MetadataOptions{HTTPTokens: "required"}, "/latest/meta-data/instance-id", 401},
		{network.MetadataOptions{HTTPTokens: "optional", InstanceMetadataTags: "disabled"}, "/latest/meta-data/tags/instance/Name", 404},
		{network.MetadataOptions{HTTPEndpoint: "disabled"}, "/latest/meta-data/instance-id", 403},
		{network.MetadataOptions{HTTPEndpoint: "enabled"}, "/latest/meta-data/instance-id", 200},
	}
	for i, s := range steps {
		must(w.net.ModifyInstanceMetadataOptions(ctx, cloudtest.Alice, w.open.ID, s.change))
		if code, body, _ := w.do(t, w.open.ID, "GET", s.path); code != s.code {
			t.Fatalf("step %d (%+v): %d %s, want %d", i, s.change, code, body, s.code)
		}
	}
}
