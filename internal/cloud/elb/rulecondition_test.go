package elb

import (
	"reflect"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
)

func TestCheckConditions(t *testing.T) {
	path := func(values ...string) ConditionInput {
		return ConditionInput{Field: ConditionPathPattern, Configs: map[string]RuleCondition{ConditionPathPattern: {Values: values}}}
	}
	legacy := func(field string, values ...string) ConditionInput {
		return ConditionInput{Field: field, Values: values}
	}
	for _, tc := range []struct {
		name string
		in   []ConditionInput
		want []RuleCondition // nil: refused
		msg  string
	}{
		{"legacy host", []ConditionInput{legacy(ConditionHostHeader, "example.com")}, []RuleCondition{{Field: ConditionHostHeader, Values: []string{"example.com"}}}, ""},
		{"config path", []ConditionInput{path("/a", "/b")}, []RuleCondition{{Field: ConditionPathPattern, Values: []string{"/a", "/b"}}}, ""},
		{"two headers", []ConditionInput{
			{Field: ConditionHTTPHeader, Configs: map[string]RuleCondition{ConditionHTTPHeader: {HTTPHeaderName: "X-A", Values: []string{"1"}}}},
			{Field: ConditionHTTPHeader, Configs: map[string]RuleCondition{ConditionHTTPHeader: {HTTPHeaderName: "X-B", Values: []string{"2"}}}},
		}, []RuleCondition{{Field: ConditionHTTPHeader, HTTPHeaderName: "X-A", Values: []string{"1"}}, {Field: ConditionHTTPHeader, HTTPHeaderName: "X-B", Values: []string{"2"}}}, ""},
		{"query string without key", []ConditionInput{{Field: ConditionQueryString, Configs: map[string]RuleCondition{ConditionQueryString: {QueryStrings: []QueryStringPair{{Value: "x"}}}}}},
			[]RuleCondition{{Field: ConditionQueryString, QueryStrings: []QueryStringPair{{Value: "x"}}}}, ""},
		{"IPv6 source", []ConditionInput{{Field: ConditionSourceIP, Configs: map[string]RuleCondition{ConditionSourceIP: {Values: []string{"2001:db8::/32"}}}}},
			[]RuleCondition{{Field: ConditionSourceIP, Values: []string{"2001:db8::/32"}}}, ""},
		{"five values", []ConditionInput{path("/1", "/2", "/3"), legacy(ConditionHostHeader, "a.example.com"),
			{Field: ConditionRequestMethod, Configs: map[string]RuleCondition{ConditionRequestMethod: {Values: []string{"GET"}}}}},
			[]RuleCondition{{Field: ConditionPathPattern, Values: []string{"/1", "/2", "/3"}}, {Field: ConditionHostHeader, Values: []string{"a.example.com"}}, {Field: ConditionRequestMethod, Values: []string{"GET"}}}, ""},

		{"none", nil, nil, "At least one condition"},
		{"no field", []ConditionInput{{Values: []string{"/a"}}}, nil, "field must be specified"},
		{"unknown field", []ConditionInput{legacy("cookie", "x")}, nil, "must be one of"},
		{"six values", []ConditionInput{path("/1", "/2", "/3", "/4", "/5", "/6")}, nil, "'5' condition values"},
		{"six wildcards", []ConditionInput{path("/*?*?*?")}, nil, "wildcards"},
		{"two paths", []ConditionInput{path("/a"), path("/b")}, nil, "only one 'path-pattern'"},
		{"both forms", []ConditionInput{{Field: ConditionPathPattern, Values: []string{"/a"}, Configs: map[string]RuleCondition{ConditionPathPattern: {Values: []string{"/a"}}}}}, nil, "both"},
		{"two legacy values", []ConditionInput{legacy(ConditionPathPattern, "/a", "/b")}, nil, "Only one value"},
		{"legacy method", []ConditionInput{legacy(ConditionRequestMethod, "GET")}, nil, "'host-header' or 'path-pattern'"},
		{"another field's config", []ConditionInput{{Field: ConditionPathPattern, Configs: map[string]RuleCondition{ConditionSourceIP: {Values: []string{"10.0.0.0/8"}}}}}, nil, "source-ip configuration"},
		{"no values", []ConditionInput{path()}, nil, "at least one value"},
		{"bad CIDR", []ConditionInput{{Field: ConditionSourceIP, Configs: map[string]RuleCondition{ConditionSourceIP: {Values: []string{"10.0.0.1"}}}}}, nil, "10.0.0.1"},
		{"bad method", []ConditionInput{{Field: ConditionRequestMethod, Configs: map[string]RuleCondition{ConditionRequestMethod: {Values: []string{"G E T"}}}}}, nil, "G E T"},
		{"bad header name", []ConditionInput{{Field: ConditionHTTPHeader, Configs: map[string]RuleCondition{ConditionHTTPHeader: {HTTPHeaderName: "X A", Values: []string{"1"}}}}}, nil, "X A"},
		{"bad host", []ConditionInput{legacy(ConditionHostHeader, "exa mple.com")}, nil, "exa mple.com"},
		{"empty query value", []ConditionInput{{Field: ConditionQueryString, Configs: map[string]RuleCondition{ConditionQueryString: {QueryStrings: []QueryStringPair{{Key: "k"}}}}}}, nil, "query string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []RuleCondition
			var err error
			cloudtest.Read(t, cloudtest.Fixed(t), func(tx *cloud.Txn) error {
				got, err = checkConditions(tx, tc.in)
				return nil
			})
			if tc.want == nil {
				cloudtest.WantReason(t, err, cloud.InvalidParameter, "", tc.msg)
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

// FuzzCheckCondition: any condition is accepted or refused with a domain
// error, never a panic, and an accepted one keeps its field.
func FuzzCheckCondition(f *testing.F) {
	f.Add("path-pattern", "/a*", "", "")
	f.Add("http-header", "x", "X-A", "")
	f.Add("query-string", "", "k", "v")
	f.Add("source-ip", "10.0.0.0/8", "", "")
	f.Fuzz(func(t *testing.T, field, value, name, query string) {
		for _, in := range []ConditionInput{
			{Field: field, Values: []string{value}},
			{Field: field, Configs: map[string]RuleCondition{field: {Values: []string{value}, HTTPHeaderName: name, QueryStrings: []QueryStringPair{{Key: name, Value: query}}}}},
		} {
			c, err := checkCondition(in)
			if err != nil {
				if _, ok := cloud.AsError(err); !ok {
					t.Fatalf("%+v: %v is not a domain error", in, err)
				}
				continue
			}
			if c.Field != field {
				t.Fatalf("%+v became %+v", in, c)
			}
		}
	})
}

func TestCheckActionOrder(t *testing.T) {
	fwd := func(order int32) Action { return Action{Type: ActionForward, Order: order} }
	auth := func(order int32) Action { return Action{Type: ActionAuthenticateOIDC, Order: order} }
	for _, tc := range []struct {
		name   string
		in     []Action
		order  []string // types after sorting; nil: refused
		reason cloud.Reason
	}{
		{"one final", []Action{fwd(0)}, []string{ActionForward}, 0},
		{"sorted by order", []Action{fwd(5), auth(1)}, []string{ActionAuthenticateOIDC, ActionForward}, 0},
		{"no order", []Action{auth(0), fwd(2)}, nil, cloud.InvalidParameter},
		{"same order", []Action{auth(1), fwd(1)}, nil, cloud.InvalidParameter},
		{"two finals", []Action{fwd(1), {Type: ActionRedirect, Order: 2}}, nil, cloud.LimitExceeded},
		{"no final", []Action{auth(1)}, nil, cloud.InvalidParameter},
		{"final first", []Action{fwd(1), auth(2)}, nil, cloud.InvalidParameter},
	} {
		t.Run(tc.name, func(t *testing.T) {
			actions := append([]Action(nil), tc.in...)
			err := checkActionOrder(actions)
			if tc.order == nil {
				cloudtest.RefusedWith(t, err, tc.reason, tc.name)
				return
			}
			var got []string
			for _, a := range actions {
				got = append(got, a.Type)
			}
			if err != nil || !reflect.DeepEqual(got, tc.order) {
				t.Fatalf("got %v, %v; want %v", got, err, tc.order)
			}
		})
	}
}
