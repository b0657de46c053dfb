// Package localca is vpcemu's own certificate authority: it signs the
// certificates the data plane presents for AWS service names
// (s3.us-east-1.amazonaws.com…), so programs playing instances speak TLS
// to "AWS" unchanged once they trust it. The CA is created on first use in
// a directory (the data dir) and kept there; it signs nothing but leaf
// certificates for the names asked, and is good for nothing off this
// machine. crypto/x509 does the work: there is no library to prefer.
package localca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// File names in the CA's directory.
const (
	CertFile   = "vpcemu-ca.pem"     // the CA's certificate: what clients trust
	KeyFile    = "vpcemu-ca-key.pem" // its key and certificate, readable by its owner only
	BundleFile = "vpcemu-ca-bundle.pem"
)

// systemBundles are where Linux distributions keep the trusted roots (the
// bundle vpcemu writes adds its CA to the first one found, so a program
// given it still trusts what it did).
var systemBundles = []string{
	"/etc/ssl/certs/ca-certificates.crt",
	"/etc/pki/tls/certs/ca-bundle.crt",
	"/etc/ssl/cert.pem",
}

// CA signs leaf certificates for names.
type CA struct {
	dir  string
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	mu   sync.Mutex
	// leaves are the certificates issued, by name.
	leaves map[string]*tls.Certificate
}

// Open loads the CA kept in dir, creating it (and dir) on first use.
// Servers starting together on one data dir agree on one CA: it is
// created under a temporary name and linked into place only if none is
// there yet.
func Open(dir string) (*CA, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	ca := &CA{dir: dir, leaves: map[string]*tls.Certificate{}}
	keyPath := filepath.Join(dir, KeyFile)
	b, err := os.ReadFile(keyPath)
	if errors.Is(err, os.ErrNotExist) {
		if err := create(dir, keyPath); err != nil {
			return nil, err
		}
		b, err = os.ReadFile(keyPath)
	}
	if err != nil {
		return nil, err
	}
	if err := ca.load(b); err != nil {
		return nil, fmt.Errorf("the CA in %s: %w", keyPath, err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.cert.Raw})
	if err := writeFile(filepath.Join(dir, CertFile), certPEM); err != nil {
		return nil, err
	}
	var bundle []byte
	for _, f := range systemBundles {
		if b, err := os.ReadFile(f); err == nil {
			bundle = append(b, '\n')
			break
		}
	}
	return ca, writeFile(filepath.Join(dir, BundleFile), append(bundle, certPEM...))
}

// load reads the key and the certificate from one PEM file.
func (ca *CA) load(b []byte) error {
	for {
		var blk *pem.Block
		if blk, b = pem.Decode(b); blk == nil {
			break
		}
		var err error
		switch blk.Type {
		case "CERTIFICATE":
			ca.cert, err = x509.ParseCertificate(blk.Bytes)
		case "EC PRIVATE KEY":
			ca.key, err = x509.ParseECPrivateKey(blk.Bytes)
		}
		if err != nil {
			return err
		}
	}
	if ca.cert == nil || ca.key == nil || !ca.key.PublicKey.Equal(ca.cert.PublicKey) {
		return errors.New("want a certificate and its EC private key")
	}
	return nil
}

// create makes a CA and links it at keyPath unless one is there already.
func create(dir, keyPath string) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "vpcemu local CA", Organization: []string{"vpcemu"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".ca-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	pem.Encode(tmp, &pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	pem.Encode(tmp, &pem.Block{Type: "CERTIFICATE", Bytes: der})
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), keyPath); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	return nil
}

// writeFile replaces a file whole (readers never see half of one).
func writeFile(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".w-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// CertPath is the CA certificate's file; BundlePath the system's roots
// with it (what SSL_CERT_FILE and the like are given).
func (ca *CA) CertPath() string   { return filepath.Join(ca.dir, CertFile) }
func (ca *CA) BundlePath() string { return filepath.Join(ca.dir, BundleFile) }

// Pool is a pool holding the CA alone.
func (ca *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.cert)
	return p
}

// Certificate is a leaf certificate for name, issued on first use and
// kept for the CA's life.
func (ca *CA) Certificate(name string) (*tls.Certificate, error) {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	if name == "" {
		return nil, errors.New("no server name to issue a certificate for")
	}
	ca.mu.Lock()
	defer ca.mu.Unlock()
	if c := ca.leaves[name]; c != nil {
		return c, nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: name},
		DNSNames:     []string{name},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(1, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return nil, err
	}
	c := &tls.Certificate{Certificate: [][]byte{der, ca.cert.Raw}, PrivateKey: key}
	ca.leaves[name] = c
	return c, nil
}

// TLSConfig serves a certificate for whatever name a client asks for
// (SNI), or fallback when it names none.
func (ca *CA) TLSConfig(fallback string) *tls.Config {
	return &tls.Config{
		MinVersion: tls.VersionTLS12,
		GetCertificate: func(h *tls.ClientHelloInfo) (*tls.Certificate, error) {
			name := h.ServerName
			if name == "" {
				name = fallback
			}
			return ca.Certificate(name)
		},
	}
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	return n
}
