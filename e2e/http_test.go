package e2e

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// authorization is a SigV4 Authorization header for account's access key
// in region and service. vpcemu does not check signatures by default.
func authorization(account, region, service string) string {
	return fmt.Sprintf("AWS4-HMAC-SHA256 Credential=%s/20260101/%s/%s/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=%064d",
		account, region, service, 0)
}

// presigned is the query-string form of the same credential.
func presigned(account, region, service string) string {
	return url.Values{
		"X-Amz-Algorithm":     {"AWS4-HMAC-SHA256"},
		"X-Amz-Credential":    {fmt.Sprintf("%s/20260101/%s/%s/aws4_request", account, region, service)},
		"X-Amz-Date":          {"20260101T000000Z"},
		"X-Amz-Expires":       {"900"},
		"X-Amz-SignedHeaders": {"host"},
		"X-Amz-Signature":     {fmt.Sprintf("%064d", 0)},
	}.Encode()
}

// xmlDoc is the parts of an XML answer the tests look at.
type xmlDoc struct {
	root string
	text map[string][]string // every element's text, by local name
}

func parseXML(t *testing.T, body []byte) xmlDoc {
	t.Helper()
	doc := xmlDoc{text: map[string][]string{}}
	d := xml.NewDecoder(bytes.NewReader(body))
	var names []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return doc
		}
		if err != nil {
			t.Fatalf("answer is not XML (%v):\n%s", err, body)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if doc.root == "" {
				doc.root = tok.Name.Local
			}
			names = append(names, tok.Name.Local)
		case xml.CharData:
			if s := strings.TrimSpace(string(tok)); s != "" && len(names) > 0 {
				doc.text[names[len(names)-1]] = append(doc.text[names[len(names)-1]], s)
			}
		case xml.EndElement:
			names = names[:len(names)-1]
		}
	}
}

func (d xmlDoc) first(name string) string {
	if v := d.text[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// TestHTTPEdges sends requests the SDKs never send, or send rarely, over
// real HTTP. Each gets an AWS-shaped answer, and the server goes on serving.
func TestHTTPEdges(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	ec2Auth := authorization(accountA, region, "ec2")
	form := "application/x-www-form-urlencoded; charset=utf-8"

	cases := []struct {
		name   string
		method string
		query  string // the URL's query string
		auth   string // Authorization header
		body   string
		status int
		root   string            // the answer's XML root element
		want   map[string]string // element → text of its first occurrence
		wantN  map[string]int    // element → how many times it occurs
	}{
		{name: "malformed form body", method: "POST", auth: ec2Auth,
			body:   "Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=%zz",
			status: 400, root: "Response", want: map[string]string{"Code": "InvalidParameterValue"}},
		{name: "unknown action", method: "POST", auth: ec2Auth, body: "Action=Frobnicate&Version=2016-11-15",
			status: 400, root: "Response", want: map[string]string{"Code": "InvalidAction",
				"Message": "The action Frobnicate is not valid for this web service."}},
		{name: "action vpcemu does not implement", method: "POST", auth: ec2Auth,
			body:   "Action=CreateCapacityReservation&Version=2016-11-15",
			status: 400, root: "Response", want: map[string]string{"Code": "UnsupportedOperation",
				"Message": "vpcemu does not implement ec2:CreateCapacityReservation yet."}},
		{name: "missing action", method: "POST", auth: ec2Auth, body: "Version=2016-11-15",
			status: 400, root: "Response", want: map[string]string{"Code": "MissingAction"}},
		{name: "unknown STS action", method: "POST", auth: authorization(accountA, region, "sts"),
			body:   "Action=Frobnicate&Version=2011-06-15",
			status: 400, root: "ErrorResponse", want: map[string]string{"Code": "InvalidAction", "Type": "Sender"}},
		{name: "body over 10 MiB", method: "POST", auth: ec2Auth,
			body:   "Action=DescribeVpcs&Version=2016-11-15&Pad=" + strings.Repeat("x", 10<<20),
			status: 413, root: "Response", want: map[string]string{"Code": "RequestEntityTooLarge"}},
		{name: "GET with query parameters", method: "GET", auth: ec2Auth,
			query:  "Action=DescribeRegions&Version=2016-11-15&RegionName.1=eu-west-1&RegionName.2=ap-south-1",
			status: 200, root: "DescribeRegionsResponse", want: map[string]string{"regionName": "ap-south-1"},
			wantN: map[string]int{"regionName": 2}},
		{name: "GET with a filter", method: "GET", auth: ec2Auth,
			query:  "Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=is-default&Filter.1.Value.1=true",
			status: 200, root: "DescribeVpcsResponse", want: map[string]string{"cidrBlock": "172.31.0.0/16", "ownerId": accountA}},
		{name: "presigned STS", method: "GET",
			query:  "Action=GetCallerIdentity&Version=2011-06-15&" + presigned("123456789012", "eu-central-1", "sts"),
			status: 200, root: "GetCallerIdentityResponse",
			want: map[string]string{"Account": "123456789012", "Arn": "arn:aws:iam::123456789012:root"}},
		{name: "presigned EC2 takes its region from the credential", method: "GET",
			query:  "Action=DescribeAvailabilityZones&Version=2016-11-15&" + presigned(accountB, "eu-west-2", "ec2"),
			status: 200, root: "DescribeAvailabilityZonesResponse",
			want: map[string]string{"zoneName": "eu-west-2a", "regionName": "eu-west-2"}},
		{name: "region from the credential scope", method: "POST", auth: authorization(accountA, "ap-northeast-1", "ec2"),
			body:   "Action=DescribeVpcs&Version=2016-11-15",
			status: 200, root: "DescribeVpcsResponse", want: map[string]string{"cidrBlock": "172.31.0.0/16"}},
		{name: "invalid region", method: "POST", auth: authorization(accountA, "mars-north-1", "ec2"),
			body:   "Action=DescribeVpcs&Version=2016-11-15",
			status: 401, root: "Response", want: map[string]string{"Code": "AuthFailure",
				"Message": "Credential should be scoped to a valid region, not 'mars-north-1'."}},
		{name: "unsigned, no version", method: "POST", body: "Action=DescribeRegions&RegionName.1=us-west-2",
			status: 400, root: "Response", want: map[string]string{"Code": "NoSuchVersion",
				"Message": "The requested version of service AmazonEC2 does not exist"}},
	}
	client := &http.Client{Timeout: 30 * time.Second}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), tc.method, e.URL()+"/?"+tc.query, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if tc.body != "" {
				req.Header.Set("Content-Type", form)
			}
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
				req.Header.Set("X-Amz-Date", "20260101T000000Z")
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d:\n%s", resp.StatusCode, tc.status, body)
			}
			doc := parseXML(t, body)
			if doc.root != tc.root {
				t.Errorf("root element %s, want %s:\n%s", doc.root, tc.root, body)
			}
			for name, want := range tc.want {
				if got := doc.first(name); got != want {
					t.Errorf("%s = %q, want %q:\n%.2000s", name, got, want, body)
				}
			}
			for name, want := range tc.wantN {
				if got := len(doc.text[name]); got != want {
					t.Errorf("%d %s elements, want %d:\n%.2000s", got, name, want, body)
				}
			}
			if resp.StatusCode >= 400 && doc.first("RequestID")+doc.first("RequestId") == "" {
				t.Errorf("error without a request id:\n%s", body)
			}
			// The server still answers.
			if _, err := emulatortest.EC2(e, accountA, region).DescribeRegions(t.Context(), &ec2.DescribeRegionsInput{}); err != nil {
				t.Fatalf("after %s: %v", tc.name, err)
			}
		})
	}
}

