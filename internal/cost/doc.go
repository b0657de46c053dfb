// Package cost prices a configuration and its traffic as AWS would bill
// them: the hourly resources (endpoints per zone, NAT gateways, public IPv4
// addresses, load balancers, Direct Connect ports, hosted zones) and the
// per-GB charges (endpoint and NAT processing, cross-zone, inter-region,
// internet and Direct Connect transfer), from a price file that names each
// price's source. The bytes come from the data plane's meters, attributed
// to the path they took, or from an Infracost usage file.
//
// The package is pure: it reads an Inventory and a Usage and writes a Bill;
// the server builds the inventory from the store (internal/costreport).
package cost
