package query_test

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/awsproto/codectest"
	"github.com/vpcemu/vpcemu/internal/awsproto/query"
)

// testInput covers every kind of member the decoder handles, with the tags
// apigen writes.
type testInput struct {
	RouteTableId *string           `aws:"RouteTableId,loc=routeTableId,req"`
	GroupName    *string           `aws:"GroupName,min=2,max=4"`
	MaxResults   *int32            `aws:"MaxResults,loc=maxResults,min=5,max=100"`
	Count        *int64            `aws:"Count"`
	Ratio        *float64          `aws:"Ratio"`
	Flag         *bool             `aws:"Flag"`
	When         *time.Time        `aws:"When"`
	Epoch        *time.Time        `aws:"Epoch,ts=unixTimestamp"`
	Data         []byte            `aws:"Data"`
	Ids          []string          `aws:"Ids,loc=Id,mloc=item,max=3"`
	Filters      []testFilter      `aws:"Filters,loc=Filter,mloc=Filter"`
	Attrs        map[string]int32  `aws:"Attrs,kloc=Name,vloc=Value"`
	Flat         map[string]string `aws:"Flat,flat"`
	Nested       *testNested       `aws:"Nested,loc=nested"`
}

type testFilter struct {
	Name   *string  `aws:"Name"`
	Values []string `aws:"Values,loc=Value,mloc=item"`
}

type testNested struct {
	Key *string `aws:"Key,req"`
}

// testSpec serves one operation, Op, taking testInput.
var testSpec = &awsproto.Spec{
	SigningName: "test",
	APIVersion:  "2020-01-01",
	Operations: map[string]*awsproto.Operation{
		"Op": {Name: "Op", NewInput: func() any { return new(testInput) }},
	},
	ModelOperations: []string{"Op", "Later"},
}

// decode decodes body (which names no action) as operation Op.
func decode(c *query.Codec, body string) (*testInput, error) {
	r := httptest.NewRequest("POST", "/", nil)
	_, in, err := c.Decode(r, []byte("Action=Op&"+body), testSpec)
	if err != nil {
		return nil, err
	}
	return in.(*testInput), nil
}

