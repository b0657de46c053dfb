// Package stsapi holds the STS shapes and operation table generated from the
// AWS API model. Only zz_api.go is generated; operations.txt chooses what.
package stsapi

//go:generate go run github.com/vpcemu/vpcemu/cmd/apigen -model sts/2011-06-15 -pkg stsapi
