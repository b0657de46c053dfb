// Package netview is the reachability engine's read model: a consistent,
// read-only picture of the network of some scopes, read in one store
// transaction and linked once (addresses to interfaces, subnets to their
// route tables and network ACLs, security group rules compiled), so that
// the engine (internal/reach) evaluates paths without touching the store.
package netview
