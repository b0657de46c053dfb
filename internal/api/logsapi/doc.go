// Package logsapi holds the CloudWatch Logs shapes and operation table
// generated from the AWS API model (the json protocol 1.1, X-Amz-Target
// Logs_20140328.<Operation>). Only zz_api.go is generated; operations.txt
// chooses what.
package logsapi

//go:generate go run github.com/vpcemu/vpcemu/cmd/apigen -model logs/2014-03-28 -pkg logsapi
