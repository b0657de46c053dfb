package arn

import "testing"

func TestResourceID(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"arn:aws:ec2:us-east-1:111111111111:vpc-endpoint/vpce-0123", "vpce-0123"},
		{"arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/web/0123456789abcdef", "0123456789abcdef"},
		{"arn:aws:lambda:us-east-1:111111111111:function:fn", "fn"},
		{"arn:aws:s3:::bucket", "bucket"},
		{"i-0123", "i-0123"},
		{"arn:", "arn:"}, // no ARN: as it is
		{"", ""},
	} {
		if got := ResourceID(c.in); got != c.want {
			t.Errorf("ResourceID(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{EC2("us-east-1", "111111111111", "vpc", "vpc-1"), "arn:aws:ec2:us-east-1:111111111111:vpc/vpc-1"},
		{Root("111111111111"), "arn:aws:iam::111111111111:root"},
		{New("elasticloadbalancing", "eu-west-1", "111111111111", "targetgroup/tg/0123"), "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/tg/0123"},
	} {
		if c.got != c.want {
			t.Errorf("got %s, want %s", c.got, c.want)
		}
	}
	if a, err := Parse(EC2("us-east-1", "111111111111", "subnet", "subnet-1")); err != nil || a.Service != "ec2" || a.Resource != "subnet/subnet-1" {
		t.Errorf("Parse: %+v %v", a, err)
	}
}

func TestIsAccount(t *testing.T) {
	for s, want := range map[string]bool{"111111111111": true, "11111111111": false, "1111111111111": false, "11111111111a": false, "": false, "١١١١١١١١١١١١": false} {
		if IsAccount(s) != want {
			t.Errorf("IsAccount(%q) = %v", s, !want)
		}
	}
}

func FuzzResourceID(f *testing.F) {
	for _, s := range []string{"arn:aws:ec2:us-east-1:111111111111:vpc/vpc-1", "arn:aws:s3:::b", "vpc-1", "arn:::::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id := ResourceID(s)
		if !Is(s) && id != s {
			t.Errorf("ResourceID(%q) = %q for a non-ARN", s, id)
		}
		if len(id) > len(s) {
			t.Errorf("ResourceID(%q) = %q is longer", s, id)
		}
	})
}
