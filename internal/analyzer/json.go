package analyzer

import (
	"bytes"
	"encoding"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/vpcemu/vpcemu/internal/reach"
)

// MarshalResult is r as JSON in the shape AWS's JSON (and the AWS CLI)
// gives a NetworkInsightsAnalysis's members: NetworkPathFound,
// ForwardPathComponents, ReturnPathComponents and Explanations, each member
// named as AWS names it (NatGatewayId for reach's NATGatewayID), absent
// members left out, false booleans kept.
//
// It reads the names off reach's types, so members the engine gains show
// without a change here (reach's types carry no json tags: they are the
// engine's, and the Network Insights API maps them to its own shapes).
func MarshalResult(r reach.Result) ([]byte, error) {
	var b bytes.Buffer
	if err := encode(&b, reflect.ValueOf(r)); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// UnmarshalResult reads what MarshalResult wrote. encoding/json matches
// member names to fields regardless of case, which is all AWS's spelling
// changes.
func UnmarshalResult(b []byte) (reach.Result, error) {
	var r reach.Result
	err := json.Unmarshal(b, &r)
	return r, err
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// encode writes v as compact JSON, structs with AWS's member names.
func encode(b *bytes.Buffer, v reflect.Value) error {
	t := v.Type()
	if t.Implements(jsonMarshaler) || t.Implements(textMarshaler) {
		return encodeScalar(b, v)
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			b.WriteString("null")
			return nil
		}
		return encode(b, v.Elem())
	case reflect.Slice:
		if v.IsNil() {
			b.WriteString("null")
			return nil
		}
		b.WriteByte('[')
		for i := range v.Len() {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := encode(b, v.Index(i)); err != nil {
				return err
			}
		}
		b.WriteByte(']')
		return nil
	case reflect.Struct:
		b.WriteByte('{')
		first := true
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || absent(v.Field(i)) {
				continue
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			name, _ := json.Marshal(awsName(f.Name))
			b.Write(name)
			b.WriteByte(':')
			if err := encode(b, v.Field(i)); err != nil {
				return err
			}
		}
		b.WriteByte('}')
		return nil
	}
	return encodeScalar(b, v)
}

func encodeScalar(b *bytes.Buffer, v reflect.Value) error {
	out, err := json.Marshal(v.Interface())
	b.Write(out)
	return err
}

// absent reports whether a member is left out: AWS leaves out what is not
// set (nil, empty, zero), and shows booleans either way.
func absent(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Bool:
		return false
	case reflect.Slice, reflect.Map:
		return v.Len() == 0
	}
	return v.IsZero()
}

// initialisms are the upper-case words of Go field names that AWS spells
// as words: NATGatewayID is NatGatewayId, CoreNetworkARN CoreNetworkArn.
var initialisms = []string{"ACL", "ARN", "CIDR", "DNS", "ENI", "ID", "IGW", "IP", "NAT", "VPC"}

// awsName is a Go field name as AWS spells the member.
func awsName(goName string) string {
	var b strings.Builder
	wordStart := true
	for i := 0; i < len(goName); {
		if w := initialismAt(goName, i, wordStart); w != "" {
			b.WriteString(w[:1] + strings.ToLower(w[1:]))
			i += len(w)
			wordStart = true
			continue
		}
		c := goName[i]
		b.WriteByte(c)
		wordStart = !isUpper(c)
		i++
	}
	return b.String()
}

// initialismAt is the initialism that makes up a whole word of name at i:
// it starts a word and the next word (or the end, or a digit, or IPv's v)
// follows it.
func initialismAt(name string, i int, wordStart bool) string {
	if !wordStart {
		return ""
	}
	for _, w := range initialisms {
		if !strings.HasPrefix(name[i:], w) {
			continue
		}
		rest := name[i+len(w):]
		if rest == "" || isUpper(rest[0]) || rest[0] >= '0' && rest[0] <= '9' || w == "IP" && rest[0] == 'v' {
			return w
		}
	}
	return ""
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
