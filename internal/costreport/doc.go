// Package costreport answers vpcemu's cost endpoint: it reads the priced
// resources of every account from the store (one transaction), turns the
// data plane's meters or an Infracost usage file into traffic, and hands
// both to internal/cost.
package costreport
