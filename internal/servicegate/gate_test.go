package servicegate

import (
	"bufio"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/localca"
)

func TestClassify(t *testing.T) {
	signed := "AWS4-HMAC-SHA256 Credential=111111111111/20261207/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00"
	cases := []struct {
		name, service, method, url, host, target, body string
		action, resource, principal, protocol          string
	}{
		{"path-style get", "s3", "GET", "/reports/2026/q1.csv", "s3.us-east-1.amazonaws.com", "", "", "s3:GetObject", "arn:aws:s3:::reports/2026/q1.csv", "arn:aws:iam::111111111111:root", "rest-xml"},
		{"virtual-hosted put", "s3", "PUT", "/k", "reports.s3.us-east-1.amazonaws.com", "", "", "s3:PutObject", "arn:aws:s3:::reports/k", "arn:aws:iam::111111111111:root", "rest-xml"},
		{"head object", "s3", "HEAD", "/b/k", "s3.amazonaws.com", "", "", "s3:GetObject", "arn:aws:s3:::b/k", "arn:aws:iam::111111111111:root", "rest-xml"},
		{"list bucket", "s3", "GET", "/b?list-type=2", "s3.amazonaws.com", "", "", "s3:ListBucket", "arn:aws:s3:::b", "arn:aws:iam::111111111111:root", "rest-xml"},
		{"bucket policy", "s3", "PUT", "/b?policy", "s3.amazonaws.com", "", "", "s3:PutBucketPolicy", "arn:aws:s3:::b", "arn:aws:iam::111111111111:root", "rest-xml"},
		{"multipart", "s3", "POST", "/b/k?uploads", "s3.amazonaws.com", "", "", "s3:PutObject", "arn:aws:s3:::b/k", "arn:aws:iam::111111111111:root", "rest-xml"},
		{"buckets", "s3", "GET", "/", "s3.amazonaws.com", "", "", "s3:ListAllMyBuckets", "*", "arn:aws:iam::111111111111:root", "rest-xml"},
		{"json target", "ssm", "POST", "/", "ssm.us-east-1.amazonaws.com", "AmazonSSM.DescribeInstanceInformation", "{}", "ssm:DescribeInstanceInformation", "*", "arn:aws:iam::111111111111:root", "json"},
		{"query form", "sqs", "POST", "/", "sqs.us-east-1.amazonaws.com", "", "Action=SendMessage&QueueUrl=x", "sqs:SendMessage", "*", "arn:aws:iam::111111111111:root", "query"},
		{"query url", "sts", "GET", "/?Action=GetCallerIdentity", "sts.amazonaws.com", "", "", "sts:GetCallerIdentity", "*", "arn:aws:iam::111111111111:root", "query"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, "http://"+tc.host+tc.url, strings.NewReader(tc.body))
			r.Header.Set("Authorization", signed)
			if tc.target != "" {
				r.Header.Set("X-Amz-Target", tc.target)
			}
			if tc.protocol == "query" {
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			got := Classify(tc.service, r)
			want := Request{Action: tc.action, Resource: tc.resource, Principal: tc.principal, Protocol: tc.protocol}
			if got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
			if body, _ := io.ReadAll(r.Body); string(body) != tc.body {
				t.Errorf("the body left is %q", body)
			}
		})
	}
	for name, want := range map[string]string{"com.amazonaws.us-east-1.s3": "s3", "com.amazonaws.us-east-1.ecr.api": "ecr", "com.amazonaws.eu-west-1.monitoring": "cloudwatch", "secretsmanager": "secretsmanager"} {
		if got := IAMPrefix(name); got != want {
			t.Errorf("IAMPrefix(%s) = %s, want %s", name, got, want)
		}
	}
}

func TestParseUpstream(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"s3=http://127.0.0.1:9000", true},
		{"sqs=http://[::1]:9324/", true},
		{"s3=http://10.0.0.5:9000", false},
		{"s3=http://localhost:9000", false},
		{"s3=ftp://127.0.0.1:21", false},
		{"s3", false},
		{"com.amazonaws.s3=http://127.0.0.1:9000", false},
	} {
		if _, _, err := ParseUpstream(tc.in); (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.in, err)
		}
	}
}

// A request over TLS with the CA's certificate for the service's name is
// forwarded to the upstream with its Host, or refused with S3's
// AccessDenied when the policy says no.
func TestServe(t *testing.T) {
	var hosts []string
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hosts = append(hosts, r.Host+" "+r.URL.Path)
		io.WriteString(w, "object")
	}))
	defer up.Close()
	ca, err := localca.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(up.URL)
	g := New(ca, map[string]*url.URL{"s3": u}, nil)
	authorize := func(r Request) (bool, string) { return r.Resource != "arn:aws:s3:::secret/k", "ImplicitDeny" }
	for _, tc := range []struct {
		path   string
		status int
		body   string
	}{{"/public/k", 200, "object"}, {"/secret/k", 403, "because no VPC endpoint policy allows the s3:GetObject action"}} {
		client, server := net.Pipe()
		go g.Serve(server, "s3", "s3.us-east-1.amazonaws.com", true, authorize)
		tc2 := tls.Client(client, &tls.Config{ServerName: "s3.us-east-1.amazonaws.com", RootCAs: ca.Pool()})
		req, _ := http.NewRequest("GET", "https://s3.us-east-1.amazonaws.com"+tc.path, nil)
		if err := req.Write(tc2); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(tc2), req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.body) {
			t.Errorf("%s: %d %s", tc.path, resp.StatusCode, body)
		}
		tc2.Close()
	}
	if len(hosts) != 1 || hosts[0] != "s3.us-east-1.amazonaws.com /public/k" {
		t.Errorf("the upstream saw %q", hosts)
	}
}
