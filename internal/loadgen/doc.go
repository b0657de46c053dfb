// Package loadgen is the load generator behind `vpcemu bench`: it populates
// accounts, drives a server with raw keep-alive HTTP requests (no SDK in the
// loop, so the client costs little next to the server) or, to see what an SDK
// sees, with net/http and a real SigV4 signature on every request, optionally
// spawns the server and pins both to one CPU, and reports rates and
// latencies.
package loadgen
