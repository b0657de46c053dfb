package ec2_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/emulator"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// apiCode returns the AWS error code of err, or "".
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// errMessage returns the AWS error message of err, or "".
func errMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorMessage()
	}
	return ""
}

// wantAPIError fails the test unless err is an AWS error with code and a
// message that contains msg ("" for any message). what, when set, names the
// call.
func wantAPIError(t *testing.T, what string, err error, code, msg string) {
	t.Helper()
	if what != "" {
		what += ": "
	}
	if apiCode(err) != code {
		t.Fatalf("%swant %s, got %v", what, code, err)
	}
	if !strings.Contains(errMessage(err), msg) {
		t.Fatalf("%swant %s with a message containing %q, got %q", what, code, msg, errMessage(err))
	}
}

// inputRefusal is an input the emulator must refuse with an AWS error code
// and a message that contains msg ("" for any message).
type inputRefusal[I any] struct {
	name string
	in   I
	code string
	msg  string
}

// checkInputRefusals calls with each input in a subtest of its own and
// checks its refusal.
func checkInputRefusals[I any](t *testing.T, cases []inputRefusal[I], call func(I) error) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantAPIError(t, tc.name, call(tc.in), tc.code, tc.msg)
		})
	}
}

// refusal is a call the emulator must refuse: {name, call, code, msg}.
type refusal = inputRefusal[func() error]

// checkRefusals makes each call in a subtest of its own and checks its
// refusal.
func checkRefusals(t *testing.T, cases []refusal) {
	t.Helper()
	checkInputRefusals(t, cases, func(call func() error) error { return call() })
}

// sameIDs fails the test unless got and want hold the same ids, in any
// order.
func sameIDs(t *testing.T, got, want []string) {
	t.Helper()
	got, want = slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// fixture is one test's emulator and a client of account A in us-east-1.
// The fixtures of the resource kinds embed it.
type fixture struct {
	t   *testing.T
	em  *emulator.Emulator
	c   *ec2.Client
	ctx context.Context
}

func newFixture(t *testing.T, opts ...cloud.Option) fixture {
	em := emulatortest.Start(t, opts...)
	return fixture{t: t, em: em, c: emulatortest.EC2(em, emulatortest.AccountA, "us-east-1"), ctx: context.Background()}
}

// as is a client of another account on the same emulator.
func (f fixture) as(account string) *ec2.Client { return emulatortest.EC2(f.em, account, "us-east-1") }

// must fails the test on any error.
func (f fixture) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

// wantErr fails the test unless err is an AWS error with code and a message
// that contains msg ("" for any message).
func (f fixture) wantErr(err error, code, msg string) {
	f.t.Helper()
	wantAPIError(f.t, "", err, code, msg)
}

// testClock is a clock that moves only when the test moves it.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// filterCase is a Describe filter and the ids it must select.
type filterCase struct {
	filter string
	values []string
	want   []string
}

// checkFilters describes with each case's filter, in a subtest of its own,
// and checks that describe's ids are the ones the case wants.
func checkFilters(t *testing.T, cases []filterCase, describe func(types.Filter) ([]string, error)) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.filter+"="+strings.Join(tc.values, ","), func(t *testing.T) {
			got, err := describe(types.Filter{Name: aws.String(tc.filter), Values: tc.values})
			if err != nil {
				t.Fatal(err)
			}
			sameIDs(t, got, tc.want)
		})
	}
}