func TestDecodeValues(t *testing.T) {
	when := time.Date(2024, 2, 29, 12, 30, 15, 250e6, time.UTC)
	tests := []struct {
		name  string
		codec *query.Codec
		body  string
		want  testInput
	}{
		{"ec2 scalars", query.EC2,
			"RouteTableId=rtb-1&GroupName=ab&MaxResults=5&Count=-9000000000&Ratio=1.5&Flag=true&When=2024-02-29T12%3A30%3A15.250Z&Epoch=1709209815.25&Data=AAH%2F",
			testInput{RouteTableId: new("rtb-1"), GroupName: new("ab"), MaxResults: new(int32(5)), Count: new(int64(-9000000000)),
				Ratio: new(1.5), Flag: new(true), When: &when, Epoch: &when, Data: []byte{0, 1, 0xff}}},
		{"booleans ignore case", query.EC2, "RouteTableId=r&Flag=FALSE", testInput{RouteTableId: new("r"), Flag: new(false)}},
		{"timestamp without fraction or zone", query.EC2, "RouteTableId=r&When=2024-02-29T12:30:15",
			testInput{RouteTableId: new("r"), When: new(when.Truncate(time.Second))}},
		{"timestamp with offset", query.EC2, "RouteTableId=r&When=2024-02-29T14:30:15.25%2B02:00",
			testInput{RouteTableId: new("r"), When: &when}},
		{"escapes and plus", query.EC2, "RouteTableId=a+b%26c%3D%C3%BC", testInput{RouteTableId: new("a b&c=ü")}},
		{"the first of repeated keys wins", query.EC2, "RouteTableId=one&RouteTableId=two", testInput{RouteTableId: new("one")}},
		{"empty value", query.EC2, "RouteTableId=", testInput{RouteTableId: new("")}},
		{"ec2 lists in index order with gaps", query.EC2,
			"RouteTableId=r&Id.3=c&Id.1=a&Filter.2.Name=n2&Filter.1.Name=n1&Filter.1.Value.1=v",
			testInput{RouteTableId: new("r"), Ids: []string{"a", "c"},
				Filters: []testFilter{{Name: new("n1"), Values: []string{"v"}}, {Name: new("n2")}}}},
		{"an empty list is Name=", query.EC2, "RouteTableId=r&Id=&Filter.1.Value=",
			testInput{RouteTableId: new("r"), Ids: []string{}, Filters: []testFilter{{Values: []string{}}}}},
		{"ec2 nested structure capitalises its locationName", query.EC2, "RouteTableId=r&Nested.Key=k",
			testInput{RouteTableId: new("r"), Nested: &testNested{Key: new("k")}}},
		{"protocol and signing parameters", query.EC2,
			"RouteTableId=r&Version=2020-01-01&X-Amz-Date=x&AWSAccessKeyId=a&Signature=s&SignatureVersion=2&SignatureMethod=m&Timestamp=t",
			testInput{RouteTableId: new("r")}},
		{"query lists name their members", query.Query, "routeTableId=r&Id.item.2=b&Id.item.1=a&Filter.Filter.1.Value.item.1=v",
			testInput{RouteTableId: new("r"), Ids: []string{"a", "b"}, Filters: []testFilter{{Values: []string{"v"}}}}},
		{"query empty list", query.Query, "routeTableId=r&Id=", testInput{RouteTableId: new("r"), Ids: []string{}}},
		{"query maps", query.Query,
			"routeTableId=r&Attrs.entry.2.Name=b&Attrs.entry.2.Value=2&Attrs.entry.1.Name=a&Attrs.entry.1.Value=1&Flat.1.key=k&Flat.1.value=v&Flat.2.key=empty",
			testInput{RouteTableId: new("r"), Attrs: map[string]int32{"a": 1, "b": 2}, Flat: map[string]string{"k": "v", "empty": ""}}},
		{"query empty map", query.Query, "routeTableId=r&Attrs=", testInput{RouteTableId: new("r"), Attrs: map[string]int32{}}},
		{"query nested structure keeps its locationName", query.Query, "routeTableId=r&nested.Key=k",
			testInput{RouteTableId: new("r"), Nested: &testNested{Key: new("k")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decode(tt.codec, tt.body)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range codectest.Compare("testInput", reflect.ValueOf(&tt.want), reflect.ValueOf(got)) {
				t.Error(m)
			}
			// Compare takes nil for empty; the handlers do not.
			if (tt.want.Ids == nil) != (got.Ids == nil) {
				t.Errorf("Ids: want nil %v, got %#v", tt.want.Ids == nil, got.Ids)
			}
		})
	}
}

// TestDecodeManyParameters decodes lists long enough that the parameter
// tree indexes a node's children by a map: order, the first of repeated
// keys and unknown names are as with few.
func TestDecodeManyParameters(t *testing.T) {
	var body strings.Builder
	body.WriteString("RouteTableId=r")
	var want []string
	for i := 30; i >= 1; i-- {
		fmt.Fprintf(&body, "&Filter.%d.Name=n%d&Filter.%d.Name=again", i, i, i)
	}
	for i := 1; i <= 30; i++ {
		want = append(want, fmt.Sprint("n", i))
	}
	got, err := decode(query.EC2, body.String())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range got.Filters {
		names = append(names, *f.Name)
	}
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Errorf("filter names %v, want %v", names, want)
	}
	for extra, want := range map[string]string{
		// Items are decoded in index order.
		"&Filter.12.Aaa=y&Filter.7.Bogus=x": "Filter.7.Bogus",
		// Of unknown names, the least (here among 12 top-level names).
		"&GroupName=ab&MaxResults=5&Count=1&Ratio=1&Flag=true&Data=AAH%2F&Zzz=1&Bbb=2&Ccc=3": "Bbb",
	} {
		_, err = decode(query.EC2, body.String()+extra)
		var ae *awsproto.Error
		if !errors.As(err, &ae) || ae.Message != "The parameter "+want+" is not recognized" {
			t.Errorf("%s: %v, want %s refused", extra, err, want)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name          string
		codec         *query.Codec
		body          string
		code, message string
	}{
		// Unknown parameters are named by the full key as sent.
		{"unknown", query.EC2, "RouteTableId=r&Bogus.1.X=1", "UnknownParameter", "The parameter Bogus.1.X is not recognized"},
		{"unknown nested", query.EC2, "RouteTableId=r&Filter.1.Nme=x", "UnknownParameter", "The parameter Filter.1.Nme is not recognized"},
		{"unknown: the first in order", query.EC2, "RouteTableId=r&Zz=1&Bb.2=1&Bb.1=1", "UnknownParameter", "The parameter Bb.1 is not recognized"},
		{"value on a structure", query.EC2, "RouteTableId=r&Nested=x", "UnknownParameter", "The parameter Nested is not recognized"},
		{"value on a list", query.EC2, "RouteTableId=r&Id=x", "UnknownParameter", "The parameter Id is not recognized"},
		{"member of a scalar", query.EC2, "RouteTableId=r&Flag.1=true", "UnknownParameter", "The parameter Flag.1 is not recognized"},
		{"list index not a number", query.EC2, "RouteTableId=r&Filter.x.Name=n", "UnknownParameter", "The parameter Filter.x.Name is not recognized"},
		{"list index zero", query.EC2, "RouteTableId=r&Id.0=a", "UnknownParameter", "The parameter Id.0 is not recognized"},
		{"list index with leading zero", query.EC2, "RouteTableId=r&Id.01=a", "UnknownParameter", "The parameter Id.01 is not recognized"},
		{"list index with sign", query.EC2, "RouteTableId=r&Id.%2B1=a", "UnknownParameter", "The parameter Id.+1 is not recognized"},
		{"list index beyond int", query.EC2, "RouteTableId=r&Id.18446744073709551616=a", "UnknownParameter", "The parameter Id.18446744073709551616 is not recognized"},
		{"empty segment", query.EC2, "RouteTableId=r&Filter..Name=n", "UnknownParameter", "The parameter Filter..Name is not recognized"},
		{"trailing dot", query.EC2, "RouteTableId=r&Flag.=true", "UnknownParameter", "The parameter Flag. is not recognized"},
		{"query list without member", query.Query, "routeTableId=r&Id.1=a", "ValidationError", "The parameter Id.1 is not recognized"},

		// Missing parameters are named as AWS names them.
		{"missing: ec2 uses the locationName", query.EC2, "GroupName=ab", "MissingParameter", "The request must contain the parameter routeTableId"},
		{"missing nested", query.EC2, "RouteTableId=r&Nested.Other=x", "MissingParameter", "The request must contain the parameter Nested.key"},
		{"missing: query validation message", query.Query, "GroupName=ab", "ValidationError",
			"1 validation error detected: Value null at 'routeTableId' failed to satisfy constraint: Member must not be null"},

		// Values outside the model's bounds.
		{"int below min", query.EC2, "RouteTableId=r&MaxResults=4", "InvalidParameterValue",
			"Value (4) for parameter maxResults is invalid. Expecting a value greater than or equal to 5."},
		{"int above max", query.EC2, "RouteTableId=r&MaxResults=1000", "InvalidParameterValue",
			"Value (1000) for parameter maxResults is invalid. Expecting a value less than or equal to 100."},
		{"string too short", query.EC2, "RouteTableId=r&GroupName=a", "InvalidParameterValue",
			"Value (a) for parameter groupName is invalid. Expecting a length greater than or equal to 2."},
		{"string length counts characters", query.EC2, "RouteTableId=r&GroupName=%C3%BC%C3%BC%C3%BC%C3%BC%C3%BC", "InvalidParameterValue",
			"Value (üüüüü) for parameter groupName is invalid. Expecting a length less than or equal to 4."},
		{"too many items", query.EC2, "RouteTableId=r&Id.1=a&Id.2=b&Id.3=c&Id.4=d", "InvalidParameterValue",
			"Value (4) for parameter Id is invalid. Expecting a length less than or equal to 3."},
		{"list index too large", query.EC2, "RouteTableId=r&Filter.4294967295.Name=n", "InvalidParameterValue",
			"Value (4294967295) for parameter Filter is invalid. Expecting a list index less than or equal to 10000."},
		{"query range", query.Query, "routeTableId=r&GroupName=abcde", "ValidationError",
			"1 validation error detected: Value 'abcde' at 'groupName' failed to satisfy constraint: Member must have length less than or equal to 4"},

		// Values that do not parse as their type.
		{"bad boolean", query.EC2, "RouteTableId=r&Flag=yes", "InvalidParameterValue", "Invalid value 'yes' for parameter Flag: expected true or false"},
		{"bad integer", query.EC2, "RouteTableId=r&MaxResults=ten", "InvalidParameterValue", "Invalid value 'ten' for parameter MaxResults: expected an integer"},
		{"int32 overflow", query.EC2, "RouteTableId=r&MaxResults=2147483648", "InvalidParameterValue", "Invalid value '2147483648' for parameter MaxResults: expected an integer"},
		{"bad float", query.EC2, "RouteTableId=r&Ratio=NaN", "InvalidParameterValue", "Invalid value 'NaN' for parameter Ratio: expected a number"},
		{"bad timestamp", query.EC2, "RouteTableId=r&When=yesterday", "InvalidParameterValue", "Invalid value 'yesterday' for parameter When: expected an ISO 8601 timestamp"},
		{"bad epoch", query.EC2, "RouteTableId=r&Epoch=Inf", "InvalidParameterValue", "Invalid value 'Inf' for parameter Epoch: expected an ISO 8601 timestamp"},
		{"bad blob", query.EC2, "RouteTableId=r&Data=%21%21", "InvalidParameterValue", "Invalid value '!!' for parameter Data: expected base64"},
		{"map entry without key", query.Query, "routeTableId=r&Attrs.entry.1.Value=1", "ValidationError",
			"1 validation error detected: Value null at 'Attrs.entry.1.Name' failed to satisfy constraint: Member must not be null"},
		{"map entry with other member", query.Query, "routeTableId=r&Attrs.entry.1.Name=a&Attrs.entry.1.Other=1", "ValidationError",
			"The parameter Attrs.entry.1.Other is not recognized"},
		{"map index", query.Query, "routeTableId=r&Attrs.entry.a.Name=a", "ValidationError", "The parameter Attrs.entry.a.Name is not recognized"},

		// The request as a whole.
		{"bad escape", query.EC2, "RouteTableId=%zz", "InvalidParameterValue",
			`The request is not valid form-encoded parameters: invalid URL escape "%zz".`},
		{"query bad escape", query.Query, "%zz=1", "MalformedQueryString",
			`The request is not valid form-encoded parameters: invalid URL escape "%zz".`},
		{"too deep", query.EC2, strings.Repeat("a.", 40) + "=1", "InvalidParameterValue",
			`The request is not valid form-encoded parameters: the parameter name "a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a."… has more than 32 parts.`},
		{"too many parameters", query.EC2, "Id.1=a" + strings.Repeat("&Id.1=a", 200_000) + manyParams(100_000), "InvalidParameterValue",
			"The request is not valid form-encoded parameters: the parameter names have more than 100000 distinct parts."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decode(tt.codec, tt.body)
			assertError(t, err, tt.code, tt.message)
		})
	}
}

