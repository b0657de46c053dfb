//go:build !linux

package dataplane

import "context"

// dialOnPremises has no host on premises to open a flow through: hosts on
// premises are played in transparent mode (Linux) only.
func (f *Fabric) dialOnPremises(context.Context, Verdict, *plan) (conn, error) { return nil, errNoHost }
