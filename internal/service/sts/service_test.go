package sts_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

func TestGetCallerIdentity(t *testing.T) {
	e := emulatortest.Start(t)
	cases := []struct{ key, account string }{
		{"111111111111", "111111111111"},
		{"AKIAIOSFODNN7EXAMPLE", "000000000000"},
		{"test", "000000000000"},
	}
	for _, tc := range cases {
		cfg := emulatortest.Config(e.URL(), tc.key, "eu-west-1")
		out, err := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(out.Account) != tc.account || aws.ToString(out.Arn) != "arn:aws:iam::"+tc.account+":root" {
			t.Errorf("key %s: account %s arn %s", tc.key, aws.ToString(out.Account), aws.ToString(out.Arn))
		}
	}
}

// TestAssumeRoleActsInTheRolesAccount: credentials from AssumeRole act in
// the account that owns the role, as Terraform's assume_role expects.
func TestAssumeRoleActsInTheRolesAccount(t *testing.T) {
	e := emulatortest.Start(t)
	ctx := context.Background()
	c := emulatortest.STS(e, emulatortest.AccountA, "us-east-1")
	out, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn:         aws.String("arn:aws:iam::" + emulatortest.AccountB + ":role/path/deployer"),
		RoleSessionName: aws.String("ci"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(out.AssumedRoleUser.Arn); got != "arn:aws:sts::"+emulatortest.AccountB+":assumed-role/deployer/ci" {
		t.Errorf("assumed role ARN %s", got)
	}
	cr := out.Credentials
	if cr.Expiration == nil || aws.ToString(cr.SessionToken) == "" {
		t.Fatalf("credentials %+v", cr)
	}
	cfg := emulatortest.Config(e.URL(), emulatortest.AccountA, "us-east-1")
	cfg.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(cr.AccessKeyId), aws.ToString(cr.SecretAccessKey), aws.ToString(cr.SessionToken))
	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(who.Account) != emulatortest.AccountB {
		t.Errorf("assumed credentials act in %s, want %s", aws.ToString(who.Account), emulatortest.AccountB)
	}
}

func TestAssumeRoleRefusals(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.STS(e, emulatortest.AccountA, "us-east-1")
	cases := []struct {
		name string
		in   *sts.AssumeRoleInput
	}{
		{"not a role", &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:user/bob"), RoleSessionName: aws.String("s1")}},
		{"short account", &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::2222:role/deployer"), RoleSessionName: aws.String("s1")}},
		{"session name too short", &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/deployer"), RoleSessionName: aws.String("s")}},
		{"duration too long", &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/deployer"), RoleSessionName: aws.String("s1"), DurationSeconds: aws.Int32(50000)}},
	}
	for _, tc := range cases {
		_, err := c.AssumeRole(context.Background(), tc.in)
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" {
			t.Errorf("%s: want ValidationError, got %v", tc.name, err)
		}
	}
}

// TestAssumeRoleStrict: a server that verifies signatures accepts the
// credentials its AssumeRole handed out (acting in the role's account), and
// refuses them with another secret or a session token it did not issue.
func TestAssumeRoleStrict(t *testing.T) {
	e := emulatortest.StartStrict(t)
	ctx := context.Background()
	out, err := emulatortest.STS(e, emulatortest.AccountA, "us-east-1").AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn:         aws.String("arn:aws:iam::" + emulatortest.AccountB + ":role/deployer"),
		RoleSessionName: aws.String("ci"),
	})
	if err != nil {
		t.Fatal(err)
	}
	cr := out.Credentials
	with := func(key, secret, token string) error {
		cfg := emulatortest.Config(e.URL(), emulatortest.AccountA, "us-east-1")
		cfg.Credentials = credentials.NewStaticCredentialsProvider(key, secret, token)
		who, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err == nil && aws.ToString(who.Account) != emulatortest.AccountB {
			t.Errorf("assumed credentials act in %s, want %s", aws.ToString(who.Account), emulatortest.AccountB)
		}
		return err
	}
	if err := with(aws.ToString(cr.AccessKeyId), aws.ToString(cr.SecretAccessKey), aws.ToString(cr.SessionToken)); err != nil {
		t.Fatalf("the issued credentials: %v", err)
	}
	for name, c := range map[string][3]string{
		"another secret":     {aws.ToString(cr.AccessKeyId), "not-the-secret", aws.ToString(cr.SessionToken)},
		"a made-up token":    {aws.ToString(cr.AccessKeyId), aws.ToString(cr.SecretAccessKey), "vpcemu-made-up"},
		"another account id": {emulatortest.AccountA, aws.ToString(cr.SecretAccessKey), aws.ToString(cr.SessionToken)},
	} {
		if code, _ := emulatortest.APIError(with(c[0], c[1], c[2])); code != "SignatureDoesNotMatch" {
			t.Errorf("%s: %q, want SignatureDoesNotMatch", name, code)
		}
	}
}
