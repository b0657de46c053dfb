// Package layers holds no code, only the tests that fence vpcemu's layers:
// which packages may depend on which (over the full dependency graph that
// go list reports, not just direct imports), and that every package says
// what it holds in a doc comment.
package layers
