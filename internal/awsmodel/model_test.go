package awsmodel

import "testing"

func TestMerge(t *testing.T) {
	m := &Model{
		Operations: map[string]*Operation{"Delete": {Name: "Delete", Input: &ShapeRef{Shape: "DeleteRequest"}}},
		Shapes: map[string]*Shape{
			"DeleteRequest": {Type: "structure", Members: map[string]*ShapeRef{"Id": {Shape: "String"}}},
			"Thing":         {Type: "structure", Members: map[string]*ShapeRef{"Id": {Shape: "String"}}, Required: []string{"Id"}},
			"New":           {Type: "structure", Members: map[string]*ShapeRef{"Asn": {Shape: "String"}, "Name": {Shape: "String"}}, Required: []string{"Asn", "Name"}},
			"String":        {Type: "string"},
		},
	}
	m.Merge(&Model{
		Operations: map[string]*Operation{"Delete": {Name: "Delete", Input: &ShapeRef{Shape: "DeleteRequest"}, Output: &ShapeRef{Shape: "DeleteResult"}}},
		Shapes: map[string]*Shape{
			"DeleteResult": {Type: "structure", Members: map[string]*ShapeRef{"Return": {Shape: "String"}}},
			"Thing":        {Type: "structure", Members: map[string]*ShapeRef{"Arn": {Shape: "String", LocationName: "arn"}}},
			"New":          {Type: "structure", Members: map[string]*ShapeRef{"AsnLong": {Shape: "String"}}, Optional: []string{"Asn"}},
		},
	})
	if m.Operations["Delete"].Output == nil || m.Shapes["DeleteResult"] == nil {
		t.Fatal("overlay operation or shape not merged")
	}
	thing := m.Shapes["Thing"]
	if thing.Members["Id"] == nil || thing.Members["Arn"].LocationName != "arn" || !thing.IsRequired("Id") {
		t.Fatalf("structure members not merged: %+v", thing)
	}
	if n := m.Shapes["New"]; n.IsRequired("Asn") || !n.IsRequired("Name") || n.Members["AsnLong"] == nil {
		t.Fatalf("optional members still required, or others no longer: %+v", n)
	}
}
