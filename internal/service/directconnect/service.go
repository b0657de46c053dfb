// Package directconnect serves AWS Direct Connect (the json protocol). So
// far it answers DescribeLocations from the fixed catalogue of
// internal/dxlocations; every other operation answers UnsupportedOperation
// (directconnectapi.Unimplemented) until the Direct Connect domain exists.
package directconnect

import "github.com/vpcemu/vpcemu/internal/api/directconnectapi"

// Service implements directconnectapi.Handler.
type Service struct {
	directconnectapi.Unimplemented
}

var _ directconnectapi.Handler = (*Service)(nil)

// New returns the Direct Connect service.
func New() *Service { return &Service{} }
