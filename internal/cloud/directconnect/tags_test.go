package directconnect

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

func netipFrom4(a [4]byte) string { return netip.AddrFrom4(a).String() }

func TestTags(t *testing.T) {
	s, _ := newService(t, 0)
	c := dedicated(t, s, alice)
	l := must[*LagWithConnections](t)(s.CreateLag(ctx, alice, NewLag{Name: "l", Location: "EqDC2", Bandwidth: "1Gbps", NumberOfConnections: 1}))
	g := gateway(t, s, alice)
	v := privateVIF(t, s, alice, c.ID, g.ID, 1)
	arns := []string{c.ARN(), l.ARN(), g.ARN(), v.ARN()}
	for _, a := range arns {
		if err := s.TagResource(ctx, alice, a, cloud.Tags{"team": "net", "Name": a}); err != nil {
			t.Fatal(a, err)
		}
	}
	if err := s.UntagResource(ctx, alice, v.ARN(), []string{"team", "absent"}); err != nil {
		t.Fatal(err)
	}
	got := must[[]ResourceTags](t)(s.DescribeTags(ctx, alice, arns))
	for i, rt := range got {
		wantTeam := i < 3
		if rt.ARN != arns[i] || rt.Tags["Name"] != arns[i] || (rt.Tags["team"] == "net") != wantTeam {
			t.Errorf("%d: %+v", i, rt)
		}
	}
	// The gateway's ARN has no region: the tags are found from any.
	if got := must[[]ResourceTags](t)(s.DescribeTags(ctx, aliceWest, []string{g.ARN()})); got[0].Tags["team"] != "net" {
		t.Errorf("from us-west-2: %+v", got)
	}

	fifty := cloud.Tags{}
	for i := range 48 {
		fifty[fmt.Sprint("k", i)] = ""
	}
	if err := s.TagResource(ctx, alice, c.ARN(), fifty); err != nil {
		t.Fatal(err)
	}
	err := s.TagResource(ctx, alice, c.ARN(), cloud.Tags{"one-more": ""})
	refused(t, err, cloud.LimitExceeded, "at most 50 tags")

	for _, tt := range []struct {
		who  cloud.Caller
		arn  string
		r    cloud.Reason
		want string
	}{
		{bob, c.ARN(), cloud.NotFound, "Could not find Connection with ID"},
		{bob, g.ARN(), cloud.NotFound, "does not exist"},
		{alice, "arn:aws:directconnect:us-east-1:111111111111:dxcon/dxcon-ffffffff", cloud.NotFound, "Could not find Connection with ID dxcon-ffffffff"},
		{alice, "arn:aws:directconnect:us-east-1:222222222222:dxlag/" + l.ID, cloud.NotFound, "Could not find Lag"},
		{alice, "arn:aws:ec2:us-east-1:111111111111:vpc/vpc-1", cloud.InvalidParameter, "Invalid ARN"},
		{alice, "dxcon-1", cloud.InvalidParameter, "Invalid ARN"},
		{alice, "arn:aws:directconnect:us-east-1:111111111111:dxlink/x", cloud.InvalidParameter, "cannot be tagged"},
	} {
		err := s.TagResource(ctx, tt.who, tt.arn, cloud.Tags{"a": "b"})
		refused(t, err, tt.r, tt.want)
		_, err = s.DescribeTags(ctx, tt.who, []string{tt.arn})
		refused(t, err, tt.r, tt.want)
	}
	refused(t, DuplicateTagKeys("k"), cloud.Duplicate, "Tag key k is duplicated")
	err = s.TagResource(ctx, alice, c.ARN(), cloud.Tags{"": "x"})
	refused(t, err, cloud.InvalidParameter, "between 1 and 128")
}
