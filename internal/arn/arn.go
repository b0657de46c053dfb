// Package arn is vpcemu's one vocabulary for Amazon Resource Names and the
// account ids they carry: parsing (aws-sdk-go-v2's arn package), formatting
// in the partition vpcemu serves, and the resource id an ARN names.
package arn

import (
	"strings"

	awsarn "github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/vpcemu/vpcemu/internal/regions"
)

// ARN is a parsed ARN.
type ARN = awsarn.ARN

// Parse parses an ARN (arn:partition:service:region:account:resource).
func Parse(s string) (ARN, error) { return awsarn.Parse(s) }

// Is reports whether s has the shape of an ARN.
func Is(s string) bool { return awsarn.IsARN(s) }

// New formats the ARN of a resource in vpcemu's partition.
func New(service, region, account, resource string) string {
	return ARN{Partition: regions.Partition, Service: service, Region: region, AccountID: account, Resource: resource}.String()
}

// EC2 is the ARN of an EC2 resource: arn:aws:ec2:region:account:type/id.
func EC2(region, account, resourceType, id string) string {
	return New("ec2", region, account, resourceType+"/"+id)
}

// Root is the ARN of an account's root principal: arn:aws:iam::account:root.
func Root(account string) string { return New("iam", "", account, "root") }

// ResourceID is the id an ARN names: the end of its resource, after the
// last '/' or ':' (vpce-1 in arn:aws:ec2:…:vpc-endpoint/vpce-1, the
// function in arn:aws:lambda:…:function:name). Anything that is not an ARN
// (an id already) is returned as it is.
func ResourceID(s string) string {
	a, err := awsarn.Parse(s)
	if err != nil {
		return s
	}
	return a.Resource[strings.LastIndexAny(a.Resource, "/:")+1:]
}

// IsAccount reports whether s is an AWS account id: 12 decimal digits.
func IsAccount(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
