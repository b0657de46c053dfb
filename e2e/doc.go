// Package e2e holds vpcemu's end-to-end tests: they build the vpcemu binary
// and drive it the way users do, through its command line, raw HTTP, the aws
// CLI and Terraform. The helpers in this package build the binary and start
// and stop `vpcemu serve` processes; the command's own tests use them too.
package e2e
