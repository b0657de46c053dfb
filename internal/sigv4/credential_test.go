package sigv4

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
)

func TestFromRequest(t *testing.T) {
	cases := []struct {
		name   string
		header string
		url    string
		want   Credential
		wantOK bool
	}{
		{
			name:   "header",
			header: "AWS4-HMAC-SHA256 Credential=111111111111/20261121/eu-west-1/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc",
			url:    "/",
			want:   Credential{AccessKey: "111111111111", Date: "20261121", Region: "eu-west-1", Service: "ec2", SignedHeaders: "host;x-amz-date", Signature: "abc"},
			wantOK: true,
		},
		{
			name:   "presigned",
			url:    "/?Action=DescribeVpcs&X-Amz-Credential=AKIDEXAMPLE%2F20261121%2Fus-west-2%2Fec2%2Faws4_request&X-Amz-SignedHeaders=host&X-Amz-Signature=def",
			want:   Credential{AccessKey: "AKIDEXAMPLE", Date: "20261121", Region: "us-west-2", Service: "ec2", SignedHeaders: "host", Signature: "def", Presigned: true},
			wantOK: true,
		},
		{name: "unsigned", url: "/"},
		{name: "other algorithm", header: "AWS3 Credential=x", url: "/"},
		{name: "short scope", header: "AWS4-HMAC-SHA256 Credential=AKID/20261121/us-east-1/ec2", url: "/"},
		{name: "long scope", header: "AWS4-HMAC-SHA256 Credential=AKID/20261121/us-east-1/ec2/x/aws4_request", url: "/"},
		{name: "not aws4_request", header: "AWS4-HMAC-SHA256 Credential=AKID/20261121/us-east-1/ec2/aws5_request", url: "/"},
		{name: "no key id", header: "AWS4-HMAC-SHA256 Credential=/20261121/us-east-1/ec2/aws4_request", url: "/"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, c.url, nil)
			if c.header != "" {
				r.Header.Set("Authorization", c.header)
			}
			got, ok := FromRequest(r)
			if ok != c.wantOK {
				t.Fatalf("ok = %v, want %v", ok, c.wantOK)
			}
			if !ok {
				return
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestAccount(t *testing.T) {
	cases := map[string]bool{"111111111111": true, "000000000000": true, "AKIAIOSFODNN7EXAMPLE": false, "11111111111": false, "1111111111a1": false, "test": false}
	for key, ok := range cases {
		acct, got := Account(key)
		if got != ok || ok && acct != key {
			t.Errorf("Account(%q) = %q, %v", key, acct, got)
		}
	}
}
