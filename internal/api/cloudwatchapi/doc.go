// Package cloudwatchapi holds the CloudWatch (metrics) shapes and operation
// table generated from the AWS API model (monitoring 2010-08-01). The model
// of the pinned aws-sdk-go v1 says the query protocol; today's clients
// speak the protocols CloudWatch added since, with AWS query compatibility,
// under the Smithy service name the -query-compatible flag gives: botocore
// (the aws CLI v1) awsJson1_0, aws-sdk-go-v2 Smithy RPC v2 CBOR. A
// Datapoint is sparse: AWS leaves out its ExtendedStatistics when none
// were asked for. Only zz_api.go is generated; operations.txt chooses
// what.
package cloudwatchapi

//go:generate go run github.com/vpcemu/vpcemu/cmd/apigen -model monitoring/2010-08-01 -pkg cloudwatchapi -query-compatible GraniteServiceVersion20100801 -sparse Datapoint
