package cloud

import (
	"errors"
	"fmt"
	"testing"
)

// TestErrorWording: refusals name their subject as EC2 and ELB word them.
func TestErrorWording(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    *Error
		reason Reason
		kind   Kind
		msg    string
	}{
		{"one missing", Missing(KindRouteTable, "rtb-1"), NotFound, KindRouteTable, "The routeTable ID 'rtb-1' does not exist"},
		{"several missing", Missing(KindSubnet, "subnet-1", "subnet-2"), NotFound, KindSubnet, "The subnet IDs 'subnet-1, subnet-2' do not exist"},
		{"missing with EC2's own words", Missing(KindNATGateway, "nat-1"), NotFound, KindNATGateway, "NAT gateway nat-1 was not found"},
		{"missing service", Missing(KindVPCEndpointService, "vpce-svc-1", "vpce-svc-2"), NotFound, KindVPCEndpointService, "The VpcEndpointService Id 'vpce-svc-1, vpce-svc-2' does not exist"},
		{"missing kind without a noun", Missing(KindRoute, "r"), NotFound, KindRoute, "The route ID 'r' does not exist"},
		{"dependents", HasDependents(KindInternetGateway, "igw-1"), DependencyViolation, KindInternetGateway, "The internetGateway 'igw-1' has dependencies and cannot be deleted."},
		{"invalid", InvalidParam("Value (%d) is bad.", 7), InvalidParameter, "", "Value (7) is bad."},
		{"dry run", errDryRun(), DryRun, "", "Request would have succeeded, but DryRun flag is set."},
		{"ELB by name", ELBNotFound(KindLoadBalancer, "a", "b").(*Error), NotFound, KindLoadBalancer, "Load balancers '[a, b]' not found"},
		{"ELB by ARN", ELBNotFound(KindTargetGroup).(*Error), NotFound, KindTargetGroup, "One or more target groups not found"},
		{"ELB listeners", ELBNotFound(KindListener).(*Error), NotFound, KindListener, "One or more listeners not found"},
		{"ELB rules by name", ELBNotFound(KindRule, "r").(*Error), NotFound, KindRule, "Rules '[r]' not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err.Reason != tc.reason || tc.err.Subject != tc.kind || tc.err.Msg != tc.msg || tc.err.Error() != tc.msg {
				t.Errorf("got %d %q %q, want %d %q %q", tc.err.Reason, tc.err.Subject, tc.err.Msg, tc.reason, tc.kind, tc.msg)
			}
		})
	}
}

// TestAsError finds a domain error through wrapping, and only one.
func TestAsError(t *testing.T) {
	wrapped := fmt.Errorf("use case: %w", Missing(KindVPC, "vpc-1"))
	if e, ok := AsError(wrapped); !ok || e.Subject != KindVPC {
		t.Errorf("wrapped: %v %v", e, ok)
	}
	if _, ok := AsError(errors.New("disk full")); ok {
		t.Error("a plain error is a domain error")
	}
	if _, ok := AsError(nil); ok {
		t.Error("nil is a domain error")
	}
}

// TestErrorCodes: a code by reason and kind, the reason's code for other
// kinds, or the fallback.
func TestErrorCodes(t *testing.T) {
	codes := ErrorCodes{
		NotFound:         {KindVPC: "InvalidVpcID.NotFound", "": "NotFound"},
		InvalidParameter: {"": "InvalidParameterValue"},
	}
	for _, tc := range []struct {
		err  *Error
		want string
	}{
		{Missing(KindVPC, "vpc-1"), "InvalidVpcID.NotFound"},
		{Missing(KindSubnet, "subnet-1"), "NotFound"},
		{InvalidParam("x"), "InvalidParameterValue"},
		{Errorf(LimitExceeded, KindVPC, "x"), "Fallback"},
	} {
		if got := codes.Code(tc.err, "Fallback"); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.err, got, tc.want)
		}
	}
}

// TestEachItem: a refused id is unsuccessful, the rest go on; any other
// error stops the call.
func TestEachItem(t *testing.T) {
	var done []string
	failed, err := EachItem([]string{"a", "b", "c"}, func(id string) (*Error, error) {
		if id == "b" {
			return AsItem(Missing(KindVPC, id))
		}
		done = append(done, id)
		return AsItem(nil)
	})
	if err != nil || len(failed) != 1 || failed[0].ID != "b" || failed[0].Err.Reason != NotFound || len(done) != 2 {
		t.Fatalf("failed %+v, done %v, err %v", failed, done, err)
	}
	boom := errors.New("store gone")
	failed, err = EachItem([]string{"a", "b"}, func(id string) (*Error, error) { return AsItem(boom) })
	if !errors.Is(err, boom) || failed != nil {
		t.Fatalf("failed %+v, err %v", failed, err)
	}
}
