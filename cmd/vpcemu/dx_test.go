package main

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestDXSetState runs `vpcemu dx set-state` against a `vpcemu serve` whose
// connections take an hour to come up: the command brings one up at once,
// then down, and the API reads what it set.
func TestDXSetState(t *testing.T) {
	t.Parallel()
	s := startServe(t, nil, "--in-memory", "--addr", "127.0.0.1:0", "--dx-provision-delay", "1h")
	c := directconnect.NewFromConfig(emulatortest.Config(s.URL, emulatortest.AccountA, "us-east-1"))
	conn, err := c.CreateConnection(t.Context(), &directconnect.CreateConnectionInput{
		Location: aws.String("EqDC2"), Bandwidth: aws.String("1Gbps"), ConnectionName: aws.String("c")})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(conn.ConnectionId)
	state := func() types.ConnectionState {
		out, err := c.DescribeConnections(t.Context(), &directconnect.DescribeConnectionsInput{ConnectionId: &id})
		if err != nil {
			t.Fatal(err)
		}
		return out.Connections[0].ConnectionState
	}
	if got := state(); got != types.ConnectionStateRequested {
		t.Fatalf("before the delay: %s", got)
	}
	cases := []struct {
		args           []string
		env            []string
		code           int
		stdout, stderr string
		then           types.ConnectionState
	}{
		{args: []string{id, "available"}, stdout: id + "\tavailable\n", then: types.ConnectionStateAvailable},
		{args: []string{"--endpoint-url", s.URL, id, "down"}, stdout: id + "\tdown\n", then: types.ConnectionStateDown},
		{args: []string{id, "broken"}, code: 1, stderr: "vpcemu dx: DirectConnectClientException: A connection cannot be set broken", then: types.ConnectionStateDown},
		{args: []string{id, "available"}, env: []string{"AWS_ACCESS_KEY_ID=" + emulatortest.AccountB}, code: 1,
			stderr: "Could not find Connection with ID " + id, then: types.ConnectionStateDown},
		{args: []string{id, "pending", "--endpoint-url", "http://127.0.0.1:1"}, code: 1, stderr: "is 'vpcemu serve' running?", then: types.ConnectionStateDown},
	}
	for _, tc := range cases {
		env := append(append([]string{"AWS_ENDPOINT_URL=" + s.URL}, callerEnv...), tc.env...)
		stdout, stderr, code := vpcemu(t, env, append([]string{"dx", "set-state"}, tc.args...)...)
		if code != tc.code || stdout != tc.stdout || !strings.Contains(stderr, tc.stderr) || tc.stderr == "" && stderr != "" {
			t.Errorf("dx set-state %v: exit %d\nstdout %q\nstderr %q", tc.args, code, stdout, stderr)
		}
		if got := state(); got != tc.then {
			t.Errorf("dx set-state %v: then %s, want %s", tc.args, got, tc.then)
		}
	}
}
