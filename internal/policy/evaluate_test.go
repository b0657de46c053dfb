package policy

import "testing"

const (
	alice   = "arn:aws:iam::111122223333:user/alice"
	session = "arn:aws:sts::111122223333:assumed-role/deploy/ci-run-7"
	outside = "arn:aws:iam::444455556666:user/mallory"
)

// seedPolicy is the endpoint policy of the project's seed material: only
// ssm:DescribeInstanceInformation, by anyone, on anything.
const seedPolicy = `{
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": "*",
      "Action": "ssm:DescribeInstanceInformation",
      "Resource": "*"
    }
  ]
}`

type evalCase struct {
	name string
	req  Request
	want Decision
	// stmt is the index of the deciding statement (-1 for none).
	stmt int
}

func runEval(t *testing.T, doc string, cases []evalCase) {
	t.Helper()
	d, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Evaluate(d, tc.req)
			if got.Decision != tc.want || got.Index != tc.stmt {
				t.Fatalf("got %v by statement %d, want %v by statement %d", got.Decision, got.Index, tc.want, tc.stmt)
			}
			if (got.Statement == nil) != (tc.stmt < 0) || got.Statement != nil && got.Statement != &d.Statements[tc.stmt] {
				t.Fatalf("statement %+v", got.Statement)
			}
		})
	}
}

func req(who, action, resource string, ctx map[string][]string) Request {
	return Request{Principal: Principal{ARN: who}, Action: action, Resource: resource, Context: ctx}
}

func TestEvaluateSeedPolicy(t *testing.T) {
	runEval(t, seedPolicy, []evalCase{
		{"the allowed action", req(alice, "ssm:DescribeInstanceInformation", "*", nil), Allowed, 0},
		{"actions ignore case", req(alice, "SSM:describeinstanceinformation", "arn:aws:ssm:us-east-1:111122223333:*", nil), Allowed, 0},
		{"anyone", req(outside, "ssm:DescribeInstanceInformation", "*", nil), Allowed, 0},
		{"anonymous", Request{Action: "ssm:DescribeInstanceInformation", Resource: "*"}, Allowed, 0},
		{"another ssm action", req(alice, "ssm:GetParameter", "arn:aws:ssm:us-east-1:111122223333:parameter/x", nil), ImplicitDeny, -1},
		{"a prefix of the action", req(alice, "ssm:DescribeInstance", "*", nil), ImplicitDeny, -1},
	})
}

func TestEvaluateDefaultPolicies(t *testing.T) {
	for _, doc := range []string{DefaultGatewayEndpointPolicy, DefaultInterfaceEndpointPolicy} {
		runEval(t, doc, []evalCase{
			{"anything", req(outside, "s3:DeleteBucket", "arn:aws:s3:::any", nil), Allowed, 0},
		})
	}
}

func TestEvaluateDenyWins(t *testing.T) {
	doc := stmt(`
		{"Sid":"AllowReads","Effect":"Allow","Principal":"*","Action":["s3:Get*","s3:List*"],"Resource":"*"},
		{"Sid":"NoSecrets","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::secrets/*"},
		{"Sid":"AllowAll","Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::open/*"}`)
	runEval(t, doc, []evalCase{
		{"first allow decides", req(alice, "s3:GetObject", "arn:aws:s3:::open/a", nil), Allowed, 0},
		{"deny wins over allow", req(alice, "s3:GetObject", "arn:aws:s3:::secrets/key", nil), ExplicitDeny, 1},
		{"deny wins over a later allow", req(alice, "s3:PutObject", "arn:aws:s3:::secrets/key", nil), ExplicitDeny, 1},
		{"later allow", req(alice, "s3:PutObject", "arn:aws:s3:::open/a", nil), Allowed, 2},
		{"nothing allows", req(alice, "s3:PutObject", "arn:aws:s3:::other/a", nil), ImplicitDeny, -1},
	})
}

