package ec2_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

func dhcpConfig(key string, values ...string) types.NewDhcpConfiguration {
	return types.NewDhcpConfiguration{Key: aws.String(key), Values: values}
}

// dhcpValues flattens a set's options to key → values.
func dhcpValues(d types.DhcpOptions) map[string][]string {
	out := map[string][]string{}
	for _, c := range d.DhcpConfigurations {
		for _, v := range c.Values {
			out[aws.ToString(c.Key)] = append(out[aws.ToString(c.Key)], aws.ToString(v.Value))
		}
	}
	return out
}

func (r *routing) vpcDHCP(vpc string) string {
	r.t.Helper()
	out, err := r.c.DescribeVpcs(r.ctx, &ec2.DescribeVpcsInput{VpcIds: []string{vpc}})
	r.must(err)
	return aws.ToString(out.Vpcs[0].DhcpOptionsId)
}

func TestDHCPOptionsLifecycle(t *testing.T) {
	r := newRouting(t)
	out, err := r.c.CreateDhcpOptions(r.ctx, &ec2.CreateDhcpOptionsInput{
		DhcpConfigurations: []types.NewDhcpConfiguration{
			dhcpConfig("domain-name", "corp.example.com"),
			dhcpConfig("domain-name-servers", "10.0.0.2", "AmazonProvidedDNS"),
			dhcpConfig("ntp-servers", "169.254.169.123"),
			dhcpConfig("netbios-name-servers", "10.0.0.5", "10.0.0.6"),
			dhcpConfig("netbios-node-type", "2"),
			dhcpConfig("ipv6-address-preferred-lease-time", "3600"),
		},
		TagSpecifications: nameTag(types.ResourceTypeDhcpOptions, "corp"),
	})
	r.must(err)
	d := out.DhcpOptions
	id := aws.ToString(d.DhcpOptionsId)
	values := dhcpValues(*d)
	if !strings.HasPrefix(id, "dopt-") || aws.ToString(d.OwnerId) != emulatortest.AccountA || len(values) != 6 ||
		strings.Join(values["domain-name-servers"], ",") != "10.0.0.2,AmazonProvidedDNS" || values["netbios-node-type"][0] != "2" ||
		aws.ToString(d.Tags[0].Value) != "corp" {
		t.Fatalf("create answer: %+v", values)
	}

	vpc := r.vpc("10.0.0.0/16")
	original := r.vpcDHCP(vpc)
	if !strings.HasPrefix(original, "dopt-") {
		t.Fatalf("a new VPC uses %q", original)
	}
	_, err = r.c.AssociateDhcpOptions(r.ctx, &ec2.AssociateDhcpOptionsInput{DhcpOptionsId: &id, VpcId: &vpc})
	r.must(err)
	if got := r.vpcDHCP(vpc); got != id {
		t.Fatalf("VPC uses %s after associating %s", got, id)
	}
	byOptions, err := r.c.DescribeVpcs(r.ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{{Name: aws.String("dhcp-options-id"), Values: []string{id}}}})
	r.must(err)
	if len(byOptions.Vpcs) != 1 {
		t.Fatalf("VPCs using %s: %+v", id, byOptions.Vpcs)
	}
	_, err = r.c.DeleteDhcpOptions(r.ctx, &ec2.DeleteDhcpOptionsInput{DhcpOptionsId: &id})
	r.wantErr(err, "DependencyViolation", "The dhcpOptions '"+id+"' has dependencies and cannot be deleted.")

	// "default" leaves the VPC with no options set.
	_, err = r.c.AssociateDhcpOptions(r.ctx, &ec2.AssociateDhcpOptionsInput{DhcpOptionsId: aws.String("default"), VpcId: &vpc})
	r.must(err)
	if got := r.vpcDHCP(vpc); got != "default" {
		t.Fatalf("VPC uses %q after associating default", got)
	}
	_, err = r.c.DeleteDhcpOptions(r.ctx, &ec2.DeleteDhcpOptionsInput{DhcpOptionsId: &id})
	r.must(err)
	_, err = r.c.DescribeDhcpOptions(r.ctx, &ec2.DescribeDhcpOptionsInput{DhcpOptionsIds: []string{id}})
	r.wantErr(err, "InvalidDhcpOptionID.NotFound", "The dhcpOption ID '"+id+"' does not exist")
	_, err = r.c.DeleteDhcpOptions(r.ctx, &ec2.DeleteDhcpOptionsInput{DhcpOptionsId: &id})
	r.wantErr(err, "InvalidDhcpOptionID.NotFound", id)
	_, err = r.c.AssociateDhcpOptions(r.ctx, &ec2.AssociateDhcpOptionsInput{DhcpOptionsId: &id, VpcId: &vpc})
	r.wantErr(err, "InvalidDhcpOptionID.NotFound", id)

	// Back to the account's default set.
	_, err = r.c.AssociateDhcpOptions(r.ctx, &ec2.AssociateDhcpOptionsInput{DhcpOptionsId: &original, VpcId: &vpc})
	r.must(err)
	if got := r.vpcDHCP(vpc); got != original {
		t.Fatalf("VPC uses %s, want %s", got, original)
	}
	_, err = r.c.AssociateDhcpOptions(r.ctx, &ec2.AssociateDhcpOptionsInput{DhcpOptionsId: &original, VpcId: aws.String("vpc-0123456789abcdef0")})
	r.wantErr(err, "InvalidVpcID.NotFound", "vpc-0123456789abcdef0")
	_, err = r.c.AssociateDhcpOptions(r.ctx, &ec2.AssociateDhcpOptionsInput{DhcpOptionsId: aws.String("default"), VpcId: &vpc, DryRun: aws.Bool(true)})
	r.wantErr(err, "DryRunOperation", "")
	if got := r.vpcDHCP(vpc); got != original {
		t.Fatalf("a dry run changed the VPC's options to %s", got)
	}
}

