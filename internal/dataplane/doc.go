// Package dataplane carries real traffic between processes that play
// instances (`vpcemu run --instance i-… -- CMD`): each process runs in its
// own network namespace with the instance's address on a TUN device whose
// other end is a user-space TCP/IP stack in the server (the Fabric). Every
// new flow asks the reachability engine, over the live snapshot, the same
// question `vpcemu analyze` and Network Insights ask, and is carried to
// where the engine's path ends — the target behind an endpoint's NLB, a
// peer VPC's instance — or dropped as AWS drops it. Nothing leaves the
// machine: a flow goes only to another attached instance's namespace.
package dataplane