func TestEvaluatePrincipals(t *testing.T) {
	doc := stmt(`
		{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"*"},
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:ListBucket","Resource":"*"},
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/deploy"},"Action":"s3:PutObject","Resource":"*"},
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"s3:DeleteObject","Resource":"*"},
		{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutBucketAcl","Resource":"*"},
		{"Effect":"Deny","NotPrincipal":{"AWS":["111122223333"]},"Action":"s3:DeleteBucket","Resource":"*"},
		{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:DeleteBucket","Resource":"*"}`)
	runEval(t, doc, []evalCase{
		{"account id names its users", req(alice, "s3:GetObject", "*", nil), Allowed, 0},
		{"account id names its sessions", req(session, "s3:GetObject", "*", nil), Allowed, 0},
		{"account id, another account", req(outside, "s3:GetObject", "*", nil), ImplicitDeny, -1},
		{"root ARN names the account", req(outside, "s3:ListBucket", "*", nil), Allowed, 1},
		{"role names its sessions", req(session, "s3:PutObject", "*", nil), Allowed, 2},
		{"role, another identity", req(alice, "s3:PutObject", "*", nil), ImplicitDeny, -1},
		{"user ARN", req(alice, "s3:DeleteObject", "*", nil), Allowed, 3},
		{"user ARN, its session is not the user", req(session, "s3:DeleteObject", "*", nil), ImplicitDeny, -1},
		{"service principal", Request{Principal: Principal{Service: "cloudtrail.amazonaws.com"}, Action: "s3:PutBucketAcl", Resource: "*"}, Allowed, 4},
		{"service principal, another service", Request{Principal: Principal{Service: "config.amazonaws.com"}, Action: "s3:PutBucketAcl", Resource: "*"}, ImplicitDeny, -1},
		{"NotPrincipal denies the others", req(outside, "s3:DeleteBucket", "*", nil), ExplicitDeny, 5},
		{"NotPrincipal spares the named", req(alice, "s3:DeleteBucket", "*", nil), Allowed, 6},
		{"AWS * is not anonymous", Request{Action: "s3:DeleteObject", Resource: "*"}, ImplicitDeny, -1},
	})
}

func TestEvaluateActionsAndResources(t *testing.T) {
	doc := stmt(`
		{"Effect":"Allow","Principal":"*","Action":"ec2:Describe*","Resource":"*"},
		{"Effect":"Allow","Principal":"*","Action":"s3:Get?bject","Resource":"arn:aws:s3:::logs-??/*"},
		{"Effect":"Allow","Principal":"*","NotAction":["s3:*","ec2:*"],"Resource":"arn:aws:sqs:*:111122223333:queue-*"},
		{"Effect":"Allow","Principal":"*","Action":"dynamodb:GetItem","NotResource":"arn:aws:dynamodb:us-east-1:111122223333:table/Secret"},
		{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::Case"}`)
	runEval(t, doc, []evalCase{
		{"action wildcard", req(alice, "ec2:DescribeVpcs", "*", nil), Allowed, 0},
		{"action wildcard ignores case", req(alice, "EC2:describeSubnets", "*", nil), Allowed, 0},
		{"action wildcard, other verb", req(alice, "ec2:CreateVpc", "*", nil), ImplicitDeny, -1},
		{"? is one character", req(alice, "s3:GetObject", "arn:aws:s3:::logs-01/2024/a.gz", nil), Allowed, 1},
		{"? is exactly one character", req(alice, "s3:GetObject", "arn:aws:s3:::logs-1/a", nil), ImplicitDeny, -1},
		{"resource wildcard within a part", req(alice, "sqs:SendMessage", "arn:aws:sqs:eu-west-1:111122223333:queue-orders", nil), Allowed, 2},
		{"a wildcard part does not cross colons", req(alice, "sqs:SendMessage", "arn:aws:sqs:eu-west-1:444455556666:queue-orders", nil), ImplicitDeny, -1},
		{"NotAction excludes", req(alice, "s3:GetObject", "arn:aws:sqs:eu-west-1:111122223333:queue-orders", nil), ImplicitDeny, -1},
		{"NotResource allows the others", req(alice, "dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:111122223333:table/Orders", nil), Allowed, 3},
		{"NotResource excludes", req(alice, "dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:111122223333:table/Secret", nil), ImplicitDeny, -1},
		{"resources are case-sensitive", req(alice, "s3:ListBucket", "arn:aws:s3:::case", nil), ImplicitDeny, -1},
		{"resources match exactly", req(alice, "s3:ListBucket", "arn:aws:s3:::Case", nil), Allowed, 4},
	})
}

