// Package directconnectapi holds the Direct Connect shapes and operation
// table generated from the AWS API model (the json protocol, X-Amz-Target
// OvertureService.<Operation>). Only zz_api.go is generated; operations.txt
// chooses what, and overlay.json adds members newer than the model file.
package directconnectapi

//go:generate go run github.com/vpcemu/vpcemu/cmd/apigen -model directconnect/2012-10-25 -pkg directconnectapi -overlay overlay.json
