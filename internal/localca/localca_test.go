package localca

import (
	"crypto/tls"
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"
)

// The CA is made once and kept: opened again it is the same, and a client
// that trusts its pool verifies what it issues for the name asked, and
// nothing else.
func TestCA(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ca")
	ca, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Open(dir)
	if err != nil || !again.cert.Equal(ca.cert) {
		t.Fatalf("reopened: %v, same %v", err, err == nil && again.cert.Equal(ca.cert))
	}
	if fi, err := os.Stat(filepath.Join(dir, KeyFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the key file: %v %v", fi, err)
	}
	if b, err := os.ReadFile(ca.BundlePath()); err != nil || len(b) == 0 {
		t.Errorf("bundle: %v", err)
	}
	leaf, err := again.Certificate("S3.us-east-1.amazonaws.com.")
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(leaf.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		ok   bool
	}{{"s3.us-east-1.amazonaws.com", true}, {"sqs.us-east-1.amazonaws.com", false}} {
		_, err := cert.Verify(x509.VerifyOptions{DNSName: tc.name, Roots: ca.Pool()})
		if (err == nil) != tc.ok {
			t.Errorf("%s: verify %v, want ok %v", tc.name, err, tc.ok)
		}
	}
	if c, _ := ca.TLSConfig("x.amazonaws.com").GetCertificate(&tls.ClientHelloInfo{}); c == nil {
		t.Error("no certificate for a client naming no server")
	}
	os.WriteFile(filepath.Join(dir, KeyFile), []byte("not a CA"), 0o600)
	if _, err := Open(dir); err == nil {
		t.Error("a broken CA opened")
	}
	// Servers opening one new directory together agree on one CA.
	shared := t.TempDir()
	cas := make(chan *CA, 8)
	for range 8 {
		go func() {
			ca, err := Open(shared)
			if err != nil {
				t.Error(err)
			}
			cas <- ca
		}()
	}
	first := <-cas
	for range 7 {
		if ca := <-cas; ca == nil || first == nil || !ca.cert.Equal(first.cert) {
			t.Fatal("two CAs in one directory")
		}
	}
}