func TestEvaluateConditionKeys(t *testing.T) {
	doc := stmt(`
		{"Sid":"Vpc","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpc":["vpc-111","vpc-222"]}}},
		{"Sid":"Vpce","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-0a1b2c3d4e5f60718"}}},
		{"Sid":"Account","Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}},
		{"Sid":"Org","Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}},
		{"Sid":"Arn","Effect":"Allow","Principal":"*","Action":"s3:DeleteObject","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/deploy*"}}},
		{"Sid":"Ip","Effect":"Allow","Principal":"*","Action":"s3:GetBucketAcl","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]}}},
		{"Sid":"NotIp","Effect":"Deny","Principal":"*","Action":"s3:GetBucketAcl","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32","198.51.100.7"]}}}`)
	vpc := func(v string) map[string][]string { return map[string][]string{"aws:SourceVpc": {v}} }
	runEval(t, doc, []evalCase{
		{"StringEquals, one of the values", req(alice, "s3:GetObject", "*", vpc("vpc-222")), Allowed, 0},
		{"StringEquals, another value", req(alice, "s3:GetObject", "*", vpc("vpc-333")), ImplicitDeny, -1},
		{"StringEquals is case-sensitive", req(alice, "s3:GetObject", "*", vpc("VPC-111")), ImplicitDeny, -1},
		{"key names ignore case", req(alice, "s3:GetObject", "*", map[string][]string{"AWS:SOURCEVPC": {"vpc-111"}}), Allowed, 0},
		{"missing key", req(alice, "s3:GetObject", "*", nil), ImplicitDeny, -1},
		{"StringNotEquals denies another endpoint", req(alice, "s3:PutObject", "*", map[string][]string{"aws:SourceVpce": {"vpce-other"}}), ExplicitDeny, 1},
		{"StringNotEquals holds on a missing key", req(alice, "s3:PutObject", "*", nil), ExplicitDeny, 1},
		{"StringNotEquals spares the endpoint", req(alice, "s3:PutObject", "*", map[string][]string{"aws:SourceVpce": {"vpce-0a1b2c3d4e5f60718"}}), Allowed, 2},
		{"PrincipalAccount comes from the principal", req(outside, "s3:PutObject", "*", map[string][]string{"aws:SourceVpce": {"vpce-0a1b2c3d4e5f60718"}}), ImplicitDeny, -1},
		{"PrincipalOrgID", req(alice, "s3:ListBucket", "*", map[string][]string{"aws:PrincipalOrgID": {"o-a1b2c3d4e5"}}), Allowed, 3},
		{"PrincipalOrgID, no organization", req(alice, "s3:ListBucket", "*", nil), ImplicitDeny, -1},
		{"PrincipalArn of a session is its role", req(session, "s3:DeleteObject", "*", nil), Allowed, 4},
		{"PrincipalArn of a user", req(alice, "s3:DeleteObject", "*", nil), ImplicitDeny, -1},
		{"IpAddress in a block", req(alice, "s3:GetBucketAcl", "*", map[string][]string{"aws:SourceIp": {"203.0.113.9"}}), Allowed, 5},
		{"IpAddress, IPv6", req(alice, "s3:GetBucketAcl", "*", map[string][]string{"aws:SourceIp": {"2001:db8::42"}}), Allowed, 5},
		{"NotIpAddress denies outside", req(alice, "s3:GetBucketAcl", "*", map[string][]string{"aws:SourceIp": {"192.0.2.1"}}), ExplicitDeny, 6},
		{"single address", req(alice, "s3:GetBucketAcl", "*", map[string][]string{"aws:SourceIp": {"198.51.100.7"}}), ImplicitDeny, -1},
	})
}

