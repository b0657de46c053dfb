package ec2_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/smithy-go"
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
// message that contains msg ("" for any message). what names the call.
func wantAPIError(t *testing.T, what string, err error, code, msg string) {
	t.Helper()
	if apiCode(err) != code {
		t.Fatalf("%s: want %s, got %v", what, code, err)
	}
	if !strings.Contains(errMessage(err), msg) {
		t.Fatalf("%s: want %s with a message containing %q, got %q", what, code, msg, errMessage(err))
	}
}

// refusal is a call the emulator must refuse with an AWS error code and a
// message that contains msg ("" for any message).
type refusal struct {
	name string
	call func() error
	code string
	msg  string
}

// checkRefusals makes each call in a subtest of its own and checks its
// refusal.
func checkRefusals(t *testing.T, cases []refusal) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantAPIError(t, tc.name, tc.call(), tc.code, tc.msg)
		})
	}
}
