package cloud

import (
	"crypto/rand"
	"fmt"
	mrand "math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
)

// WellFormed reports whether id is prefix followed by 8 or 17 lowercase
// hex digits, the shapes AWS ids take.
func WellFormed(id, prefix string) bool {
	if !strings.HasPrefix(id, prefix) {
		return false
	}
	rest := id[len(prefix):]
	if len(rest) != 8 && len(rest) != 17 {
		return false
	}
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// IDSource makes resource ids.
type IDSource interface {
	// NewID returns prefix followed by 17 hex digits ("vpc-0a1b…").
	NewID(prefix string) string
}

type randomIDs struct {
	mu  sync.Mutex
	rng *mrand.ChaCha8
}

// RandomIDs returns ids like AWS's: a prefix and 17 random hex digits.
func RandomIDs() IDSource {
	var seed [32]byte
	rand.Read(seed[:])
	return &randomIDs{rng: mrand.NewChaCha8(seed)}
}

func (r *randomIDs) NewID(prefix string) string {
	r.mu.Lock()
	a, b := r.rng.Uint64(), r.rng.Uint64()
	r.mu.Unlock()
	// 17 hex digits = 68 bits: one nibble from b, 64 bits from a.
	return fmt.Sprintf("%s%01x%016x", prefix, b&0xf, a)
}

type seqIDs struct{ n atomic.Uint64 }

// SequentialIDs returns predictable ids (prefix + counter), for tests.
func SequentialIDs() IDSource { return &seqIDs{} }

func (s *seqIDs) NewID(prefix string) string {
	return fmt.Sprintf("%s%017x", prefix, s.n.Add(1))
}
