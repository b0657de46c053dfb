package policy

import (
	"errors"
	"strings"
	"testing"
)

// stmt wraps statement JSON in a 2012-10-17 document.
func stmt(s string) string { return `{"Version":"2012-10-17","Statement":[` + s + `]}` }

func TestParseAccepts(t *testing.T) {
	cases := []struct {
		name  string
		doc   string
		check func(*Document) bool
	}{
		{"gateway default", DefaultGatewayEndpointPolicy, func(d *Document) bool {
			s := d.Statements[0]
			return d.Version == Version2008 && s.Effect == Allow && s.Principal.Any && s.Action[0] == "*" && s.Resource[0] == "*"
		}},
		{"interface default", DefaultInterfaceEndpointPolicy, func(d *Document) bool {
			return d.Version == "" && len(d.Statements) == 1 && d.Statements[0].Principal.Any
		}},
		{"statement as an object", `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}}`, func(d *Document) bool {
			return len(d.Statements) == 1 && d.Statements[0].Effect == Deny
		}},
		{"not elements", stmt(`{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"NotAction":["s3:Delete*"],"NotResource":"arn:aws:s3:::b/*"}`), func(d *Document) bool {
			s := d.Statements[0]
			return s.Principal == nil && s.NotPrincipal.AWS[0] == "111122223333" && s.Action == nil && s.NotAction[0] == "s3:Delete*" && s.NotResource[0] == "arn:aws:s3:::b/*"
		}},
		{"principal forms", stmt(`{"Effect":"Allow","Principal":{"AWS":["*","111122223333","arn:aws:iam::111122223333:role/app","arn:aws:sts::111122223333:assumed-role/app/s"],"Service":"ec2.amazonaws.com"},"Action":"*","Resource":"*"}`), func(d *Document) bool {
			p := d.Statements[0].Principal
			return len(p.AWS) == 4 && p.Service[0] == "ec2.amazonaws.com"
		}},
		{"conditions of every kind", stmt(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{
			"StringEquals":{"aws:SourceVpc":["vpc-111","vpc-222"]},"Bool":{"aws:SecureTransport":true},
			"NumericLessThan":{"s3:max-keys":10},"IpAddress":{"aws:SourceIp":"203.0.113.0/24"},
			"ForAnyValue:StringLike":{"aws:TagKeys":"team-*"},"StringNotEqualsIfExists":{"aws:PrincipalOrgID":"o-abc"},
			"Null":{"aws:SourceVpce":"false"},"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}}`), func(d *Document) bool {
			return len(d.Statements[0].Conditions) == 8
		}},
		{"operators without regard to case", stmt(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"stringequals":{"k":"v"}}}`), func(d *Document) bool {
			return d.Statements[0].Conditions[0].op.base.name == "StringEquals"
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Parse(tc.doc)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(d) {
				t.Fatalf("parsed as %+v", d)
			}
		})
	}
}

func TestParseRefusals(t *testing.T) {
	const ok = `"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"`
	cases := []struct {
		name string
		doc  string
		msg  string
	}{
		{"not JSON", `{"Statement": [`, "Syntax error at position (1,15)"},
		{"syntax error on a later line", "{\n  \"Statement\": [\n    {\"Effect\" \"Allow\"}\n  ]\n}", "Syntax error at position (3,15)"},
		{"text after the document", `{"Statement":[{` + ok + `}]} x`, "Syntax error at position"},
		{"two documents", `{"Statement":[{` + ok + `}]}{}`, "Syntax error at position"},
		{"empty", ``, "Syntax error at position"},
		{"array", `[]`, "must be a JSON object"},
		{"no statement", `{"Version":"2012-10-17"}`, "Missing required field Statement"},
		{"unknown top-level field", `{"Statement":[{` + ok + `}],"Extra":1}`, "Unknown field Extra"},
		{"lower-case field", `{"statement":[{` + ok + `}]}`, "Unknown field statement"},
		{"bad version", `{"Version":"2013-01-01","Statement":[{` + ok + `}]}`, "Invalid policy version 2013-01-01"},
		{"version as a number", `{"Version":2012,"Statement":[{` + ok + `}]}`, "Invalid policy version 2012"},
		{"statement not an object", `{"Statement":["x"]}`, "Statement 1 must be a JSON object"},
		{"unknown statement field", stmt(`{` + ok + `,"Actions":"*"}`), "Unknown field Actions in statement 1"},
		{"no effect", stmt(`{"Principal":"*","Action":"*","Resource":"*"}`), "Missing required field Effect"},
		{"bad effect", stmt(`{"Effect":"Alow","Principal":"*","Action":"*","Resource":"*"}`), "Invalid effect: Alow"},
		{"lower-case effect", stmt(`{"Effect":"allow","Principal":"*","Action":"*","Resource":"*"}`), "Invalid effect: allow"},
		{"action and not action", stmt(`{` + ok + `,"NotAction":"s3:*"}`), "both Action and NotAction"},
		{"no action", stmt(`{"Effect":"Allow","Principal":"*","Resource":"*"}`), "Missing required field Action"},
		{"empty action list", stmt(`{"Effect":"Allow","Principal":"*","Action":[],"Resource":"*"}`), "Action cannot be empty"},
		{"action without vendor", stmt(`{"Effect":"Allow","Principal":"*","Action":"GetObject","Resource":"*"}`), "prefaced by a vendor"},
		{"wildcard vendor", stmt(`{"Effect":"Allow","Principal":"*","Action":"s*:GetObject","Resource":"*"}`), "must not contain wildcards"},
		{"action not a string", stmt(`{"Effect":"Allow","Principal":"*","Action":[1],"Resource":"*"}`), "Action must be a string or a list of strings"},
		{"resource and not resource", stmt(`{` + ok + `,"NotResource":"*"}`), "both Resource and NotResource"},
		{"no resource", stmt(`{"Effect":"Allow","Principal":"*","Action":"*"}`), "Missing required field Resource"},
		{"resource not an ARN", stmt(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"bucket"}`), "must be in ARN format"},
		{"principal and not principal", stmt(`{` + ok + `,"NotPrincipal":"*"}`), "both Principal and NotPrincipal"},
		{"principal string", stmt(`{"Effect":"Allow","Principal":"111122223333","Action":"*","Resource":"*"}`), "Invalid principal in policy"},
		{"principal type", stmt(`{"Effect":"Allow","Principal":{"User":"x"},"Action":"*","Resource":"*"}`), "Invalid principal in policy"},
		{"empty principal", stmt(`{"Effect":"Allow","Principal":{},"Action":"*","Resource":"*"}`), "Invalid principal in policy"},
		{"AWS principal not an account", stmt(`{"Effect":"Allow","Principal":{"AWS":"alice"},"Action":"*","Resource":"*"}`), `Invalid principal in policy: "AWS":"alice"`},
		{"AWS principal with a wildcard", stmt(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/*"},"Action":"*","Resource":"*"}`), "Invalid principal in policy"},
		{"condition not an object", stmt(`{` + ok + `,"Condition":"x"}`), "Condition must be a JSON object"},
		{"unknown operator", stmt(`{` + ok + `,"Condition":{"StringEqualz":{"k":"v"}}}`), "Invalid Condition type : StringEqualz"},
		{"unknown set qualifier", stmt(`{` + ok + `,"Condition":{"ForSomeValues:StringEquals":{"k":"v"}}}`), "Invalid Condition type"},
		{"Null with IfExists", stmt(`{` + ok + `,"Condition":{"NullIfExists":{"k":"true"}}}`), "Invalid Condition type"},
		{"operator without keys", stmt(`{` + ok + `,"Condition":{"StringEquals":"v"}}`), "must map condition keys to values"},
		{"no values", stmt(`{` + ok + `,"Condition":{"StringEquals":{"k":[]}}}`), "has no values"},
		{"object value", stmt(`{` + ok + `,"Condition":{"StringEquals":{"k":{"a":1}}}}`), "must be strings, numbers or booleans"},
		{"bad number", stmt(`{` + ok + `,"Condition":{"NumericEquals":{"k":"ten"}}}`), "Invalid value ten"},
		{"bad date", stmt(`{` + ok + `,"Condition":{"DateLessThan":{"k":"tomorrow"}}}`), "Invalid value tomorrow"},
		{"bad bool", stmt(`{` + ok + `,"Condition":{"Bool":{"k":"yes"}}}`), "Invalid value yes"},
		{"bad address", stmt(`{` + ok + `,"Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/33"}}}`), "Invalid value 10.0.0.0/33"},
		{"bad null", stmt(`{` + ok + `,"Condition":{"Null":{"k":"maybe"}}}`), "Invalid value maybe"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.doc)
			wantRefusal(t, err, tc.msg)
		})
	}
}

// wantRefusal fails unless err is a policy refusal whose message has msg.
func wantRefusal(t *testing.T, err error, msg string) {
	t.Helper()
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("want a refusal containing %q, got %v", msg, err)
	}
	if !strings.HasPrefix(pe.Msg, "The Policy Document is not valid. ") || !strings.Contains(pe.Msg, msg) {
		t.Fatalf("want a message containing %q, got %q", msg, pe.Msg)
	}
}

func TestParseEndpointPolicy(t *testing.T) {
	seed := `{
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": "*",
      "Action": "ssm:DescribeInstanceInformation",
      "Resource": "*"
    }
  ]
}`
	for _, doc := range []string{seed, DefaultGatewayEndpointPolicy, DefaultInterfaceEndpointPolicy,
		stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"},"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/deploy-*"}}}`),
		stmt(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/*"}}}`),
		stmt(`{"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"*","Resource":"*"}`),
		`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Sid":"` + strings.Repeat("x", MaxEndpointPolicySize-87) + `"}]}`,
	} {
		if _, err := ParseEndpointPolicy(doc); err != nil {
			t.Errorf("%.60s…: %v", doc, err)
		}
	}

	const ok = `"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"`
	cases := []struct {
		name string
		doc  string
		msg  string
	}{
		{"too long", `{"Statement":[{` + ok + `,"Sid":"` + strings.Repeat("x", MaxEndpointPolicySize) + `"}]}`, "more than the maximum of 20480"},
		{"no principal", stmt(`{"Effect":"Allow","Action":"*","Resource":"*"}`), "Missing required field Principal"},
		{"wildcard on a system id key", stmt(`{` + ok + `,"Condition":{"StringLike":{"aws:SourceVpc":"vpc-0123456789*"}}}`), "cannot be used with wildcards"},
		{"numeric operator on a system id key", stmt(`{` + ok + `,"Condition":{"NumericEquals":{"aws:PrincipalAccount":"111122223333"}}}`), "numeric operator"},
		{"short text around a wildcard", stmt(`{` + ok + `,"Condition":{"StringLike":{"aws:PrincipalArn":"arn*"}}}`), "at least 6 consecutive characters"},
		{"lone wildcard", stmt(`{` + ok + `,"Condition":{"StringLike":{"s3:prefix":"*"}}}`), "at least 6 consecutive characters"},
		{"account and wildcard in a resource", stmt(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:us-east-1:1111*:x"}`), "account id or a wildcard, not both"},
		{"account and wildcard in a condition", stmt(`{` + ok + `,"Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::11112222333?:role/app"}}}`), "account id or a wildcard, not both"},
		{"grammar first", `{"Statement":[]`, "Syntax error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseEndpointPolicy(tc.doc)
			wantRefusal(t, err, tc.msg)
		})
	}
}

func TestAllowsEveryone(t *testing.T) {
	for doc, want := range map[string]bool{
		DefaultGatewayEndpointPolicy: true,
		stmt(`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*","Resource":"*"}`):            true,
		stmt(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"*","Resource":"*"}`): false,
		stmt(`{"Effect":"Allow","NotPrincipal":"*","Action":"*","Resource":"*"}`):                 false,
	} {
		d, err := Parse(doc)
		if err != nil {
			t.Fatal(err)
		}
		if d.AllowsEveryone() != want {
			t.Errorf("%s: AllowsEveryone = %v", doc, !want)
		}
	}
}
