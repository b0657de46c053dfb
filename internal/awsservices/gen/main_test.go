package main

import (
	"bytes"
	"os"
	"testing"
)

// TestEndpointServicesJSONIsCurrent regenerates endpointservices.json and
// compares it with the committed file.
func TestEndpointServicesJSONIsCurrent(t *testing.T) {
	got, err := generate("..")
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("../endpointservices.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, committed) {
		t.Error("internal/awsservices/endpointservices.json is stale: run go generate ./internal/awsservices")
	}
}

func TestParseName(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want svcName
	}{
		{"rds", svcName{template: "com.amazonaws.{region}.rds", short: "rds", prefix: "com.amazonaws"}},
		{"ecr.dkr", svcName{template: "com.amazonaws.{region}.ecr.dkr", short: "ecr.dkr", prefix: "com.amazonaws"}},
		{"aws.api.{region}.qbusiness", svcName{template: "aws.api.{region}.qbusiness", short: "qbusiness", prefix: "aws.api"}},
		{"aws.api.us-east-2.route53globalresolver", svcName{template: "aws.api.us-east-2.route53globalresolver", short: "route53globalresolver", prefix: "aws.api", region: "us-east-2"}},
		{"com.amazonaws.iam", svcName{template: "com.amazonaws.iam", short: "iam", prefix: "com.amazonaws", global: true}},
	} {
		if got := parseName(tc.in); got != tc.want {
			t.Errorf("parseName(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestDNSNameOrder(t *testing.T) {
	for _, tc := range []struct{ in, reversed, fipsBase string }{
		{"ecr.api", "api.ecr", "ecr.api"},
		{"kms-fips", "kms-fips", "kms"},
		{"iot-fips.tunneling.api", "api.tunneling.iot-fips", "iot.tunneling.api"},
	} {
		base, _ := fips(tc.in)
		if got := reversed(tc.in); got != tc.reversed || base != tc.fipsBase {
			t.Errorf("%s: reversed %s, FIPS base %s", tc.in, got, base)
		}
	}
}