func TestDefaultDHCPOptions(t *testing.T) {
	r := newRouting(t)
	vpcs, err := r.c.DescribeVpcs(r.ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{{Name: aws.String("is-default"), Values: []string{"true"}}}})
	r.must(err)
	id := aws.ToString(vpcs.Vpcs[0].DhcpOptionsId)
	out, err := r.c.DescribeDhcpOptions(r.ctx, &ec2.DescribeDhcpOptionsInput{DhcpOptionsIds: []string{id}})
	r.must(err)
	values := dhcpValues(out.DhcpOptions[0])
	if values["domain-name"][0] != "ec2.internal" || values["domain-name-servers"][0] != "AmazonProvidedDNS" {
		t.Fatalf("default options: %+v", values)
	}
	// In another region the domain is the region's.
	west := emulatortest.EC2(r.em, emulatortest.AccountA, "eu-west-1")
	wout, err := west.DescribeDhcpOptions(r.ctx, &ec2.DescribeDhcpOptionsInput{})
	r.must(err)
	if v := dhcpValues(wout.DhcpOptions[0]); v["domain-name"][0] != "eu-west-1.compute.internal" {
		t.Fatalf("eu-west-1 default options: %+v", v)
	}
	// The default set is in use by the default VPC.
	_, err = r.c.DeleteDhcpOptions(r.ctx, &ec2.DeleteDhcpOptionsInput{DhcpOptionsId: &id})
	r.wantErr(err, "DependencyViolation", id)
}

func TestCreateDHCPOptionsRefusals(t *testing.T) {
	r := newRouting(t)
	cases := []inputRefusal[[]types.NewDhcpConfiguration]{
		{"unknown key", []types.NewDhcpConfiguration{dhcpConfig("routers", "10.0.0.1")}, "InvalidParameterValue", "routers"},
		{"five name servers", []types.NewDhcpConfiguration{dhcpConfig("domain-name-servers", "1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4", "1.1.1.5")}, "InvalidParameterValue", "domain-name-servers"},
		{"name server not an address", []types.NewDhcpConfiguration{dhcpConfig("domain-name-servers", "dns.example.com")}, "InvalidParameterValue", "dns.example.com"},
		{"node type 3", []types.NewDhcpConfiguration{dhcpConfig("netbios-node-type", "3")}, "InvalidParameterValue", "netbios-node-type"},
		{"lease time too long", []types.NewDhcpConfiguration{dhcpConfig("ipv6-address-preferred-lease-time", "2147483648")}, "InvalidParameterValue", "ipv6-address-preferred-lease-time"},
		{"key twice", []types.NewDhcpConfiguration{dhcpConfig("domain-name", "a"), dhcpConfig("domain-name", "b")}, "InvalidParameterValue", "domain-name"},
		{"no value", []types.NewDhcpConfiguration{dhcpConfig("ntp-servers")}, "InvalidParameterValue", "ntp-servers"},
	}
	checkInputRefusals(t, cases, func(configs []types.NewDhcpConfiguration) error {
		_, err := r.c.CreateDhcpOptions(r.ctx, &ec2.CreateDhcpOptionsInput{DhcpConfigurations: configs})
		return err
	})
	_, err := r.c.CreateDhcpOptions(r.ctx, &ec2.CreateDhcpOptionsInput{
		DhcpConfigurations: []types.NewDhcpConfiguration{dhcpConfig("domain-name", "a")},
		TagSpecifications:  nameTag(types.ResourceTypeVpc, "x"),
	})
	r.wantErr(err, "InvalidParameterValue", "'vpc' is not a valid taggable resource type")
}