// manyParams makes n parameters with distinct names.
func manyParams(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "&P%d=1", i)
	}
	return b.String()
}

func assertError(t *testing.T, err error, code, message string) {
	t.Helper()
	var e *awsproto.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want a %s error", err, code)
	}
	if e.Code != code || e.Message != message || e.Status != 400 {
		t.Errorf("got %d %s %q,\nwant 400 %s %q", e.Status, e.Code, e.Message, code, message)
	}
}

func TestDecodeAction(t *testing.T) {
	tests := []struct {
		body          string
		code, message string
	}{
		{"Version=1", "MissingAction", "The request must contain the parameter Action"},
		{"Action=", "MissingAction", "The request must contain the parameter Action"},
		{"Action=Nope", "InvalidAction", "The action Nope is not valid for this web service."},
		{"Action=Later", "UnsupportedOperation", "vpcemu does not implement test:Later yet."},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			_, _, err := query.EC2.Decode(httptest.NewRequest("POST", "/", nil), []byte(tt.body), testSpec)
			assertError(t, err, tt.code, tt.message)
		})
	}
}

// TestDecodeQueryString checks that parameters may come in the URL too.
func TestDecodeQueryString(t *testing.T) {
	r := httptest.NewRequest("GET", "/?Action=Op&RouteTableId=from-url", nil)
	op, in, err := query.EC2.Decode(r, []byte("GroupName=ab"), testSpec)
	if err != nil {
		t.Fatal(err)
	}
	got := in.(*testInput)
	if op.Name != "Op" || *got.RouteTableId != "from-url" || *got.GroupName != "ab" {
		t.Errorf("got %s %+v", op.Name, got)
	}
}