// TestCallerIdentity: a 12-digit access key id is that account, any other
// key is the default account, and the region comes from the credential scope.
func TestCallerIdentity(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	for _, tc := range []struct{ key, region, account string }{
		{"123456789012", "us-east-1", "123456789012"},
		{accountB, "ap-southeast-2", accountB},
		{"AKIAIOSFODNN7EXAMPLE", "eu-west-1", "000000000000"},
		{"test", "us-west-2", "000000000000"},
	} {
		out, err := emulatortest.STS(e, tc.key, tc.region).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatalf("%s: %v", tc.key, err)
		}
		if aws.ToString(out.Account) != tc.account || aws.ToString(out.Arn) != "arn:aws:iam::"+tc.account+":root" {
			t.Errorf("%s: account %s arn %s", tc.key, aws.ToString(out.Account), aws.ToString(out.Arn))
		}
		zones, err := emulatortest.EC2(e, tc.key, tc.region).DescribeAvailabilityZones(t.Context(), &ec2.DescribeAvailabilityZonesInput{})
		if err != nil {
			t.Fatalf("%s: %v", tc.key, err)
		}
		if len(zones.AvailabilityZones) == 0 || aws.ToString(zones.AvailabilityZones[0].RegionName) != tc.region {
			t.Errorf("%s in %s: zones %+v", tc.key, tc.region, zones.AvailabilityZones)
		}
	}
	_, err := emulatortest.EC2(e, accountA, "xx-nowhere-9").DescribeVpcs(t.Context(), &ec2.DescribeVpcsInput{})
	if apiCode(err) != "AuthFailure" {
		t.Errorf("invalid region: %v", err)
	}
}

func TestHealth(t *testing.T) {
	t.Parallel()
	s := Serve(t, "--in-memory", "--addr", "127.0.0.1:0")
	resp, err := http.Get(s.URL + "/_vpcemu/health")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var health struct {
		Status   string   `json:"status"`
		Version  string   `json:"version"`
		Services []string `json:"services"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&health); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("status %d, content type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if health.Status != "ok" || health.Version == "" || strings.Join(health.Services, ",") != "ec2,sts,elasticloadbalancing,directconnect,route53,logs,monitoring" {
		t.Errorf("health %+v", health)
	}
}