func TestDescribeDHCPOptionsFilters(t *testing.T) {
	r := newRouting(t)
	out, err := r.c.CreateDhcpOptions(r.ctx, &ec2.CreateDhcpOptionsInput{
		DhcpConfigurations: []types.NewDhcpConfiguration{dhcpConfig("domain-name", "corp.example.com"), dhcpConfig("ntp-servers", "10.0.0.9")},
		TagSpecifications:  nameTag(types.ResourceTypeDhcpOptions, "corp"),
	})
	r.must(err)
	corp := aws.ToString(out.DhcpOptions.DhcpOptionsId)
	all, err := r.c.DescribeDhcpOptions(r.ctx, &ec2.DescribeDhcpOptionsInput{})
	r.must(err)
	var dflt string
	for _, d := range all.DhcpOptions {
		if id := aws.ToString(d.DhcpOptionsId); id != corp {
			dflt = id
		}
	}
	cases := []filterCase{
		{"dhcp-options-id", []string{corp}, []string{corp}},
		{"key", []string{"ntp-servers"}, []string{corp}},
		{"key", []string{"domain-name"}, []string{corp, dflt}},
		{"value", []string{"AmazonProvidedDNS"}, []string{dflt}},
		{"value", []string{"*.example.com"}, []string{corp}},
		{"owner-id", []string{emulatortest.AccountA}, []string{corp, dflt}},
		{"tag:Name", []string{"corp"}, []string{corp}},
		{"tag-key", []string{"Name"}, []string{corp}},
		{"tag-value", []string{"corp"}, []string{corp}},
	}
	checkFilters(t, cases, func(f types.Filter) ([]string, error) {
		out, err := r.c.DescribeDhcpOptions(r.ctx, &ec2.DescribeDhcpOptionsInput{Filters: []types.Filter{f}})
		if err != nil {
			return nil, err
		}
		var got []string
		for _, d := range out.DhcpOptions {
			got = append(got, aws.ToString(d.DhcpOptionsId))
		}
		return got, nil
	})
	_, err = r.c.DescribeDhcpOptions(r.ctx, &ec2.DescribeDhcpOptionsInput{Filters: []types.Filter{{Name: aws.String("vpc-id"), Values: []string{"x"}}}})
	r.wantErr(err, "InvalidParameterValue", "The filter 'vpc-id' is invalid")

	for range 5 {
		_, err := r.c.CreateDhcpOptions(r.ctx, &ec2.CreateDhcpOptionsInput{DhcpConfigurations: []types.NewDhcpConfiguration{dhcpConfig("netbios-node-type", "8")}})
		r.must(err)
	}
	p := ec2.NewDescribeDhcpOptionsPaginator(r.c, &ec2.DescribeDhcpOptionsInput{MaxResults: aws.Int32(5)})
	seen, pages := map[string]bool{}, 0
	for p.HasMorePages() {
		page, err := p.NextPage(r.ctx)
		r.must(err)
		pages++
		for _, d := range page.DhcpOptions {
			seen[aws.ToString(d.DhcpOptionsId)] = true
		}
	}
	if len(seen) != 7 || pages != 2 {
		t.Fatalf("%d sets in %d pages, want 7 in 2", len(seen), pages)
	}
}