// TestDecodeHugeIndexIsCheap checks that an item's index is a position:
// naming item 10000 does not allocate 10000 items.
func TestDecodeHugeIndexIsCheap(t *testing.T) {
	got, err := decode(query.EC2, "RouteTableId=r&Filter.10000.Name=n")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Filters) != 1 || *got.Filters[0].Name != "n" {
		t.Fatalf("got %+v", got.Filters)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	decode(query.EC2, "RouteTableId=r&Filter.4294967295.Name=n&Id.10000=a")
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("decoding allocated %d bytes", n)
	}
}

// TestDecodeCheckedVersion: the EC2 dialect refuses a request without the
// model's Version as EC2 does; the query dialect routes by Version and
// checks nothing.
func TestDecodeCheckedVersion(t *testing.T) {
	tests := []struct {
		codec         *query.Codec
		body          string
		code, message string
	}{
		{query.EC2, "Action=Op", "NoSuchVersion", "The requested version of service AmazonEC2 does not exist"},
		{query.EC2, "Action=Op&Version=", "NoSuchVersion", "The requested version of service AmazonEC2 does not exist"},
		{query.EC2, "Action=Op&Version=2010-03-31", "NoSuchVersion", "The requested version (2010-03-31) of service AmazonEC2 does not exist"},
		{query.EC2, "Action=Op&Version=2020-01-01", "", ""},
		{query.Query, "Action=Op", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			op, _, err := tt.codec.DecodeChecked(httptest.NewRequest("POST", "/", nil), []byte(tt.body), testSpec)
			if op == nil || op.Name != "Op" {
				t.Errorf("operation %v, want Op", op)
			}
			if tt.code == "" {
				// The version passes; the test input's own checks follow.
				if err != nil && strings.Contains(err.Error(), "NoSuchVersion") {
					t.Fatal(err)
				}
				return
			}
			assertError(t, err, tt.code, tt.message)
		})
	}
}
