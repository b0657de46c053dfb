// Package elbv2api holds the Elastic Load Balancing v2 shapes and operation
// table generated from the AWS API model. Only zz_api.go is generated;
// operations.txt chooses what, and overlay.json adds the operations and
// members AWS published after the model file.
package elbv2api

//go:generate go run github.com/vpcemu/vpcemu/cmd/apigen -model elasticloadbalancingv2/2015-12-01 -pkg elbv2api -overlay overlay.json