func TestEvaluateOperators(t *testing.T) {
	cases := []struct {
		cond string
		ctx  map[string][]string
		want bool
	}{
		{`"StringEquals":{"k":"v"}`, map[string][]string{"k": {"v"}}, true},
		{`"StringEquals":{"k":"v"}`, map[string][]string{"k": {"V"}}, false},
		{`"StringEqualsIgnoreCase":{"k":"Value"}`, map[string][]string{"k": {"vALUE"}}, true},
		{`"StringNotEqualsIgnoreCase":{"k":"Value"}`, map[string][]string{"k": {"vALUE"}}, false},
		{`"StringLike":{"k":"team-*-dev"}`, map[string][]string{"k": {"team-web-dev"}}, true},
		{`"StringLike":{"k":"team-?"}`, map[string][]string{"k": {"team-ab"}}, false},
		{`"StringNotLike":{"k":["a*","b*"]}`, map[string][]string{"k": {"cat"}}, true},
		{`"StringNotLike":{"k":["a*","b*"]}`, map[string][]string{"k": {"bat"}}, false},
		{`"StringLikeIfExists":{"k":"a*"}`, nil, true},
		{`"StringLikeIfExists":{"k":"a*"}`, map[string][]string{"k": {"b"}}, false},
		{`"NumericEquals":{"n":"10"}`, map[string][]string{"n": {"10.0"}}, true},
		{`"NumericNotEquals":{"n":10}`, map[string][]string{"n": {"11"}}, true},
		{`"NumericLessThan":{"n":10}`, map[string][]string{"n": {"9"}}, true},
		{`"NumericLessThan":{"n":10}`, map[string][]string{"n": {"10"}}, false},
		{`"NumericLessThanEquals":{"n":10}`, map[string][]string{"n": {"10"}}, true},
		{`"NumericGreaterThan":{"n":10}`, map[string][]string{"n": {"11"}}, true},
		{`"NumericGreaterThanEquals":{"n":10}`, map[string][]string{"n": {"9"}}, false},
		{`"NumericGreaterThan":{"n":10}`, map[string][]string{"n": {"many"}}, false},
		{`"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}`, map[string][]string{"aws:CurrentTime": {"2025-06-01T12:00:00Z"}}, true},
		{`"DateGreaterThanEquals":{"aws:EpochTime":"1700000000"}`, map[string][]string{"aws:EpochTime": {"1600000000"}}, false},
		{`"DateEquals":{"d":"2024-01-01"}`, map[string][]string{"d": {"2024-01-01T00:00:00Z"}}, true},
		{`"Bool":{"aws:SecureTransport":"true"}`, map[string][]string{"aws:SecureTransport": {"TRUE"}}, true},
		{`"Bool":{"aws:SecureTransport":false}`, map[string][]string{"aws:SecureTransport": {"true"}}, false},
		{`"Bool":{"aws:SecureTransport":"true"}`, nil, false},
		{`"BinaryEquals":{"b":"QmluYXJ5"}`, map[string][]string{"b": {"QmluYXJ5"}}, true},
		{`"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:111122223333:topic"}`, map[string][]string{"aws:SourceArn": {"arn:aws:sns:us-east-1:111122223333:topic"}}, true},
		{`"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:*"}`, map[string][]string{"aws:SourceArn": {"arn:aws:sns:eu-west-1:111122223333:orders"}}, true},
		{`"ArnNotEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:111122223333:topic"}`, map[string][]string{"aws:SourceArn": {"arn:aws:sns:us-east-1:111122223333:other"}}, true},
		{`"ArnNotLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:*"}`, map[string][]string{"aws:SourceArn": {"arn:aws:sns:eu-west-1:111122223333:x"}}, false},
		{`"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:*"}`, map[string][]string{"aws:SourceArn": {"arn:aws:sns:eu-west-1:444455556666:x"}}, false},
		{`"Null":{"aws:TokenIssueTime":"true"}`, nil, true},
		{`"Null":{"aws:TokenIssueTime":"true"}`, map[string][]string{"aws:TokenIssueTime": {"2024"}}, false},
		{`"Null":{"aws:TokenIssueTime":"false"}`, map[string][]string{"aws:TokenIssueTime": {"2024"}}, true},
		{`"ForAnyValue:StringEquals":{"aws:TagKeys":["env","team"]}`, map[string][]string{"aws:TagKeys": {"cost", "team"}}, true},
		{`"ForAnyValue:StringEquals":{"aws:TagKeys":["env","team"]}`, map[string][]string{"aws:TagKeys": {"cost"}}, false},
		{`"ForAnyValue:StringEquals":{"aws:TagKeys":["env"]}`, nil, false},
		{`"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}`, map[string][]string{"aws:TagKeys": {"env", "team"}}, true},
		{`"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}`, map[string][]string{"aws:TagKeys": {"env", "cost"}}, false},
		{`"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}`, nil, true},
		{`"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]}`, map[string][]string{"aws:TagKeys": {"env", "team"}}, true},
		{`"ForAnyValue:StringNotLike":{"aws:TagKeys":["env*"]}`, map[string][]string{"aws:TagKeys": {"env1", "team"}}, true},
		{`"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":["env*"]}`, nil, true},
		{`"StringEquals":{"aws:TagKeys":"team"}`, map[string][]string{"aws:TagKeys": {"env", "team"}}, true},
		{`"StringNotEquals":{"aws:TagKeys":"team"}`, map[string][]string{"aws:TagKeys": {"env", "team"}}, false},
		{`"StringEquals":{"k":"v"},"NumericLessThan":{"n":5}`, map[string][]string{"k": {"v"}, "n": {"7"}}, false},
		{`"StringEquals":{"k":"v","j":"w"}`, map[string][]string{"k": {"v"}, "j": {"w"}}, true},
		{`"StringEquals":{"k":"v","j":"w"}`, map[string][]string{"k": {"v"}}, false},
		{`"StringEquals":{"s3:prefix":"home/${aws:username}"}`, map[string][]string{"s3:prefix": {"home/alice"}, "aws:username": {"alice"}}, true},
		{`"StringEquals":{"s3:prefix":"home/${aws:username}"}`, map[string][]string{"s3:prefix": {"home/"}}, false},
		{`"StringEquals":{"s3:prefix":"home/${aws:username, 'guest'}"}`, map[string][]string{"s3:prefix": {"home/guest"}}, true},
		{`"StringLike":{"s3:prefix":"literal-${*}"}`, map[string][]string{"s3:prefix": {"literal-*"}}, true},
		{`"StringLike":{"s3:prefix":"literal-${*}"}`, map[string][]string{"s3:prefix": {"literal-x"}}, false},
	}
	for _, tc := range cases {
		t.Run(tc.cond, func(t *testing.T) {
			d, err := Parse(stmt(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{` + tc.cond + `}}`))
			if err != nil {
				t.Fatal(err)
			}
			got := Evaluate(d, Request{Principal: Principal{ARN: alice}, Action: "s3:GetObject", Resource: "*", Context: tc.ctx}).Decision == Allowed
			if got != tc.want {
				t.Fatalf("condition holds: %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPolicyVariablesNeedVersion2012(t *testing.T) {
	d, err := Parse(`{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::home/${aws:username}"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	r := Request{Principal: Principal{ARN: alice}, Action: "s3:GetObject", Resource: "arn:aws:s3:::home/alice", Context: map[string][]string{"aws:username": {"alice"}}}
	if Evaluate(d, r).Decision != ImplicitDeny {
		t.Fatal("a 2008-10-17 policy substituted a variable")
	}
	r.Resource = "arn:aws:s3:::home/${aws:username}"
	if Evaluate(d, r).Decision != Allowed {
		t.Fatal("a 2008-10-17 policy did not match the variable literally")
	}
}

func TestGlob(t *testing.T) {
	cases := []struct {
		pattern, s string
		fold, want bool
	}{
		{"*", "", false, true},
		{"a*b*c", "aXbYc", false, true},
		{"a*b*c", "aXbY", false, false},
		{"*.txt", "dir/file.txt", false, true},
		{"??", "é!", false, true},
		{"a?c", "abbc", false, false},
		{"ABC", "abc", true, true},
		{"ABC", "abc", false, false},
		{"a**", "a", false, true},
	}
	for _, tc := range cases {
		if got := glob(tc.pattern, tc.s, tc.fold); got != tc.want {
			t.Errorf("glob(%q, %q, %v) = %v", tc.pattern, tc.s, tc.fold, got)
		}
	}
}

func TestDecisionStrings(t *testing.T) {
	if Allowed.String() != "Allow" || ExplicitDeny.String() != "ExplicitDeny" || ImplicitDeny.String() != "ImplicitDeny" {
		t.Fatal("decision names")
	}
}
