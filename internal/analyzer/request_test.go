package analyzer

import (
	"net/netip"
	"reflect"
	"testing"

	"github.com/vpcemu/vpcemu/internal/reach"
)

func TestRequestQuery(t *testing.T) {
	ip := netip.MustParseAddr
	cases := []struct {
		name string
		req  Request
		want reach.Query
	}{
		{"ids, tcp by default", Request{From: "i-0123456789abcdef0", To: "eni-01234567", Port: 443},
			reach.Query{Source: "i-0123456789abcdef0", Destination: "eni-01234567", Protocol: reach.TCP, DestinationPort: 443}},
		{"addresses", Request{From: "10.0.1.4", To: "8.8.8.8", Protocol: "udp", Port: 53},
			reach.Query{SourceIP: ip("10.0.1.4"), DestinationIP: ip("8.8.8.8"), Protocol: reach.UDP, DestinationPort: 53}},
		{"ARNs name their ids", Request{From: "arn:aws:ec2:us-east-1:111111111111:instance/i-0123456789abcdef0",
			To: "arn:aws:ec2:us-east-1:222222222222:vpc-endpoint-service/vpce-svc-0123456789abcdef0"},
			reach.Query{Source: "i-0123456789abcdef0", Destination: "vpce-svc-0123456789abcdef0", Protocol: reach.TCP}},
		{"a DNS name, as the resolver reads it", Request{From: "i-0123456789abcdef0", To: "My-Bucket.S3.us-east-1.amazonaws.com."},
			reach.Query{Source: "i-0123456789abcdef0", DestinationName: "my-bucket.s3.us-east-1.amazonaws.com", Protocol: reach.TCP}},
		{"pinned addresses", Request{From: "i-0123456789abcdef0", To: "igw-01234567", SourceIP: "10.0.1.5", DestinationIP: "1.1.1.1"},
			reach.Query{Source: "i-0123456789abcdef0", Destination: "igw-01234567", SourceIP: ip("10.0.1.5"), DestinationIP: ip("1.1.1.1"), Protocol: reach.TCP}},
		{"a pin that agrees", Request{From: "10.0.1.5", To: "pcx-01234567", SourceIP: "10.0.1.5"},
			reach.Query{SourceIP: ip("10.0.1.5"), Destination: "pcx-01234567", Protocol: reach.TCP}},
		{"icmp", Request{From: "i-0123456789abcdef0", To: "10.0.0.1", Protocol: "icmp"},
			reach.Query{Source: "i-0123456789abcdef0", DestinationIP: ip("10.0.0.1"), Protocol: reach.ICMP}},
		{"a policy question", Request{From: "i-0123456789abcdef0", To: "vpce-0123456789abcdef0", Action: "s3:GetObject",
			Resource: "arn:aws:s3:::b/k", Principal: "arn:aws:iam::111111111111:role/app"},
			reach.Query{Source: "i-0123456789abcdef0", Destination: "vpce-0123456789abcdef0", Protocol: reach.TCP, Action: "s3:GetObject",
				Resource: "arn:aws:s3:::b/k", Principal: "arn:aws:iam::111111111111:role/app"}},
		{"component filters", Request{From: "pcx-01234567", To: "i-0123456789abcdef0", Through: []string{"arn:aws:ec2:us-east-1:111111111111:vpc/vpc-01234567"},
			Avoid: []string{"arn:aws:ec2:us-east-1:111111111111:natgateway/nat-01234567"}},
			reach.Query{Source: "pcx-01234567", Destination: "i-0123456789abcdef0", Protocol: reach.TCP, ThroughARNs: []string{"arn:aws:ec2:us-east-1:111111111111:vpc/vpc-01234567"},
				AvoidARNs: []string{"arn:aws:ec2:us-east-1:111111111111:natgateway/nat-01234567"}}},
		{"on premises behind a VIF, by id or ARN", Request{From: "192.168.1.10", Via: "arn:aws:directconnect:us-east-1:111111111111:dxvif/dxvif-fgq8ig1h", To: "i-0123456789abcdef0", Port: 22},
			reach.Query{SourceIP: ip("192.168.1.10"), Via: "dxvif-fgq8ig1h", Destination: "i-0123456789abcdef0", Protocol: reach.TCP, DestinationPort: 22}},
		{"IPv6 goes to the engine (which explains it)", Request{From: "i-0123456789abcdef0", To: "2001:db8::1"},
			reach.Query{Source: "i-0123456789abcdef0", DestinationIP: ip("2001:db8::1"), Protocol: reach.TCP}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.req.Query()
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}
