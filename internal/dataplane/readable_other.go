//go:build !unix

package dataplane

// waitReadable cannot wait without reading here: the copy holds its
// buffer while it waits.
func waitReadable(conn) {}

// canWait is false: see waitReadable.
func canWait(conn) bool { return false }
