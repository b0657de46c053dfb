package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBoto3Lifecycle runs testdata/boto3/lifecycle.py against a fresh
// vpcemu: in an empty account it lists every resource kind of EC2 and
// ELBv2, then creates, lists and deletes each, reading every response key
// with [] as Python programs do, so a list vpcemu left out fails the run
// with a KeyError.
func TestBoto3Lifecycle(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("python3 and boto3 start slowly; skipped in -short mode")
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not on PATH; install it and boto3 to run the boto3 test")
	}
	if out, err := exec.Command(python, "-c", "import boto3").CombinedOutput(); err != nil {
		t.Skipf("boto3 is not installed for %s (pip install boto3 to run this test): %s", python, out)
	}
	s := Serve(t, "--in-memory", "--addr", "127.0.0.1:0")
	script, err := filepath.Abs(filepath.Join("testdata", "boto3", "lifecycle.py"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	config, creds := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	for _, f := range []string{config, creds} {
		if err := os.WriteFile(f, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.CommandContext(t.Context(), python, script)
	cmd.Env = append(withoutPrefixes(os.Environ(), "AWS_"),
		"AWS_ENDPOINT_URL="+s.URL,
		"AWS_ACCESS_KEY_ID="+accountA,
		"AWS_SECRET_ACCESS_KEY=secret",
		"AWS_DEFAULT_REGION="+region,
		"AWS_CONFIG_FILE="+config,
		"AWS_SHARED_CREDENTIALS_FILE="+creds,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_MAX_ATTEMPTS=1", // show a failure at once, without retries
	)
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
}
