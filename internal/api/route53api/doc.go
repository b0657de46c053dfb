// Package route53api holds the Route 53 shapes and operation table
// generated from the AWS API model (the rest-xml protocol: each operation is
// an HTTP method and a URI template under /2013-04-01/). Only zz_api.go is
// generated; operations.txt chooses what.
package route53api

//go:generate go run github.com/vpcemu/vpcemu/cmd/apigen -model route53/2013-04-01 -pkg route53api
