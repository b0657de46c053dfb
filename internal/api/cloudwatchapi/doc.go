// Package cloudwatchapi holds the CloudWatch (metrics) shapes and operation
// table generated from the AWS API model (monitoring 2010-08-01). The model
// of the pinned aws-sdk-go v1 says the query protocol, which the aws CLI v1
// speaks; today's SDKs (aws-sdk-go-v2's service/cloudwatch) speak Smithy
// RPC v2 CBOR with AWS query compatibility, under the Smithy service name
// the -rpcv2cbor flag gives. A Datapoint is sparse: AWS leaves out its
// ExtendedStatistics when none were asked for. Only zz_api.go is
// generated; operations.txt chooses what.
package cloudwatchapi

//go:generate go run github.com/vpcemu/vpcemu/cmd/apigen -model monitoring/2010-08-01 -pkg cloudwatchapi -rpcv2cbor GraniteServiceVersion20100801 -sparse Datapoint
