package route53

import (
	"fmt"
	"testing"
)

// BenchmarkListRecordSets reads one page of 300 record sets from the
// middle of a zone: a range scan of the zone's ids, so the time stays
// flat from 1,000 to 10,000 record sets.
func BenchmarkListRecordSets(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			s, net := newService(&testing.T{})
			v := vpcOf(&testing.T{}, net, alice)
			created, err := s.CreateHostedZone(ctx, alice, NewZone{Name: "bench.internal", CallerReference: "b", VPC: &v})
			if err != nil {
				b.Fatal(err)
			}
			var changes []RecordChange
			for i := range n {
				changes = append(changes, RecordChange{ActionCreate, RecordSet{Name: fmt.Sprintf("h%05d.bench.internal", i), Type: "A", TTL: new(int64(60)), Values: []string{"10.0.0.1"}}})
			}
			if _, err := s.ChangeRecordSets(ctx, alice, created.Zone.ID, "", changes); err != nil {
				b.Fatal(err)
			}
			from := fmt.Sprintf("h%05d.bench.internal", n/2)
			b.ResetTimer()
			for b.Loop() {
				page, err := s.ListRecordSets(ctx, alice, created.Zone.ID, from, "", "", 300)
				if err != nil || len(page.Sets) == 0 {
					b.Fatal(len(page.Sets), err)
				}
			}
		})
	}
}
