package e2e

import (
	"strings"
	"testing"
)

// TestAWSCLIUnservedServices: the aws CLI, asking vpcemu for services it
// does not emulate, prints AWS's error line with UnsupportedOperation and a
// message that names the service and the operation, whatever the service's
// protocol (rest-xml, json, CBOR or query as the CLI speaks it); vpcemu logs
// each refusal once at info.
func TestAWSCLIUnservedServices(t *testing.T) {
	t.Parallel()
	s := Serve(t, "--in-memory", "--addr", "127.0.0.1:0", "--log-level", "info")
	cli := newAWSCLI(t, s.URL, accountA)
	cases := []struct {
		args          []string
		op, service   string
		signing, code string
	}{
		{[]string{"dynamodb", "list-tables"}, "ListTables", "Amazon DynamoDB", "dynamodb", "UnsupportedOperation"},          // json 1.0
		{[]string{"sns", "list-topics"}, "ListTopics", "Amazon Simple Notification Service", "sns", "UnsupportedOperation"}, // query
		{[]string{"s3api", "list-buckets"}, "ListBuckets", "Amazon Simple Storage Service", "s3", "UnsupportedOperation"},
		{[]string{"s3api", "list-objects-v2", "--bucket", "reports"}, "ListObjectsV2", "Amazon Simple Storage Service", "s3", "UnsupportedOperation"},
		{[]string{"ssm", "get-parameter", "--name", "/app/db"}, "GetParameter", "Amazon Simple Systems Manager (SSM)", "ssm", "UnsupportedOperation"},
		{[]string{"elb", "describe-load-balancers"}, "DescribeLoadBalancers", "Elastic Load Balancing", "elasticloadbalancing", "UnsupportedOperation"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			stdout, stderr, exit := cli.run(t, tc.args...)
			want := "An error occurred (" + tc.code + ") when calling the " + tc.op + " operation: vpcemu does not emulate " +
				tc.service + " (" + tc.signing + " "
			if exit != 255 || !strings.Contains(stderr, want) || !strings.Contains(stderr, "so it cannot answer "+tc.op+".") {
				t.Errorf("exit status %d, want 255 and %q\n%s%s", exit, want, stdout, stderr)
			}
		})
	}
	// The same call again is not logged again.
	cli.run(t, "s3api", "list-buckets")
	log := s.Log()
	for _, tc := range cases {
		line := "msg=refused service=" + tc.signing + " operation=" + tc.op + " status=400 code=" + tc.code
		if n := strings.Count(log, line); n != 1 {
			t.Errorf("%q logged %d times, want once:\n%s", line, n, log)
		}
	}
}
