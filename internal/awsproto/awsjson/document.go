package awsjson

import (
	"bytes"
	"errors"
	"reflect"

	"github.com/vpcemu/vpcemu/internal/awsproto"
)

// dialect is how a JSON object carries a shape's members.
type dialect struct {
	// name is the property a member takes.
	name func(*awsproto.Field) string
	// tree reads a parsed object of the dialect into a shape.
	tree *awsproto.Tree
}

// newDialect is the dialect whose members are the properties name gives;
// check says whether decoding enforces the model's constraints (required
// members, lengths and ranges).
func newDialect(name func(*awsproto.Field) string, check bool) *dialect {
	return &dialect{name: name, tree: jsonTree(name, check)}
}

var (
	// protocol is the json protocol's: a member is its locationName
	// (Smithy's jsonName) or its name, and requests are checked.
	protocol = newDialect(jsonName, true)
	// document is a shape as the AWS CLI prints it and the SDKs name it:
	// a member is its name in the model, whatever the wire calls it (EC2's
	// locationNames are its XML elements: networkPathFound,
	// explanationSet), and nothing is checked, since a document is output.
	document = newDialect(memberName, false)
)

func jsonName(f *awsproto.Field) string {
	if f.Loc != "" {
		return f.Loc
	}
	return f.Name
}

func memberName(f *awsproto.Field) string { return f.Name }

// MarshalDocument writes v, a generated shape (or pointer to one) of any
// service, or any struct whose fields carry the same `aws:"..."` tags, as
// a JSON document with the model's member names: the names the AWS CLI
// prints ("NatGatewayId"). Absent members are left out, a list or map the
// model marks sparse too when empty; false and zero values that are set
// are written.
func MarshalDocument(v any) []byte {
	var b bytes.Buffer
	rv := reflect.ValueOf(v)
	if v == nil || rv.Kind() == reflect.Pointer && rv.IsNil() {
		return []byte("null")
	}
	writeStruct(&b, reflect.Indirect(rv), document)
	return b.Bytes()
}

// UnmarshalDocument reads a document MarshalDocument wrote into v, a
// pointer to the shape. Members the shape does not have are ignored, as
// the SDKs ignore members of a newer model; null is an absent member.
func UnmarshalDocument(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return errors.New("awsjson: UnmarshalDocument needs a non-nil pointer to a struct")
	}
	obj, err := parseObject(data, "The document")
	if err != nil {
		return err
	}
	return document.tree.Decode(obj, rv.Elem())
}
