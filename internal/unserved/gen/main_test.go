package main

import (
	"bytes"
	"os"
	"testing"
)

// TestServicesJSONIsCurrent fails when services.json differs from what the
// pinned models give: run go generate ./internal/unserved.
func TestServicesJSONIsCurrent(t *testing.T) {
	want, err := generate()
	if err != nil {
		t.Skipf("models not available: %v", err)
	}
	got, err := os.ReadFile("../services.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("services.json is stale: run go generate ./internal/unserved")
	}
}
