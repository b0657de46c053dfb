// Package hostedzone derives the Route 53 hosted zone ids and DNS labels
// vpcemu shows for what AWS names by a zone (load balancers, VPC endpoints
// and their private DNS): stable for the same seed, in AWS's shapes.
package hostedzone

import (
	"crypto/sha256"
	"math/big"
	"strings"
)

// ID derives a stable hosted zone id in the shape of recent ones: Z0 and
// 19 upper-case letters and digits.
func ID(seed string) string {
	return "Z0" + strings.ToUpper(Base36(seed, 19))
}

// Base36 is n lower-case letters and digits derived from seed.
func Base36(seed string, n int) string {
	sum := sha256.Sum256([]byte(seed))
	s := new(big.Int).SetBytes(sum[:]).Text(36)
	return s[len(s)-n:]
}
