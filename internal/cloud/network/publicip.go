package network

import (
	"errors"
	"math/rand/v2"
	"net/netip"

	"github.com/vpcemu/vpcemu/internal/cidr"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// publicPool is where vpcemu draws public IPv4 addresses from: 198.18.0.0/15,
// reserved for benchmarking and never routed on the internet, so no address
// vpcemu hands out is anyone's real address.
var publicPool = netip.MustParsePrefix("198.18.0.0/15")

// publicIP is a record that holds one public address, so no two resources
// in any account get the same one.
type publicIP struct {
	cloud.Meta
	// Holder is the Elastic IP allocation or network interface holding it.
	Holder string
}

func (*publicIP) Kind() cloud.Kind  { return cloud.KindPublicIP }
func (*publicIP) Keys() []cloud.Key { return nil }

func init() { cloud.RegisterType[publicIP]() }

// AllocatePublicIP takes a free public address for holder.
func AllocatePublicIP(t *cloud.Txn, holder string) (string, error) {
	size := cidr.Size(publicPool)
	for range 64 {
		// Skip the pool's first and last addresses.
		a := cidr.Nth(publicPool, 1+rand.Int64N(size-2)).String()
		_, err := t.Get(cloud.KindPublicIP, a)
		if errors.Is(err, cloud.ErrNoRecord) {
			return a, cloud.Put(t, &publicIP{Meta: cloud.Meta{ID: a, Owner: t.Scope.Account, Region: t.Scope.Region}, Holder: holder})
		}
		if err != nil {
			return "", err
		}
	}
	return "", cloud.Errorf(cloud.LimitExceeded, cloud.KindAddress, "The public address pool is exhausted.")
}

// releasePublicIP gives a public address back to the pool.
func releasePublicIP(t *cloud.Txn, addr string) error {
	err := t.Delete(cloud.KindPublicIP, addr)
	if errors.Is(err, cloud.ErrNoRecord) {
		return nil
	}
	return err
}
