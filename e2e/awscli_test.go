package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// awsCLI runs the aws command line against one endpoint as one account,
// with nothing from the machine's AWS configuration.
type awsCLI struct {
	bin      string
	endpoint string
	env      []string
}

// newAWSCLI skips the test when the aws CLI is not installed, and in -short
// mode.
func newAWSCLI(t *testing.T, endpoint, account string) *awsCLI {
	t.Helper()
	if testing.Short() {
		t.Skip("the aws CLI starts slowly; skipped in -short mode")
	}
	bin, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the aws CLI is not on PATH; install it to run the aws CLI tests")
	}
	dir := t.TempDir()
	config, creds := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	for _, f := range []string{config, creds} {
		if err := os.WriteFile(f, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := withoutPrefixes(os.Environ(), "AWS_")
	env = append(env,
		"AWS_ACCESS_KEY_ID="+account,
		"AWS_SECRET_ACCESS_KEY=secret",
		"AWS_DEFAULT_REGION="+region,
		"AWS_CONFIG_FILE="+config,
		"AWS_SHARED_CREDENTIALS_FILE="+creds,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_DEFAULT_OUTPUT=json",
		"AWS_MAX_ATTEMPTS=1", // show a failure at once, without retries
		"AWS_PAGER=",
	)
	return &awsCLI{bin: bin, endpoint: endpoint, env: env}
}

// withoutPrefixes drops the environment entries whose names start with any
// of prefixes.
func withoutPrefixes(env []string, prefixes ...string) []string {
	var out []string
next:
	for _, kv := range env {
		for _, p := range prefixes {
			if strings.HasPrefix(kv, p) {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}

// run runs `aws --endpoint-url URL args...`.
func (a *awsCLI) run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), a.bin, append([]string{"--endpoint-url", a.endpoint}, args...)...)
	cmd.Env = a.env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if _, exited := err.(*exec.ExitError); err != nil && !exited {
		t.Fatalf("aws %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), errOut.String(), cmd.ProcessState.ExitCode()
}

// ok runs a command that must succeed and returns its trimmed output.
func (a *awsCLI) ok(t *testing.T, args ...string) string {
	t.Helper()
	stdout, stderr, code := a.run(t, args...)
	if code != 0 {
		t.Fatalf("aws %s: exit status %d\n%s%s", strings.Join(args, " "), code, stdout, stderr)
	}
	return strings.TrimSpace(stdout)
}

// json runs a command that must succeed and decodes its JSON output into v.
func (a *awsCLI) json(t *testing.T, v any, args ...string) {
	t.Helper()
	out := a.ok(t, args...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

type cliTag struct{ Key, Value, ResourceId, ResourceType string }

func TestAWSCLI(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	cli := newAWSCLI(t, e.URL(), accountA)

	t.Run("VPC, subnet and tags", func(t *testing.T) {
		t.Parallel()
		var vpc struct {
			Vpc struct {
				VpcId, OwnerId, State string
				Tags                  []cliTag
			}
		}
		cli.json(t, &vpc, "ec2", "create-vpc", "--cidr-block", "10.42.0.0/16",
			"--tag-specifications", "ResourceType=vpc,Tags=[{Key=Name,Value=cli-main},{Key=env,Value=test}]")
		vpcID := vpc.Vpc.VpcId
		if vpc.Vpc.OwnerId != accountA || vpc.Vpc.State != "pending" || len(vpc.Vpc.Tags) != 2 {
			t.Errorf("create-vpc: %+v", vpc.Vpc)
		}
		got := cli.ok(t, "ec2", "describe-vpcs", "--filters", "Name=tag:Name,Values=cli-main", "Name=cidr,Values=10.42.0.0/16",
			"--query", "Vpcs[].[VpcId,State,IsDefault]", "--output", "text")
		if want := vpcID + "\tavailable\tFalse"; got != want {
			t.Errorf("describe-vpcs --filters --query: %q, want %q", got, want)
		}
		if got := cli.ok(t, "ec2", "describe-vpcs", "--filters", "Name=is-default,Values=true", "--query", "Vpcs[0].CidrBlock", "--output", "text"); got != "172.31.0.0/16" {
			t.Errorf("default VPC CIDR: %q", got)
		}

		var subnet struct{ Subnet struct{ SubnetId string } }
		cli.json(t, &subnet, "ec2", "create-subnet", "--vpc-id", vpcID, "--cidr-block", "10.42.1.0/24",
			"--availability-zone", "us-east-1b", "--tag-specifications", "ResourceType=subnet,Tags=[{Key=Name,Value=cli-b}]")
		subnetID := subnet.Subnet.SubnetId
		got = cli.ok(t, "ec2", "describe-subnets", "--filters", "Name=vpc-id,Values="+vpcID,
			"--query", "Subnets[].[SubnetId,AvailabilityZone,CidrBlock,AvailableIpAddressCount]", "--output", "text")
		if want := subnetID + "\tus-east-1b\t10.42.1.0/24\t251"; got != want {
			t.Errorf("describe-subnets: %q, want %q", got, want)
		}

		if out := cli.ok(t, "ec2", "create-tags", "--resources", vpcID, subnetID, "--tags", "Key=team,Value=net", "Key=tier,Value=core"); out != "" {
			t.Errorf("create-tags printed %q", out)
		}
		var tags struct{ Tags []cliTag }
		cli.json(t, &tags, "ec2", "describe-tags", "--filters", "Name=key,Values=team")
		if got := tagRows(tags.Tags); got != "subnet "+subnetID+" team=net|vpc "+vpcID+" team=net" {
			t.Errorf("describe-tags: %s", got)
		}
		cli.ok(t, "ec2", "delete-tags", "--resources", subnetID, "--tags", "Key=team")
		cli.ok(t, "ec2", "delete-tags", "--resources", vpcID, "--tags", "Key=tier,Value=other") // value differs: kept
		cli.json(t, &tags, "ec2", "describe-tags", "--filters", "Name=resource-id,Values="+vpcID+","+subnetID)
		want := "subnet " + subnetID + " Name=cli-b|subnet " + subnetID + " tier=core|" +
			"vpc " + vpcID + " Name=cli-main|vpc " + vpcID + " env=test|vpc " + vpcID + " team=net|vpc " + vpcID + " tier=core"
		if got := tagRows(tags.Tags); got != want {
			t.Errorf("tags after delete-tags:\n%s\nwant\n%s", got, want)
		}

		cli.ok(t, "ec2", "delete-subnet", "--subnet-id", subnetID)
		cli.ok(t, "ec2", "delete-vpc", "--vpc-id", vpcID)
		cliError(t, cli, "InvalidVpcID.NotFound", "DescribeVpcs", "ec2", "describe-vpcs", "--vpc-ids", vpcID)
	})

	t.Run("availability zones", func(t *testing.T) {
		t.Parallel()
		var out struct {
			AvailabilityZones []struct{ ZoneName, ZoneId, RegionName, State string }
		}
		cli.json(t, &out, "ec2", "describe-availability-zones", "--region", "eu-west-1")
		if len(out.AvailabilityZones) < 3 {
			t.Fatalf("zones: %+v", out)
		}
		for _, z := range out.AvailabilityZones {
			if z.RegionName != "eu-west-1" || z.State != "available" || !strings.HasPrefix(z.ZoneName, "eu-west-1") || z.ZoneId == "" {
				t.Errorf("zone %+v", z)
			}
		}
		got := cli.ok(t, "ec2", "describe-availability-zones", "--zone-names", "us-east-1a", "--query", "AvailabilityZones[].ZoneName", "--output", "text")
		if got != "us-east-1a" {
			t.Errorf("--zone-names us-east-1a: %q", got)
		}
	})

	t.Run("images", func(t *testing.T) {
		t.Parallel()
		var out struct {
			Images []struct {
				ImageId, Name, OwnerId, ImageOwnerAlias, RootDeviceName, State string
				Public                                                         bool
			}
		}
		cli.json(t, &out, "ec2", "describe-images", "--owners", "amazon", "--filters", "Name=name,Values=al2023-ami-*")
		names := map[string]string{}
		for _, im := range out.Images {
			if im.OwnerId != "137112412989" || im.ImageOwnerAlias != "amazon" || im.RootDeviceName != "/dev/xvda" || im.State != "available" || !im.Public ||
				!regexp.MustCompile(`^ami-[0-9a-f]{17}$`).MatchString(im.ImageId) {
				t.Errorf("image %+v", im)
			}
			names[im.Name] = im.ImageId
		}
		if len(names) != 3 || names["al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64"] == "" {
			t.Errorf("describe-images --owners amazon al2023-ami-*: %v", names)
		}
		ubuntu := cli.ok(t, "ec2", "describe-images", "--owners", "099720109477",
			"--filters", "Name=name,Values=ubuntu/images/hvm-ssd*/ubuntu-jammy-22.04-amd64-server-*", "Name=architecture,Values=x86_64",
			"--query", "sort_by(Images, &CreationDate)[-1].[ImageId,RootDeviceName,BlockDeviceMappings[0].Ebs.VolumeSize]", "--output", "text")
		fields := strings.Fields(ubuntu)
		if len(fields) != 3 || fields[1] != "/dev/sda1" || fields[2] != "8" {
			t.Fatalf("the newest Ubuntu 22.04: %q", ubuntu)
		}
		id := cli.ok(t, "ec2", "run-instances", "--image-id", fields[0], "--instance-type", "t3.micro",
			"--block-device-mappings", "DeviceName=/dev/sda1,Ebs={VolumeSize=12}", "--query", "Instances[0].InstanceId", "--output", "text")
		root := cli.ok(t, "ec2", "describe-volumes", "--filters", "Name=attachment.instance-id,Values="+id,
			"--query", "Volumes[0].[Attachments[0].Device,Size]", "--output", "text")
		if root != "/dev/sda1\t12" {
			t.Errorf("the Ubuntu instance's root volume: %q", root)
		}
		cli.ok(t, "ec2", "terminate-instances", "--instance-ids", id)
		cliError(t, cli, "InvalidAMIID.NotFound", "DescribeImages", "ec2", "describe-images", "--image-ids", "ami-12345678")
		cliError(t, cli, "InvalidAMIID.Malformed", "DescribeImages", "ec2", "describe-images", "--image-ids", "ami-1")
	})

	t.Run("regions", func(t *testing.T) {
		t.Parallel()
		got := strings.Fields(cli.ok(t, "ec2", "describe-regions", "--query", "Regions[].RegionName", "--output", "text"))
		for _, want := range []string{"us-east-1", "eu-west-1", "ap-southeast-2"} {
			if !contains(got, want) {
				t.Errorf("describe-regions lacks %s: %v", want, got)
			}
		}
		got = strings.Fields(cli.ok(t, "ec2", "describe-regions", "--region-names", "eu-central-1", "--query", "Regions[].Endpoint", "--output", "text"))
		if len(got) != 1 || got[0] != "ec2.eu-central-1.amazonaws.com" {
			t.Errorf("describe-regions --region-names: %v", got)
		}
	})

	t.Run("caller identity", func(t *testing.T) {
		t.Parallel()
		var id struct{ Account, Arn, UserId string }
		cli.json(t, &id, "sts", "get-caller-identity")
		if id.Account != accountA || id.Arn != "arn:aws:iam::"+accountA+":root" {
			t.Errorf("get-caller-identity: %+v", id)
		}
	})

	t.Run("errors", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			code, op string
			args     []string
		}{
			{"InvalidVpcID.NotFound", "DescribeVpcs", []string{"ec2", "describe-vpcs", "--vpc-ids", "vpc-0123456789abcdef0"}},
			{"InvalidVpcID.NotFound", "CreateSubnet", []string{"ec2", "create-subnet", "--vpc-id", "vpc-0123456789abcdef0", "--cidr-block", "10.0.0.0/24"}},
			{"InvalidVpc.Range", "CreateVpc", []string{"ec2", "create-vpc", "--cidr-block", "10.0.0.0/30"}},
			{"DryRunOperation", "CreateVpc", []string{"ec2", "create-vpc", "--cidr-block", "10.0.0.0/16", "--dry-run"}},
		} {
			cliError(t, cli, tc.code, tc.op, tc.args...)
		}
	})
}

// cliError runs a command that must fail as the aws CLI reports an AWS error:
// exit status 255 and the error code on stderr.
func cliError(t *testing.T, cli *awsCLI, code, op string, args ...string) {
	t.Helper()
	stdout, stderr, exit := cli.run(t, args...)
	want := regexp.MustCompile(`An error occurred \(` + regexp.QuoteMeta(code) + `\) when calling the ` + op + ` operation: \S`)
	if exit != 255 || !want.MatchString(stderr) {
		t.Errorf("aws %s: exit status %d, want 255 and %s\n%s%s", strings.Join(args, " "), exit, code, stdout, stderr)
	}
}

// tagRows renders described tags as sorted "type id key=value" rows.
func tagRows(tags []cliTag) string {
	rows := make([]string, 0, len(tags))
	for _, t := range tags {
		rows = append(rows, t.ResourceType+" "+t.ResourceId+" "+t.Key+"="+t.Value)
	}
	sort.Strings(rows)
	return strings.Join(rows, "|")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
