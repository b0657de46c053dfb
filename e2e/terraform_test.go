package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// configs holds one directory of .tf files per configuration, each with a
// copy of vpcemu.tf, the provider that aims it at vpcemu.
const configs = "testdata/terraform"

// providerFile is the file, in configs and copied into each configuration,
// that points the AWS provider at vpcemu.
const providerFile = "vpcemu.tf"

// awsProvider is the provider the offline mirror must hold.
const awsProvider = "registry.terraform.io/hashicorp/aws"

var (
	mirrorOnce sync.Once
	mirrorDir  string
)

// providerMirror finds the offline filesystem mirror of the Terraform AWS
// provider as /work/shared/tools/terraform-offline does: a directory named
// registry.terraform.io holding hashicorp/aws, at most three levels below /
// and not under /proc. The mirror is that directory's parent; "" if none.
func providerMirror() string {
	mirrorOnce.Do(func() { mirrorDir = findMirror("/", 1) })
	return mirrorDir
}

func findMirror(dir string, depth int) string {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		if !e.IsDir() || path == "/proc" {
			continue
		}
		if e.Name() == "registry.terraform.io" && isDir(filepath.Join(path, "hashicorp", "aws")) {
			return dir
		}
		if depth < 3 {
			if m := findMirror(path, depth+1); m != "" {
				return m
			}
		}
	}
	return ""
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// terraform runs the terraform CLI on a copy of one configuration, against
// one endpoint, with nothing from the machine's Terraform or AWS settings.
type terraform struct {
	t    *testing.T
	bin  string
	dir  string // working directory
	env  []string
	runs []tfRun
}

// tfRun is one terraform command and where its output is kept.
type tfRun struct {
	args []string
	code int
	log  string
}

