package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/vpcemu/vpcemu/internal/store"
)

var benchScope = store.Scope{Account: "111111111111", Region: "us-east-1"}

// fill opens a file store with n VPC-like records (a JSON body of a
// typical size, and the keys a VPC has) and n subnets, two per key value.
func fill(b *testing.B, n int) *Store {
	s, err := Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	body := make([]byte, 600)
	for i := range body {
		body[i] = 'x'
	}
	const batch = 1000
	for start := 0; start < n; start += batch {
		err := s.Update(context.Background(), func(tx store.Tx) error {
			for i := start; i < min(start+batch, n); i++ {
				id := fmt.Sprintf("vpc-%017x", i)
				if err := tx.Put(&store.Record{Kind: "vpc", ID: id, Scope: benchScope, Body: body,
					Keys: []store.Key{{Name: "dhcp-options-id", Value: "dopt-1"}, {Name: "cidr-association-id", Value: "assoc-" + id}}}); err != nil {
					return err
				}
				if err := tx.Put(&store.Record{Kind: "subnet", ID: fmt.Sprintf("subnet-%017x", i), Scope: benchScope, Body: body,
					Keys: []store.Key{{Name: "vpc-id", Value: fmt.Sprintf("vpc-%017x", i/2)}}}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return s
}

// BenchmarkGet measures a read transaction with one Get, at 100 and 10,000
// records of the kind.
func BenchmarkGet(b *testing.B) {
	for _, n := range []int{100, 10000} {
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			s := fill(b, n)
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				id := fmt.Sprintf("vpc-%017x", i%n)
				i += 7919
				err := s.View(context.Background(), func(tx store.Tx) error {
					_, err := tx.Get("vpc", id)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFind measures a read transaction with one Find by key (the two
// subnets of a VPC), at 100 and 10,000 records of the kind.
func BenchmarkFind(b *testing.B) {
	for _, n := range []int{100, 10000} {
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			s := fill(b, n)
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				key := store.Key{Name: "vpc-id", Value: fmt.Sprintf("vpc-%017x", i%(n/2))}
				i += 7919
				found := 0
				err := s.View(context.Background(), func(tx store.Tx) error {
					return tx.Find("subnet", key, func(*store.Record) bool { found++; return true })
				})
				if err != nil || found != 2 {
					b.Fatalf("found %d, %v", found, err)
				}
			}
		})
	}
}

// BenchmarkUpdate measures a durable write transaction (one Put), one
// writer at a time and many at once.
func BenchmarkUpdate(b *testing.B) {
	for _, par := range []int{1, 16} {
		b.Run(fmt.Sprintf("writers=%d", par), func(b *testing.B) {
			s := fill(b, 100)
			body := []byte(`{"ID":"x"}`)
			b.SetParallelism(par)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					i++
					id := fmt.Sprintf("w-%p-%d", pb, i)
					err := s.Update(context.Background(), func(tx store.Tx) error {
						return tx.Put(&store.Record{Kind: "vpc", ID: id, Scope: benchScope, Body: body, Keys: []store.Key{{Name: "k", Value: id}}})
					})
					if err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
