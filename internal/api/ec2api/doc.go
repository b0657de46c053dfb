// Package ec2api holds the EC2 shapes and operation table generated from the
// AWS API model. Only zz_api.go is generated; operations.txt chooses what,
// and overlay.json adds members AWS published after the model file.
package ec2api

//go:generate go run github.com/vpcemu/vpcemu/cmd/apigen -model ec2/2016-11-15 -pkg ec2api -overlay overlay.json -sparse NetworkInsightsAnalysis
