package analyzer_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/analyzer"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// TestAnswerCarriesEveryMember: every member of the engine's result,
// filled with a value of its own, shows in the answer's JSON, so a member
// added to internal/reach and not to AnswerOf fails here. The members AWS
// lacks show in the extension, beside the hop or explanation they extend;
// every other name is AWS's.
func TestAnswerCarriesEveryMember(t *testing.T) {
	var r reach.Result
	values := fill(reflect.ValueOf(&r).Elem(), new(int))
	a := analyzer.AnswerOf(r)
	doc := string(a.JSON())
	for _, v := range values {
		if !strings.Contains(doc, v) {
			t.Errorf("%s is not in the answer", v)
		}
	}
	if len(values) < 100 {
		t.Errorf("filled only %d members", len(values))
	}
	// A hop and an explanation of each list carry a referenced group.
	x := a.VpcemuExtension
	if x == nil || x.Forward(0).SecurityGroupRule == nil || x.Return(0).SecurityGroupRule == nil ||
		x.Explanation(0).SecurityGroupRule == nil || x.Explanation(0).PolicyDecision == nil {
		t.Errorf("the extension lacks members: %s", doc)
	}
	// Go's initialisms never reach the JSON: no member name has two
	// capitals in a row.
	for _, name := range regexp.MustCompile(`"(\w+)":`).FindAllStringSubmatch(doc, -1) {
		if regexp.MustCompile(`[A-Z]{2}`).MatchString(name[1]) {
			t.Errorf("member %s is not in AWS's style", name[1])
		}
	}
	var back analyzer.Answer
	if err := json.Unmarshal([]byte(doc), &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, a) {
		t.Errorf("read back as\n%s", back.JSON())
	}
}

// fill sets every field under v to a value no other field has (strings
// "value-N", numbers 40000+N, booleans true, one element in each list)
// and returns the values as they appear in JSON, booleans aside.
func fill(v reflect.Value, n *int) []string {
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		return fill(v.Elem(), n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		return fill(v.Index(0), n)
	case reflect.Struct:
		var out []string
		for i := range v.NumField() {
			out = append(out, fill(v.Field(i), n)...)
		}
		return out
	case reflect.String:
		*n++
		s := fmt.Sprintf("value-%d", *n)
		v.SetString(s)
		return []string{strconv.Quote(s)}
	case reflect.Int:
		*n++
		v.SetInt(int64(40000 + *n))
		return []string{strconv.Itoa(40000 + *n)}
	case reflect.Bool:
		v.SetBool(true)
		return nil
	}
	panic("fill: " + v.Type().String())
}

// TestAnswerExtension: what AWS's shapes lack goes beside the hop or
// explanation it belongs to, and nowhere when the engine sets nothing of
// it.
func TestAnswerExtension(t *testing.T) {
	rule := &reach.SecurityGroupRule{Direction: "ingress", SecurityGroupID: "sg-1", ReferencedGroupID: "sg-2"}
	cases := []struct {
		name string
		r    reach.Result
		want string
	}{
		{"nothing of vpcemu's own", reach.Result{NetworkPathFound: true, ForwardPathComponents: []reach.PathComponent{{SequenceNumber: 1}}},
			`{"NetworkPathFound":true,"ForwardPathComponents":[{"SequenceNumber":1}]}`},
		{"a referenced group on the second hop", reach.Result{NetworkPathFound: true,
			ForwardPathComponents: []reach.PathComponent{{SequenceNumber: 1}, {SequenceNumber: 2, SecurityGroupRule: rule}, {SequenceNumber: 3}}},
			`{"NetworkPathFound":true,"ForwardPathComponents":[{"SequenceNumber":1},{"SecurityGroupRule":{"Direction":"ingress","SecurityGroupId":"sg-1"},"SequenceNumber":2},{"SequenceNumber":3}],` +
				`"VpcemuExtension":{"ForwardPathComponents":[{},{"SecurityGroupRule":{"ReferencedGroupId":"sg-2"}}]}}`},
		{"a policy's decision", reach.Result{Explanations: []reach.Explanation{{ExplanationCode: reach.VpcemuVPCEPolicyRestriction, PolicyDecision: "ExplicitDeny"}}},
			`{"NetworkPathFound":false,"Explanations":[{"ExplanationCode":"VPCEMU_VPCE_POLICY_RESTRICTION"}],"VpcemuExtension":{"Explanations":[{"PolicyDecision":"ExplicitDeny"}]}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := json.Marshal(analyzer.AnswerOf(tc.r))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestStoredAnswer checks what an analysis keeps in the store reads back,
// and that a record written before answers had AWS's names (the engine's
// result in encoding/json's Go names) reads as the same answer.
func TestStoredAnswer(t *testing.T) {
	var r reach.Result
	fill(reflect.ValueOf(&r).Elem(), new(int))
	want := analyzer.AnswerOf(r)
	stored, err := analyzer.MarshalStored(want)
	if err != nil {
		t.Fatal(err)
	}
	legacy, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"stored": stored, "legacy": legacy} {
		got, err := analyzer.UnmarshalStored(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(got.JSON(), want.JSON()) {
			t.Errorf("%s reads back as\n%s\nwant\n%s", name, got.JSON(), want.JSON())
		}
	}
}
