package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/vpcemu/vpcemu/internal/emulator"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
	"github.com/vpcemu/vpcemu/internal/sigv4"
)

// strictKeys: AccountA's key with the aws CLI helper's secret, and an
// AWS-style key id that acts in another account.
const strictKeys = `[
	{"accessKeyId": "111111111111", "secretAccessKey": "secret", "account": "111111111111"},
	{"accessKeyId": "AKIAIOSFODNN7EXAMPLE", "secretAccessKey": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "account": "222222222222"}
]`

// TestAWSCLIStrictSignatures: `vpcemu serve --credentials FILE
// --verify-signatures` answers the aws CLI (botocore's signer, not the Go
// SDK's that verifies) with the right secret, in the file's account, and
// refuses a wrong secret or an unknown key as AWS does, per service.
func TestAWSCLIStrictSignatures(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "credentials.json")
	if err := os.WriteFile(file, []byte(strictKeys), 0o600); err != nil {
		t.Fatal(err)
	}
	s := Serve(t, "--in-memory", "--addr", "127.0.0.1:0", "--credentials", file, "--verify-signatures")
	cli := newAWSCLI(t, s.URL, accountA)

	if got := cli.ok(t, "sts", "get-caller-identity", "--query", "Account", "--output", "text"); got != accountA {
		t.Errorf("account %s", got)
	}
	cli.ok(t, "ec2", "create-vpc", "--cidr-block", "10.0.0.0/16")
	cli.ok(t, "ec2", "describe-vpcs", "--filters", "Name=cidr,Values=10.0.0.0/16")
	cli.ok(t, "elbv2", "describe-load-balancers")

	other := *cli
	other.env = append(append([]string{}, cli.env...), "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
	if got := other.ok(t, "sts", "get-caller-identity", "--query", "Account", "--output", "text"); got != "222222222222" {
		t.Errorf("the file's key acts in %s, want 222222222222", got)
	}

	wrong := *cli
	wrong.env = append(append([]string{}, cli.env...), "AWS_SECRET_ACCESS_KEY=not-the-secret")
	cliError(t, &wrong, "SignatureDoesNotMatch", "DescribeVpcs", "ec2", "describe-vpcs")
	cliError(t, &wrong, "SignatureDoesNotMatch", "GetCallerIdentity", "sts", "get-caller-identity")
	cliError(t, &wrong, "SignatureDoesNotMatch", "DescribeLoadBalancers", "elbv2", "describe-load-balancers")

	unknown := *cli
	unknown.env = append(append([]string{}, cli.env...), "AWS_ACCESS_KEY_ID=333333333333")
	cliError(t, &unknown, "AuthFailure", "DescribeVpcs", "ec2", "describe-vpcs")
	cliError(t, &unknown, "InvalidClientTokenId", "GetCallerIdentity", "sts", "get-caller-identity")
	cliError(t, &unknown, "InvalidClientTokenId", "DescribeLoadBalancers", "elbv2", "describe-load-balancers")
}

// TestTerraformStrictSignatures: Terraform (the AWS provider signs with
// aws-sdk-go-v2 and v1) applies, plans without drift and destroys a VPC
// and subnets against a server that verifies every signature, and is
// refused when its secret is not the server's.
func TestTerraformStrictSignatures(t *testing.T) {
	t.Parallel()
	start := func(secret string) *emulator.Emulator {
		keys, err := sigv4.ParseKeys([]byte(`[{"accessKeyId": "111111111111", "secretAccessKey": "` + secret + `", "account": "111111111111"}]`))
		if err != nil {
			t.Fatal(err)
		}
		e, err := emulator.New(emulator.Config{InMemory: true, Keys: keys, VerifySignatures: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Listen("127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		go e.Serve()
		t.Cleanup(func() { e.Shutdown(context.Background()) })
		return e
	}
	e := start("test") // vpcemu.tf's secret_key
	tf := newTerraform(t, "vpc-subnets", e.URL())
	tf.lifecycle(ec2.NewFromConfig(emulatortest.ConfigWithKey(e.URL(), accountA, "test", region)), func() {})

	other := start("not-vpcemu.tf's")
	tf.env = append(tf.env, "TF_VAR_endpoint="+other.URL())
	if out := tf.expect(1, "plan"); !strings.Contains(out, "SignatureDoesNotMatch") {
		t.Errorf("plan against a server with another secret:\n%s", lastLines(out, 20))
	}
}
