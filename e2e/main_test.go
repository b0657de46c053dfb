package e2e

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

func TestMain(m *testing.M) { os.Exit(RunTests(m)) }

// Accounts and regions the tests act in.
const (
	accountA = emulatortest.AccountA
	accountB = emulatortest.AccountB
	region   = "us-east-1"
)

// ec2Client is an SDK client of account in region against endpoint.
func ec2Client(endpoint, account, region string) *ec2.Client {
	return ec2.NewFromConfig(emulatortest.Config(endpoint, account, region))
}

// testContext is a context that ends with the test, or after limit.
func testContext(t *testing.T, limit time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), limit)
	t.Cleanup(cancel)
	return ctx
}

// apiCode returns the AWS error code of err, or "".
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}