// newTerraform prepares the configuration testdata/terraform/<config> to
// run against endpoint. It skips the test when terraform or the offline
// provider mirror is missing, and in -short mode.
func newTerraform(t *testing.T, config, endpoint string) *terraform {
	t.Helper()
	if testing.Short() {
		t.Skip("Terraform runs take a while; skipped in -short mode")
	}
	bin, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("terraform is not on PATH; install it to run the Terraform tests")
	}
	mirror := providerMirror()
	if mirror == "" {
		t.Skipf("no offline mirror of the Terraform AWS provider (a %s directory up to three levels below /)", awsProvider)
	}
	tmp := t.TempDir()
	work := filepath.Join(tmp, "work")
	// The configuration's files, and vpcemu.tf from configs over its copy:
	// a configuration that lacks the copy still runs against vpcemu here,
	// and TestTerraformProviderFiles says what to copy.
	for _, src := range append(tfFiles(t, filepath.Join(configs, config)), filepath.Join(configs, providerFile)) {
		copyFile(t, src, filepath.Join(work, filepath.Base(src)))
	}
	cliConfig := filepath.Join(tmp, "terraformrc")
	writeFile(t, cliConfig, fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = [%q]
  }
  direct {
    exclude = [%q]
  }
}
`, mirror, awsProvider, awsProvider))
	awsConfig, awsCreds := filepath.Join(tmp, "aws-config"), filepath.Join(tmp, "aws-credentials")
	writeFile(t, awsConfig, "")
	writeFile(t, awsCreds, "")
	env := append(withoutPrefixes(os.Environ(), "AWS_", "TF_", "CHECKPOINT_"),
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"TF_DATA_DIR="+filepath.Join(tmp, "tf-data"),
		"TF_VAR_endpoint="+endpoint,
		"CHECKPOINT_DISABLE=1", // no calls home
		"AWS_CONFIG_FILE="+awsConfig,
		"AWS_SHARED_CREDENTIALS_FILE="+awsCreds,
		"AWS_EC2_METADATA_DISABLED=true",
	)
	tf := &terraform{t: t, bin: bin, dir: work, env: env}
	t.Cleanup(tf.report)
	return tf
}

// tfFiles lists a configuration's .tf files; it must have some.
func tfFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no configuration in %s (%v)", dir, err)
	}
	return files
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dst, string(b))
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// run runs `terraform <command> -no-color args...` and returns its output
// and exit status. The output is kept in the test's artifact directory
// (go test -artifacts keeps it after the run).
func (tf *terraform) run(command string, args ...string) (string, int) {
	tf.t.Helper()
	all := append([]string{command, "-no-color"}, args...)
	cmd := exec.CommandContext(tf.t.Context(), tf.bin, all...)
	cmd.Dir, cmd.Env = tf.dir, tf.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	tf.t.Logf("terraform %s: %s", strings.Join(all, " "), time.Since(start).Round(time.Millisecond))
	if _, exited := err.(*exec.ExitError); err != nil && !exited {
		tf.t.Fatalf("terraform %s: %v", command, err)
	}
	r := tfRun{args: all, code: cmd.ProcessState.ExitCode(),
		log: filepath.Join(tf.t.ArtifactDir(), fmt.Sprintf("%02d-terraform-%s.log", len(tf.runs)+1, command))}
	if err := os.WriteFile(r.log, out.Bytes(), 0o644); err != nil {
		tf.t.Fatal(err)
	}
	tf.runs = append(tf.runs, r)
	return out.String(), r.code
}

// missingOperation finds vpcemu's answer to an operation it lacks.
var missingOperation = regexp.MustCompile(`vpcemu does not implement (\S+:\w+) yet`)

// expect runs a command that must exit with status want, and returns its
// output. A failure names the operation vpcemu lacks, if that is why.
func (tf *terraform) expect(want int, command string, args ...string) string {
	tf.t.Helper()
	out, code := tf.run(command, args...)
	if code == want {
		return out
	}
	if m := missingOperation.FindStringSubmatch(out); m != nil {
		tf.t.Fatalf("terraform %s: exit status %d, want %d: vpcemu does not implement %s", command, code, want, m[1])
	}
	tf.t.Fatalf("terraform %s: exit status %d, want %d", command, code, want)
	return ""
}

// report shows the end of every command's output when the test failed.
func (tf *terraform) report() {
	if !tf.t.Failed() {
		return
	}
	for _, r := range tf.runs {
		b, _ := os.ReadFile(r.log)
		tf.t.Logf("terraform %s (exit status %d), last lines (all in %s):\n%s",
			strings.Join(r.args, " "), r.code, r.log, lastLines(string(b), 40))
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// outputs reads the root module's outputs into v.
func (tf *terraform) outputs(v any) {
	tf.t.Helper()
	var raw map[string]struct{ Value json.RawMessage }
	if err := json.Unmarshal([]byte(tf.expect(0, "output", "-json")), &raw); err != nil {
		tf.t.Fatal(err)
	}
	values := map[string]json.RawMessage{}
	for k, o := range raw {
		values[k] = o.Value
	}
	b, _ := json.Marshal(values)
	if err := json.Unmarshal(b, v); err != nil {
		tf.t.Fatal(err)
	}
}

// lifecycle applies the configuration, checks that a plan right after shows
// no change, runs check on the applied state, destroys everything and
// checks that only the default VPC's resources remain.
func (tf *terraform) lifecycle(c *ec2.Client, check func()) {
	tf.t.Helper()
	tf.expect(0, "init")
	tf.expect(0, "apply", "-auto-approve")
	tf.expect(0, "plan", "-detailed-exitcode") // 2 would be drift: a change planned right after apply
	if check != nil {
		check()
	}
	tf.expect(0, "destroy", "-auto-approve")
	onlyDefaults(tf.t, tf.t.Context(), c)
}

// leftover lists what one kind of resource has beyond the default VPC's.
type leftover struct {
	kind string // plural
	list func(ctx context.Context, c *ec2.Client, defaultVPC string) ([]string, error)
}

// leftovers covers every kind a configuration may create. Kinds vpcemu does
// not implement yet answer UnsupportedOperation and are passed over.
var leftovers = []leftover{
	{"VPCs", func(ctx context.Context, c *ec2.Client, def string) ([]string, error) {
		out, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
		return ids(out, err, func(o *ec2.DescribeVpcsOutput) (r []string) {
			for _, v := range o.Vpcs {
				if !aws.ToBool(v.IsDefault) {
					r = append(r, aws.ToString(v.VpcId))
				}
			}
			return r
		})
	}},
	{"subnets", func(ctx context.Context, c *ec2.Client, def string) ([]string, error) {
		out, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
		return ids(out, err, func(o *ec2.DescribeSubnetsOutput) (r []string) {
			for _, s := range o.Subnets {
				if aws.ToString(s.VpcId) != def {
					r = append(r, aws.ToString(s.SubnetId))
				}
			}
			return r
		})
	}},
	{"flow logs", func(ctx context.Context, c *ec2.Client, def string) ([]string, error) {
		out, err := c.DescribeFlowLogs(ctx, &ec2.DescribeFlowLogsInput{})
		return ids(out, err, func(o *ec2.DescribeFlowLogsOutput) (r []string) {
			for _, f := range o.FlowLogs {
				r = append(r, aws.ToString(f.FlowLogId))
			}
			return r
		})
	}},
	{"tags", func(ctx context.Context, c *ec2.Client, def string) ([]string, error) {
		// A deleted NAT gateway or VPC endpoint stays visible, tags and
		// all, for an hour, a deleted peering connection for hours or days.
		nats, err := c.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{Filter: []types.Filter{{Name: aws.String("state"), Values: []string{"deleted"}}}})
		if err != nil {
			return nil, err
		}
		deleted := map[string]bool{}
		for _, n := range nats.NatGateways {
			deleted[aws.ToString(n.NatGatewayId)] = true
		}
		peerings, err := c.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{Filters: []types.Filter{{Name: aws.String("status-code"), Values: closedPeerings}}})
		if err != nil {
			return nil, err
		}
		for _, p := range peerings.VpcPeeringConnections {
			deleted[aws.ToString(p.VpcPeeringConnectionId)] = true
		}
		endpoints, err := c.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{Filters: []types.Filter{{Name: aws.String("vpc-endpoint-state"), Values: []string{"deleted"}}}})
		if err != nil {
			return nil, err
		}
		for _, v := range endpoints.VpcEndpoints {
			deleted[aws.ToString(v.VpcEndpointId)] = true
		}
		// A terminated instance, too, for an hour.
		terminated, err := c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []types.Filter{{Name: aws.String("instance-state-name"), Values: []string{"terminated"}}}})
		if err != nil {
			return nil, err
		}
		for _, r := range terminated.Reservations {
			for _, i := range r.Instances {
				deleted[aws.ToString(i.InstanceId)] = true
			}
		}
		out, err := c.DescribeTags(ctx, &ec2.DescribeTagsInput{})
		return ids(out, err, func(o *ec2.DescribeTagsOutput) (r []string) {
			for _, t := range o.Tags {
				if !deleted[aws.ToString(t.ResourceId)] {
					r = append(r, aws.ToString(t.ResourceId)+":"+aws.ToString(t.Key))
				}
			}
			return r
		})
	}},
	{"route tables", func(ctx context.Context, c *ec2.Client, def string) ([]string, error) {
		out, err := c.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{})
		return ids(out, err, func(o *ec2.DescribeRouteTablesOutput) (r []string) {
			for _, rt := range o.RouteTables {
				if aws.ToString(rt.VpcId) != def {
					r = append(r, aws.ToString(rt.RouteTableId))
				}
			}
			return r
		})
	}},
	{"network ACLs", func(ctx context.Context, c *ec2.Client, def string) ([]string, error) {
		out, err := c.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{})
		return ids(out, err, func(o *ec2.DescribeNetworkAclsOutput) (r []string) {
			for _, a := range o.NetworkAcls {
				if aws.ToString(a.VpcId) != def {
					r = append(r, aws.ToString(a.NetworkAclId))
				}
			}
			return r
		})
	}},
	{"security groups", func(ctx context.Context, c *ec2.Client, def string) ([]string, error) {
		out, err := c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{})
		return ids(out, err, func(o *ec2.DescribeSecurityGroupsOutput) (r []string) {
			for _, g := range o.SecurityGroups {
				if aws.ToString(g.VpcId) != def {
					r = append(r, aws.ToString(g.GroupId))
				}
			}
			return r
		})
	}},
	{"internet gateways", func(ctx context.Context, c *ec2.Client, def string) ([]string, error) {
		out, err := c.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{})
		return ids(out, err, func(o *ec2.DescribeInternetGatewaysOutput) (r []string) {
			for _, g := range o.InternetGateways {
				if len(g.Attachments) != 1 || aws.ToString(g.Attachments[0].VpcId) != def {
					r = append(r, aws.ToString(g.InternetGatewayId))
				}
			}
			return r
		})
	}},
	{"instances", func(ctx context.Context, c *ec2.Client, def string) ([]string, error) {
		out, err := c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{})
		return ids(out, err, func(o *ec2.DescribeInstancesOutput) (r []string) {
			for _, res := range o.Reservations {
				for _, i := range res.Instances {
					if i.State.Name != types.InstanceStateNameTerminated { // terminated ones stay visible for an hour, as on AWS
						r = append(r, aws.ToString(i.InstanceId))
					}
				}
			}
			return r
		})
	}},
	{"volumes", func(ctx context.Context, c *ec2.Client, def string) ([]string, error) {
		out, err := c.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{})
		return ids(out, err, func(o *ec2.DescribeVolumesOutput) (r []string) {
			for _, v := range o.Volumes {
				r = append(r, aws.ToString(v.VolumeId))
			}
			return r
		})
	}},
	{"NAT gateways", func(ctx context.Context, c *ec2.Client, def string) ([]string, error) {
		out, err := c.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{})
		return ids(out, err, func(o *ec2.DescribeNatGatewaysOutput) (r []string) {
			for _, n := range o.NatGateways {
				if n.State != types.NatGatewayStateDeleted { // deleted ones stay visible for a while, as on AWS
					r = append(r, aws.ToString(n.NatGatewayId))
				}
			}
			return r
		})
	}},
	{"VPC peering connections", func(ctx context.Context, c *ec2.Client, def string) ([]string, error) {
		out, err := c.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{})
		return ids(out, err, func(o *ec2.DescribeVpcPeeringConnectionsOutput) (r []string) {
			for _, p := range o.VpcPeeringConnections {
				if !slices.Contains(closedPeerings, string(p.Status.Code)) { // closed ones stay visible for a while, as on AWS
					r = append(r, aws.ToString(p.VpcPeeringConnectionId))
				}
			}
			return r
		})
	}},
	{"VPC endpoints", func(ctx context.Context, c *ec2.Client, def string) ([]string, error) {
		out, err := c.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{})
		return ids(out, err, func(o *ec2.DescribeVpcEndpointsOutput) (r []string) {
			for _, v := range o.VpcEndpoints {
				if v.State != "deleted" { // deleted ones stay visible for a while, as on AWS
					r = append(r, aws.ToString(v.VpcEndpointId))
				}
			}
			return r
		})
	}},
	{"Elastic IPs", func(ctx context.Context, c *ec2.Client, def string) ([]string, error) {
		out, err := c.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{})
		return ids(out, err, func(o *ec2.DescribeAddressesOutput) (r []string) {
			for _, a := range o.Addresses {
				r = append(r, aws.ToString(a.AllocationId))
			}
			return r
		})
	}},
	{"network interfaces", func(ctx context.Context, c *ec2.Client, def string) ([]string, error) {
		out, err := c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{})
		return ids(out, err, func(o *ec2.DescribeNetworkInterfacesOutput) (r []string) {
			for _, n := range o.NetworkInterfaces {
				r = append(r, aws.ToString(n.NetworkInterfaceId))
			}
			return r
		})
	}},
	{"prefix lists", func(ctx context.Context, c *ec2.Client, def string) ([]string, error) {
		out, err := c.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{})
		return ids(out, err, func(o *ec2.DescribeManagedPrefixListsOutput) (r []string) {
			for _, p := range o.PrefixLists {
				if aws.ToString(p.OwnerId) != "AWS" {
					r = append(r, aws.ToString(p.PrefixListId))
				}
			}
			return r
		})
	}},
	{"virtual private gateways", func(ctx context.Context, c *ec2.Client, def string) ([]string, error) {
		out, err := c.DescribeVpnGateways(ctx, &ec2.DescribeVpnGatewaysInput{})
		return ids(out, err, func(o *ec2.DescribeVpnGatewaysOutput) (r []string) {
			for _, g := range o.VpnGateways {
				r = append(r, aws.ToString(g.VpnGatewayId))
			}
			return r
		})
	}},
	{"DHCP option sets", func(ctx context.Context, c *ec2.Client, def string) ([]string, error) {
		vpcs, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{def}})
		if err != nil {
			return nil, err
		}
		out, err := c.DescribeDhcpOptions(ctx, &ec2.DescribeDhcpOptionsInput{})
		return ids(out, err, func(o *ec2.DescribeDhcpOptionsOutput) (r []string) {
			for _, d := range o.DhcpOptions {
				if id := aws.ToString(d.DhcpOptionsId); id != aws.ToString(vpcs.Vpcs[0].DhcpOptionsId) {
					r = append(r, id)
				}
			}
			return r
		})
	}},
}

// closedPeerings are the states of peering connections that are gone but
// still shown.
var closedPeerings = []string{"deleting", "deleted", "rejected", "failed", "expired"}

// ids applies pick to a Describe answer, passing errors through.
func ids[O any](out O, err error, pick func(O) []string) ([]string, error) {
	if err != nil {
		return nil, err
	}
	return pick(out), nil
}

// onlyDefaults checks that the account and region hold nothing but the
// default VPC and its resources.
func onlyDefaults(t *testing.T, ctx context.Context, c *ec2.Client) {
	t.Helper()
	def, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{{Name: aws.String("is-default"), Values: []string{"true"}}}})
	if err != nil || len(def.Vpcs) != 1 {
		t.Fatalf("default VPC: %v %v", def, err)
	}
	defID := aws.ToString(def.Vpcs[0].VpcId)
	for _, l := range leftovers {
		left, err := l.list(ctx, c, defID)
		switch {
		case err != nil:
			t.Errorf("listing %s: %v", l.kind, err)
		case len(left) > 0:
			t.Errorf("%s left after destroy: %v", l.kind, left)
		}
	}
}

// TestTerraformValidate checks that every configuration is well formed and
// formatted, including those whose resources vpcemu does not serve yet.
func TestTerraformValidate(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir(configs)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			t.Parallel()
			tf := newTerraform(t, e.Name(), "http://127.0.0.1:1")
			tf.expect(0, "fmt", "-check", "-diff")
			tf.expect(0, "init", "-backend=false")
			tf.expect(0, "validate")
		})
	}
}

var (
	providerBlock  = regexp.MustCompile(`(?ms)^provider "aws" \{\n.*?^\}`)
	endpointsBlock = regexp.MustCompile(`(?ms)^  endpoints \{\n.*?^  \}`)
)

// TestTerraformProviderFiles: every configuration can be run by hand where
// it lies (terraform apply in its directory, as the README says) and goes
// to vpcemu only: it holds a copy of vpcemu.tf, and every other provider
// block it has fixes its credentials and account and sends every service
// vpcemu.tf names to vpcemu.
func TestTerraformProviderFiles(t *testing.T) {
	t.Parallel()
	want, err := os.ReadFile(filepath.Join(configs, providerFile))
	if err != nil {
		t.Fatal(err)
	}
	endpoints := endpointsBlock.Find(want)
	if endpoints == nil || !providerBlock.Match(want) {
		t.Fatalf("%s has no provider block with endpoints", providerFile)
	}
	entries, err := os.ReadDir(configs)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(configs, e.Name())
		if have, err := os.ReadFile(filepath.Join(dir, providerFile)); err != nil || !bytes.Equal(have, want) {
			t.Errorf("%s/%s is not a copy of %s/%s (%v): cp %[3]s/%[4]s %[1]s/", dir, providerFile, configs, providerFile, err)
		}
		for _, f := range tfFiles(t, dir) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, block := range providerBlock.FindAll(b, -1) {
				for _, must := range [][]byte{[]byte("access_key "), []byte("secret_key "), []byte("allowed_account_ids "), endpoints} {
					if !bytes.Contains(block, must) {
						t.Errorf("%s: a provider block lacks %q:\n%s", f, must, block)
					}
				}
			}
		}
	}
}

// TestTerraformRefusesAWSEndpoint: var.endpoint cannot be aimed at AWS;
// terraform stops before the provider sends anything.
func TestTerraformRefusesAWSEndpoint(t *testing.T) {
	t.Parallel()
	tf := newTerraform(t, "vpc-subnets", "http://127.0.0.1:1")
	tf.expect(0, "init")
	for _, endpoint := range []string{"https://ec2.us-east-1.amazonaws.com", "https://EC2.eu-west-1.AMAZONAWS.COM/", "https://sts.cn-north-1.amazonaws.com.cn", "https://ec2.us-east-1.api.aws"} {
		out := tf.expect(1, "plan", "-var", "endpoint="+endpoint)
		if !strings.Contains(strings.Join(strings.Fields(out), " "), "AWS's own endpoints are refused") {
			t.Errorf("plan with endpoint %s:\n%s", endpoint, out)
		}
	}
}

// TestTerraformVPCSubnets: a VPC and subnets with the usual data sources
// apply, show no drift, and destroy cleanly.
func TestTerraformVPCSubnets(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, accountA, region)
	tf := newTerraform(t, "vpc-subnets", e.URL())
	tf.lifecycle(c, func() {
		var out struct {
			AccountID      string `json:"account_id"`
			CallerARN      string `json:"caller_arn"`
			DefaultVPCCIDR string `json:"default_vpc_cidr"`
			VPCID          string `json:"vpc_id"`
			Subnets        map[string]struct{ AZ, CIDR string }
		}
		tf.outputs(&out)
		if out.AccountID != accountA || out.CallerARN != "arn:aws:iam::"+accountA+":root" || out.DefaultVPCCIDR != "172.31.0.0/16" {
			t.Errorf("outputs: %+v", out)
		}
		ctx := testContext(t, time.Minute)
		vpcs, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{out.VPCID}})
		if err != nil {
			t.Fatal(err)
		}
		if v := vpcs.Vpcs[0]; aws.ToString(v.CidrBlock) != "10.20.0.0/16" || tagString(v.Tags) != "Environment=test,Name=e2e-main" {
			t.Errorf("VPC %s %s", aws.ToString(v.CidrBlock), tagString(v.Tags))
		}
		if !vpcAttribute(t, ctx, c, out.VPCID, types.VpcAttributeNameEnableDnsHostnames) {
			t.Error("DNS hostnames not enabled")
		}
		subnets, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{{Name: aws.String("vpc-id"), Values: []string{out.VPCID}}}})
		if err != nil {
			t.Fatal(err)
		}
		azs := map[string]bool{}
		for _, s := range subnets.Subnets {
			o := out.Subnets[aws.ToString(s.SubnetId)]
			if o.AZ != aws.ToString(s.AvailabilityZone) || o.CIDR != aws.ToString(s.CidrBlock) {
				t.Errorf("subnet %s: %s %s, Terraform says %+v", aws.ToString(s.SubnetId), aws.ToString(s.AvailabilityZone), aws.ToString(s.CidrBlock), o)
			}
			azs[o.AZ] = true
		}
		if len(subnets.Subnets) != 2 || len(azs) != 2 {
			t.Errorf("want 2 subnets in 2 zones, have %d in %v", len(subnets.Subnets), azs)
		}
	})
}

// TestTerraformFoundation: the full network foundation applies, shows no
// drift and destroys cleanly.
func TestTerraformFoundation(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	tf := newTerraform(t, "foundation", e.URL())
	tf.lifecycle(emulatortest.EC2(e, accountA, region), func() {
		var out struct {
			NATPublicIP      string   `json:"nat_public_ip"`
			PublicSubnetIDs  []string `json:"public_subnet_ids"`
			PrivateSubnetIDs []string `json:"private_subnet_ids"`
		}
		tf.outputs(&out)
		if out.NATPublicIP == "" || len(out.PublicSubnetIDs) != 2 || len(out.PrivateSubnetIDs) != 2 {
			t.Errorf("outputs: %+v", out)
		}
	})
}

// TestTerraformPrefixLists: a customer-managed prefix list referenced by
// rules and a route, with the AWS-managed lists and endpoint services
// Terraform data sources look up, applies, shows no drift and destroys
// cleanly.
func TestTerraformPrefixLists(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, accountA, region)
	tf := newTerraform(t, "prefix-lists", e.URL())
	tf.lifecycle(c, func() {
		var out struct {
			S3 struct {
				ID    string
				CIDRs []string
			} `json:"s3_prefix_list"`
			DynamoDB  struct{ ID, Owner string }  `json:"dynamodb_prefix_list"`
			S3Service struct{ Name, Type string } `json:"s3_service"`
			SSMDNS    string                      `json:"ssm_private_dns_name"`
			Offices   struct {
				ID      string
				Version int
			}
		}
		tf.outputs(&out)
		if out.S3.ID != "pl-63a5400a" || len(out.S3.CIDRs) == 0 || out.DynamoDB.ID != "pl-02cd2c6b" || out.DynamoDB.Owner != "AWS" ||
			out.S3Service.Name != "com.amazonaws.us-east-1.s3" || out.S3Service.Type != "Gateway" || out.SSMDNS != "ssm.us-east-1.amazonaws.com" ||
			out.Offices.Version != 1 {
			t.Errorf("outputs: %+v", out)
		}
		ctx := testContext(t, time.Minute)
		assocs, err := c.GetManagedPrefixListAssociations(ctx, &ec2.GetManagedPrefixListAssociationsInput{PrefixListId: &out.Offices.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(assocs.PrefixListAssociations) != 2 {
			t.Errorf("associations of %s: %+v", out.Offices.ID, assocs.PrefixListAssociations)
		}
	})
}
